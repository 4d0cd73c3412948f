from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from apps.organs.models import Organ, OrganPage


class OrganSitemap(Sitemap):
    """Each active organ's home and its 法定主动公开内容 page."""

    changefreq = "weekly"

    def items(self):
        return [
            (organ.slug, name)
            for organ in Organ.objects.active().only("slug").order_by("sort_order", "name")
            for name in ("organs:detail", "organs:disclosures")
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
