"""One page of the public catalog: filtered, optionally searched and ranked, with facet counts."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import astuple, dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQueryField, SearchVectorField
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import OperationalError, connection, transaction
from django.db.models import BooleanField, F, Func, Q, Value, prefetch_related_objects
from django.db.models.functions import Cast, StrIndex, Substr
from django.db.models.lookups import GreaterThan

from apps.catalog import search
from apps.catalog.models import CatalogEntry, SearchDocument
from apps.catalog.search import ParsedQuery, parse_query
from apps.catalog.selectors import searching, snippets
from apps.catalog.selectors.facets import CatalogFilters, FacetCounts, facet_counts, facet_lookups
from apps.catalog.selectors.snippets import attach_snippets
from disclosure_portal.caching import rendered_fragment

NO_FILTERS = CatalogFilters()

PER_PAGE = 20
# Plain lists are browsable up to this many rows (500 pages); older entries are reached
# through the year facet. Deep OFFSETs would otherwise cost seconds at a million rows.
MAX_BROWSE_ROWS = 10_000
# A search counts its matches exactly up to COUNT_BOUND; beyond, the total is an estimate
# ("约"), the newest COUNT_BOUND are listed and the facets show no counts.
COUNT_BOUND = getattr(settings, "CATALOG_SEARCH_COUNT_BOUND", 1_000)
# Relevance puts up to this many head hits (title, 发文字号, 索引号) first, found among all
# matches, not only the newest.
RANK_HEAD = COUNT_BOUND
# No statement of a public search runs longer than this (milliseconds).
STATEMENT_TIMEOUT_MS = getattr(settings, "CATALOG_SEARCH_TIMEOUT_MS", 1_500)


class PageOutOfRange(Exception):
    """The requested page does not exist (the view answers 404)."""


class SearchTimeout(Exception):
    """A statement of a public search ran into STATEMENT_TIMEOUT_MS and was cancelled."""


@dataclass
class CatalogResults:
    entries: Sequence[CatalogEntry]  # PageEntries: read when first iterated
    page: Page
    counts: FacetCounts
    query: ParsedQuery
    order: str
    browse_capped: bool  # more rows than can be paged through
    listed: int = 0  # search: how many matches can be paged through
    timed_out: bool = False  # search: stopped by the statement timeout

    @property
    def approximate(self) -> bool:
        """The total is an estimate (the page says 约)."""
        return self.counts.total_capped


class PageEntries(Sequence):
    """A page's entries, known by their ids and read from the database only when first used.

    The page's result list is a fragment kept per content generation under these ids
    (templates/catalog/list.html): when it is in hand, the rows are never read nor built.
    """

    def __init__(self, ids: list[int], queryset):
        self.ids, self._queryset, self._rows = list(ids), queryset, None

    def _loaded(self) -> list[CatalogEntry]:
        if self._rows is None:
            by_id = {entry.pk: entry for entry in self._queryset.filter(id__in=self.ids)} if self.ids else {}
            self._rows = _with_related([by_id[pk] for pk in self.ids if pk in by_id])
        return self._rows

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        return self._loaded()[index]

    def __iter__(self):
        return iter(self._loaded())

    def __eq__(self, other) -> bool:
        return list(self) == list(other)


class _CountedRows(Sequence):
    """Paginator input whose count is already known (from the aggregates): a page reads its ids.

    A page's ids are kept per content generation (a bounded fragment, disclosure_portal.caching):
    they change only when content does, and a news-day crowd asks the same few pages.
    """

    def __init__(self, queryset, count: int, *, key: tuple = ()):
        self.queryset, self._count, self._key = queryset, count, key

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        if not self._count:  # known to be empty: do not let PostgreSQL walk a date index to find nothing
            return PageEntries([], _result_columns())

        def read() -> str:
            return ",".join(map(str, self.queryset.values_list("id", flat=True)[index]))

        kept = rendered_fragment(("catalog-page-ids", *self._key, index.start, index.stop), read)
        return PageEntries([int(pk) for pk in kept.split(",") if pk], _result_columns())


class _RowsById(Sequence):
    """Paginator input over a list of ids in display order: a page fetches only its rows."""

    def __init__(self, ids: list[int], queryset):
        self.ids, self.queryset = ids, queryset

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        return PageEntries(self.ids[index], self.queryset)


def _is_timeout(error: OperationalError) -> bool:
    return getattr(error.__cause__, "pgcode", None) == "57014"  # query_canceled


@contextmanager
def bounded_search():
    """A transaction whose statements stop after STATEMENT_TIMEOUT_MS and use the indexes.

    Raises django.db.OperationalError (see _is_timeout) when a statement is cancelled.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('statement_timeout', %s, true), set_config('enable_seqscan', 'off', true)",
            [str(STATEMENT_TIMEOUT_MS)],
        )
        yield


@contextmanager
def search_time_bound():
    """``bounded_search()`` for callers of ``matching_entries``: a cancelled statement is SearchTimeout.

    Evaluate the queryset inside the block; the transaction is rolled back before the exception
    leaves it, so the connection stays usable.
    """
    try:
        with bounded_search():
            yield
    except OperationalError as error:
        if not _is_timeout(error):
            raise
        raise SearchTimeout from error


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

    With a query (apps/catalog/selectors/searching.py), the newest COUNT_BOUND matches
    are found, counted exactly when there are no more, and paged through; beyond, the
    total is estimated. ``order="relevance"`` puts head hits first (文号/索引号, then
    title), found among all matches. A search that hits the statement timeout answers an
    empty page with ``timed_out`` set, never an error.

    Raises PageOutOfRange for a page number beyond the last page.
    """
    if isinstance(query, str):
        query = parse_query(query)
    if not query:
        rows, counts = _browsed_rows(filters)
        return _results(rows, counts, query=query, order="date", page=page, per_page=per_page)
    try:
        with search_time_bound():
            ids, counts = _searched_ids(query, filters, order)
            columns = _result_columns().annotate(body_head=Substr("body", 1, snippets.BODY_HEAD_CHARS))
            rows = _RowsById(ids, columns)
            results = _results(rows, counts, query=query, order=order, page=page, per_page=per_page)
            results.listed = len(ids)
            attach_snippets(results.entries, query)
            return results
    except SearchTimeout:
        pass
    rows = _RowsById([], _result_columns())
    results = _results(
        rows, FacetCounts(available=False), query=query, order=order, page=1, per_page=per_page
    )
    results.timed_out = True
    return results


def _results(rows, counts, *, query, order, page, per_page) -> CatalogResults:
    paginator = Paginator(rows, per_page, allow_empty_first_page=True)
    try:
        page_obj = paginator.page(page)
    except (EmptyPage, PageNotAnInteger) as exc:
        raise PageOutOfRange(str(exc)) from exc
    return CatalogResults(
        entries=page_obj.object_list,
        page=page_obj,
        counts=counts,
        query=query,
        order=order if query else "date",
        browse_capped=not query and counts.total > MAX_BROWSE_ROWS,
    )


# What a listed entry shows (templates/catalog/list.html) and the snippets read: no body, no join.
LIST_FIELDS = (
    "id",
    "organ_id",
    "publisher",
    "index_number",
    "title",
    "summary",
    "doc_number",
    "publish_date",
    "validity",
    "theme_id",
    "genre_id",
    "status",
)


def _result_columns():
    # A four-join query took PostgreSQL 1.4 ms to plan for 20 rows and Django 1.6 ms to build;
    # the organ, theme and genre come from the facet lookups instead (_with_related).
    return CatalogEntry.objects.only(*LIST_FIELDS)


def _with_related(entries: list[CatalogEntry]) -> list[CatalogEntry]:
    """Give each entry its organ, theme (with its parent) and genre from the facet lookups.

    The lookups are built once per content generation and shared read-only; an entry whose organ
    is not among them (an organ no longer active) gets its related rows from the database.
    """
    lookups = facet_lookups()
    missing = []
    for entry in entries:
        organ = lookups.organs.get(entry.organ_id)
        theme = lookups.themes.get(entry.theme_id)
        genre = lookups.genres.get(entry.genre_id)
        if organ is None or theme is None or genre is None:
            missing.append(entry)
            continue
        entry.organ, entry.theme, entry.genre = organ, theme, genre
    if missing:
        prefetch_related_objects(missing, "organ", "theme__parent", "genre")
    return entries


def _searched_ids(query: ParsedQuery, filters: CatalogFilters, order: str) -> tuple[list[int], FacetCounts]:
    """The ids to page through, in display order, and the counts of the search."""
    ranked = order == "relevance"
    found = searching.walk(query.terms, filters=filters, want=COUNT_BOUND + 1, with_head=ranked)
    matches = found.matches[:COUNT_BOUND]
    if found.complete and len(found.matches) <= COUNT_BOUND:
        counts = _count(found.matches)
    else:
        counts = FacetCounts(total=max(found.estimate, COUNT_BOUND + 1), total_capped=True, available=False)
    ids = [m.entry_id for m in matches]
    if ranked:
        if found.complete:  # every match is in hand, heads included: no second walk
            hits = [m for m in found.matches if all(term in m.head for term in query.terms)]
        else:
            hits = searching.walk(
                query.terms, filters=filters, want=RANK_HEAD, head=True, with_head=True
            ).matches
        hits = sorted(hits[:RANK_HEAD], key=lambda m: not _in_codes(m.head, query.terms))
        first = [m.entry_id for m in hits]
        chosen = set(first)
        ids = (first + [pk for pk in ids if pk not in chosen])[:COUNT_BOUND]
    return ids, counts


def _in_codes(head: str, terms: Sequence[str]) -> bool:
    """Whether every term is in the 发文字号 or the 索引号 (the head's second and third lines)."""
    codes = head.split(search.FIELD_SEPARATOR, 1)[-1]
    return all(term in codes for term in terms)


def _count(matches: Sequence[searching.Match]) -> FacetCounts:
    counts = FacetCounts(total=len(matches))
    c = counts.counts
    for m in matches:
        for dim, key in (
            ("organ", m.organ_id),
            ("theme", m.theme_id),
            ("genre", m.genre_id),
            ("year", m.publish_date.year),
            ("validity", m.validity),
            ("item", m.article_item or 0),
        ):
            c[dim][key] = c[dim].get(key, 0) + 1
    return counts


def _browsed_rows(filters: CatalogFilters) -> tuple[Sequence, FacetCounts]:
    """The filtered list, newest first, counted exactly by the facet aggregates."""
    counts = facet_counts(filters)
    available = min(counts.total, MAX_BROWSE_ROWS)
    rows = CatalogEntry.objects.published().filter(filters.as_q()).order_by("-publish_date", "-id")
    return _CountedRows(rows, available, key=astuple(filters)), counts


# --- every match, for the open-data API ----------------------------------------------------


class _TsMatch(Func):
    """vector @@ query, as an expression (so that Django aliases the column in subqueries)."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _document_keys() -> Func:
    columns = ("head", "body", "publish_date", "organ_id", "theme_id", "genre_id", "validity", "article_item")
    return Func(*map(F, columns), function="catalog_search_keys", output_field=SearchVectorField())


def matching_documents(query: ParsedQuery):
    """The search documents holding every term: index keys, then strpos() for longer terms."""
    keys = " & ".join(key for term in query.terms for key in search.term_keys(term))
    condition = Q(_TsMatch(_document_keys(), Cast(Value(keys), SearchQueryField())))
    for term in query.terms:
        if len(term) > 3:
            in_head = GreaterThan(StrIndex("head", Value(term)), 0)
            in_body = GreaterThan(StrIndex("body", Value(term)), 0)
            condition &= Q(in_head) | Q(in_body)
    return SearchDocument.objects.filter(condition)


def matching_entries(*, query: ParsedQuery | str = "", filters: CatalogFilters = NO_FILTERS):
    """Every published entry that the list page finds for these filters and query, newest first.

    Ordered by (publish_date, id) descending, with the list columns (no body). Unlike
    search_entries it neither counts, ranks nor stops at COUNT_BOUND: the public API pages
    through it by keyset and the downloads stream it (apps/api). A public caller evaluates it
    inside ``search_time_bound()``, so that no query holds a worker longer than the bound.
    """
    if isinstance(query, str):
        query = parse_query(query)
    rows = CatalogEntry.objects.published().for_list().filter(filters.as_q())
    if query:
        rows = rows.filter(pk__in=matching_documents(query).values("entry_id"))
    return rows.order_by("-publish_date", "-id")
