"""The shared cache of anonymous public pages: no cookies, validators and 304s, invalidation on every
kind of change, and never a clerk's or an applicant's page in it."""

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

import pytest
import time_machine

from apps.catalog import services as catalog_services
from apps.catalog.selectors import facet_lookups
from apps.organs import services as organ_services
from apps.proposals import services as proposal_services
from apps.proposals.enums import PublishMode, ResultCode
from apps.reports import services as report_services
from disclosure_portal import caching
from tests.factories import CatalogEntryFactory, OrganFactory, OrganPageFactory
from tests.factories.records import ProposalFactory, YearTallyFactory
from tests.factories.reports import AnnualReportFactory, fill_required_sections

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/organs/",
    "/organs/?part=guide",
    "/organs/jhj/",
    "/organs/jhj/guide/",
    "/organs/jhj/disclosures/",
    "/catalog/",
    "/catalog/?organ=jhj&year=2024",
    "/catalog/?q=营商环境",
    "/catalog/?q=2024",
    "/reports/",
    "/reports/jhj/",
    "/proposals/",
]


@pytest.fixture
def entry(organ_a):
    OrganPageFactory(organ=organ_a, body="本机关的政府信息公开指南。")
    return CatalogEntryFactory(
        organ=organ_a, title="关于优化营商环境的通知", publish_date=dt.date(2024, 3, 1), article_item=1
    )


def get(client, url, **headers):
    return client.get(url, headers=headers)


@pytest.mark.parametrize("url", [*PUBLIC_PAGES, "detail"])
def test_anonymous_public_pages_set_no_cookie_and_send_validators(client, entry, url):
    if url == "detail":
        url = entry.get_absolute_url()
    response = get(client, url)
    assert response.status_code == 200
    assert response.cookies == {}
    assert "Set-Cookie" not in response.headers
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert response["ETag"].startswith('"')
    assert response["Cache-Control"] == "public, no-cache"
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}


def test_a_matching_etag_is_answered_304_without_a_body(client, entry):
    first = get(client, "/catalog/")
    again = get(client, "/catalog/", If_None_Match=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    other = get(client, "/catalog/", If_None_Match='"something-else"')
    assert other.status_code == 200
    assert other.content == first.content


def test_the_second_request_is_served_from_the_cache_without_sql(client, entry, django_assert_num_queries):
    first = get(client, "/catalog/")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = get(client, "/catalog/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_a_304_on_a_cold_cache_compares_the_rendered_page(client, entry):
    etag = get(client, "/organs/jhj/")["ETag"]
    cache.clear()
    assert get(client, "/organs/jhj/", If_None_Match=etag).status_code == 304


def test_english_and_chinese_are_cached_apart(client, entry):
    chinese = get(client, "/catalog/").content.decode()
    english = get(client, "/catalog/", Accept_Language="en").content.decode()
    assert '<html lang="zh-CN">' in chinese
    assert '<html lang="en">' in english
    assert '<html lang="zh-CN">' in get(client, "/catalog/", Accept_Language="zh-CN").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en">' in get(client, "/catalog/").content.decode()


def test_the_language_switch_needs_no_csrf_cookie(client):
    html = get(client, "/").content.decode()
    assert '<form action="/i18n/setlang/" method="post" class="lang-switch">' in html
    strict = type(client)(enforce_csrf_checks=True)
    response = strict.post("/i18n/setlang/", {"language": "en", "next": "/organs/"})
    assert response.status_code == 302
    assert response["Location"] == "/organs/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert settings.CSRF_COOKIE_NAME not in response.cookies


# -- Invalidation -----------------------------------------------------------------------------------


def test_withdrawing_an_entry_removes_it_from_every_page(client, entry):
    pages = ["/", "/catalog/", "/organs/jhj/", "/organs/jhj/disclosures/", "/catalog/?q=营商环境"]
    # "关于优化" rather than the whole title: the search page highlights 营商环境.
    for url in pages:
        assert "关于优化" in get(client, url).content.decode(), url
    assert get(client, entry.get_absolute_url()).status_code == 200

    catalog_services.entry_withdraw(entry=entry, reason="内容有误")

    for url in pages:
        response = get(client, url)
        assert response["X-Page-Cache"] == "miss"
        assert "关于优化" not in response.content.decode(), url
    assert get(client, entry.get_absolute_url()).status_code == 404


def test_publishing_an_entry_shows_it_at_once(client, organ_a):
    draft = CatalogEntryFactory(organ=organ_a, title="新发布的通知", publish=False)
    assert "新发布的通知" not in get(client, "/catalog/").content.decode()
    catalog_services.entry_approve(entry=draft, actor=None)
    catalog_services.entry_publish(entry=draft)
    assert "新发布的通知" in get(client, "/catalog/").content.decode()
    assert "新发布的通知" in get(client, "/").content.decode()


def test_editing_an_entry_changes_its_detail_and_the_list(client, entry):
    assert "关于优化营商环境的通知" in get(client, entry.get_absolute_url()).content.decode()
    catalog_services.entry_update(entry=entry, title="关于进一步优化营商环境的通知")
    assert "关于进一步优化营商环境的通知" in get(client, entry.get_absolute_url()).content.decode()
    assert "关于进一步优化营商环境的通知" in get(client, "/catalog/").content.decode()


def test_editing_an_organ_page_or_its_contacts_shows_at_once(client, entry, organ_a):
    assert "本机关的政府信息公开指南。" in get(client, "/organs/jhj/guide/").content.decode()
    page = organ_a.pages.get(kind="guide")
    organ_services.organ_page_update(page=page, body="修订后的政府信息公开指南。")
    # The public keeps the published copy until the revision is reviewed and published.
    assert "修订后的政府信息公开指南。" not in get(client, "/organs/jhj/guide/").content.decode()
    organ_services.organ_page_approve(page=page, actor=None)
    organ_services.organ_page_publish(page=page)
    assert "修订后的政府信息公开指南。" in get(client, "/organs/jhj/guide/").content.decode()

    organ_services.organ_contacts_update(organ=organ_a, phone="0453-1234567")
    assert "0453-1234567" in get(client, "/organs/jhj/").content.decode()


def test_publishing_a_report_shows_it_at_once(client, organ_a):
    assert get(client, "/reports/jhj/2024/").status_code == 404
    assert "2024" not in get(client, "/reports/jhj/").content.decode()
    YearTallyFactory(organ=organ_a, year=2024)
    report = fill_required_sections(AnnualReportFactory(organ=organ_a, year=2024))
    version = report_services.report_publish(report=report)
    response = get(client, "/reports/jhj/2024/")
    assert response.status_code == 200
    assert version.html in response.content.decode()
    assert "/reports/jhj/2024/" in get(client, "/reports/jhj/").content.decode()


@time_machine.travel(dt.datetime(2024, 9, 1, 4, tzinfo=dt.UTC))
def test_publishing_a_proposal_reply_shows_it_at_once(client, organ_a):
    proposal = ProposalFactory(organ=organ_a, title="关于加快老旧小区改造的提案")
    proposal_services.proposal_reply(
        proposal=proposal, reply_date=dt.date(2024, 6, 1), result_code=ResultCode.A
    )
    assert "关于加快老旧小区改造的提案" not in get(client, "/proposals/").content.decode()
    proposal_services.proposal_publish(
        proposal=proposal, mode=PublishMode.SUMMARY, publish_date=dt.date(2024, 8, 1), summary="已列入计划。"
    )
    assert "关于加快老旧小区改造的提案" in get(client, "/proposals/").content.decode()


def test_a_reply_published_from_tomorrow_appears_the_next_day_without_a_write(client, organ_a):
    with time_machine.travel(dt.datetime(2024, 8, 31, 15, 59, tzinfo=dt.UTC), tick=False):  # 23:59 in Beijing
        proposal = ProposalFactory(organ=organ_a, title="关于增设公交线路的提案")
        proposal_services.proposal_reply(
            proposal=proposal, reply_date=dt.date(2024, 8, 20), result_code=ResultCode.A
        )
        proposal_services.proposal_publish(
            proposal=proposal, mode=PublishMode.SUMMARY, publish_date=dt.date(2024, 9, 1), summary="已采纳。"
        )
        assert "关于增设公交线路的提案" not in get(client, "/proposals/").content.decode()
    with time_machine.travel(dt.datetime(2024, 8, 31, 16, 1, tzinfo=dt.UTC), tick=False):
        assert "关于增设公交线路的提案" in get(client, "/proposals/").content.decode()


def test_a_new_organ_appears_in_the_organ_lists(client, organ_a):
    assert "牡丹江市审计局" not in get(client, "/organs/").content.decode()
    OrganFactory(name="牡丹江市审计局", slug="sjj")
    assert "牡丹江市审计局" in get(client, "/organs/").content.decode()


# -- Never a clerk's or an applicant's page ---------------------------------------------------------


def test_a_clerks_public_pages_are_never_cached(client, alice, entry):
    client.force_login(alice)
    response = get(client, "/catalog/")
    assert response["X-Page-Cache"] == "bypass"
    assert "private" in response["Cache-Control"]
    assert "ETag" not in response
    assert get(client, "/catalog/")["X-Page-Cache"] == "bypass"
    client.logout()
    assert get(client, "/catalog/")["X-Page-Cache"] == "miss"  # nothing was stored for the clerk


def test_the_back_office_is_not_cached(client, alice):
    client.force_login(alice)
    response = get(client, "/admin/")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_a_visitor_with_a_pending_message_bypasses_the_cache(client, entry):
    get(client, "/catalog/")
    client.cookies["messages"] = "anything"
    assert get(client, "/catalog/")["X-Page-Cache"] == "bypass"


def test_the_apply_form_keeps_its_csrf_cookie_and_is_not_cached(client, organ_a):
    response = get(client, "/apply/")
    assert response.status_code == 200
    assert settings.CSRF_COOKIE_NAME in response.cookies
    assert "X-Page-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_a_page_that_used_a_csrf_token_is_not_stored(rf):
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    @caching.public_page
    def view(request):
        return HttpResponse(get_token(request))

    request = rf.get("/x/")
    response = view(request)
    assert response["X-Page-Cache"] == "bypass"
    assert "private" in response["Cache-Control"]
    assert view(rf.get("/x/"))["X-Page-Cache"] == "bypass"


@override_settings(PAGE_CACHE_SECONDS=0)
def test_with_the_page_cache_off_pages_are_rendered_each_time_but_still_validated(client, entry):
    first = get(client, "/catalog/")
    assert first["X-Page-Cache"] == "miss"
    assert get(client, "/catalog/")["X-Page-Cache"] == "miss"
    assert get(client, "/catalog/", If_None_Match=first["ETag"]).status_code == 304


# -- Single flight ----------------------------------------------------------------------------------


@pytest.fixture
def page_keys(monkeypatch):
    keys = []
    real = caching._page_key

    def recording(request, token):
        keys.append(real(request, token))
        return keys[-1]

    monkeypatch.setattr(caching, "_page_key", recording)
    return keys


def test_a_request_that_finds_a_render_under_way_waits_for_it(client, entry, monkeypatch, page_keys):
    monkeypatch.setattr(caching, "_cache_add", lambda cache, key: False)  # another worker renders it

    def other_worker_finishes(seconds):
        cache.set(page_keys[-1], ("text/html; charset=utf-8", b"<p>rendered once</p>", '"abc"'))

    monkeypatch.setattr(caching.time, "sleep", other_worker_finishes)
    response = get(client, "/catalog/")
    assert response["X-Page-Cache"] == "hit"
    assert response.content == b"<p>rendered once</p>"


def test_when_the_other_render_ends_without_a_page_this_request_renders_it(client, entry, monkeypatch):
    monkeypatch.setattr(caching, "_cache_add", lambda cache, key: False)  # its lock is already gone
    monkeypatch.setattr(caching.time, "sleep", lambda seconds: None)
    response = get(client, "/catalog/")
    assert response["X-Page-Cache"] == "miss"
    assert "关于优化营商环境的通知" in response.content.decode()


def test_the_render_lock_is_released_after_a_render_and_after_a_404(client, entry, page_keys):
    get(client, "/catalog/")
    assert not cache.has_key(page_keys[-1] + ":rendering")
    assert get(client, "/catalog/NOPE/2024-00001/").status_code == 404
    assert not cache.has_key(page_keys[-1] + ":rendering")


# -- Fragments --------------------------------------------------------------------------------------


def test_fragments_are_built_once_per_generation(django_assert_num_queries, organ_a):
    calls = []

    @caching.per_generation
    def build():
        calls.append(1)
        return facet_lookups()

    first = build()
    assert build() is first
    assert len(calls) == 1
    OrganFactory(slug="new")
    assert "new" in build().organs_by_slug
    assert len(calls) == 2


def test_shared_fragments_keep_each_pages_own_current_link(client, entry):
    catalog = get(client, "/catalog/").content.decode()
    guide = get(client, "/organs/?part=guide").content.decode()
    english = get(client, "/organs/?part=guide", Accept_Language="en").content.decode()
    assert '<a href="/catalog/" aria-current="page">法定主动公开内容</a>' in catalog
    assert '<a href="/catalog/">法定主动公开内容</a>' in guide
    assert '<a href="/organs/?part=guide" aria-current="page">政府信息公开指南</a>' in guide
    assert 'aria-current="page">Guide to Government Information Disclosure</a>' in english


# -- Health -----------------------------------------------------------------------------------------


def test_healthz_checks_the_database(client, monkeypatch):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]

    from apps.portal import views

    def broken():
        raise RuntimeError("connection refused")

    monkeypatch.setattr(views.connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_many_changes_in_one_transaction_register_one_invalidation_at_commit(
    monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import transaction

    bumps = []
    monkeypatch.setattr(caching, "_bump", lambda: bumps.append(1))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            for _ in range(500):  # e.g. a queryset delete: one post_delete signal per row
                caching.content_changed()
    assert len(callbacks) == 1 and len(bumps) == 500 + 1  # at once each time, once at commit


def test_a_change_after_a_rolled_back_savepoint_still_invalidates_on_commit(
    monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import transaction

    bumps = []
    monkeypatch.setattr(caching, "_bump", lambda: bumps.append(1))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    caching.content_changed()
                    raise ValueError
            except ValueError:
                pass
            caching.content_changed()  # the first one's on_commit went with the savepoint
    assert len(callbacks) == 1 and len(bumps) == 2 + 1
