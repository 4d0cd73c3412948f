"""The sitemaps of every app, served at /sitemap.xml."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from apps.catalog.sitemaps import CatalogEntrySitemap
from apps.organs.models import Organ, OrganPage


class PortalSitemap(Sitemap):
    """The column's entry points: the home page and the city-wide organ lists."""

    changefreq = "daily"

    def items(self):
        return ["portal:home", "portal:organs"]

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
            OrganPage.objects.filter(organ__is_active=True)
            .select_related("organ")
            .order_by("organ_id", "kind")
        )

    def lastmod(self, page):
        return page.updated_at


sitemaps = {
    "catalog": CatalogEntrySitemap,
    "portal": PortalSitemap,
    "organs": OrganSitemap,
    "organ-pages": OrganPageSitemap,
}
