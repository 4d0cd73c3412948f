"""Compiling, editing and publishing annual reports against real records."""

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from apps.applications.enums import ApplicantType, Outcome
from apps.applications.models import Application
from apps.organs.models import Organ
from apps.reports import services
from apps.reports.compile import gather_statistics
from apps.reports.enums import ReportFormat, ReportStatus
from apps.reports.models import ReportVersion
from tests.factories import OrganFactory
from tests.factories.records import PublicationFactory, YearTallyFactory
from tests.factories.reports import AnnualReportFactory, application, fill_required_sections

pytestmark = pytest.mark.django_db


def _years_of_data(organ, years):
    for year in years:
        PublicationFactory(organ=organ, date=dt.date(year, 5, 1))
        YearTallyFactory(organ=organ, year=year)
        application(organ=organ, received_on=dt.date(year, 3, 1), closed_on=dt.date(year, 3, 20))
        application(
            organ=organ,
            received_on=dt.date(year, 4, 1),
            closed_on=dt.date(year, 4, 10),
            outcome=Outcome.NOT_HELD,
            applicant_type=ApplicantType.COMMERCIAL,
        )


def _count_compile_queries(organ, year):
    with CaptureQueriesContext(connection) as ctx:
        gather_statistics(organ=organ, year=year)
    return len(ctx.captured_queries)


def test_compile_runs_the_same_number_of_queries_for_1_and_3_years_of_data(organ_a, organ_b):
    _years_of_data(organ_a, [2024])
    _years_of_data(organ_b, [2022, 2023, 2024])
    for _ in range(5):
        application(organ=organ_b, received_on=dt.date(2024, 6, 1))
    one, three = _count_compile_queries(organ_a, 2024), _count_compile_queries(organ_b, 2024)
    assert one == three
    assert three <= 30


def _count_check_queries(report):
    with CaptureQueriesContext(connection) as ctx:
        failures = services.report_check(report=report)
    return len(ctx.captured_queries), failures


def test_checks_run_the_same_number_of_queries_for_1_and_3_years_of_data(organ_a, organ_b):
    _years_of_data(organ_a, [2024])
    _years_of_data(organ_b, [2022, 2023, 2024])
    for _ in range(5):
        application(organ=organ_b, received_on=dt.date(2024, 6, 1))
    one, one_failures = _count_check_queries(fill_required_sections(AnnualReportFactory(organ=organ_a)))
    three, three_failures = _count_check_queries(fill_required_sections(AnnualReportFactory(organ=organ_b)))
    assert one == three <= 3  # membership problems, the sections
    assert one_failures == three_failures == []


def test_checks_name_an_application_counted_in_no_result_row(organ_a):
    _years_of_data(organ_a, [2024])
    stray = application(organ=organ_a, received_on=dt.date(2024, 7, 1), closed_on=dt.date(2024, 7, 2))
    report = fill_required_sections(AnnualReportFactory(organ=organ_a, year=2024))
    Application.objects.filter(pk=stray.pk).update(outcome="unknown_outcome")
    (failure,) = services.report_check(report=report)
    assert failure.code == "not_counted"
    assert [r.url for r in failure.records] == [f"/admin/applications/application/{stray.pk}/change/"]
    # Compiled again, table 3 leaves it out of every result row: the balance check fails as well.
    services.report_compile(report=report)
    codes = [f.code for f in services.report_check(report=report)]
    assert codes == ["table3_balance", "table3_balance", "not_counted"]


def test_compile_counts_the_records(organ_a):
    _years_of_data(organ_a, [2023, 2024])
    application(organ=organ_a, received_on=dt.date(2024, 12, 30))
    stats = gather_statistics(organ=organ_a, year=2024)
    assert stats["table3"]["new"]["total"] == 3
    assert stats["table3"]["r1"]["natural"] == 1
    assert stats["table3"]["r4_1"]["commercial"] == 1
    assert stats["table3"]["carried_out"]["total"] == 1
    assert stats["channels"]["website"] == 1
    assert [(p["year"], p["applications"]) for p in stats["trend"]][-2:] == [(2023, 2), (2024, 3)]
    assert stats["previous"] == {
        "source": "compiled",
        "version": None,
        "carried_out": dict.fromkeys(stats["table3"]["carried_out"], 0),
    }


def test_government_report_adds_up_its_departments():
    city = OrganFactory(kind=Organ.Kind.GOVERNMENT)
    dept = OrganFactory(parent=city)
    other = OrganFactory()
    application(organ=city, received_on=dt.date(2024, 1, 5))
    application(organ=dept, received_on=dt.date(2024, 1, 6))
    application(organ=other, received_on=dt.date(2024, 1, 7))
    report = AnnualReportFactory(organ=city, year=2024)
    assert report.statistics["organ_ids"] == sorted([city.pk, dept.pk])
    assert report.statistics["table3"]["new"]["total"] == 2
    dept_report = AnnualReportFactory(organ=dept, year=2024)
    assert dept_report.statistics["table3"]["new"]["total"] == 1


def test_generated_text_follows_the_numbers_but_never_overwrites_staff_text(organ_a):
    report = AnnualReportFactory(organ=organ_a, year=2024, format=ReportFormat.PRE_2019)
    proactive = report.sections.get(code="proactive")
    assert proactive.text == "2024年，共主动公开政府信息0条。"
    services.report_update(report=report, texts={"requests": "本年度由办公室统一受理申请。"})
    PublicationFactory(organ=organ_a, date=dt.date(2024, 5, 1), count=12)
    services.report_compile(report=report)
    texts = services.report_texts(report)
    assert texts["proactive"].startswith("2024年，共主动公开政府信息12条。")
    assert texts["requests"] == "本年度由办公室统一受理申请。"


def test_publish_freezes_the_version_and_a_correction_makes_version_2(organ_a, alice):
    app = application(organ=organ_a, received_on=dt.date(2024, 3, 1), closed_on=dt.date(2024, 3, 5))
    YearTallyFactory(organ=organ_a, year=2024)
    report = fill_required_sections(AnnualReportFactory(organ=organ_a, year=2024))
    services.report_approve(report=report, actor=alice)
    v1 = services.report_publish(report=report, user=alice)
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    assert (v1.number, v1.published_by, v1.correction_note) == (1, alice, "")
    assert v1.statistics["table3"]["r1"]["total"] == 1
    pdf_bytes = v1.pdf.read()
    assert pdf_bytes.startswith(b"%PDF")
    import hashlib

    assert hashlib.sha256(pdf_bytes).hexdigest() == v1.pdf_sha256
    assert hashlib.sha256(v1.html.encode()).hexdigest() == v1.html_sha256
    frozen = (v1.html, v1.html_sha256, v1.pdf_sha256, v1.statistics)

    # A record changes after publication: the published version does not.
    Application.objects.filter(pk=app.pk).update(outcome=Outcome.PARTIALLY_DISCLOSED)
    services.report_compile(report=report)
    v1.refresh_from_db()
    assert (v1.html, v1.html_sha256, v1.pdf_sha256, v1.statistics) == frozen
    assert report.statistics["table3"]["r2"]["total"] == 1

    services.report_approve(report=report, actor=alice)  # the correction is reviewed too
    with pytest.raises(ValidationError, match="更正说明"):
        services.report_publish(report=report, user=alice)  # a correction needs a note
    v2 = services.report_publish(report=report, user=alice, correction_note="更正部分公开件数。")
    assert v2.number == 2
    assert v2.statistics["table3"]["r2"]["total"] == 1
    assert ReportVersion.objects.get(pk=v1.pk).statistics["table3"]["r1"]["total"] == 1


def test_published_versions_cannot_be_changed_or_deleted(organ_a):
    YearTallyFactory(organ=organ_a, year=2024)
    report = fill_required_sections(AnnualReportFactory(organ=organ_a, year=2024))
    version = services.report_publish(report=report)
    version.correction_note = "篡改"
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    assert ReportVersion.objects.get(pk=version.pk).correction_note == ""


def test_publish_is_refused_when_carry_in_differs_from_last_published_carry_out(organ_a):
    # 2023: one application still open at the year's end, published as carried out.
    app = application(organ=organ_a, received_on=dt.date(2023, 12, 20))
    for year in (2023, 2024):
        YearTallyFactory(organ=organ_a, year=year)
    services.report_publish(report=fill_required_sections(AnnualReportFactory(organ=organ_a, year=2023)))
    # Later someone back-dates its closing into 2023: 2024 no longer carries it in.
    Application.objects.filter(pk=app.pk).update(
        status="closed", outcome=Outcome.DISCLOSED, closed_on=dt.date(2023, 12, 28)
    )
    report = fill_required_sections(AnnualReportFactory(organ=organ_a, year=2024))
    with pytest.raises(services.ReportCheckFailed) as excinfo:
        services.report_publish(report=report)
    messages = [f.message for f in excinfo.value.failures]
    assert (
        "表三「二、上年结转政府信息公开申请数量」×「自然人」: 本年=0, "
        "上年度已发布报告（第1版）「四、结转下年度继续办理」=1"
    ) in messages
    assert not report.versions.exists()


def test_publish_is_refused_while_a_required_section_is_empty(organ_a):
    YearTallyFactory(organ=organ_a, year=2024)
    report = AnnualReportFactory(organ=organ_a, year=2024)
    with pytest.raises(services.ReportCheckFailed) as excinfo:
        services.report_publish(report=report)
    assert [f.message for f in excinfo.value.failures] == ["「五、存在的主要问题及改进情况」尚未填写"]


# --- Table 2 must be entered (or not applicable) before publishing ------------------------------


def test_publish_is_refused_while_table2_is_not_entered_and_names_the_cells(organ_a):
    report = fill_required_sections(AnnualReportFactory(organ=organ_a, year=2024))
    with pytest.raises(services.ReportCheckFailed) as excinfo:
        services.report_publish(report=report)
    failures = excinfo.value.failures
    assert [f.message.split("尚未填报")[0] for f in failures] == [
        "表二「第二十条第（五）项」「行政许可」×「本年处理决定数量」",
        "表二「第二十条第（六）项」「行政处罚」×「本年处理决定数量」",
        "表二「第二十条第（六）项」「行政强制」×「本年处理决定数量」",
        "表二「第二十条第（八）项」「行政事业性收费」×「本年收费金额（单位：万元）」",
    ]
    assert f"未填报的机关：{organ_a.name}。" in failures[0].message
    # The link opens the form to enter them, for this organ and year.
    assert failures[0].records[0].url == f"/admin/proactive/yeartally/add/?organ={organ_a.pk}&year=2024"
    assert not report.versions.exists()


def test_publish_is_refused_for_a_half_entered_tally_and_links_to_it(organ_a):
    tally = YearTallyFactory(organ=organ_a, year=2024, fees_wan_yuan=None)
    report = fill_required_sections(AnnualReportFactory(organ=organ_a, year=2024))
    with pytest.raises(services.ReportCheckFailed) as excinfo:
        services.report_publish(report=report)
    (failure,) = excinfo.value.failures
    assert failure.message.startswith(
        "表二「第二十条第（八）项」「行政事业性收费」×「本年收费金额（单位：万元）」尚未填报"
    )
    assert failure.records[0].url == f"/admin/proactive/yeartally/{tally.pk}/change/"


def test_publish_is_allowed_with_not_applicable_and_prints_a_slash(organ_a):
    YearTallyFactory(
        organ=organ_a, year=2024, licensing=9, not_applicable=["punishment", "enforcement", "fees"]
    )
    report = fill_required_sections(AnnualReportFactory(organ=organ_a, year=2024))
    version = services.report_publish(report=report)
    assert version.statistics["table2"]["licensing"] == 9
    assert version.statistics["table2"]["fees_wan_yuan"] is None
    assert '<td colspan="3">9</td>' in version.html
    assert version.html.count('<td colspan="3">/</td>') == 3


def test_publish_of_a_department_roll_up_names_the_departments_still_owing(organ_a):
    city = OrganFactory(kind=Organ.Kind.GOVERNMENT, name="牡丹江市人民政府")
    dept = OrganFactory(parent=city, name="牡丹江市审计局")
    YearTallyFactory(organ=city, year=2024)
    YearTallyFactory(organ=dept, year=2024, licensing=None)
    report = fill_required_sections(AnnualReportFactory(organ=city, year=2024))
    with pytest.raises(services.ReportCheckFailed) as excinfo:
        services.report_publish(report=report)
    (failure,) = excinfo.value.failures
    assert failure.message.endswith("未填报的机关：牡丹江市审计局。")
    assert report.statistics["table2"]["licensing"] == "-"


def test_pre_2019_report_needs_no_table2(organ_a):
    report = fill_required_sections(
        AnnualReportFactory(organ=organ_a, year=2018, format=ReportFormat.PRE_2019)
    )
    version = services.report_publish(report=report)
    assert version.number == 1


def _trial_2019_tally(organ, **overrides):
    figures = {
        "licensing_items_last_year": 41,
        "licensing_items_change": -3,
        "licensing": 512,
        "other_services_items_last_year": 6,
        "other_services_items_change": 2,
        "other_services": 88,
        "punishment_items_last_year": 17,
        "punishment_items_change": 0,
        "punishment": 23,
        "fees_items_last_year": 4,
        "fees_items_change": -1,
        "procurement_items": 3,
        "procurement_wan_yuan": Decimal("126.5"),
    }
    return YearTallyFactory(
        organ=organ, year=2019, fees_wan_yuan=None, not_applicable=["enforcement"], **(figures | overrides)
    )


def test_a_2019_report_prints_every_entered_cell_and_no_dash(organ_a):
    _trial_2019_tally(organ_a)
    report = fill_required_sections(
        AnnualReportFactory(organ=organ_a, year=2019, format=ReportFormat.TRIAL_2019)
    )
    version = services.report_publish(report=report)
    html = version.html
    table2 = html[html.index("report-table2") : html.index("</table>", html.index("report-table2"))]
    assert "—" not in table2
    rows = {
        label: re.findall(r"<td[^>]*>([^<]*)</td>", row)
        for label, row in re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', table2, re.S)
    }
    assert rows["行政许可"] == ["41", "-3", "512"]
    assert rows["其他对外管理服务事项"] == ["6", "2", "88"]
    assert rows["行政处罚"] == ["17", "0", "23"]
    assert rows["行政强制"] == ["/", "/", "/"]
    assert rows["行政事业性收费"] == ["4", "-1"]
    assert rows["政府集中采购"] == ["3", "126.5万元"]


def test_a_2019_report_is_refused_while_its_own_cells_are_not_entered(organ_a):
    YearTallyFactory(organ=organ_a, year=2019)  # the 2021 figures only
    report = fill_required_sections(
        AnnualReportFactory(organ=organ_a, year=2019, format=ReportFormat.TRIAL_2019)
    )
    with pytest.raises(services.ReportCheckFailed) as excinfo:
        services.report_publish(report=report)
    assert len(excinfo.value.failures) == 13  # 4 × (项目数量, 增/减) + 其他对外管理服务事项's 3 + 采购's 2
    assert all(f.code == "table2_not_entered" for f in excinfo.value.failures)


def test_report_check_refuses_a_negative_cell_whatever_the_statistics_came_from(organ_a):
    YearTallyFactory(organ=organ_a, year=2024)
    report = fill_required_sections(AnnualReportFactory(organ=organ_a, year=2024))
    assert services.report_check(report=report) == []
    tampered = {**report.statistics, "table2": {**report.statistics["table2"], "punishment": -2}}
    failures = services.report_check(report=report, stats=tampered)
    assert [f.message for f in failures] == [
        "表二「第二十条第（六）项」「行政处罚」×「本年处理决定数量」=-2，不能为负数"
    ]
