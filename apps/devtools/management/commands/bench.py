"""Benchmark the public catalog on a large generated database.

    manage.py bench --entries 1000000 [--repeat 30] [--rebuild] [--reports]

Loads the benchmark organs' entries with the bulk loader when the database holds fewer than
asked (and keeps them for the next run), then times each case in-process with Django's
test Client: server time from request to response, no network. The cases are in
apps/devtools/bench/cases.py; ``--reports`` then runs the annual-report benchmark
(apps/devtools/bench/reports.py).
"""

from __future__ import annotations

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from apps.catalog import search_upkeep
from apps.catalog.enums import Status
from apps.catalog.models import CatalogEntry, IndexSequence, SearchDocument
from apps.devtools.bench import imports as import_bench
from apps.devtools.bench import reports as report_bench
from apps.devtools.bench.bulk import BENCH_SLUG_PREFIX, bulk_load, ensure_bench_organs
from apps.devtools.bench.cases import BenchContext
from apps.devtools.bench.timing import allowed_host, run_cases, write_table
from apps.devtools.demo.catalog import ensure_fixtures
from apps.devtools.demo.organs import demo_organ_filter
from apps.organs.models import Organ

DEFAULT_SEED = 1_000_003


class Command(BaseCommand):
    help = "Benchmark the catalog pages on N generated entries (loads them when missing)."

    def add_arguments(self, parser):
        parser.add_argument("--entries", type=int, default=200_000, help="entries the database should hold")
        parser.add_argument("--repeat", type=int, default=30, help="timed requests per case")
        parser.add_argument(
            "--rebuild", action="store_true", help="delete the benchmark entries and load anew"
        )
        parser.add_argument("--reports", action="store_true", help="also time the annual-report cases")
        parser.add_argument(
            "--imports", action="store_true", help="also time the catalog import (10,000 rows)"
        )
        parser.add_argument("--force", action="store_true", help="run even on a database with demo organs")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--workers", type=int, default=2, help="processes generating rows (default 2)")

    def handle(self, *args, entries, repeat, rebuild, reports, force, seed, workers, **options):
        if entries < 1 or repeat < 1 or workers < 1:
            raise CommandError("--entries, --repeat and --workers must be positive.")
        db = connection.settings_dict["NAME"]
        self.stdout.write(f"bench: database {db!r}")
        if Organ.objects.filter(demo_organ_filter()).exists() and not force:
            raise CommandError(
                f"Database {db!r} holds the demo organs: the benchmark would add a million entries to it. "
                "Run it on its own database (EMBEDDED_PG_DB=bench) or pass --force."
            )
        ensure_fixtures(self.stdout)
        organs = ensure_bench_organs()
        if rebuild:
            self._wipe([info.pk for info, _ in organs])
        self._load(organs, entries=entries, seed=seed, workers=workers)
        self._sizes()
        results = run_cases(self._context(seed), repeat)
        write_table(self.stdout, results, repeat)
        if reports:
            # Annual report: compile, checks and PDF for an organ with 100,000 applications.
            report_bench.run(stdout=self.stdout)
        if options["imports"]:
            import_bench.run(self.stdout)

    def _load(self, organs, *, entries: int, seed: int, workers: int) -> None:
        """Load the benchmark entries that are missing; entries already there are reused."""
        existing = _bench_entries().count()
        if existing >= entries:
            self.stdout.write(f"Reusing {existing:,} entries (asked for {entries:,}).")
            return
        missing = entries - existing
        self.stdout.write(f"Loading {missing:,} entries ({existing:,} already there) with {workers} workers")
        result = bulk_load(
            organs=organs, count=missing, seed=seed + existing, workers=workers, stdout=self.stdout
        )
        self.stdout.write(
            f"Loaded {result.count:,} entries in {result.seconds:.1f} s ({result.rate:,.0f} entries/s; "
            f"index rebuild {result.index_seconds:.1f} s)"
        )

    def _context(self, seed: int) -> BenchContext:
        published = _bench_entries().filter(status=Status.PUBLISHED)
        return BenchContext(
            client=Client(SERVER_NAME=allowed_host()),
            rng=random.Random(seed),
            busy_slug=f"{BENCH_SLUG_PREFIX}zrzyj",
            published_ids=(
                published.order_by("pk").values_list("pk", flat=True).first(),
                published.order_by("-pk").values_list("pk", flat=True).first(),
            ),
        )

    def _wipe(self, organ_ids: list[int]) -> None:
        started = time.monotonic()
        table = CatalogEntry._meta.db_table
        if not Organ.objects.exclude(slug__startswith=BENCH_SLUG_PREFIX).exists():
            # A database of benchmark organs only: TRUNCATE is instant where DELETE takes minutes.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending FK checks
                cursor.execute(f"TRUNCATE {table} CASCADE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            # TRUNCATE fires no DELETE triggers: the facet counts need a rebuild.
            search_upkeep.rebuild_facet_counts()
        else:
            CatalogEntry.objects.filter(organ_id__in=organ_ids).delete()
        IndexSequence.objects.filter(organ_id__in=organ_ids).delete()
        self.stdout.write(f"Removed the benchmark entries in {time.monotonic() - started:.1f} s")

    def _sizes(self) -> None:
        """Sizes of the catalog and search tables, and what search costs per entry."""
        entry_table, search_table = CatalogEntry._meta.db_table, SearchDocument._meta.db_table
        with connection.cursor() as cursor:
            for table in (entry_table, search_table):
                cursor.execute(
                    "SELECT pg_total_relation_size(%s), pg_relation_size(%s), pg_indexes_size(%s),"
                    f" (SELECT count(*) FROM {table})",
                    [table, table, table],
                )
                total, heap, indexes, rows = cursor.fetchone()
                self.stdout.write(
                    f"Table {table}: {rows:,} rows; total {_mb(total)} (heap {_mb(heap)}, "
                    f"indexes {_mb(indexes)}, TOAST {_mb(total - heap - indexes)})"
                )
                cursor.execute(
                    "SELECT indexrelid::regclass::text, pg_relation_size(indexrelid)"
                    " FROM pg_index WHERE indrelid = %s::regclass ORDER BY 2 DESC",
                    [table],
                )
                for name, size in cursor.fetchall():
                    self.stdout.write(f"  {name}: {_mb(size)}")
            cursor.execute(
                f"SELECT count(*), avg(pg_column_size(e.title) + pg_column_size(e.summary)"
                f" + pg_column_size(e.body) + pg_column_size(e.keywords) + pg_column_size(e.doc_number)"
                f" + pg_column_size(e.index_number)), avg(pg_column_size(d.head) + pg_column_size(d.body)),"
                f" pg_total_relation_size(%s), pg_relation_size('catalog_search_keys_gin')"
                f" FROM {search_table} d JOIN {entry_table} e ON e.id = d.entry_id",
                [search_table],
            )
            documents, text, columns, total, gin = cursor.fetchone()
        if documents:
            self.stdout.write(
                f"Search bytes per published entry: text it indexes {text:,.0f}; search columns "
                f"(folded head + body) {columns:,.0f}; GIN index {gin / documents:,.0f}; whole search "
                f"table with its indexes {total / documents:,.0f}"
            )


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f} MB"


def _bench_entries():
    return CatalogEntry.objects.filter(organ__slug__startswith=BENCH_SLUG_PREFIX)
