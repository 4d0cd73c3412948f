"""The search engine over catalog_searchdocument: bounded work for every query.

A search reads its matches newest first, in *chunks* of publication dates (whole years,
months or days, expressed as the index's date keys), until it holds ``want`` matches or
has read every date. A chunk is one SQL statement: the GIN index intersects the terms'
keys with the filter and date keys, and strpos() on the folded text verifies the terms
the keys do not prove. How wide a chunk is comes from the gram statistics
(catalog_searchgramstat: the share of a year's documents holding a gram) and the facet
counts (documents per year): a chunk is meant to hold about CHUNK_TARGET candidates, so
a term found in every document reads a few days, a rare one every year at once, and a
year term (2021年) skips the years that seldom mention it in one statement and then reads
its own year day by day. Statistics only size the chunks; a chunk that still returns
more than CHUNK_CAP rows is split and read again, so stale or missing statistics cost
time, never results.

Every statement runs under a statement timeout, and the walk under a deadline: past it
the search stops and reports what it found as incomplete (the page says 约).
"""

from __future__ import annotations

import calendar
import datetime as dt
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils import timezone

from apps.catalog import search, search_upkeep
from apps.catalog.models import SearchDocument, SearchGramStat
from apps.catalog.selectors.facets import CatalogFilters, facet_counts

# Candidates a chunk is sized for, and the most rows it may return before it is split.
CHUNK_TARGET = 1_500
CHUNK_CAP = 4_000
# A 1-2 character term held by at least this share of documents is not looked up in the
# index (its prefix would gather hundreds of posting lists): strpos() verifies it.
DENSE_SHARE = 0.15
# Trigrams used per term (the rarest by the statistics; strpos() checks the rest).
MAX_TERM_KEYS = 4
# A trigram held by at least this share of documents (averaged over the years searched) is
# not looked up unless it is the term's rarest.
COMMON_SHARE = 0.5
STAT_MIN_SHARE = search_upkeep.STAT_MIN_SHARE  # the share assumed for a gram the statistics lack
# The walk stops reading after this many seconds and reports an incomplete result.
WALK_SECONDS = getattr(settings, "CATALOG_SEARCH_WALK_SECONDS", 1.0)

DATE_KEY_EPOCH = dt.date(2000, 1, 1)  # '#d<days since>' in catalog_search_keys()
_KEYS_SQL = (
    "catalog_search_keys(head, body, publish_date, organ_id, theme_id, genre_id, validity, article_item)"
)
_COLUMNS = "entry_id, publish_date, organ_id, theme_id, genre_id, validity, article_item"


@dataclass(frozen=True)
class Match:
    entry_id: int
    publish_date: dt.date
    organ_id: int
    theme_id: int
    genre_id: int
    validity: str
    article_item: int | None
    head: str = ""

    @property
    def order_key(self) -> tuple:
        return (self.publish_date, self.entry_id)


@dataclass
class Walk:
    """The matches of one walk, newest first, and whether they are all there are."""

    matches: list[Match] = field(default_factory=list)
    complete: bool = True
    estimate: int = 0  # total matches, estimated when incomplete
    statements: int = 0


@dataclass(frozen=True)
class _Term:
    text: str
    keys: tuple[str, ...]  # tsquery operands (empty: verified by strpos only)
    verify: bool
    shares: dict[int, float]  # estimated share of each year's documents holding it


@dataclass(frozen=True)
class _Chunk:
    keys: tuple[str, ...]  # date keys, ORed
    first: dt.date
    last: dt.date
    estimate: float  # expected candidates
    unit: str  # "year", "month" or "day"


def date_keys_of(unit: str, day: dt.date) -> str:
    if unit == "year":
        return search.facet_key("y", day.year)
    if unit == "month":
        return search.facet_key("m", day.year * 100 + day.month)
    return search.facet_key("d", (day - DATE_KEY_EPOCH).days)


def _gram_shares(grams: Sequence[str]) -> dict[str, dict[int, float]]:
    if not grams:
        return {}
    shares: dict[str, dict[int, float]] = {}
    for gram, year, share in SearchGramStat.objects.filter(gram__in=grams).values_list(
        "gram", "year", "share"
    ):
        shares.setdefault(gram, {})[year] = share
    return shares


def _stats_available() -> bool:
    return SearchGramStat.objects.filter(gram="").exists()


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def plan_terms(terms: Sequence[str], *, head: bool, years: Sequence[int]) -> list[_Term]:
    """Choose each term's index keys from the statistics (one query)."""
    mark = search.HEAD_MARK if head else ""
    wanted = set()
    for term in terms:
        if len(term) <= 2:
            wanted.add(mark + term)
        else:
            wanted.update(mark + gram for gram in search.trigrams(term))
    stats = _gram_shares(sorted(wanted))
    known = bool(stats) or _stats_available()
    planned = []
    for term in terms:
        if len(term) <= 2:
            share = stats.get(mark + term, {})
            by_year = {y: share.get(y, STAT_MIN_SHARE if known else 0.0) for y in years}
            dense = known and years and max(by_year.values(), default=0) >= DENSE_SHARE
            keys = () if dense else tuple(search.term_keys(term, head=head))
            planned.append(_Term(term, keys, verify=dense, shares=by_year if known else {}))
            continue
        grams = search.trigrams(term)
        gram_shares = {
            g: {y: stats.get(mark + g, {}).get(y, STAT_MIN_SHARE if known else 0.0) for y in years}
            for g in grams
        }
        rarest = sorted(grams, key=lambda g: sum(gram_shares[g].values()))[:MAX_TERM_KEYS]
        # A gram in most documents (202 of 2021年) filters little and its posting list is the
        # longest to read: strpos() checks it instead. The rarest gram is always kept.
        rarest = rarest[:1] + [g for g in rarest[1:] if _mean(gram_shares[g].values()) < COMMON_SHARE]
        keys = tuple(search.quote_lexeme(mark + g) for g in sorted(rarest, key=grams.index))
        by_year = {y: min(gram_shares[g][y] for g in grams) for y in years} if known else {}
        planned.append(_Term(term, keys, verify=len(term) > 3 or len(rarest) < len(grams), shares=by_year))
    return planned


def _filter_keys(filters: CatalogFilters) -> list[str]:
    keys = []
    if filters.organ_id is not None:
        keys.append(search.facet_key("o", filters.organ_id))
    if filters.subtheme_id is not None:
        keys.append(search.facet_key("t", filters.subtheme_id))
    if filters.theme_ids is not None:
        keys.append("(" + " | ".join(search.facet_key("t", t) for t in filters.theme_ids) + ")")
    if filters.genre_id is not None:
        keys.append(search.facet_key("g", filters.genre_id))
    if filters.validity is not None:
        keys.append(search.facet_key("v", filters.validity))
    if filters.item is not None:
        keys.append(search.facet_key("i", filters.item))
    return keys


def _chunks(year_rows: dict[int, int], terms: list[_Term], today: dt.date) -> Iterator[_Chunk]:
    """Date chunks newest first, each expected to hold about CHUNK_TARGET candidates."""

    def share(year: int) -> float:
        known = [t.shares[year] for t in terms if t.keys and year in t.shares]
        return min(known) if known else (1.0 if not any(t.keys for t in terms) else 0.0)

    years = sorted(year_rows, reverse=True)
    pending: list[int] = []
    pending_estimate = 0.0
    for year in years:
        estimate = year_rows[year] * share(year)
        if estimate > CHUNK_TARGET:
            if pending:
                yield _year_chunk(pending, pending_estimate)
                pending, pending_estimate = [], 0.0
            yield from _split_year(year, estimate, today)
            continue
        if pending and pending_estimate + estimate > CHUNK_TARGET:
            yield _year_chunk(pending, pending_estimate)
            pending, pending_estimate = [], 0.0
        pending.append(year)
        pending_estimate += estimate
    if pending:
        yield _year_chunk(pending, pending_estimate)


def _year_chunk(years: list[int], estimate: float) -> _Chunk:
    first, last = dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
    keys = tuple(date_keys_of("year", dt.date(y, 1, 1)) for y in years)
    return _Chunk(keys, first, last, estimate, "year")


def _split_year(year: int, estimate: float, today: dt.date) -> Iterator[_Chunk]:
    months = 12 if year < today.year else today.month
    per_month = estimate / max(months, 1)
    yield from _group([(dt.date(year, m, 1), per_month) for m in range(12, 0, -1)], "month", today)


def _group(units: list[tuple[dt.date, float]], unit: str, today: dt.date) -> Iterator[_Chunk]:
    """Consecutive months (or days), newest first, grouped up to CHUNK_TARGET; big ones split."""
    pending: list[tuple[dt.date, float]] = []
    total = 0.0

    def flush() -> _Chunk:
        days = [d for d, _ in pending]
        last = days[0] if unit == "day" else _month_end(days[0])
        keys = tuple(date_keys_of(unit, d) for d in days)
        return _Chunk(keys, days[-1], last, total, unit)

    for start, estimate in units:
        if start > today:
            continue
        if unit == "month" and estimate > CHUNK_TARGET:
            if pending:
                yield flush()
                pending, total = [], 0.0
            length = calendar.monthrange(start.year, start.month)[1]
            days = [start.replace(day=d) for d in range(length, 0, -1)]
            yield from _group([(d, estimate / length) for d in days], "day", today)
            continue
        if pending and total + estimate > CHUNK_TARGET:
            yield flush()
            pending, total = [], 0.0
        pending.append((start, estimate))
        total += estimate
    if pending:
        yield flush()


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _key_number(key: str) -> int:
    return int(key.strip("'")[2:])  # '#y2021' -> 2021, '#m202103' -> 202103


def _split(chunk: _Chunk, today: dt.date) -> list[_Chunk]:
    """A chunk that returned too many rows, cut into its months or days (newest first)."""
    if chunk.unit == "day":
        days = [DATE_KEY_EPOCH + dt.timedelta(days=_key_number(key)) for key in chunk.keys]
        return [_Chunk((key,), day, day, CHUNK_CAP, "day") for key, day in zip(chunk.keys, days, strict=True)]
    if chunk.unit == "year":
        months = [dt.date(_key_number(key), m, 1) for key in chunk.keys for m in range(12, 0, -1)]
        return [
            _Chunk((date_keys_of("month", d),), d, _month_end(d), CHUNK_CAP, "month")
            for d in months
            if d <= today
        ]
    result = []
    for key in chunk.keys:
        month = _key_number(key)
        start = dt.date(month // 100, month % 100, 1)
        for d in range(calendar.monthrange(start.year, start.month)[1], 0, -1):
            day = start.replace(day=d)
            result.append(_Chunk((date_keys_of("day", day),), day, day, CHUNK_CAP, "day"))
    return result


def _newest_date() -> dt.date | None:
    """The latest 发布日期 of any search document: chunks never start in days without any."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT max(publish_date) FROM {SearchDocument._meta.db_table}")
        return cursor.fetchone()[0]


def walk(
    terms: Sequence[str],
    *,
    filters: CatalogFilters,
    want: int,
    head: bool = False,
    with_head: bool = False,
    today: dt.date | None = None,
) -> Walk:
    """The newest matches of ``terms`` (all of them) within ``filters``, up to ``want`` or more.

    ``head``: the terms must all be in the head (title, 发文字号, 索引号). Stops early (and
    says incomplete, with an estimated total) once ``want`` matches are in hand or the
    deadline passes; otherwise the matches are all there are.
    """
    today = min(today or timezone.localdate(), _newest_date() or dt.date.min)
    counts = facet_counts(filters)
    year_rows = {int(y): n for y, n in counts.counts["year"].items() if n}
    if filters.year is not None:
        year_rows = {y: n for y, n in year_rows.items() if y == filters.year}
    result = Walk()
    if not year_rows:
        return result
    planned = plan_terms(terms, head=head, years=sorted(year_rows))
    term_keys = [key for t in planned for key in t.keys]
    fixed_keys = term_keys + _filter_keys(filters)
    verify = [t.text for t in planned if t.verify]
    deadline = time.monotonic() + WALK_SECONDS
    queue = list(_chunks(year_rows, planned, today))
    estimated_done = 0.0
    truncated = False
    while queue:
        chunk = queue.pop(0)
        if time.monotonic() > deadline:
            queue.insert(0, chunk)
            break
        rows, overflow = _read_chunk(chunk, fixed_keys, verify, head=head, with_head=with_head)
        result.statements += 1
        if overflow and (chunk.unit != "day" or len(chunk.keys) > 1):
            queue[:0] = _split(chunk, today)
            continue
        if overflow:  # one day with more matches than a chunk may return: keep its newest
            truncated = True
        rows.sort(key=lambda m: m.order_key, reverse=True)
        result.matches += rows
        estimated_done += chunk.estimate
        if len(result.matches) >= want:
            break
    if queue or truncated:
        result.complete = False
        remaining = sum(c.estimate for c in queue)
        ratio = len(result.matches) / estimated_done if estimated_done else 1.0
        result.estimate = len(result.matches) + int(remaining * min(max(ratio, 0.05), 1.0))
    else:
        result.estimate = len(result.matches)
    return result


def _read_chunk(
    chunk: _Chunk, keys: list[str], verify: list[str], *, head: bool, with_head: bool
) -> tuple[list[Match], bool]:
    """One statement: the verified matches of a chunk, and whether it overflowed CHUNK_CAP."""
    date_part = "(" + " | ".join(chunk.keys) + ")"
    tsquery = " & ".join([*keys, date_part])
    if head:
        checks = ["strpos(head, %s) > 0"] * len(verify)
    else:
        checks = ["(strpos(head, %s) > 0 OR strpos(body, %s) > 0)"] * len(verify)
    params: list[object] = [tsquery]
    for term in verify:
        params += [term] if head else [term, term]
    where = " AND ".join([f"{_KEYS_SQL} @@ %s::tsquery", *checks])
    columns = _COLUMNS + (", head" if with_head else "")
    sql = f"SELECT {columns} FROM {SearchDocument._meta.db_table} WHERE {where}"
    if chunk.unit == "day":
        # A day is not split further: keep its newest rows. OFFSET 0 keeps the bitmap scan
        # inside (an ORDER BY on the outside would tempt the planner into the primary key).
        sql = f"SELECT * FROM ({sql} OFFSET 0) AS day ORDER BY entry_id DESC"
    sql += " LIMIT %s"
    params.append(CHUNK_CAP + 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    overflow = len(rows) > CHUNK_CAP
    if overflow and chunk.unit == "day":
        rows = rows[:CHUNK_CAP]
    return [Match(*row) for row in rows], overflow
