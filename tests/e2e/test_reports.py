"""End to end in headless Chromium: a clerk compiles, previews and publishes the annual report;
a citizen reads it and downloads the PDF, whose SHA-256 matches the one shown."""

import datetime as dt
import hashlib
import re

import pytest
from playwright.sync_api import expect

from apps.reports import services as report_services
from apps.reports.models import AnnualReport
from tests.factories.records import PublicationFactory, YearTallyFactory
from tests.factories.reports import application

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_clerk_publishes_and_citizen_downloads_the_report(page, alice, organ_a, tmp_path):
    PublicationFactory(organ=organ_a, date=dt.date(2024, 5, 1), count=7)
    application(organ=organ_a, received_on=dt.date(2024, 3, 1), closed_on=dt.date(2024, 3, 15))
    YearTallyFactory(organ=organ_a, year=2024)  # table 2 entered, as publishing requires

    page.goto("/admin/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "pass-word-123")
    page.click("input[type=submit]")

    # Compile: adding the report gathers the numbers from the records.
    page.goto("/admin/reports/annualreport/add/")
    page.select_option("#id_organ", str(organ_a.pk))
    page.fill("#id_year", "2024")
    page.click("input[name=_continue]")
    assert page.locator("textarea[name$='-text']").first.input_value().startswith("本报告根据")

    # Edit the narrative the numbers cannot write.
    problems = page.locator("tr", has_text="五、存在的主要问题及改进情况").locator("textarea")
    problems.fill("信息公开工作人员不足。下一步将加强培训。")
    page.click("input[name=_continue]")
    page.get_by_role("button", name="刷新统计数据").click()
    expect(page.locator("body")).to_contain_text("已按最新记录刷新统计数据")

    # Preview: every number links to the records it counts.
    page.get_by_role("link", name="预览与检查").click()
    expect(page.locator("body")).to_contain_text("全部检查通过。")
    page.locator("table.report-table3 tr.row-r1 td a").first.click()
    expect(page.locator("body")).to_contain_text("表三「（一）予以公开」×「自然人」")
    page.go_back()

    # The 审核人's step (a test of its own: tests/e2e/test_review.py); alice wrote the text.
    report_services.report_approve(report=AnnualReport.objects.get(organ=organ_a, year=2024), actor=None)
    page.get_by_role("link", name="发布", exact=True).first.click()
    page.get_by_role("button", name="发布第1版").click()
    expect(page.locator("body")).to_contain_text("已发布第1版")

    # A citizen (no login needed) reads the published report.
    # A Chinese browser: without a locale Chromium asks for English, and the page is translated.
    citizen = page.context.browser.new_context(
        base_url=page.url.split("/admin")[0], locale="zh-CN", accept_downloads=True
    )
    public = citizen.new_page()
    public.goto("/reports/")
    public.get_by_role("link", name=re.compile("2024年政府信息公开工作年度报告")).click()
    expect(public).to_have_url(re.compile(r"/reports/jhj/2024/$"))
    expect(public.locator("body")).to_contain_text("共主动公开政府信息7条")
    shown = public.locator("code.sha256[data-version='1']").inner_text().strip()
    with public.expect_download() as download_info:
        public.get_by_role("link", name="下载PDF（第1版）").click()
    path = tmp_path / "report.pdf"
    download_info.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == shown
    citizen.close()
