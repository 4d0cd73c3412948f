"""Reads of the catalog: the public list, search and facets, entries, and what other apps use.

Other apps read the catalog through the names below.
"""

from apps.catalog.selectors.entries import (
    ArticleItemSection,
    DisclosureOverview,
    disclosure_overview,
    latest_entries,
    normative_document_counts,
    published_attachment,
    published_entries,
    published_entry,
    published_entry_head,
)
from apps.catalog.selectors.facets import (
    CatalogFilters,
    FacetCounts,
    FacetLookups,
    facet_counts,
    facet_lookups,
)
from apps.catalog.selectors.listing import (
    CatalogResults,
    PageOutOfRange,
    SearchTimeout,
    matching_entries,
    search_entries,
    search_time_bound,
)

__all__ = [
    "ArticleItemSection",
    "CatalogFilters",
    "CatalogResults",
    "DisclosureOverview",
    "FacetCounts",
    "FacetLookups",
    "PageOutOfRange",
    "SearchTimeout",
    "disclosure_overview",
    "facet_counts",
    "facet_lookups",
    "latest_entries",
    "matching_entries",
    "normative_document_counts",
    "published_attachment",
    "published_entries",
    "published_entry",
    "published_entry_head",
    "search_entries",
    "search_time_bound",
]
