"""The sitemaps of every app, served at /sitemap.xml."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from apps.catalog.sitemaps import CatalogEntrySitemap
from apps.organs.sitemaps import OrganPageSitemap, OrganSitemap


class PortalSitemap(Sitemap):
    """The column's entry points: the home page and the city-wide organ lists."""

    changefreq = "daily"

    def items(self):
        return ["portal:home", "organs:list"]

    def location(self, name):
        return reverse(name)


sitemaps = {
    "catalog": CatalogEntrySitemap,
    "portal": PortalSitemap,
    "organs": OrganSitemap,
    "organ-pages": OrganPageSitemap,
}
