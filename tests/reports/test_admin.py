"""The reports back office: scoping, compile, preview with drill-down links, publish."""

import datetime as dt
import re

import pytest

from apps.proactive.enums import Approximation, Channel
from apps.reports import services
from apps.reports.models import AnnualReport
from tests.factories.records import PublicationFactory, YearTallyFactory
from tests.factories.reports import AnnualReportFactory, application, fill_required_sections

pytestmark = pytest.mark.django_db


def test_clerk_sees_only_their_organs_reports(client, alice, organ_a, organ_b):
    mine = AnnualReportFactory(organ=organ_a, year=2024)
    theirs = AnnualReportFactory(organ=organ_b, year=2024)
    client.force_login(alice)
    listing = client.get("/admin/reports/annualreport/").content.decode()
    assert organ_a.name in listing and organ_b.name not in listing
    assert client.get(f"/admin/reports/annualreport/{theirs.pk}/preview/").status_code == 404
    assert client.post(f"/admin/reports/annualreport/{theirs.pk}/publish/").status_code == 404
    assert client.get(f"/admin/reports/annualreport/{mine.pk}/preview/").status_code == 200


def test_add_compiles_the_report(client, alice, organ_a):
    application(organ=organ_a, received_on=dt.date(2024, 2, 1))
    client.force_login(alice)
    response = client.post(
        "/admin/reports/annualreport/add/",
        {"organ": organ_a.pk, "year": 2024, "format": "2021", "signature": "市经合局", "signed_on": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = AnnualReport.objects.get(organ=organ_a, year=2024)
    assert report.statistics["table3"]["new"]["total"] == 1
    assert report.sections.filter(code="overall").exists()


def test_preview_links_every_table_number_to_its_records(client, alice, organ_a):
    app = application(organ=organ_a, received_on=dt.date(2024, 2, 1), closed_on=dt.date(2024, 2, 9))
    report = AnnualReportFactory(organ=organ_a, year=2024)
    client.force_login(alice)
    body = client.get(f"/admin/reports/annualreport/{report.pk}/preview/").content.decode()
    cell = f"/admin/reports/annualreport/{report.pk}/cell/?table=table3&amp;row=r1&amp;column=natural"
    assert f'<a href="{cell}">1</a>' in body
    assert "「五、存在的主要问题及改进情况」尚未填写" in body
    drill = client.get(cell.replace("&amp;", "&")).content.decode()
    assert app.tracking_code in drill
    assert f"/admin/applications/application/{app.pk}/change/" in drill


def test_publish_from_the_admin_shows_failures_then_publishes(client, alice, organ_a):
    YearTallyFactory(organ=organ_a, year=2024)
    report = AnnualReportFactory(organ=organ_a, year=2024)
    client.force_login(alice)
    url = f"/admin/reports/annualreport/{report.pk}/publish/"
    assert "发布前须经审核人审核通过" in client.post(url).content.decode()
    services.report_approve(report=report, actor=None)
    refused = client.post(url).content.decode()
    assert "检查未通过，不能发布。" in refused and "尚未填写" in refused
    fill_required_sections(report)  # a change of the text: reviewed again
    services.report_approve(report=report, actor=None)
    response = client.post(url)
    assert response.status_code == 302
    version = report.versions.get()
    assert version.published_by == alice
    change = client.get(f"/admin/reports/annualreport/{report.pk}/change/").content.decode()
    assert version.pdf_sha256 in change


def test_editing_a_section_in_the_admin_marks_it_as_staff_text(client, alice, organ_a):
    report = fill_required_sections(AnnualReportFactory(organ=organ_a, year=2024))
    client.force_login(alice)
    sections = list(report.sections.order_by("position"))
    data = {
        "signature": "市经合局",
        "signed_on": "2025年1月",
        "format": "2021",
        "sections-TOTAL_FORMS": len(sections),
        "sections-INITIAL_FORMS": len(sections),
        "sections-MIN_NUM_FORMS": 0,
        "sections-MAX_NUM_FORMS": 0,
        "versions-TOTAL_FORMS": 0,
        "versions-INITIAL_FORMS": 0,
        "versions-MIN_NUM_FORMS": 0,
        "versions-MAX_NUM_FORMS": 0,
    }
    for i, s in enumerate(sections):
        data[f"sections-{i}-id"] = s.pk
        data[f"sections-{i}-report"] = report.pk
        data[f"sections-{i}-text"] = "本机关自行撰写的总体情况。" if s.code == "overall" else s.text
    response = client.post(f"/admin/reports/annualreport/{report.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    overall = report.sections.get(code="overall")
    assert overall.text == "本机关自行撰写的总体情况。" and overall.edited_by_staff
    report.refresh_from_db()
    assert report.signed_on == "2025年1月"


def test_preview_data_table_gives_printed_materials_in_copies(client, alice, organ_a):
    PublicationFactory(
        organ=organ_a,
        channel=Channel.PRINTED,
        date=dt.date(2024, 4, 10),
        title="招商指南",
        copies=2500,
        approximation=Approximation.MORE,
    )
    PublicationFactory(organ=organ_a, channel=Channel.WEBSITE, date=dt.date(2024, 5, 1), count=8)
    report = AnnualReportFactory(organ=organ_a, year=2024)
    client.force_login(alice)
    body = client.get(f"/admin/reports/annualreport/{report.pk}/preview/").content.decode()
    table = body.split('id="data-title"')[1].split("</table>")[0]
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th><td><a href="[^"]+">([^<]+)</a>', table))
    assert rows["印发资料"] == "2500余册"  # the copies as the report prints them, not 1 record
    assert rows["门户网站"] == "8"
