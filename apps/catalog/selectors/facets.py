"""The facets of the public catalog: validated filters, the lookups behind them, and exact counts.

Counts come from aggregates that triggers keep current (migration 0002), so the list page
counts a million entries in one cheap query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from django.db import connection
from django.db.models import Q

from apps.catalog.models import Genre, ThemeCategory
from apps.organs.models import Organ
from apps.organs.selectors import public_organs
from disclosure_portal.caching import per_generation

FACET_DIMENSIONS = ("organ", "theme", "genre", "year", "validity", "item")


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
    """The small tables behind the facets (3 queries), built once per content generation in each
    process and shared by its requests: read-only."""

    organs: dict[int, Organ]
    themes: dict[int, ThemeCategory]
    genres: dict[int, Genre]

    @property
    def organs_by_slug(self) -> dict[str, Organ]:
        return {o.slug: o for o in self.organs.values()}

    def theme_family(self, root_id: int) -> tuple[int, ...]:
        return (root_id, *(t.pk for t in self.themes.values() if t.parent_id == root_id))


@per_generation
def facet_lookups() -> FacetLookups:
    themes = {t.pk: t for t in ThemeCategory.objects.all()}
    for theme in themes.values():
        if theme.parent_id in themes:  # theme.path reads the parent: no query per listed entry
            theme.parent = themes[theme.parent_id]
    return FacetLookups(
        organs={o.pk: o for o in public_organs()},
        themes=themes,
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
    counts: dict[str, dict] = field(default_factory=lambda: {d: {} for d in FACET_DIMENSIONS})


def _grouping_rows_to_counts(rows) -> FacetCounts:
    """Rows of (organ, theme, genre, year, validity, item, n) from GROUPING SETS.

    When no cell matches, the grand-total set () still gives one row, with sum(n) NULL.
    """
    result = FacetCounts()
    for *keys, n in rows:
        n = n or 0
        present = [(dim, key) for dim, key in zip(FACET_DIMENSIONS, keys, strict=True) if key is not None]
        if not present:
            result.total = int(n)
        else:
            dim, key = present[0]
            result.counts[dim][key] = int(n)
    return result


_GROUPING_SETS = "GROUPING SETS ((organ_id), (theme_id), (genre_id), (year), (validity), (article_item), ())"
_SELECT_GROUPS = "organ_id, theme_id, genre_id, year, validity, article_item"


@per_generation
def _facet_totals() -> FacetCounts:
    """The unfiltered counts (the catalog list's first page, every search's year sizes): kept per
    content generation in each process, shared read-only. Filtered counts are asked each time:
    their combinations are too many to keep."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT dimension, value, n FROM catalog_facet_total WHERE n > 0")
        result = FacetCounts()
        for dimension, value, n in cursor.fetchall():
            key: object = value if dimension == "validity" else int(value)
            result.counts[dimension][key] = int(n)
    result.total = sum(result.counts["year"].values())
    return result


def facet_counts(filters: CatalogFilters = CatalogFilters()) -> FacetCounts:
    """Exact counts of the published catalog, from the trigger-maintained aggregates.

    The per-value totals when nothing is filtered (one query per content generation), else one
    GROUPING SETS aggregate over the matching cells of catalog_facet_cube (migration 0002).
    """
    if not filters:
        return _facet_totals()
    with connection.cursor() as cursor:
        where, params = filters.cube_where()
        cursor.execute(
            f"SELECT {_SELECT_GROUPS}, sum(n) FROM catalog_facet_cube WHERE {where} GROUP BY {_GROUPING_SETS}",
            params,
        )
        result = _grouping_rows_to_counts(cursor.fetchall())
    return result
