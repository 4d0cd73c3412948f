"""The 政府信息公开目录 in real headless Chromium: search, a facet, a detail page, a download."""

import datetime as dt
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from apps.catalog import services
from apps.catalog.enums import ArticleTwentyItem, Validity
from tests.factories import CatalogEntryFactory, GenreFactory, OrganFactory, ThemeFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BODY = """各县（市）区人民政府，市政府各部门：
为进一步优化营商环境，加大招商引资力度，经市政府同意，现将《牡丹江市招商引资优惠政策》印发给你们，请认真贯彻执行。
一、本政策适用于在本市新设立或者增资扩产的企业。
二、对固定资产投资额超过1亿元的项目，按照有关规定给予支持。
三、本政策自2018年4月1日起施行，有效期三年。"""


@pytest.fixture
def catalog():
    jhj = OrganFactory(
        name="牡丹江市经济合作促进局", short_name="市经合局", slug="jhj", code="11231000MB0000001X"
    )
    tjj = OrganFactory(name="牡丹江市统计局", short_name="市统计局", slug="tjj", code="11231000MB0000002X")
    economy = ThemeFactory(name="招商引资", parent=ThemeFactory(name="商贸、海关、旅游", parent=None))
    stats = ThemeFactory(name="统计", parent=ThemeFactory(name="综合政务", parent=None))
    notice = GenreFactory(name="通知")
    policy = CatalogEntryFactory(
        organ=jhj,
        title="牡丹江市人民政府关于印发招商引资优惠政策的通知",
        summary="印发《牡丹江市招商引资优惠政策》，明确适用范围、支持标准和施行日期。",
        body=BODY,
        doc_number="牡政发〔2018〕3号",
        written_date=dt.date(2018, 3, 20),
        publish_date=dt.date(2018, 3, 28),
        effective_date=dt.date(2018, 4, 1),
        expiry_date=dt.date(2021, 3, 31),
        validity=Validity.EXPIRED,
        theme=economy,
        genre=notice,
        keywords="招商引资 优惠政策",
        article_item=ArticleTwentyItem.ITEM_1,
    )
    services.attachment_add(
        entry=policy, uploaded_file=SimpleUploadedFile("招商引资优惠政策（2018）.pdf", PDF)
    )
    CatalogEntryFactory(
        organ=tjj,
        title="2023年牡丹江市国民经济和社会发展统计公报",
        summary="全市地区生产总值稳步增长，招商引资到位资金同比增长。",
        body="全市地区生产总值稳步增长。\n招商引资到位资金同比增长百分之十二。",
        publish_date=dt.date(2024, 3, 15),
        theme=stats,
        genre=GenreFactory(name="公报"),
        article_item=ArticleTwentyItem.ITEM_4,
    )
    for i in range(6):
        CatalogEntryFactory(
            organ=jhj if i % 2 else tjj,
            title=f"关于做好2024年第{i + 1}批政务公开工作的通知",
            publish_date=dt.date(2024, 5, i + 1),
            theme=stats,
            genre=notice,
        )
    return policy


def test_search_filter_open_and_download(page, live_server, catalog):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/catalog/")
    assert page.locator("h1").inner_text() == "政府信息公开目录"
    assert "共 8 条信息" in page.locator("#results-title").inner_text()
    page.screenshot(path=str(SHOTS / "catalog_list.png"), full_page=True)

    # A fragment that cuts the word 招商引资 in the middle.
    page.fill("#catalog-q", "商引")
    page.get_by_role("button", name="检索", exact=True).click()
    page.wait_for_url("**/catalog/?*q=*")
    assert "共 2 条信息" in page.locator("#results-title").inner_text()
    assert page.locator(".result mark", has_text="商引").count() >= 2
    page.screenshot(path=str(SHOTS / "catalog_search.png"), full_page=True)

    # A facet clicked with the mouse applies at once.
    page.locator("#facet-organ label", has_text="牡丹江市经济合作促进局").click()
    page.wait_for_url("**organ=jhj*")
    assert "共 1 条信息" in page.locator("#results-title").inner_text()
    assert page.locator("#catalog-q").input_value() == "商引"

    page.get_by_role("link", name="牡丹江市人民政府关于印发招商引资优惠政策的通知").click()
    page.wait_for_url(f"**{catalog.get_absolute_url()}")
    assert page.locator(".validity-banner-label").inner_text() == "已失效"
    meta = page.locator("table.doc-meta")
    assert "商贸、海关、旅游\\招商引资" in meta.inner_text()
    assert "牡政发〔2018〕3号" in meta.inner_text()
    page.screenshot(path=str(SHOTS / "catalog_detail.png"), full_page=True)

    with page.expect_download() as info:
        page.get_by_role("link", name="招商引资优惠政策（2018）.pdf").click()
    download = info.value
    assert download.suggested_filename == "招商引资优惠政策（2018）.pdf"
    assert Path(download.path()).read_bytes() == PDF


def test_keyboard_user_applies_facets_with_the_button(page, live_server, catalog):
    page.goto("/catalog/")
    radio = page.locator("#facet-year input[value='2018']")
    radio.focus()
    page.keyboard.press("Space")
    # Selecting with the keyboard does not reload the page ...
    assert "year=" not in page.url
    page.get_by_role("button", name="应用筛选").click()
    # ... the button does, without empty parameters in the address.
    page.wait_for_url("**year=2018*")
    assert "organ=" not in page.url
    assert "共 1 条信息" in page.locator("#results-title").inner_text()


def test_list_on_a_phone(page, live_server, catalog):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/catalog/?q=招商")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(SHOTS / "catalog_phone.png"), full_page=True)
    page.goto(catalog.get_absolute_url())
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(SHOTS / "catalog_detail_phone.png"), full_page=True)
