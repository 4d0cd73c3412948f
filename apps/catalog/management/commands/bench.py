"""Benchmark the public catalog on a large generated database.

    manage.py bench --entries 1000000 [--repeat 30] [--rebuild] [--reports]

Loads the benchmark organs' entries with the bulk loader when the database holds fewer than
asked (and keeps them for the next run), then times each case in-process with Django's
test Client: server time from request to response, no network. Cases are plain functions
registered with ``@bench_case(group)`` that return a ``Case``; adding one is one function.
"""

from __future__ import annotations

import logging
import math
import random
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment
from django.urls import NoReverseMatch, reverse

from apps.catalog import search
from apps.catalog.bulk import BENCH_SLUG_PREFIX, bulk_load, ensure_bench_organs
from apps.catalog.demo import RARE_WORDS, ensure_fixtures
from apps.catalog.enums import Status
from apps.catalog.models import CatalogEntry, IndexSequence
from apps.organs.demo import demo_organ_filter
from apps.organs.models import Organ

DEFAULT_SEED = 1_000_003
WARMUP = 3


@dataclass
class BenchContext:
    client: Client
    rng: random.Random
    busy_slug: str
    published_ids: tuple[int, int]  # min and max id of published benchmark entries


@dataclass
class Case:
    """One measured operation. ``url`` makes a page case (GET through the test Client);
    ``call`` is for in-process work (e.g. compiling a report) and returns a result count."""

    name: str
    url: Callable[[], str] | None = None
    call: Callable[[], int | None] | None = None


CASES: dict[str, list[Callable[[BenchContext], Case]]] = {"catalog": [], "reports": []}


def bench_case(group: str):
    def register(factory: Callable[[BenchContext], Case]):
        CASES[group].append(factory)
        return factory

    return register


def _list_url(**params) -> str:
    from urllib.parse import urlencode

    url = reverse("catalog:list")
    return f"{url}?{urlencode(params)}" if params else url


@bench_case("catalog")
def catalog_list(ctx: BenchContext) -> Case:
    return Case("list /catalog/", url=lambda: _list_url())


@bench_case("catalog")
def catalog_filtered(ctx: BenchContext) -> Case:
    return Case("list organ+year", url=lambda: _list_url(organ=ctx.busy_slug, year=2024))


@bench_case("catalog")
def search_rare(ctx: BenchContext) -> Case:
    return Case(f"search rare {RARE_WORDS[0]}", url=lambda: _list_url(q=RARE_WORDS[0]))


@bench_case("catalog")
def search_common(ctx: BenchContext) -> Case:
    return Case("search 公开", url=lambda: _list_url(q="公开"))


@bench_case("catalog")
def search_fragment(ctx: BenchContext) -> Case:
    # 商引 cuts across the jieba words 招商引资: only the character bigrams can find it.
    return Case("search fragment 商引", url=lambda: _list_url(q="商引"))


@bench_case("catalog")
def catalog_detail(ctx: BenchContext) -> Case:
    low, high = ctx.published_ids

    def url() -> str:
        # Picked before the clock starts: a random published entry each time.
        index_number = (
            CatalogEntry.objects.filter(status=Status.PUBLISHED, pk__gte=ctx.rng.randint(low, high))
            .order_by("pk")
            .values_list("index_number", flat=True)
            .first()
        )
        return reverse("catalog:detail", kwargs={"index_number": index_number})

    return Case("detail (random entry)", url=url)


@dataclass
class Result:
    name: str
    times_ms: list[float] = field(default_factory=list)
    queries: int | None = None
    count: int | None = None
    note: str = ""

    def percentile(self, p: float) -> float | None:
        if not self.times_ms:
            return None
        ordered = sorted(self.times_ms)
        return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


class Command(BaseCommand):
    help = "Benchmark the catalog pages on N generated entries (loads them when missing)."

    def add_arguments(self, parser):
        parser.add_argument("--entries", type=int, default=200_000, help="entries the database should hold")
        parser.add_argument("--repeat", type=int, default=30, help="timed requests per case")
        parser.add_argument(
            "--rebuild", action="store_true", help="delete the benchmark entries and load anew"
        )
        parser.add_argument("--reports", action="store_true", help="also time the annual-report cases")
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
        bench_entries = CatalogEntry.objects.filter(organ__slug__startswith=BENCH_SLUG_PREFIX)
        if rebuild:
            self._wipe([info.pk for info, _ in organs])
        existing = bench_entries.count()
        if existing < entries:
            missing = entries - existing
            self.stdout.write(
                f"Loading {missing:,} entries ({existing:,} already there) with {workers} workers"
            )
            result = bulk_load(
                organs=organs, count=missing, seed=seed + existing, workers=workers, stdout=self.stdout
            )
            self.stdout.write(
                f"Loaded {result.count:,} entries in {result.seconds:.1f} s ({result.rate:,.0f} entries/s; "
                f"index rebuild {result.index_seconds:.1f} s)"
            )
        else:
            self.stdout.write(f"Reusing {existing:,} entries (asked for {entries:,}).")
        self._sizes()

        published = bench_entries.filter(status=Status.PUBLISHED)
        ids = (
            published.order_by("pk").values_list("pk", flat=True).first(),
            published.order_by("-pk").values_list("pk", flat=True).first(),
        )
        context = BenchContext(
            client=Client(SERVER_NAME=_allowed_host()),
            rng=random.Random(seed),
            busy_slug=f"{BENCH_SLUG_PREFIX}zrzyj",
            published_ids=ids,
        )
        groups = ["catalog"]
        results = []
        # The benchmark measures the views, not a missing collectstatic: serve static names plainly.
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        # Failing views are reported in the table; their tracebacks would drown it.
        request_logger = logging.getLogger("django.request")
        with override_settings(STORAGES=storages), _quiet(request_logger):
            for group in groups:
                if not CASES[group]:
                    self.stdout.write(f"(no {group} cases registered yet)")
                for factory in CASES[group]:
                    results.append(self._measure(factory(context), context, repeat))
        self._table(results, repeat)
        if reports:
            # Annual report: compile, checks and PDF for an organ with 100,000 applications.
            from apps.reports import bench as report_bench

            report_bench.run(stdout=self.stdout)

    def _wipe(self, organ_ids: list[int]) -> None:
        started = time.monotonic()
        table = CatalogEntry._meta.db_table
        if not Organ.objects.exclude(slug__startswith=BENCH_SLUG_PREFIX).exists():
            # A database of benchmark organs only: TRUNCATE is instant where DELETE takes minutes.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending FK checks
                cursor.execute(f"TRUNCATE {table} CASCADE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            # TRUNCATE fires no DELETE triggers: the search helper's facet counts need a rebuild.
            if rebuild_facets := getattr(search, "rebuild_facet_counts", None):
                rebuild_facets()
        else:
            CatalogEntry.objects.filter(organ_id__in=organ_ids).delete()
        IndexSequence.objects.filter(organ_id__in=organ_ids).delete()
        self.stdout.write(f"Removed the benchmark entries in {time.monotonic() - started:.1f} s")

    def _sizes(self) -> None:
        table = CatalogEntry._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_size_pretty(pg_total_relation_size(%s)), pg_size_pretty(pg_relation_size(%s)),"
                " pg_size_pretty(pg_indexes_size(%s)), (SELECT count(*) FROM " + table + ")",
                [table, table, table],
            )
            total, heap, indexes, rows = cursor.fetchone()
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_size_pretty(pg_relation_size(indexrelid))"
                " FROM pg_index WHERE indrelid = %s::regclass ORDER BY pg_relation_size(indexrelid) DESC",
                [table],
            )
            per_index = cursor.fetchall()
        self.stdout.write(
            f"Table {table}: {rows:,} rows; total {total} (heap {heap}, indexes {indexes}, rest TOAST)"
        )
        for name, size in per_index:
            self.stdout.write(f"  {name}: {size}")

    def _measure(self, case: Case, ctx: BenchContext, repeat: int) -> Result:
        result = Result(case.name)
        try:
            for _ in range(WARMUP):
                self._once(case, ctx)
            for _ in range(repeat):
                url = case.url() if case.url else None
                started = time.perf_counter()
                response = ctx.client.get(url) if url else case.call()
                result.times_ms.append((time.perf_counter() - started) * 1000)
                if url and response.status_code != 200:
                    result.note = f"HTTP {response.status_code}"
            result.queries, result.count = self._count(case, ctx)
        except NoReverseMatch as error:
            result.note = f"no URL ({error})"
        except Exception as error:  # one broken view must not hide the other figures
            result.note = f"{type(error).__name__}: {error}"
        return result

    def _once(self, case: Case, ctx: BenchContext):
        return ctx.client.get(case.url()) if case.url else case.call()

    def _count(self, case: Case, ctx: BenchContext) -> tuple[int, int | None]:
        """One more run with queries captured and (for pages) the template context recorded."""
        if case.call:
            with CaptureQueriesContext(connection) as queries:
                count = case.call()
            return len(queries), count
        url = case.url()
        try:
            setup_test_environment()  # records response.context; only for this uncounted request
            instrumented_here = True
        except RuntimeError:  # already set up (under pytest)
            instrumented_here = False
        try:
            with CaptureQueriesContext(connection) as queries:
                response = ctx.client.get(url)
        finally:
            if instrumented_here:
                teardown_test_environment()
        return len(queries), _result_count(response)

    def _table(self, results: list[Result], repeat: int) -> None:
        self.stdout.write(
            f"\n{'case':<28}{'p50 ms':>10}{'p95 ms':>10}{'queries':>9}{'results':>10}  (n={repeat})"
        )
        for r in results:
            p50, p95 = r.percentile(0.5), r.percentile(0.95)
            self.stdout.write(
                f"{r.name:<28}{_fmt(p50):>10}{_fmt(p95):>10}{_fmt(r.queries):>9}{_fmt(r.count):>10}  {r.note}"
            )
        if all(r.times_ms for r in results):
            worst = max(r.percentile(0.95) for r in results)
            self.stdout.write(
                f"worst p95: {worst:.1f} ms; median of p50s: {statistics.median(r.percentile(0.5) for r in results):.1f} ms"
            )


@contextmanager
def _quiet(logger: logging.Logger):
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _fmt(value) -> str:
    if value is None:
        return "-"
    return f"{value:.1f}" if isinstance(value, float) else f"{value:,}"


def _result_count(response) -> int | None:
    """How many results a page says it has (paginator count, else the listed objects)."""
    if response.status_code != 200:
        return None
    context = response.context
    if context is None:
        return None
    results = context.get("results")  # the catalog views' CatalogResults
    if results is not None and hasattr(getattr(results, "page", None), "paginator"):
        return int(results.page.paginator.count)
    for key in ("page_obj", "paginator"):
        obj = context.get(key)
        paginator = getattr(obj, "paginator", obj)
        if paginator is not None and hasattr(paginator, "count"):
            try:
                return int(paginator.count)
            except (TypeError, ValueError):
                pass
    for key in ("result_count", "total", "count"):
        value = context.get(key)
        if isinstance(value, int):
            return value
    for key in ("object_list", "entries", "results"):
        value = context.get(key)
        if value is not None and hasattr(value, "__len__"):
            return len(value)
    return 1 if context.get("entry") is not None or context.get("object") is not None else None


def _allowed_host() -> str:
    for host in settings.ALLOWED_HOSTS:
        if host == "*":
            return "localhost"
        if host and not host.startswith("."):
            return host
    return "localhost"
