"""The sitemaps of every app, served at /sitemap.xml."""

from apps.catalog.sitemaps import CatalogEntrySitemap

sitemaps = {
    "catalog": CatalogEntrySitemap,
}
