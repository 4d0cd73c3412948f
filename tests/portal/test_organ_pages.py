import datetime as dt
import re

import pytest
import time_machine

from apps.catalog.enums import ArticleTwentyItem
from apps.organs.models import Organ, OrganPage
from tests.factories import CatalogEntryFactory, OrganFactory, OrganPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(db):
    return OrganFactory(
        name="牡丹江市人民政府", short_name="市政府", slug="city", kind=Organ.Kind.GOVERNMENT, sort_order=1
    )


@pytest.fixture
def jhj(city):
    return OrganFactory(
        name="牡丹江市经济合作促进局",
        short_name="市经合局",
        slug="jhj",
        parent=city,
        office_name="牡丹江市经济合作促进局办公室",
        office_address="牡丹江市西安区西三条路1号",
        postal_code="157000",
        office_hours="工作日 8:30-11:30，13:30-17:00",
        phone="0453-6171234",
        fax="0453-6175678",
        email="jhj@mdj.gov.cn",
        website="https://jhj.mdj.gov.cn/",
    )


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# Organ list


def test_organ_list_groups_departments_under_their_government(client, jhj):
    OrganFactory(name="牡丹江市统计局", slug="tjj", parent=jhj.parent)
    OrganFactory(name="已撤销的局", slug="gone", is_active=False)

    html = client.get("/organs/").content.decode()

    blocks = re.findall(r'<section class="organ-block".*?</section>', html, re.S)
    assert len(blocks) == 1
    assert '<a href="/organs/city/">牡丹江市人民政府</a></h2>' in blocks[0]
    rows = re.findall(r'<a class="organ-row-name" href="([^"]+)">', blocks[0])
    assert rows == ["/organs/jhj/", "/organs/tjj/"]
    assert "已撤销的局" not in html


def test_organ_list_of_guides_links_each_published_guide_with_its_date(client, jhj):
    with time_machine.travel(dt.datetime(2024, 5, 6, 10, tzinfo=dt.UTC)):
        OrganPageFactory(organ=jhj, kind=OrganPage.Kind.GUIDE)

    html = client.get("/organs/?part=guide").content.decode()

    assert "<h1>政府信息公开指南</h1>" in html
    assert 'href="/organs/jhj/guide/">政府信息公开指南' in html
    assert "更新时间：2024年5月6日" in html
    # The city government has no 指南 yet.
    head = re.search(r'<div class="organ-block-head">.*?</div>', html, re.S).group(0)
    assert "/organs/city/guide/" not in head
    assert "尚未发布" in head


def test_organ_list_of_rules_ignores_guides(client, jhj):
    OrganPageFactory(organ=jhj, kind=OrganPage.Kind.GUIDE)
    html = client.get("/organs/?part=rules").content.decode()
    assert "<h1>政府信息公开制度</h1>" in html
    assert "/organs/jhj/rules/" not in html
    assert html.count("尚未发布") == 2


def test_organ_list_ignores_an_unknown_part(client, jhj):
    response = client.get("/organs/?part=<script>")
    assert response.status_code == 200
    assert "<h1>公开机关</h1>" in response.content.decode()
    assert "&lt;script&gt;" not in response.content.decode()


@pytest.mark.parametrize("organ_count", [1, 3])
@pytest.mark.parametrize("part", ["", "guide"])
def test_organ_list_query_count_does_not_grow_with_organs(
    client, city, organ_count, part, django_assert_num_queries
):
    for _ in range(organ_count):
        OrganPageFactory(organ=OrganFactory(parent=city))
    # the organ tree, the footer organ
    with django_assert_num_queries(2):
        response = client.get(f"/organs/?part={part}")
    assert response.content.decode().count('class="organ-row"') == organ_count


# Organ home


def test_organ_detail_shows_the_four_parts_and_contacts(client, jhj):
    with time_machine.travel(dt.datetime(2024, 3, 9, 9, tzinfo=dt.UTC)):
        OrganPageFactory(organ=jhj, kind=OrganPage.Kind.GUIDE)

    html = client.get("/organs/jhj/").content.decode()
    text = _text(html)

    assert "<h1>牡丹江市经济合作促进局</h1>" in html
    assert 'href="/organs/jhj/guide/">政府信息公开指南</a>' in html
    assert "更新时间：2024年3月9日" in text
    assert 'href="/organs/jhj/rules/">政府信息公开制度</a>' in html
    assert "尚未发布" in text  # 制度
    assert "暂无已发布的年度报告" in text
    assert "上级机关： 牡丹江市人民政府" in text
    for value in [
        "牡丹江市经济合作促进局办公室",
        "牡丹江市西安区西三条路1号",
        "157000",
        "工作日 8:30-11:30，13:30-17:00",
        "0453-6171234",
        "0453-6175678",
        "jhj@mdj.gov.cn",
        "https://jhj.mdj.gov.cn/",
    ]:
        assert value in text
    footer = html[html.index('<footer class="site-footer">') :]
    assert "主办：牡丹江市经济合作促进局" in footer


def test_organ_detail_groups_published_entries_by_article_twenty_item(client, jhj):
    CatalogEntryFactory(organ=jhj, title="统计公报甲", article_item=ArticleTwentyItem.ITEM_4)
    CatalogEntryFactory(organ=jhj, title="统计公报乙", article_item=ArticleTwentyItem.ITEM_4)
    CatalogEntryFactory(organ=jhj, title="预算公开", article_item=ArticleTwentyItem.ITEM_7)
    CatalogEntryFactory(organ=jhj, title="未归类通知")
    CatalogEntryFactory(organ=jhj, title="草稿", article_item=ArticleTwentyItem.ITEM_7, publish=False)
    CatalogEntryFactory(title="别的机关的公报", article_item=ArticleTwentyItem.ITEM_4)

    html = client.get("/organs/jhj/").content.decode()
    text = _text(html)

    rows = re.findall(r'<li class="item-row[^"]*">(.*?)</div>', html, re.S)
    assert len(rows) == 15
    assert 'href="/catalog/?organ=jhj&amp;item=4">（四）国民经济和社会发展统计信息</a>' in html
    assert "（四）国民经济和社会发展统计信息 2 条" in _text(rows[3])
    assert "（七）财政预算、决算信息 1 条" in _text(rows[6])
    assert "（一）行政法规、规章和规范性文件 0 条" in _text(rows[0])
    assert "统计公报甲" in text and "预算公开" in text
    assert "草稿" not in text
    assert "别的机关的公报" not in text
    assert "已公开 4 条" in text
    assert "另有 1 条公开信息未归入第二十条所列事项" in text


def test_organ_detail_lists_departments_of_a_government(client, jhj):
    html = client.get("/organs/city/").content.decode()
    assert "所属部门" in html
    assert '<a href="/organs/jhj/">牡丹江市经济合作促进局</a>' in html


def test_unknown_or_inactive_organ_is_404(client, db):
    OrganFactory(slug="gone", is_active=False)
    for url in [
        "/organs/nope/",
        "/organs/nope/guide/",
        "/organs/gone/",
        "/organs/gone/rules/",
        "/organs/nope/disclosures/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "页面不存在" in response.content.decode()


@pytest.mark.parametrize("entry_count", [1, 3])
def test_organ_detail_query_count_is_fixed(client, jhj, entry_count, django_assert_num_queries):
    for n in range(entry_count):
        CatalogEntryFactory(organ=jhj, article_item=n + 1)
    # organ, pages, item counts, latest per item, departments, report years, the portal organ
    with django_assert_num_queries(7):
        client.get("/organs/jhj/")


# 指南 and 制度


def test_guide_shows_title_body_update_time_and_contacts(client, jhj):
    with time_machine.travel(dt.datetime(2024, 11, 2, 3, tzinfo=dt.UTC)):
        OrganPageFactory(
            organ=jhj,
            kind=OrganPage.Kind.GUIDE,
            title="牡丹江市经济合作促进局政府信息公开指南",
            body="一、主动公开\n主动公开的范围\n\n二、依申请公开<script>alert(1)</script>",
        )

    response = client.get("/organs/jhj/guide/")
    html = response.content.decode()

    assert response.status_code == 200
    assert '<h1 id="page-title">牡丹江市经济合作促进局政府信息公开指南</h1>' in html
    assert "<p>一、主动公开<br>主动公开的范围</p>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert "更新时间：2024年11月2日" in html
    assert "依据《中华人民共和国政府信息公开条例》第十二条公布" in html
    text = _text(html)
    for value in [
        "牡丹江市经济合作促进局办公室",
        "牡丹江市西安区西三条路1号",
        "0453-6171234",
        "0453-6175678",
        "jhj@mdj.gov.cn",
    ]:
        assert value in text
    assert '<a href="/organs/jhj/guide/" aria-current="page">' in html


def test_guide_update_time_is_local_date(client, jhj):
    # 2024-12-31 20:00 UTC is already 2025-01-01 in Asia/Shanghai.
    with time_machine.travel(dt.datetime(2024, 12, 31, 20, tzinfo=dt.UTC)):
        OrganPageFactory(organ=jhj, kind=OrganPage.Kind.GUIDE)
    assert "更新时间：2025年1月1日" in client.get("/organs/jhj/guide/").content.decode()


def test_rules_page_shows_its_body_without_the_contact_block(client, jhj):
    OrganPageFactory(
        organ=jhj, kind=OrganPage.Kind.RULES, title="政府信息公开保密审查制度", body="第一条 为规范……"
    )
    html = client.get("/organs/jhj/rules/").content.decode()
    assert '<h1 id="page-title">政府信息公开保密审查制度</h1>' in html
    assert "第一条 为规范……" in html
    assert "第十二条公布" not in html


def test_missing_page_is_a_polite_notice_not_an_error(client, jhj):
    response = client.get("/organs/jhj/rules/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>政府信息公开制度</h1>" in html
    assert "牡丹江市经济合作促进局尚未发布政府信息公开制度。" in html
    assert "0453-6171234" in html


# 法定主动公开内容


def test_disclosures_lists_every_item_with_its_latest_ten_entries(client, jhj):
    for n in range(12):
        CatalogEntryFactory(
            organ=jhj,
            title=f"第{n:02d}号行政许可结果",
            publish_date=dt.date(2024, 1, 1) + dt.timedelta(days=n),
            article_item=ArticleTwentyItem.ITEM_5,
        )

    html = client.get("/organs/jhj/disclosures/").content.decode()

    assert "<h1>法定主动公开内容</h1>" in html
    sections = re.findall(r'<section class="section item-section" id="item-(\d+)".*?</section>', html, re.S)
    assert sections == [str(n) for n in range(1, 16)]
    item5 = re.search(r'id="item-5".*?</section>', html, re.S).group(0)
    assert item5.count('class="entry-item"') == 10
    assert "第11号行政许可结果" in item5 and "第02号行政许可结果" in item5
    assert "第01号行政许可结果" not in item5
    assert item5.index("第11号") < item5.index("第10号")
    assert 'href="/catalog/?organ=jhj&amp;item=5">查看全部 12 条</a>' in item5
    item1 = re.search(r'id="item-1".*?</section>', html, re.S).group(0)
    assert "暂无公开信息。" in item1


@pytest.mark.parametrize("entry_count", [1, 3])
def test_disclosures_query_count_is_fixed(client, jhj, entry_count, django_assert_num_queries):
    for n in range(entry_count):
        CatalogEntryFactory(organ=jhj, article_item=n + 1)
    # organ, item counts, latest per item, the portal organ named in the header
    with django_assert_num_queries(4):
        client.get("/organs/jhj/disclosures/")


def test_organ_detail_links_published_annual_reports_by_year(client, jhj):
    from apps.reports.enums import ReportStatus
    from apps.reports.models import AnnualReport
    from tests.factories.reports import AnnualReportFactory

    AnnualReportFactory(organ=jhj, year=2023)
    AnnualReportFactory(organ=jhj, year=2024)
    AnnualReportFactory(organ=jhj, year=2025)  # still a draft
    AnnualReport.objects.filter(year__in=[2023, 2024]).update(status=ReportStatus.PUBLISHED)

    html = client.get("/organs/jhj/").content.decode()

    years = re.search(r'<ul class="report-years">(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r'href="(/reports/jhj/\d+/)">(\d+年度)', years) == [
        ("/reports/jhj/2024/", "2024年度"),
        ("/reports/jhj/2023/", "2023年度"),
    ]
    assert "暂无已发布的年度报告" not in html
    assert 'href="/reports/jhj/">政府信息公开工作年度报告</a>' in html
