"""What crawlers read: the sitemap index at /sitemap.xml, its sections, and /robots.txt.

The index lists the catalog's pages (apps/catalog/sitemaps.py: ID ranges of at most
10,000 entries, written without templates) and one sitemap per small section below,
served by django.contrib.sitemaps at /sitemap-<section>.xml (paged with ?p= past
50,000 URLs). URLs are absolute from the request's scheme and host, as Django's
sitemaps make them; ALLOWED_HOSTS and SECURE_PROXY_SSL_HEADER keep them right.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from apps.catalog.sitemaps import catalog_sitemap_pages
from apps.organs.models import Organ, OrganPage
from apps.proposals.selectors import published_replies
from apps.reports.selectors import published_reports


class PortalSitemap(Sitemap):
    """The column's entry points: home, organ lists, the catalog, reports and replies."""

    changefreq = "daily"

    def items(self):
        return ["portal:home", "portal:organs", "catalog:list", "reports:index", "proposals:list"]

    def location(self, name):
        return reverse(name)


class OrganSitemap(Sitemap):
    """Each active organ's home and its 法定主动公开内容 page."""

    changefreq = "weekly"

    def items(self):
        return [
            (organ.slug, name)
            for organ in Organ.objects.active().only("slug").order_by("sort_order", "name")
            for name in ("portal:organ", "portal:organ_disclosures")
        ]

    def location(self, item):
        slug, name = item
        return reverse(name, args=[slug])


class OrganPageSitemap(Sitemap):
    """Published 指南 and 制度 pages; an organ without one only shows a notice, not worth indexing."""

    changefreq = "monthly"

    def items(self):
        return (
            OrganPage.objects.published()
            .filter(organ__is_active=True)
            .select_related("organ")
            .only("kind", "published_at", "organ__slug")
            .order_by("organ_id", "kind")
        )

    def lastmod(self, page):
        return page.published_at

    def get_latest_lastmod(self):
        return OrganPage.objects.filter(organ__is_active=True).aggregate(latest=Max("published_at"))["latest"]


class ReportSitemap(Sitemap):
    """Each published annual report (its latest version) and the report list of its organ."""

    changefreq = "yearly"

    def items(self) -> list[tuple[str, dt.datetime]]:
        reports = list(
            published_reports()
            .annotate(published=Max("versions__published_at"))
            .order_by("organ__sort_order", "organ__name", "-year")
        )
        items: list[tuple[str, dt.datetime]] = []
        latest_of_organ: dict[str, dt.datetime] = {}
        for report in reports:
            slug = report.organ.slug
            latest_of_organ[slug] = max(latest_of_organ.get(slug, report.published), report.published)
        for slug, published in latest_of_organ.items():
            items.append((reverse("reports:organ", args=[slug]), published))
            items.extend(
                (report.get_absolute_url(), report.published)
                for report in reports
                if report.organ.slug == slug
            )
        return items

    def location(self, item):
        return item[0]

    def lastmod(self, item):
        return item[1]


class ProposalReplySitemap(Sitemap):
    """Replies to 人大代表建议 and 政协提案 whose publication date has come."""

    changefreq = "yearly"

    def items(self):
        return (
            published_replies(today=timezone.localdate())
            .select_related(None)
            .only("pk", "updated_at")
            .order_by("id")
        )

    def location(self, proposal):
        return reverse("proposals:detail", args=[proposal.pk])

    def lastmod(self, proposal):
        return proposal.updated_at

    def get_latest_lastmod(self):
        return published_replies(today=timezone.localdate()).aggregate(latest=Max("updated_at"))["latest"]


SECTIONS: dict[str, type[Sitemap]] = {
    "portal": PortalSitemap,
    "organs": OrganSitemap,
    "organ-pages": OrganPageSitemap,
    "reports": ReportSitemap,
    "replies": ProposalReplySitemap,
}


@require_safe
def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """Every catalog page and every page of each section that has URLs."""
    base = f"{request.scheme}://{request.get_host()}"
    # No lastmod for catalog pages: the latest change in each range would be a scan of every
    # entry. The entries' own lastmod is in the pages.
    items = [
        SitemapIndexItem(base + reverse("sitemap_catalog", args=[page])) for page in catalog_sitemap_pages()
    ]
    for section, sitemap_class in SECTIONS.items():
        site = sitemap_class()
        paginator = site.paginator
        if not paginator.count:
            continue
        url = base + reverse("sitemap_section", kwargs={"section": section})
        lastmod = site.get_latest_lastmod()
        items.extend(
            SitemapIndexItem(url if page == 1 else f"{url}?p={page}", lastmod)
            for page in paginator.page_range
        )
    response = TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawl everything public; not the back office nor an applicant's status pages."""
    disallowed = [
        reverse("admin:index"),
        reverse("applications:lookup"),  # /apply/status/<查询码>/ and what hangs below it
        reverse("applications:receipt"),
    ]
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in disallowed),
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
