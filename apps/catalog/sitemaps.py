from django.contrib.sitemaps import Sitemap

from apps.catalog.models import CatalogEntry


class CatalogEntrySitemap(Sitemap):
    """Only published entries: drafts and withdrawn entries never reach a sitemap."""

    changefreq = "monthly"
    limit = 5000

    def items(self):
        return CatalogEntry.objects.published().only("index_number", "updated_at").order_by("-id")

    def lastmod(self, entry):
        return entry.updated_at
