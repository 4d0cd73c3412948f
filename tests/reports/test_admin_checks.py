"""The checks that can't be fooled block publishing the same way in the service, the admin and the
build_annual_report command: table 2 not entered, and a negative cell."""

from django.core.management import CommandError, call_command

import pytest

from apps.litigation import selectors as litigation_selectors
from apps.reports import services
from tests.factories.records import YearTallyFactory
from tests.factories.reports import AnnualReportFactory, fill_required_sections

pytestmark = pytest.mark.django_db

NOT_ENTERED_LICENSING = "表二「第二十条第（五）项」「行政许可」×「本年处理决定数量」尚未填报"
NEGATIVE_CASES = "表四「行政复议」×「结果纠正」=-1，不能为负数"


@pytest.fixture
def report(organ_a):
    return fill_required_sections(AnnualReportFactory(organ=organ_a, year=2024))


@pytest.fixture
def negative_table4(monkeypatch):
    """The real table 4 with a -1 in it (its total still adds up): the checks must not trust the
    selectors they read."""
    real = litigation_selectors.table4

    def table4(*, organ_ids, year):
        table = real(organ_ids=organ_ids, year=year)
        table["review"]["corrected"] -= 1
        table["review"]["upheld"] += 1
        return table

    monkeypatch.setattr(litigation_selectors, "table4", table4)


def _publish_in_admin(client, report):
    services.report_approve(report=report, actor=None)  # the 审核人's step, not under test here
    return client.post(f"/admin/reports/annualreport/{report.pk}/publish/").content.decode()


def test_admin_refuses_to_publish_an_unentered_table2_and_names_the_cells(client, alice, organ_a, report):
    client.force_login(alice)
    page = _publish_in_admin(client, report)
    assert "检查未通过，不能发布。" in page
    assert NOT_ENTERED_LICENSING in page
    assert "「行政事业性收费」×「本年收费金额（单位：万元）」尚未填报" in page
    assert f"/admin/proactive/yeartally/add/?organ={organ_a.pk}&amp;year=2024" in page
    assert not report.versions.exists()


def test_admin_publishes_once_the_organ_records_not_applicable(client, alice, organ_a, report):
    YearTallyFactory(
        organ=organ_a, year=2024, not_applicable=["licensing", "punishment", "enforcement", "fees"]
    )
    client.force_login(alice)
    services.report_approve(report=report, actor=None)
    response = client.post(f"/admin/reports/annualreport/{report.pk}/publish/")
    assert response.status_code == 302
    assert report.versions.get().statistics["table2"]["licensing"] is None


def test_admin_refuses_a_negative_cell(client, alice, organ_a, report, negative_table4):
    YearTallyFactory(organ=organ_a, year=2024)
    client.force_login(alice)
    page = _publish_in_admin(client, report)
    assert "检查未通过，不能发布。" in page and NEGATIVE_CASES in page
    assert not report.versions.exists()


def test_service_refuses_a_negative_cell(organ_a, report, negative_table4):
    YearTallyFactory(organ=organ_a, year=2024)
    with pytest.raises(services.ReportCheckFailed) as excinfo:
        services.report_publish(report=report)
    assert [f.message for f in excinfo.value.failures] == [NEGATIVE_CASES]
    assert not report.versions.exists()


def test_admin_preview_shows_the_same_failures(client, alice, report):
    client.force_login(alice)
    page = client.get(f"/admin/reports/annualreport/{report.pk}/preview/").content.decode()
    assert NOT_ENTERED_LICENSING in page


def _publish_with_command(tmp_path):
    call_command("build_annual_report", organ="jhj", year=2024, output=str(tmp_path / "r.html"), publish=True)


def test_command_refuses_an_unentered_table2_and_prints_the_cells(report, tmp_path):
    with pytest.raises(CommandError) as excinfo:
        _publish_with_command(tmp_path)
    assert str(excinfo.value).startswith("检查未通过，未发布：")
    assert f"- {NOT_ENTERED_LICENSING}" in str(excinfo.value)
    assert not report.versions.exists()
    assert not (tmp_path / "r.html").exists()


def test_command_refuses_a_negative_cell(organ_a, report, tmp_path, negative_table4):
    YearTallyFactory(organ=organ_a, year=2024)
    with pytest.raises(CommandError, match=NEGATIVE_CASES):
        _publish_with_command(tmp_path)
    assert not report.versions.exists()


def test_command_publishes_when_table2_is_entered(organ_a, report, tmp_path):
    YearTallyFactory(organ=organ_a, year=2024, licensing=31)
    _publish_with_command(tmp_path)
    assert report.versions.get().statistics["table2"]["licensing"] == 31
    assert '<td colspan="3">31</td>' in (tmp_path / "r.html").read_text()
