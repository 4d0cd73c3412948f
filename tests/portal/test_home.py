import datetime as dt
import re

import pytest

from apps.catalog import services as catalog_services
from apps.organs.models import Organ
from tests.factories import CatalogEntryFactory, OrganFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(db):
    return OrganFactory(
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


def test_home_shows_the_portal_search_and_the_four_parts(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<form class="hero-search" role="search" action="/catalog/" method="get"' in html
    assert 'name="q"' in html
    for label, href in [
        ("政府信息公开指南", "/organs/?part=guide"),
        ("政府信息公开制度", "/organs/?part=rules"),
        ("法定主动公开内容", "/catalog/"),
        ("政府信息公开工作年度报告", "/reports/"),
    ]:
        assert f'<a href="{href}">{label}</a>' in html
    assert 'href="/apply/">提交政府信息公开申请</a>' in html


def test_home_lists_the_latest_published_entries_newest_first(client, organ_a):
    CatalogEntryFactory(organ=organ_a, title="较早的通知", publish_date=dt.date(2024, 1, 5))
    CatalogEntryFactory(organ=organ_a, title="最新的通知", publish_date=dt.date(2024, 6, 1))
    CatalogEntryFactory(organ=organ_a, title="尚未发布的草稿", publish=False)
    withdrawn = CatalogEntryFactory(organ=organ_a, title="已撤回的通知")
    catalog_services.entry_withdraw(entry=withdrawn, reason="内容有误")

    html = client.get("/").content.decode()

    assert html.index("最新的通知") < html.index("较早的通知")
    assert "2024-06-01" in html
    assert "市经合局" in html
    assert "尚未发布的草稿" not in html
    assert "已撤回的通知" not in html


def test_home_says_so_when_nothing_is_published(client):
    assert "暂无已公开的政府信息。" in client.get("/").content.decode()


def test_home_groups_departments_under_their_government(client, city):
    OrganFactory(name="牡丹江市统计局", short_name="市统计局", slug="tjj", parent=city)
    OrganFactory(name="已撤销的局", short_name="撤销局", slug="gone", parent=city, is_active=False)

    html = client.get("/").content.decode()

    group = re.search(r'<div class="organ-group">(.*?)</div>', html, re.S).group(1)
    assert '<a href="/organs/city/">牡丹江市人民政府</a>' in group
    assert '<a href="/organs/tjj/">市统计局</a>' in group
    assert "撤销局" not in html


def test_home_footer_shows_the_city_government_contacts(client, city):
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert "主办：牡丹江市人民政府" in footer
    assert "牡丹江市东安区长安街1号" in footer
    assert "157000" in footer
    assert "0453-6266000" in footer
    assert 'href="mailto:xxgk@mdj.gov.cn"' in footer


def test_home_marks_home_as_the_current_page(client):
    html = client.get("/").content.decode()
    assert '<a href="/" aria-current="page">首页</a>' in html
    assert html.count("aria-current=") == 2  # the nav link and the current language


@pytest.mark.parametrize("organ_count", [1, 3])
def test_home_query_count_does_not_grow_with_organs_and_entries(
    client, city, organ_count, django_assert_num_queries
):
    for _ in range(organ_count):
        department = OrganFactory(parent=city)
        CatalogEntryFactory(organ=department)
    # latest entries, organ tree, footer organ
    with django_assert_num_queries(3):
        response = client.get("/")
    assert response.content.decode().count('class="entry-item"') == organ_count
