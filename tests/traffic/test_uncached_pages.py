"""Public pages rendered on every request (PAGE_CACHE_SECONDS=0, as `make bench-http`'s uncached server):
the pieces kept per content generation (the catalog's facet groups and result list, an entry's document,
the site chrome) never show a publication, withdrawal or edit late; the SQL of the list and the detail
is pinned; and no anonymous GET of a public page sets a cookie, cached or not."""

import datetime as dt

from django.test import override_settings

import pytest

from apps.catalog import services as catalog_services
from apps.catalog.enums import InterpretationKind
from tests.factories import CatalogEntryFactory, OrganPageFactory

pytestmark = pytest.mark.django_db

LIST = "/catalog/"


@pytest.fixture(autouse=True)
def _uncached(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def entries(organ_a, organ_b):
    notice = CatalogEntryFactory(
        organ=organ_a, title="关于优化营商环境的通知", publish_date=dt.date(2024, 3, 1), article_item=1
    )
    plan = CatalogEntryFactory(organ=organ_a, title="招商引资工作方案", publish_date=dt.date(2023, 6, 1))
    bulletin = CatalogEntryFactory(organ=organ_b, title="统计公报", publish_date=dt.date(2024, 4, 1))
    return notice, plan, bulletin


def html(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    assert response["X-Page-Cache"] == "miss"  # rendered, never stored
    return response.content.decode()


def organ_option(name: str, n: int) -> str:
    return f'{name} <span class="facet-count">（{n}条）</span>'


def warm(client, *urls):
    """Render twice, so that every fragment of these pages is kept for the current generation."""
    for url in urls:
        html(client, url)
        html(client, url)


def test_publishing_shows_the_entry_and_its_counts_on_the_next_request(client, entries, organ_a):
    warm(client, "/", LIST, f"{LIST}?organ={organ_a.slug}")
    page = html(client, LIST)
    assert "共 3 条信息" in page
    assert organ_option(organ_a.name, 2) in page

    draft = CatalogEntryFactory(organ=organ_a, title="新发布的公告", publish=False)
    assert "新发布的公告" not in html(client, LIST)
    catalog_services.entry_approve(entry=draft, actor=None)
    catalog_services.entry_publish(entry=draft)

    page = html(client, LIST)
    assert "新发布的公告" in page
    assert "共 4 条信息" in page
    assert organ_option(organ_a.name, 3) in page
    filtered = html(client, LIST, organ=organ_a.slug)
    assert "新发布的公告" in filtered
    assert "共 3 条信息" in filtered
    assert html(client, draft.get_absolute_url()).count("新发布的公告") >= 1
    assert "新发布的公告" in html(client, "/")


def test_withdrawing_removes_the_entry_and_its_counts_on_the_next_request(client, entries, organ_b):
    notice, plan, bulletin = entries
    warm(client, "/", LIST, f"{LIST}?organ={organ_b.slug}", bulletin.get_absolute_url())
    assert organ_option(organ_b.name, 1) in html(client, LIST)

    catalog_services.entry_withdraw(entry=bulletin, reason="内容有误")

    page = html(client, LIST)
    assert "统计公报" not in page
    assert "共 2 条信息" in page
    assert organ_b.name not in page  # a value without entries is no longer offered
    filtered = html(client, LIST, organ=organ_b.slug)
    assert "统计公报" not in filtered
    assert "共 0 条信息" in filtered
    assert client.get(bulletin.get_absolute_url()).status_code == 404
    assert "统计公报" not in html(client, "/")


def test_editing_changes_the_list_and_the_document_on_the_next_request(client, entries):
    notice = entries[0]
    warm(client, LIST, notice.get_absolute_url())

    catalog_services.entry_update(entry=notice, title="关于进一步优化营商环境的通知", summary="新的内容概述")

    assert "关于进一步优化营商环境的通知" in html(client, LIST)
    document = html(client, notice.get_absolute_url())
    assert "关于进一步优化营商环境的通知" in document
    assert "新的内容概述" in document


def test_a_new_interpretation_link_shows_on_the_document(client, entries, organ_a):
    notice, plan, _ = entries
    warm(client, notice.get_absolute_url())
    catalog_services.interpretation_link(
        policy=notice, interpretation=plan, kind=InterpretationKind.TEXT, organ=organ_a
    )
    assert "招商引资工作方案" in html(client, notice.get_absolute_url())


def test_renaming_an_organ_shows_in_the_organ_menus_and_the_facets(client, entries, organ_a):
    warm(client, "/", LIST, "/organs/")
    organ_a.name = "牡丹江市投资促进局"
    organ_a.save()
    for url in ("/", LIST, "/organs/"):
        assert "牡丹江市投资促进局" in html(client, url), url


def test_each_filter_combination_and_language_has_its_own_facets(client, entries, organ_a, organ_b):
    warm(client, LIST, f"{LIST}?organ={organ_b.slug}")
    unfiltered = html(client, LIST)
    by_b = html(client, LIST, organ=organ_b.slug)
    assert f'value="{organ_a.slug}">' in unfiltered
    assert f'value="{organ_b.slug}" checked>' in by_b
    assert f'value="{organ_b.slug}" checked>' not in unfiltered
    english = client.get(LIST, headers={"accept-language": "en"}).content.decode()
    assert ">All</label>" in english and ">全部</label>" not in english


# -- SQL per request --------------------------------------------------------------------------------


def test_the_uncached_list_runs_two_queries(client, entries, organ_a, django_assert_max_num_queries):
    warm(client, LIST, f"{LIST}?organ={organ_a.slug}&year=2024")
    # the facet counts and the page's rows
    with django_assert_max_num_queries(2):
        html(client, LIST)
    with django_assert_max_num_queries(2):
        html(client, LIST, organ=organ_a.slug, year=2024)


def test_the_uncached_detail_runs_one_query(client, entries, django_assert_max_num_queries):
    notice = entries[0]
    warm(client, notice.get_absolute_url())
    # the published entry with its organ, theme and genre (its document is kept)
    with django_assert_max_num_queries(1):
        html(client, notice.get_absolute_url())


def test_after_a_change_the_first_render_stays_bounded(client, entries, django_assert_max_num_queries):
    notice = entries[0]
    warm(client, LIST, notice.get_absolute_url())
    catalog_services.entry_update(entry=notice, title="关于进一步优化营商环境的通知")
    # + the facet lookups (organs, themes, genres), the footer's organ and the page's entries (its
    # result list is rendered anew), once per generation
    with django_assert_max_num_queries(7):
        html(client, LIST)
    # + the entry with its body, its attachments and the 政策解读 links, once per generation
    with django_assert_max_num_queries(4):
        html(client, notice.get_absolute_url())


# -- Cookies ----------------------------------------------------------------------------------------


ANONYMOUS_GETS = [
    "/",
    "/organs/",
    "/organs/?part=guide",
    "/organs/?part=rules",
    "/organs/jhj/",
    "/organs/jhj/guide/",
    "/organs/jhj/disclosures/",
    LIST,
    f"{LIST}?organ=jhj&year=2024",
    f"{LIST}?organ=jhj&page=1",
    f"{LIST}?q=营商环境",
    f"{LIST}?q=营商环境&sort=date",
    f"{LIST}?organ=nonexistent&year=abc",
    "detail",
    "/catalog/NOPE/2024-00001/",  # a 404 is a public page too
    "/reports/",
    "/proposals/",
]


@pytest.mark.parametrize("cache_seconds", [0, 600])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_anonymous_get_sets_a_cookie(client, entries, organ_a, cache_seconds, language):
    OrganPageFactory(organ=organ_a, body="本机关的政府信息公开指南。")
    with override_settings(PAGE_CACHE_SECONDS=cache_seconds):
        for url in ANONYMOUS_GETS:
            url = entries[0].get_absolute_url() if url == "detail" else url
            for _ in range(2):  # the render, then the stored page or the kept fragments
                response = client.get(url, headers={"accept-language": language})
                assert response.status_code in (200, 404), url
                assert response.cookies == {}, url
                assert "Set-Cookie" not in response.headers, url
                assert not client.cookies, url
