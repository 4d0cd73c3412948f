"""Reads of the catalog: the public list, search and facets, and what other apps use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, fields

from django.conf import settings
from django.contrib.postgres.search import SearchQueryField, SearchRank
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
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

from apps.catalog.enums import DocumentKind, Status, Validity
from apps.catalog.models import Attachment, CatalogEntry, CatalogEntryQuerySet, Genre, ThemeCategory
from apps.catalog.search import ParsedQuery, parse_query
from apps.organs.models import Organ
from apps.organs.selectors import public_organs


def normative_document_counts(*, organ_ids: Sequence[int], year: int) -> dict[str, dict[str, int]]:
    """规章 and 行政规范性文件 for report table 2 (第二十条第（一）项), derived from the catalog.

    Returns {"rule": {"issued": n, "repealed": n, "in_force": n}, "normative": {...}}:
    - issued (本年制发件数): published entries whose 成文日期 (else 发布日期) falls in the year;
    - repealed (本年废止件数): entries whose 废止日期 falls in the year;
    - in_force (现行有效件数): issued by the year's end and not repealed or expired by then.
    One query whatever the number of entries.
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    base = CatalogEntry.objects.filter(
        organ_id__in=organ_ids,
        status=Status.PUBLISHED,
        document_kind__in=[DocumentKind.RULE, DocumentKind.NORMATIVE],
    )
    issued_on = Q(written_date__range=(start, end)) | Q(
        written_date__isnull=True, publish_date__range=(start, end)
    )
    issued_by_end = Q(written_date__lte=end) | Q(written_date__isnull=True, publish_date__lte=end)
    still_in_force = Q(expiry_date__isnull=True) | Q(expiry_date__gt=end)
    # Validity is the entry's current state; an entry marked 已失效/已废止 without a date
    # cannot be placed in time, so it counts as no longer in force.
    no_undated_end = ~Q(validity__in=list(Validity.no_longer_in_force()), expiry_date__isnull=True)
    rows = base.values("document_kind").annotate(
        issued=Count("pk", filter=issued_on),
        repealed=Count("pk", filter=Q(expiry_date__range=(start, end))),
        in_force=Count("pk", filter=issued_by_end & still_in_force & no_undated_end),
    )
    result = {
        kind: {"issued": 0, "repealed": 0, "in_force": 0}
        for kind in (DocumentKind.RULE, DocumentKind.NORMATIVE)
    }
    for row in rows:
        result[row["document_kind"]] = {k: row[k] for k in ("issued", "repealed", "in_force")}
    return {str(k): v for k, v in result.items()}


# --- public catalog: listing, search, facets --------------------------------------------

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

_FACET_DIMENSIONS = ("organ", "theme", "genre", "year", "validity", "item")


class PageOutOfRange(Exception):
    """The requested page does not exist (the view answers 404)."""


@dataclass(frozen=True)
class CatalogFilters:
    """Validated facet filters of the public catalog. None means "not filtered"."""

    organ_id: int | None = None
    theme_ids: tuple[int, ...] | None = None  # a first-level theme and its children
    subtheme_id: int | None = None
    genre_id: int | None = None
    year: int | None = None
    validity: str | None = None
    item: int | None = None

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) is not None for f in fields(self))

    def as_q(self) -> Q:
        q = Q()
        if self.organ_id is not None:
            q &= Q(organ_id=self.organ_id)
        if self.theme_ids is not None:
            q &= Q(theme_id__in=self.theme_ids)
        if self.subtheme_id is not None:
            q &= Q(theme_id=self.subtheme_id)
        if self.genre_id is not None:
            q &= Q(genre_id=self.genre_id)
        if self.year is not None:
            # A range on 发布日期 (not __year) so that the date index is usable.
            q &= Q(publish_date__gte=dt.date(self.year, 1, 1), publish_date__lte=dt.date(self.year, 12, 31))
        if self.validity is not None:
            q &= Q(validity=self.validity)
        if self.item is not None:
            q &= Q(article_item=self.item) if self.item else Q(article_item__isnull=True)
        return q

    def cube_where(self) -> tuple[str, list]:
        clauses, params = ["n > 0"], []
        for column, value in (
            ("organ_id", self.organ_id),
            ("theme_id", self.subtheme_id),
            ("genre_id", self.genre_id),
            ("year", self.year),
            ("validity", self.validity),
            ("article_item", self.item),
        ):
            if value is not None:
                clauses.append(f"{column} = %s")
                params.append(value)
        if self.theme_ids is not None:
            clauses.append("theme_id = ANY(%s)")
            params.append(list(self.theme_ids))
        return " AND ".join(clauses), params


@dataclass
class FacetLookups:
    """The small tables behind the facets: loaded once per request (3 queries)."""

    organs: dict[int, Organ]
    themes: dict[int, ThemeCategory]
    genres: dict[int, Genre]

    @property
    def organs_by_slug(self) -> dict[str, Organ]:
        return {o.slug: o for o in self.organs.values()}

    def theme_family(self, root_id: int) -> tuple[int, ...]:
        return (root_id, *(t.pk for t in self.themes.values() if t.parent_id == root_id))


def facet_lookups() -> FacetLookups:
    return FacetLookups(
        organs={o.pk: o for o in public_organs()},
        themes={t.pk: t for t in ThemeCategory.objects.all()},
        genres={g.pk: g for g in Genre.objects.all()},
    )


@dataclass
class FacetCounts:
    """Published entries per value of each facet dimension, within the current filters.

    ``available`` is False when the result is too large to count (huge search results):
    the page then says so instead of showing wrong numbers.
    """

    total: int = 0
    total_capped: bool = False
    available: bool = True
    counts: dict[str, dict] = field(default_factory=lambda: {d: {} for d in _FACET_DIMENSIONS})


def _grouping_rows_to_counts(rows) -> FacetCounts:
    """Rows of (organ, theme, genre, year, validity, item, n) from GROUPING SETS."""
    result = FacetCounts()
    for *keys, n in rows:
        present = [(dim, key) for dim, key in zip(_FACET_DIMENSIONS, keys, strict=True) if key is not None]
        if not present:
            result.total = int(n)
        else:
            dim, key = present[0]
            result.counts[dim][key] = int(n)
    return result


_GROUPING_SETS = "GROUPING SETS ((organ_id), (theme_id), (genre_id), (year), (validity), (article_item), ())"
_SELECT_GROUPS = "organ_id, theme_id, genre_id, year, validity, article_item"


def facet_counts(filters: CatalogFilters = CatalogFilters()) -> FacetCounts:
    """Exact counts of the published catalog, from the trigger-maintained aggregates.

    One query: the per-value totals when nothing is filtered, else one GROUPING SETS
    aggregate over the matching cells of catalog_facet_cube (migration 0002).
    """
    with connection.cursor() as cursor:
        if not filters:
            cursor.execute("SELECT dimension, value, n FROM catalog_facet_total WHERE n > 0")
            result = FacetCounts()
            for dimension, value, n in cursor.fetchall():
                key: object = value if dimension == "validity" else int(value)
                result.counts[dimension][key] = int(n)
            result.total = sum(result.counts["year"].values())
            return result
        where, params = filters.cube_where()
        cursor.execute(
            f"SELECT {_SELECT_GROUPS}, sum(n) FROM catalog_facet_cube WHERE {where} GROUP BY {_GROUPING_SETS}",
            params,
        )
        result = _grouping_rows_to_counts(cursor.fetchall())
    return result


def published_entries() -> CatalogEntryQuerySet:
    """Every public entry, newest first, ready for lists (no body, no vectors)."""
    return CatalogEntry.objects.published().for_list().order_by("-publish_date", "-id")


def latest_entries(organ: Organ | None = None, limit: int = 10) -> list[CatalogEntry]:
    qs = published_entries()
    if organ is not None:
        qs = qs.filter(organ=organ)
    return list(qs[:limit])


def entries_for_article_item(organ: Organ | None, item: int) -> CatalogEntryQuerySet:
    """Published entries tagged with a 条例第二十条 item (the 法定主动公开内容 pages)."""
    qs = published_entries().filter(article_item=item)
    if organ is not None:
        qs = qs.filter(organ=organ)
    return qs


def published_entry(index_number: str) -> CatalogEntry:
    """The public detail of an entry; DoesNotExist for drafts, withdrawn or unknown."""
    return (
        CatalogEntry.objects.published()
        .select_related("organ", "theme", "theme__parent", "genre")
        .defer("search_words", "search_grams")
        .prefetch_related("attachments")
        .get(index_number=index_number)
    )


def published_attachment(token: str) -> Attachment:
    """An attachment of a published entry; DoesNotExist otherwise."""
    return Attachment.objects.select_related("entry").get(token=token, entry__status=Status.PUBLISHED)


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
    filters: CatalogFilters = CatalogFilters(),
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
    qs = CatalogEntry.objects.published().filter(filters.as_q())
    columns = CatalogEntry.objects.select_related("organ", "theme", "theme__parent", "genre").defer(
        "body", "search_words", "search_grams"
    )
    if query:
        ids, counts = _search_window(qs.filter(_match(query)))
        columns = columns.annotate(body_head=Substr("body", 1, 3000))  # for the snippet
        if order == "relevance":
            ids = ids[:RANK_WINDOW]
            rows = (
                columns.filter(id__in=ids)
                .annotate(rank=_rank(query))
                .order_by("-rank", "-publish_date", "-id")
            )
            rows = _CountedRows(rows if ids else rows.none(), len(ids))
        else:
            rows = _RowsById(ids, columns)
    else:
        counts = facet_counts(filters)
        available = min(counts.total, MAX_BROWSE_ROWS)
        rows = columns.filter(status=Status.PUBLISHED).filter(filters.as_q()).order_by("-publish_date", "-id")
        # Known to be empty: do not let PostgreSQL walk the whole date index to find nothing.
        rows = _CountedRows(rows if available else rows.none(), available)
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
