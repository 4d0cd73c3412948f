"""Bulk loading of generated catalog entries (the benchmark's million rows).

Rows come from the same generator as the demo (apps/devtools/demo/text.py) and get their search
documents from the same ``search.document_text`` the services use, so a bulk-loaded entry
is indistinguishable from one made by ``services.entry_create``. What differs is the path
into PostgreSQL: 索引号 serials are reserved in one block per organ and year (the
IndexSequence row moves on by the block size, so a later entry_create continues after
them), ids are taken from the table's sequence up front (a search document names its
entry), rows are rendered in worker processes and streamed with COPY, and for big loads
the secondary indexes are dropped and rebuilt once at the end (a GIN index is built far
faster in one pass, by parallel workers, than row by row).
"""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction

from apps.catalog import search_upkeep
from apps.catalog.models import CatalogEntry, IndexSequence, SearchDocument
from apps.devtools.bench.rows import DOCUMENT_COLUMNS, Chunk, render
from apps.devtools.bench.rows import columns as column_defaults
from apps.devtools.demo.catalog import lookup_maps
from apps.devtools.demo.text import FIRST_YEAR, REFERENCE_DATE, OrganInfo, random_day
from apps.organs.models import Organ

DROP_INDEXES_FROM = 100_000  # rows; below this, maintaining the indexes is cheaper than rebuilding

# Organs of the benchmark database: real 牡丹江市 department names, fictitious codes
# ("BN" for bench), slugs prefixed "bench-" so they can never be mistaken for demo organs.
# (slug suffix, name, short name, 机关代字, generator profile, weight)
BENCH_ORGANS = (
    ("city", "牡丹江市人民政府", "市政府", "牡政", "government", 6),
    ("fgw", "牡丹江市发展和改革委员会", "市发改委", "牡发改", "government", 3),
    ("jhj", "牡丹江市经济合作促进局", "市经合局", "牡经合", "investment", 2),
    ("zrzyj", "牡丹江市自然资源局", "市自然资源局", "牡自然资", "land", 6),
    ("tjj", "牡丹江市统计局", "市统计局", "牡统", "statistics", 2),
    ("rsj", "牡丹江市人力资源和社会保障局", "市人社局", "牡人社", "labour", 4),
    ("scjgj", "牡丹江市市场监督管理局", "市市场监管局", "牡市监", "market", 5),
    ("swj", "牡丹江市商务局", "市商务局", "牡商", "investment", 2),
    ("zjj", "牡丹江市住房和城乡建设局", "市住建局", "牡住建", "land", 3),
    ("rlzy", "牡丹江市就业服务局", "市就业局", "牡就业", "labour", 1),
)
BENCH_SLUG_PREFIX = "bench-"


def ensure_bench_organs() -> list[tuple[OrganInfo, int]]:
    """Create (once) the benchmark organs; return them with their share of the entries."""
    city = None
    result = []
    for number, (suffix, name, short, abbr, profile, weight) in enumerate(BENCH_ORGANS, start=1):
        organ, _ = Organ.objects.get_or_create(
            slug=f"{BENCH_SLUG_PREFIX}{suffix}",
            defaults={
                "name": name,
                "short_name": short,
                "kind": Organ.Kind.GOVERNMENT if city is None else Organ.Kind.DEPARTMENT,
                "code": f"11231000BN{number:07d}X",
                "parent": city,
                "office_name": f"{name}办公室",
                "office_address": "黑龙江省牡丹江市",
                "phone": "0453-6200000",
                "sort_order": number,
            },
        )
        city = city or organ
        result.append(
            (OrganInfo(organ.pk, organ.name, organ.short_name, organ.code, organ.kind, abbr, profile), weight)
        )
    return result


def hidden_bench_organ(*, slug: str, name: str, short_name: str, code: str) -> Organ:
    """An inactive organ of its own for one benchmark (never listed publicly), created once."""
    organ, _ = Organ.objects.get_or_create(
        slug=slug, defaults={"name": name, "short_name": short_name, "code": code, "is_active": False}
    )
    return organ


@dataclass(frozen=True)
class LoadResult:
    count: int
    seconds: float
    index_seconds: float

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


def bulk_load(
    *,
    organs: Sequence[tuple[OrganInfo, int]],
    count: int,
    seed: int,
    workers: int = 2,
    batch_size: int = 2_000,
    drop_indexes: bool | None = None,
    stdout=None,
) -> LoadResult:
    """Generate ``count`` entries for ``organs`` (with weights) and COPY them in.

    Deterministic for a given seed and starting IndexSequence state. Runs in one
    transaction: on failure nothing is kept, not even the reserved serials.
    """

    def write(message: str) -> None:
        if stdout:
            stdout.write(message)
            stdout.flush()  # progress must show even when output goes to a file

    if drop_indexes is None:
        drop_indexes = count >= DROP_INDEXES_FROM
    started = time.monotonic()
    pool = None
    if workers > 1:
        # Fork before this process holds a connection inside a transaction: the workers never
        # touch the database (they only generate text and vectors).
        if not connection.in_atomic_block:
            connection.close()
        pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        with transaction.atomic():
            columns, defaults = column_defaults()
            chunks = _chunks(organs, count, seed, batch_size, columns, defaults)
            freeze = _truncated_if_empty(SearchDocument._meta.db_table)
            dropped = _drop_secondary_indexes() if drop_indexes else []
            rendered = pool.imap(render, chunks) if pool else map(render, chunks)
            # The facet counts are kept by statement triggers; for a big load they are suspended
            # and rebuilt once at the end (search_upkeep.facet_maintenance_suspended).
            with _facets_suspended(drop_indexes, write):
                _copy(rendered, columns, count, started, write, freeze=freeze)
                index_started = time.monotonic()
                _recreate_indexes(dropped, write)
                index_seconds = time.monotonic() - index_started
        _analyze(vacuum_documents=not freeze, write=write)
    except BaseException:
        if pool:  # do not wait for the workers to render rows nobody will load
            pool.terminate()
            pool = None
        raise
    finally:
        if pool:
            pool.close()
            pool.join()
    return LoadResult(count=count, seconds=time.monotonic() - started, index_seconds=index_seconds)


def _chunks(
    organs: Sequence[tuple[OrganInfo, int]],
    count: int,
    seed: int,
    batch_size: int,
    columns: list[str],
    defaults: dict,
) -> list[Chunk]:
    """The rows to generate, planned and cut into batches that workers render independently."""
    themes, genres = lookup_maps()
    infos = [info for info, _ in organs]
    ids = _reserve_ids(count)
    rows = [
        (*row, pk) for row, pk in zip(_plan(infos, [w for _, w in organs], count, seed), ids, strict=True)
    ]
    return [
        Chunk(seed * 1_000_003 + k, rows[i : i + batch_size], infos, themes, genres, columns, defaults)
        for k, i in enumerate(range(0, count, batch_size))
    ]


def _reserve_ids(count: int) -> list[int]:
    """``count`` fresh ids from the entry table's sequence (never reused, like the services')."""
    table = CatalogEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
        )
        return [row[0] for row in cursor.fetchall()]


def _truncated_if_empty(table: str) -> bool:
    """TRUNCATE ``table`` in this transaction when it holds no row, so that COPY may FREEZE it.

    Rows copied with FREEZE into a table truncated in the same transaction are written frozen,
    and the pages COPY fills from empty are marked all-visible: the load skips the VACUUM pass
    over the largest table (about 70 s a million) and leaves the rest to autovacuum.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
        if cursor.fetchone()[0]:
            return False
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending FK checks
        cursor.execute(f"TRUNCATE {table}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return True


def _copy(
    rendered: Iterable[tuple[bytes, bytes, int]],
    columns: list[str],
    count: int,
    started: float,
    write: Callable[[str], None],
    *,
    freeze: bool = False,
) -> None:
    """Stream the rendered chunks into both tables with COPY, reporting every 50,000 rows."""
    copy_sql = f"COPY {CatalogEntry._meta.db_table} ({', '.join(columns)}) FROM STDIN"
    documents_sql = f"COPY {SearchDocument._meta.db_table} ({', '.join(DOCUMENT_COLUMNS)}) FROM STDIN"
    if freeze:
        documents_sql += " WITH (FREEZE)"
    done, next_report = 0, 50_000
    with connection.cursor() as cursor:
        for data, documents, n in rendered:
            cursor.cursor.copy_expert(copy_sql, io.BytesIO(data))
            cursor.cursor.copy_expert(documents_sql, io.BytesIO(documents))
            done += n
            if done >= next_report or done == count:
                elapsed = time.monotonic() - started
                write(f"  loaded {done:,} / {count:,} entries ({done / elapsed:,.0f}/s)")
                next_report += 50_000


def _analyze(*, vacuum_documents: bool, write: Callable[[str], None]) -> None:
    started = time.monotonic()
    with connection.cursor() as cursor:
        for table in (CatalogEntry._meta.db_table, SearchDocument._meta.db_table):
            # Outside a transaction VACUUM also sets the visibility map (index-only scans);
            # frozen documents have it set already.
            vacuum = not connection.in_atomic_block and (
                vacuum_documents or table != SearchDocument._meta.db_table
            )
            cursor.execute(f"{'VACUUM (ANALYZE)' if vacuum else 'ANALYZE'} {table}")
    write(f"  analyzed the tables in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    search_upkeep.rebuild_gram_stats()
    write(f"  rebuilt the search statistics in {time.monotonic() - started:.1f} s")


def _plan(
    organs: list[OrganInfo], weights: list[int], count: int, seed: int
) -> list[tuple[int, int, int, int]]:
    """Decide organ and publication day of every row, and reserve their 索引号 serials block-wise.

    Returns (organ index, year, serial, day ordinal) per row. Within an organ's year the
    serials follow the publication dates, as they do when clerks enter documents one by one.
    """
    rng = random.Random(seed)
    years = list(range(FIRST_YEAR, REFERENCE_DATE.year + 1))
    year_weights = [1 + (y - FIRST_YEAR) * 0.25 for y in years]
    organ_of = rng.choices(range(len(organs)), weights=weights, k=count)
    day_of = [random_day(rng, year).toordinal() for year in rng.choices(years, weights=year_weights, k=count)]
    year_of = [dt.date.fromordinal(day).year for day in day_of]
    needed = Counter(zip(organ_of, year_of, strict=True))
    next_serial = {}
    for (organ_index, year), n in needed.items():
        last = _reserve(organs[organ_index].pk, year, n)
        next_serial[organ_index, year] = last - n + 1
    serial_of = [0] * count
    for i in sorted(range(count), key=lambda i: (organ_of[i], day_of[i], i)):
        key = (organ_of[i], year_of[i])
        serial_of[i] = next_serial[key]
        next_serial[key] += 1
    return list(zip(organ_of, year_of, serial_of, day_of, strict=True))


def _reserve(organ_id: int, year: int, n: int) -> int:
    """Move the organ's year sequence on by n; return the new last serial (same lock as the service)."""
    table = IndexSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (organ_id, year, last_serial) VALUES (%s, %s, %s)
            ON CONFLICT (organ_id, year) DO UPDATE SET last_serial = {table}.last_serial + EXCLUDED.last_serial
            RETURNING last_serial
            """,
            [organ_id, year, n],
        )
        return cursor.fetchone()[0]


def _drop_secondary_indexes() -> list[tuple[str, str]]:
    """Drop the tables' indexes that back no constraint; return (name, CREATE statement) pairs."""
    tables = [CatalogEntry._meta.db_table, SearchDocument._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = ANY(%s) AND i.schemaname = current_schema()
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass)
            """,
            [tables],
        )
        dropped = cursor.fetchall()
        for name, _ in dropped:
            cursor.execute(f'DROP INDEX "{name}"')
    return dropped


def _recreate_indexes(dropped: list[tuple[str, str]], write: Callable[[str], None]) -> None:
    if not dropped:
        return
    with connection.cursor() as cursor:
        # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED, and CREATE INDEX refuses to
        # run with their checks pending: run the checks now (one pass over the new rows).
        started = time.monotonic()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        write(f"  checked the foreign keys in {time.monotonic() - started:.1f} s")
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        # PostgreSQL 18 builds GIN indexes in parallel too: the search index is most of the work.
        cursor.execute("SET LOCAL max_parallel_maintenance_workers = 2")
        for name, definition in dropped:
            started = time.monotonic()
            cursor.execute(definition)
            write(f"  rebuilt index {name} in {time.monotonic() - started:.1f} s")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextmanager
def _facets_suspended(suspend: bool, write: Callable[[str], None]):
    if not suspend:
        yield
        return
    started = None
    with search_upkeep.facet_maintenance_suspended():
        yield
        started = time.monotonic()
    write(f"  rebuilt the facet counts in {time.monotonic() - started:.1f} s")
