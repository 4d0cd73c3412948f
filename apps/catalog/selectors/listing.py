"""One page of the public catalog: filtered, optionally searched and ranked, with facet counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQueryField, SearchRank
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat, Lower, StrIndex, Substr
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from apps.catalog.enums import Status
from apps.catalog.models import CatalogEntry
from apps.catalog.search import ParsedQuery, parse_query
from apps.catalog.selectors.facets import CatalogFilters, FacetCounts, facet_counts

NO_FILTERS = CatalogFilters()

PER_PAGE = 20
# Plain lists are browsable up to this many rows (500 pages); older entries are reached
# through the year facet. Deep OFFSETs would otherwise cost seconds at a million rows.
MAX_BROWSE_ROWS = 10_000
# Search results are counted, faceted and ranked within the most recent SEARCH_WINDOW
# matches; see search_entries() for why.
# 1,000 detoasted rows take about 15-50 ms (measured on 200,000 rows); tune with the
# CATALOG_SEARCH_WINDOW setting if the server is slower.
SEARCH_WINDOW = getattr(settings, "CATALOG_SEARCH_WINDOW", 1_000)
# Relevance ranking reads each candidate's word vector too: rank the newest 500 matches.
RANK_WINDOW = getattr(settings, "CATALOG_RANK_WINDOW", 500)


class PageOutOfRange(Exception):
    """The requested page does not exist (the view answers 404)."""


class _TsMatch(Func):
    """vector @@ query, as an expression (so that Django aliases the column in subqueries)."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _tsquery(text: str) -> Cast:
    # A tsquery literal built by search.parse_query, passed as a parameter and cast:
    # never to_tsquery() on user input.
    return Cast(Value(text), SearchQueryField())


def _match(query: ParsedQuery) -> Q:
    """The search condition: GIN-indexed tsquery matches plus strpos rechecks.

    The tsquery strings come from search.parse_query (quoted lexemes only) and are
    passed as parameters; nothing typed by the user is ever SQL or tsquery syntax.
    Expressions, not raw SQL, so that the conditions follow the table's alias when the
    queryset becomes a subquery (the relevance window).
    """
    q = Q()
    if query.grams:
        q &= Q(_TsMatch(F("search_grams"), _tsquery(query.grams)))
    if query.words:
        q &= Q(_TsMatch(F("search_words"), _tsquery(query.words)))
    if query.recheck:
        newline = Value("\n")
        text = Concat(
            "title", newline, "keywords", newline, "summary", newline, "body", output_field=TextField()
        )
        for fragment in query.recheck:
            q &= Q(GreaterThan(StrIndex(text, Value(fragment)), 0))
    return q


def _rank(query: ParsedQuery) -> ExpressionWrapper:
    """ts_rank on the weighted words (A title/keywords > B summary/body) plus 1 per
    fragment found in the title, so that title hits of non-word fragments come first."""
    score = Value(0.0, output_field=FloatField())
    if query.rank_words:
        score = SearchRank(F("search_words"), _tsquery(query.rank_words), weights=[0.1, 0.2, 0.4, 1.0])
    for fragment in query.fragments:
        in_title = Case(
            When(GreaterThan(StrIndex(Lower("title"), Value(fragment)), 0), then=1.0), default=0.0
        )
        score = score + in_title
    return ExpressionWrapper(score, output_field=FloatField())


@dataclass
class CatalogResults:
    entries: list[CatalogEntry]
    page: Page
    counts: FacetCounts
    query: ParsedQuery
    order: str
    browse_capped: bool  # more rows than can be paged through


class _CountedRows(Sequence):
    """Paginator input whose count is already known (from the aggregates)."""

    def __init__(self, queryset, count: int):
        self.queryset, self._count = queryset, count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        return list(self.queryset[index])


#: Date slices a search walks, newest first (days back from today; None = everything older).
SEARCH_SLICES: tuple[int | None, ...] = (90, 365, None)


def _search_window(qs) -> tuple[list[int], FacetCounts]:
    """The ids of the most recent SEARCH_WINDOW matches, with their count and facets.

    Each match is checked once (detoasting its grams is the real cost), and counting,
    faceting and paging then work on this list in Python.

    The matches are read in date slices, newest first, and the walk stops as soon as the
    window is full. A fragment found in a few percent of a million documents (商引) has
    tens of thousands of matches scattered over most heap pages: reading all of them to
    keep the newest thousand took 0.3 s warm and seconds cold, whereas the last 90 days
    (a BitmapAnd of the GIN and date indexes) already hold the thousand. The slices are
    disjoint and in date order, so the result is exactly the unsliced one; a rare word
    costs three cheap index-only probes instead of one.
    """
    wanted = SEARCH_WINDOW + 1
    rows: list[tuple] = []
    today = timezone.localdate()
    newer_than: dt.date | None = None  # lower bound of the previous slice
    for days in SEARCH_SLICES:
        part = qs
        if newer_than is not None:
            part = part.filter(publish_date__lt=newer_than)
        if days is not None:
            newer_than = today - dt.timedelta(days=days)
            part = part.filter(publish_date__gte=newer_than)
        rows += part.order_by("-publish_date", "-id").values_list(
            "id", "organ_id", "theme_id", "genre_id", "publish_date", "validity", "article_item"
        )[: wanted - len(rows)]
        if len(rows) >= wanted:
            break
    ids = [row[0] for row in rows[:SEARCH_WINDOW]]
    if len(rows) > SEARCH_WINDOW:
        return ids, FacetCounts(total=SEARCH_WINDOW, total_capped=True, available=False)
    counts = FacetCounts(total=len(rows))
    c = counts.counts
    for _id, organ_id, theme_id, genre_id, publish_date, validity, item in rows:
        for dim, key in (
            ("organ", organ_id),
            ("theme", theme_id),
            ("genre", genre_id),
            ("year", publish_date.year),
            ("validity", validity),
            ("item", item or 0),
        ):
            c[dim][key] = c[dim].get(key, 0) + 1
    return ids, counts


class _RowsById(Sequence):
    """Paginator input over a list of ids in display order: a page fetches only its rows."""

    def __init__(self, ids: list[int], queryset):
        self.ids, self.queryset = ids, queryset

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        wanted = self.ids[index]
        by_id = {entry.pk: entry for entry in self.queryset.filter(id__in=wanted)}
        return [by_id[pk] for pk in wanted if pk in by_id]


def search_entries(
    *,
    query: ParsedQuery | str = "",
    filters: CatalogFilters = NO_FILTERS,
    order: str = "date",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> CatalogResults:
    """One page of the public catalog: filtered, optionally searched, with facet counts.

    Without a query the counts are exact and come from the facet aggregates; the rows
    walk the partial index catalog_published_by_date (or catalog_organ_by_date).

    With a query, results are counted, faceted and (for ``order="relevance"``) ranked
    within the most recent SEARCH_WINDOW matches. This is a deliberate trade-off: a word
    such as 公开 is in most documents, and ranking or counting every one of a million
    matches cannot be done within 100 ms, whereas the newest thousand matches can. The
    page says "超过 1,000 条" and omits the facet counts when the window overflows, and
    relevance means "most relevant among the newest RANK_WINDOW (500) matches". Rare terms
    (the usual case when ranking matters) have fewer matches than the window, so their
    counts, facets and ranking are exact.

    Raises PageOutOfRange for a page number beyond the last page.
    """
    if isinstance(query, str):
        query = parse_query(query)
    columns = CatalogEntry.objects.select_related("organ", "theme", "theme__parent", "genre").defer(
        "body", "search_words", "search_grams"
    )
    if query:
        rows, counts = _searched_rows(query, filters, order, columns)
    else:
        rows, counts = _browsed_rows(filters, columns)
    if not query or order != "relevance":
        order = "date"
    paginator = Paginator(rows, per_page, allow_empty_first_page=True)
    try:
        page_obj = paginator.page(page)
    except (EmptyPage, PageNotAnInteger) as exc:
        raise PageOutOfRange(str(exc)) from exc
    return CatalogResults(
        entries=list(page_obj.object_list),
        page=page_obj,
        counts=counts,
        query=query,
        order=order,
        browse_capped=not query and counts.total > MAX_BROWSE_ROWS,
    )


def matching_entries(*, query: ParsedQuery | str = "", filters: CatalogFilters = NO_FILTERS):
    """Every published entry that the list page finds for these filters and query, newest first.

    Ordered by (publish_date, id) descending, with the list columns (no body, no vectors).
    Unlike search_entries it neither counts, ranks nor stops at SEARCH_WINDOW: the public API
    pages through it by keyset and the downloads stream it (apps/api).
    """
    if isinstance(query, str):
        query = parse_query(query)
    rows = CatalogEntry.objects.published().for_list().filter(filters.as_q())
    if query:
        rows = rows.filter(_match(query))
    return rows.order_by("-publish_date", "-id")


def _searched_rows(
    query: ParsedQuery, filters: CatalogFilters, order: str, columns
) -> tuple[Sequence, FacetCounts]:
    """The matches within the search window, newest first or (order="relevance") ranked."""
    ids, counts = _search_window(
        CatalogEntry.objects.published().filter(filters.as_q()).filter(_match(query))
    )
    columns = columns.annotate(body_head=Substr("body", 1, 3000))  # for the snippet
    if order != "relevance":
        return _RowsById(ids, columns), counts
    ids = ids[:RANK_WINDOW]
    rows = columns.filter(id__in=ids).annotate(rank=_rank(query)).order_by("-rank", "-publish_date", "-id")
    return _CountedRows(rows if ids else rows.none(), len(ids)), counts


def _browsed_rows(filters: CatalogFilters, columns) -> tuple[Sequence, FacetCounts]:
    """The filtered list, newest first, counted exactly by the facet aggregates."""
    counts = facet_counts(filters)
    available = min(counts.total, MAX_BROWSE_ROWS)
    rows = columns.filter(status=Status.PUBLISHED).filter(filters.as_q()).order_by("-publish_date", "-id")
    # Known to be empty: do not let PostgreSQL walk the whole date index to find nothing.
    return _CountedRows(rows if available else rows.none(), available), counts
