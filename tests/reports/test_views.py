"""Public report pages: only published versions, frozen bytes, constant queries."""

import hashlib

from django.urls import reverse

import pytest

from apps.reports import services
from tests.factories import OrganFactory
from tests.factories.records import YearTallyFactory
from tests.factories.reports import AnnualReportFactory, fill_required_sections

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(organ_a):
    YearTallyFactory(organ=organ_a, year=2024)  # table 2 entered, as publishing requires
    report = fill_required_sections(AnnualReportFactory(organ=organ_a, year=2024))
    version = services.report_publish(report=report)
    return report, version


def test_report_page_shows_the_frozen_html_and_the_versions(client, published):
    report, v1 = published
    v2 = services.report_publish(report=report, correction_note="更正表二数据。")
    response = client.get("/reports/jhj/2024/")
    assert response.status_code == 200
    body = response.content.decode()
    assert v2.html in body
    assert "更正表二数据。" in body and "首次发布" in body
    assert v1.pdf_sha256 in body and v2.pdf_sha256 in body
    old = client.get("/reports/jhj/2024/v1/").content.decode()
    assert v1.html in old and "已被更正" in old


def test_pdf_download_returns_the_exact_stored_bytes(client, published):
    _report, version = published
    response = client.get("/reports/jhj/2024/v1.pdf")
    data = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == version.pdf_sha256


def test_drafts_are_not_public(client, organ_a):
    AnnualReportFactory(organ=organ_a, year=2024)
    assert client.get("/reports/jhj/2024/").status_code == 404
    assert client.get("/reports/jhj/2024/v1.pdf").status_code == 404
    assert "暂无已发布的年度报告" in client.get("/reports/").content.decode()


def test_unknown_version_is_404(client, published):
    assert client.get("/reports/jhj/2024/v9/").status_code == 404
    assert client.get("/reports/jhj/2023/").status_code == 404


def _publish_many(n):
    for k in range(n):
        organ = OrganFactory()
        YearTallyFactory(organ=organ, year=2020 + k)
        services.report_publish(
            report=fill_required_sections(AnnualReportFactory(organ=organ, year=2020 + k))
        )


@pytest.mark.parametrize("n", [1, 3])
def test_index_lists_published_reports_by_year_in_constant_queries(client, django_assert_num_queries, n):
    _publish_many(n)
    with django_assert_num_queries(2):  # the reports, and the portal header (context processor)
        response = client.get(reverse("reports:index"))
    body = response.content.decode()
    assert body.count("政府信息公开工作年度报告</a>") == n
    assert "2020年度" in body


def test_organ_page_lists_its_reports(client, published, organ_b):
    response = client.get("/reports/jhj/")
    assert "2024年政府信息公开工作年度报告" in response.content.decode()
    assert "暂无已发布" in client.get("/reports/tjj/").content.decode()
