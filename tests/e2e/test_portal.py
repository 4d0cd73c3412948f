"""The public column in a real browser: keyboard use, the way to an organ's 指南, layout on a phone."""

import datetime as dt
from pathlib import Path

import pytest

from apps.catalog.enums import ArticleTwentyItem
from apps.organs.models import Organ, OrganPage
from tests.factories import CatalogEntryFactory, OrganFactory, OrganPageFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")

GUIDE_BODY = """为了保障公民、法人和其他组织依法获取政府信息，根据《中华人民共和国政府信息公开条例》，编制本指南。本指南每年更新一次。

一、主动公开
（一）公开范围。本机关主动公开的政府信息包括机关职能、机构设置、规范性文件、行政许可、行政处罚等，具体内容详见政府信息公开目录。
（二）公开方式。本机关通过门户网站政府信息公开专栏、政务新媒体、新闻发布会及政府信息公开查阅点等方式主动公开政府信息。
（三）公开时限。属于主动公开范围的政府信息，自该政府信息形成或者变更之日起20个工作日内予以公开。

二、依申请公开
（一）受理机构。本机关政府信息公开工作机构负责受理向本机关提出的政府信息公开申请。
（二）申请方式。申请人可以通过当面提交、邮寄、传真或在线申请等方式提出申请。
（三）答复期限。能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内予以答复。

三、监督和救济
公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。"""


@pytest.fixture
def city_with_departments():
    city = OrganFactory(
        name="牡丹江市人民政府",
        short_name="市政府",
        slug="city",
        kind=Organ.Kind.GOVERNMENT,
        sort_order=1,
        office_name="牡丹江市人民政府办公室",
        office_address="牡丹江市东安区长安街1号",
        postal_code="157000",
        phone="0453-6266000",
        email="xxgk@mdj.gov.cn",
    )
    jhj = OrganFactory(
        name="牡丹江市经济合作促进局",
        short_name="市经合局",
        slug="jhj",
        parent=city,
        sort_order=2,
        office_name="牡丹江市经济合作促进局办公室",
        office_address="牡丹江市西安区西三条路1号",
        postal_code="157000",
        office_hours="工作日 8:30-11:30，13:30-17:00",
        phone="0453-6171234",
        fax="0453-6175678",
        email="jhj@mdj.gov.cn",
        website="https://jhj.mdj.gov.cn/",
    )
    for n, name in enumerate(["统计局", "自然资源局", "财政局", "生态环境局", "市场监督管理局"], start=3):
        OrganFactory(
            name=f"牡丹江市{name}", short_name=f"市{name}", slug=f"dept-{n}", parent=city, sort_order=n
        )
    OrganPageFactory(
        organ=jhj, kind=OrganPage.Kind.GUIDE, title="牡丹江市经济合作促进局政府信息公开指南", body=GUIDE_BODY
    )
    titles = [
        ("关于印发《牡丹江市招商引资项目管理办法》的通知", ArticleTwentyItem.ITEM_1, "牡经合发〔2024〕3号"),
        ("牡丹江市经济合作促进局2024年部门预算", ArticleTwentyItem.ITEM_7, ""),
        ("2024年一季度全市招商引资统计数据", ArticleTwentyItem.ITEM_4, ""),
        ("牡丹江市经济合作促进局机构职能", ArticleTwentyItem.ITEM_2, ""),
        ("关于做好2024年政务公开工作的通知", None, "牡经合发〔2024〕7号"),
    ]
    for n, (title, item, doc_number) in enumerate(titles):
        CatalogEntryFactory(
            organ=jhj,
            title=title,
            article_item=item,
            doc_number=doc_number,
            publish_date=dt.date(2024, 6, 20) - dt.timedelta(days=7 * n),
        )
    return city, jhj


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_tab_reaches_the_skip_link_first_and_it_focuses_main(page, city_with_departments):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.textContent]")
    assert focused == ["skip-link", "跳到主要内容"]
    assert page.locator(".skip-link").bounding_box()["x"] >= 0  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab continues inside main, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_a_visitor_opens_an_organs_guide_from_the_home_page(page, city_with_departments):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    assert page.title() == "政府信息公开"
    page.get_by_role("link", name="市经合局").click()
    page.wait_for_url("**/organs/jhj/")
    assert page.get_by_role("heading", level=1).inner_text() == "牡丹江市经济合作促进局"
    page.get_by_role("navigation", name="市经合局政府信息公开").get_by_role(
        "link", name="政府信息公开指南"
    ).click()
    page.wait_for_url("**/organs/jhj/guide/")
    assert page.get_by_role("heading", level=1).inner_text() == "牡丹江市经济合作促进局政府信息公开指南"
    assert "更新时间：" in page.locator(".document-head").inner_text()
    assert "0453-6171234" in page.locator(".contact-list").inner_text()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "guide-desktop.png"), full_page=True)


def test_home_page_fits_desktop_and_phone_widths(page, city_with_departments):
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    assert _no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / "home-desktop.png"), full_page=True)

    for width in (390, 360):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto("/")
        assert _no_horizontal_scroll(page), width
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    # The navigation folds behind a button on a phone and opens with it.
    toggle = page.get_by_role("button", name="栏目导航")
    assert toggle.is_visible()
    assert not page.locator("#site-nav-list").is_visible()
    page.screenshot(path=str(SHOTS / "home-mobile.png"), full_page=True)
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#site-nav-list").get_by_role("link", name="依申请公开").is_visible()
    page.screenshot(path=str(SHOTS / "home-mobile-nav-open.png"))

    page.goto("/organs/jhj/guide/")
    assert _no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / "guide-mobile.png"), full_page=True)


def test_pages_load_without_csp_violations(page, city_with_departments):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    for url in ["/", "/organs/", "/organs/jhj/", "/organs/jhj/guide/", "/organs/jhj/disclosures/", "/nope/"]:
        page.goto(url)
        name = url.strip("/").replace("/", "-") or "home"
        page.screenshot(path=str(SHOTS / f"page-{name}.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e], errors
    # The stylesheet applied: the header is the portal's red, not the browser default.
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
        == "rgb(164, 22, 26)"
    )


def test_language_switch_turns_the_site_english_and_back(page, city_with_departments):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/organs/jhj/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.url.endswith("/organs/jhj/")  # back on the same page
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Skip to main content").count() == 1
    assert "Statutory Proactive Disclosures" in page.locator(".organ-nav").inner_text()
    page.goto("/")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "home-english.png"), full_page=True)
    page.get_by_role("button", name="简体中文").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
