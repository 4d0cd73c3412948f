"""/sitemap.xml (an index), its catalog pages by ID range, its sections, and /robots.txt."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from apps.catalog import services, sitemaps
from apps.catalog.models import CatalogEntry
from apps.proposals import services as proposal_services
from apps.proposals.enums import PublishMode, ResultCode
from apps.reports import services as report_services
from tests.factories import CatalogEntryFactory, OrganFactory, OrganPageFactory
from tests.factories.records import ProposalFactory, YearTallyFactory
from tests.factories.reports import AnnualReportFactory, fill_required_sections

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_host")]
BASE = "http://testserver"


@pytest.fixture
def _host(settings):
    settings.ALLOWED_HOSTS = ["testserver", "portal.example.gov.cn"]


def locs(xml: str) -> list[str]:
    return re.findall(r"<loc>([^<]+)</loc>", xml)


def index_locs(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert "<sitemapindex" in response.text
    return locs(response.text)


def catalog_pages(client) -> list[str]:
    return [loc for loc in index_locs(client) if "/sitemap-catalog-" in loc]


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 3 IDs, so that a handful of entries spreads over several pages."""
    monkeypatch.setattr(sitemaps, "PAGE_IDS", 3)


@pytest.fixture
def entries(organ_a, organ_b):
    """Ten entries in a row of IDs: 7 published, a draft, two withdrawn."""
    made = [CatalogEntryFactory(organ=organ_a if i % 2 else organ_b) for i in range(10)]
    services.entry_update(entry=made[1], publish_date=dt.date(2024, 3, 1))
    CatalogEntry.objects.filter(pk=made[4].pk).update(status="draft", published_at=None)
    for entry in (made[5], made[8]):
        services.entry_withdraw(entry=entry, reason="内容有误")
    return made


def test_every_published_entry_is_in_exactly_one_catalog_page(client, small_pages, entries):
    seen: Counter[str] = Counter()
    for page in catalog_pages(client):
        response = client.get(page.removeprefix(BASE))
        assert response.status_code == 200
        page_locs = locs(response.text)
        assert 0 < len(page_locs) <= 3
        seen.update(page_locs)
    published = [e for e in entries if e.pk not in {entries[4].pk, entries[5].pk, entries[8].pk}]
    assert seen == Counter(BASE + e.get_absolute_url() for e in published)


def test_drafts_and_withdrawn_entries_are_in_no_page(client, small_pages, entries):
    everything = "".join(client.get(page.removeprefix(BASE)).text for page in catalog_pages(client))
    for entry in (entries[4], entries[5], entries[8]):
        assert entry.get_absolute_url() not in everything


def test_a_page_is_an_id_range_and_one_without_published_entries_is_left_out(client, small_pages, organ_a):
    made = [CatalogEntryFactory(organ=organ_a) for _ in range(9)]
    first_page = (made[0].pk - 1) // 3 + 1
    # Withdraw every entry of the range of made[4], whatever the range's alignment.
    empty_page = (made[4].pk - 1) // 3 + 1
    for entry in made:
        if (entry.pk - 1) // 3 + 1 == empty_page:
            services.entry_withdraw(entry=entry, reason="内容有误")
    pages = [int(re.search(r"catalog-(\d+)\.xml", loc)[1]) for loc in catalog_pages(client)]
    assert empty_page not in pages
    assert pages == sorted(pages) and pages[0] == first_page
    assert client.get(f"/sitemap-catalog-{empty_page}.xml").status_code == 404
    assert client.get(f"/sitemap-catalog-{pages[-1] + 1}.xml").status_code == 404
    assert client.get("/sitemap-catalog-0.xml").status_code == 404


def test_a_catalog_page_gives_each_entry_the_day_of_its_last_change(client, organ_a):
    entry = CatalogEntryFactory(organ=organ_a)
    (page,) = catalog_pages(client)
    response = client.get(page.removeprefix(BASE))
    assert response.text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset ')
    lastmod = timezone.localdate(entry.updated_at).isoformat()
    assert (
        f"<url><loc>{BASE}{entry.get_absolute_url()}</loc><lastmod>{lastmod}</lastmod></url>" in response.text
    )
    assert response["X-Robots-Tag"] == "noindex"


def test_urls_follow_the_host_and_scheme_of_the_request(client, organ_a):
    CatalogEntryFactory(organ=organ_a)
    host = {"HTTP_HOST": "portal.example.gov.cn", "secure": True}
    pages = locs(client.get("/sitemap.xml", **host).text)
    assert pages and all(loc.startswith("https://portal.example.gov.cn/sitemap-") for loc in pages)
    catalog = next(loc for loc in pages if "catalog" in loc)
    assert locs(client.get(catalog.removeprefix("https://portal.example.gov.cn"), **host).text)[0].startswith(
        "https://portal.example.gov.cn/catalog/"
    )


def test_the_index_lists_each_section_that_has_urls(client, organ_a):
    OrganPageFactory(organ=organ_a, kind="guide")
    assert index_locs(client) == [
        f"{BASE}/sitemap-portal.xml",
        f"{BASE}/sitemap-organs.xml",
        f"{BASE}/sitemap-organ-pages.xml",
    ]
    xml = client.get("/sitemap-organ-pages.xml").text
    assert locs(xml) == [f"{BASE}/organs/jhj/guide/"]


def test_organ_sections_list_active_organs_and_their_published_pages(client):
    organ = OrganFactory(slug="tjj")
    OrganPageFactory(organ=organ, kind="rules")
    OrganFactory(slug="gone", is_active=False)
    xml = client.get("/sitemap-portal.xml").text + client.get("/sitemap-organs.xml").text
    xml += client.get("/sitemap-organ-pages.xml").text
    for path in (
        "/",
        "/organs/",
        "/catalog/",
        "/reports/",
        "/proposals/",
        "/organs/tjj/",
        "/organs/tjj/rules/",
    ):
        assert f"{BASE}{path}</loc>" in xml
    assert f"{BASE}/organs/tjj/disclosures/</loc>" in xml
    assert "/organs/tjj/guide/" not in xml
    assert "/organs/gone/" not in xml


def test_published_reports_are_listed_with_their_organs_report_page(client, organ_a, organ_b):
    YearTallyFactory(organ=organ_a, year=2024)
    version = report_services.report_publish(
        report=fill_required_sections(AnnualReportFactory(organ=organ_a, year=2024))
    )
    AnnualReportFactory(organ=organ_b, year=2024)  # a draft
    assert f"{BASE}/sitemap-reports.xml" in index_locs(client)
    xml = client.get("/sitemap-reports.xml").text
    assert locs(xml) == [f"{BASE}/reports/jhj/", f"{BASE}/reports/jhj/2024/"]
    assert f"<lastmod>{timezone.localdate(version.published_at).isoformat()}</lastmod>" in xml


def _reply(organ, *, mode, publish_date):
    proposal = ProposalFactory(organ=organ, assigned_date=dt.date(2024, 3, 1))
    proposal_services.proposal_reply(
        proposal=proposal,
        reply_date=dt.date(2024, 5, 20),
        result_code=ResultCode.A,
        reply_document=ContentFile(b"%PDF reply", name="r.pdf"),
    )
    extra = {"reason": "涉密"} if mode == PublishMode.NOT_PUBLISHED else {"summary": "已办理。"}
    return proposal_services.proposal_publish(
        proposal=proposal, mode=mode, publish_date=publish_date, **extra
    )


@time_machine.travel(dt.datetime(2024, 8, 1, 9, tzinfo=dt.UTC), tick=False)
def test_only_replies_already_published_are_listed(client, organ_a):
    public = _reply(organ_a, mode=PublishMode.FULL, publish_date=dt.date(2024, 6, 1))
    _reply(organ_a, mode=PublishMode.NOT_PUBLISHED, publish_date=None)
    _reply(organ_a, mode=PublishMode.SUMMARY, publish_date=dt.date(2024, 9, 1))
    assert f"{BASE}/sitemap-replies.xml" in index_locs(client)
    assert locs(client.get("/sitemap-replies.xml").text) == [f"{BASE}/proposals/{public.pk}/"]


@pytest.mark.parametrize("n", [1, 3])
def test_the_index_takes_constant_queries(client, small_pages, organ_a, django_assert_num_queries, n):
    for _ in range(n * 3):
        entry = CatalogEntryFactory(organ=organ_a)
        OrganPageFactory(organ=OrganFactory(), kind="guide")
    # catalog pages; organs; organ pages' count and lastmod; reports; replies' count
    with django_assert_num_queries(6):
        pages = catalog_pages(client)
    assert n <= len(pages) <= n + 1
    assert entry.get_absolute_url()


@pytest.mark.parametrize("n", [1, 3])
def test_a_catalog_page_takes_one_query(client, organ_a, django_assert_num_queries, n):
    for _ in range(n):
        CatalogEntryFactory(organ=organ_a)
    (page,) = catalog_pages(client)
    with django_assert_num_queries(1):
        xml = client.get(page.removeprefix(BASE)).text
    assert len(locs(xml)) == n


@override_settings(ALLOWED_HOSTS=["portal.example.gov.cn"])
def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_private_pages(client):
    response = client.get("/robots.txt", HTTP_HOST="portal.example.gov.cn", secure=True)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.text == (
        "User-agent: *\n"
        "Disallow: /admin/\n"
        "Disallow: /apply/status/\n"
        "Disallow: /apply/receipt/\n"
        "\n"
        "Sitemap: https://portal.example.gov.cn/sitemap.xml\n"
    )


def test_an_unusual_index_number_is_quoted_and_escaped_as_reverse_would():
    head, tail = sitemaps.detail_path_parts()
    xml = sitemaps.render_urlset("http://x", head, tail, [("牡&办 1/2024-00001", dt.date(2024, 1, 2))])
    path = reverse("catalog:detail", kwargs={"index_number": "牡&办 1/2024-00001"})
    assert "&amp;" in escape(path)
    assert f"<url><loc>http://x{escape(path)}</loc><lastmod>2024-01-02</lastmod></url>" in xml
