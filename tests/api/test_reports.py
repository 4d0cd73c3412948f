"""Annual reports in the API: published versions only, their tables, and the tables as files."""

import csv
import datetime as dt
import io
import json
from urllib.parse import quote

import openpyxl
import pytest

from apps.reports import services
from tests.factories import OrganFactory
from tests.factories.records import YearTallyFactory
from tests.factories.reports import AnnualReportFactory, application, fill_required_sections

pytestmark = pytest.mark.django_db


def _publish(organ, year=2024, **kwargs):
    YearTallyFactory(organ=organ, year=year, licensing=7)
    report = fill_required_sections(AnnualReportFactory(organ=organ, year=year, **kwargs))
    return report, services.report_publish(report=report)


@pytest.fixture
def published(organ_a):
    application(organ=organ_a, received_on=dt.date(2024, 3, 1), closed_on=dt.date(2024, 3, 10))
    return _publish(organ_a)


def test_list_shows_only_published_reports(client, organ_a, organ_b, published):
    AnnualReportFactory(organ=organ_b, year=2024)  # a draft: never shown
    inactive = OrganFactory(name="已撤销的局", slug="old", code="11231000MB0000009X")
    _publish(inactive)
    inactive.is_active = False
    inactive.save()

    body = client.get("/api/reports/").json()

    assert [(r["organ"]["slug"], r["year"], r["latest_version"]) for r in body] == [("jhj", 2024, 1)]
    assert body[0]["url"] == "http://testserver/reports/jhj/2024/"
    assert body[0]["api_url"] == "http://testserver/api/reports/jhj/2024/"
    assert client.get("/api/reports/", {"organ": "tjj"}).json() == []
    assert client.get("/api/reports/", {"year": "abc"}).json() == []


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow(client, django_assert_num_queries, count):
    for i in range(count):
        _publish(OrganFactory(name=f"机关{i}", slug=f"o{i}", code=f"11231000MB000001{i}X"))
    with django_assert_num_queries(1):
        body = client.get("/api/reports/").json()
    assert len(body) == count


def test_detail_gives_the_latest_versions_tables(client, published):
    report, v1 = published
    v2 = services.report_publish(report=report, correction_note="更正表二。")

    response = client.get("/api/reports/jhj/2024/")

    body = response.json()
    assert response.status_code == 200
    assert body["version"]["number"] == 2 and body["version"]["pdf_sha256"] == v2.pdf_sha256
    assert [v["number"] for v in body["versions"]] == [2, 1]
    assert body["versions"][0]["correction_note"] == "更正表二。"
    assert [t["code"] for t in body["tables"]] == ["table2", "table3", "table4"]
    table3 = body["tables"][1]["blocks"][0]
    new = next(row for row in table3["rows"] if row["code"] == "new")
    assert new["values"][0] == 1 and new["values"][-1] == 1  # 自然人, 总计
    licensing = body["tables"][0]["blocks"][1]["rows"][0]
    assert (licensing["label"], licensing["values"]) == ("行政许可", [7])
    assert body["downloads"]["csv"] == "http://testserver/api/reports/jhj/2024/v2/tables.csv"
    assert "organ_ids" not in response.content.decode()
    assert client.get("/api/reports/jhj/2024/v1/").json()["version"]["number"] == 1


def test_detail_query_count(client, published, django_assert_num_queries):
    with django_assert_num_queries(3):  # the report, its versions, the version's statistics
        client.get("/api/reports/jhj/2024/")


def test_a_draft_report_or_a_missing_version_is_404(client, organ_b, published):
    AnnualReportFactory(organ=organ_b, year=2024)
    for url in ("/api/reports/tjj/2024/", "/api/reports/jhj/2024/v2/", "/api/reports/jhj/2023/"):
        assert client.get(url).status_code == 404
    assert client.get("/api/reports/tjj/2024/v1/tables.csv").status_code == 404


def test_tables_download_as_csv_xlsx_and_json(client, published):
    csv_response = client.get("/api/reports/jhj/2024/v1/tables.csv")
    text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    header, *lines = list(csv.reader(io.StringIO(text)))
    assert header[:4] == ["table", "table_title", "block", "row_code"]
    assert [
        "table3",
        "三、收到和处理政府信息公开申请情况",
        "",
        "new",
        "一、本年新收政府信息公开申请数量",
    ] == lines[next(i for i, line in enumerate(lines) if line[0] == "table3")][:5]
    assert len([line for line in lines if line[0] == "table3"]) == 25 * 7
    filename = quote("牡丹江市经济合作促进局2024年政府信息公开工作年度报告表格（第1版）.csv")
    assert csv_response["Content-Disposition"] == f"attachment; filename*=utf-8''{filename}"

    xlsx = client.get("/api/reports/jhj/2024/v1/tables.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True)
    assert workbook.sheetnames == [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]
    rows = list(workbook["三、收到和处理政府信息公开申请情况"].iter_rows(values_only=True))
    assert rows[1][-1] == "总计" and rows[2][0] == "一、本年新收政府信息公开申请数量" and rows[2][-1] == 1

    data = json.loads(client.get("/api/reports/jhj/2024/v1/tables.json").content)
    assert data["organ"]["slug"] == "jhj" and data["version"] == 1
    assert [t["code"] for t in data["tables"]] == ["table2", "table3", "table4"]
