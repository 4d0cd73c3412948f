"""Load the public pages over HTTP and compare them with a bare Django view (`make bench-http`).

    manage.py bench_http [--seconds 10] [--mixed-seconds 60] [--mixed-connections 64]

Run it on a database with the demo data (`make bench-http` seeds it as `make run` does). See
apps/devtools/bench/http.py for what is measured and why the bare view is measured three times.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings

from apps.catalog.enums import Status
from apps.catalog.models import CatalogEntry
from apps.devtools.bench import http
from apps.organs.models import Organ
from apps.reports.models import AnnualReport

SEARCH_WORDS = ["营商环境", "安全生产", "政府信息公开", "通知", "规划", "教育", "统计公报", "实施意见"]
CPU_REPEAT = 100  # fewer and the first page measured (right after ANALYZE) reads high


class _Recorder:
    """Counts the SQL statements of a request (CaptureQueriesContext misses those of a fresh connection)."""

    def __init__(self, statements: list[str]):
        self.statements = statements

    def __call__(self, execute, sql, params, many, context):
        self.statements.append(sql)
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = "Benchmark the public pages with wrk against gunicorn, beside a bare Django view."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=10, help="length of each page's run")
        parser.add_argument("--connections", type=int, default=32)
        parser.add_argument("--mixed-seconds", type=int, default=60)
        parser.add_argument("--mixed-connections", type=int, default=64)

    def handle(self, *args, seconds, connections, mixed_seconds, mixed_connections, **options):
        if not http.wrk_available():
            raise CommandError("wrk is not installed: make scale-deps installs it (apt-get install wrk).")
        pages = self._pages()
        # `make bench-http` rebuilds the demo data just before: without statistics (autovacuum takes
        # a minute or more to get there) PostgreSQL plans the list's query for a handful of rows and
        # sorts every entry. A running portal has its statistics; so must the measured one.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"bench-http: database {connection.settings_dict['NAME']!r}, "
            f"{CatalogEntry.objects.filter(status=Status.PUBLISHED).count()} published entries, "
            f"{os.cpu_count()} cores, load average {self._load()} at the start"
        )
        cpu = self._cpu_ms(pages)
        env = {"DJANGO_SETTINGS_MODULE": "disclosure_portal.settings"}
        logs = Path(tempfile.mkdtemp(prefix="bench-http-"))
        with (
            http.gunicorn(
                ready_path="/",
                log=logs / "bare.log",
                DJANGO_SETTINGS_MODULE="apps.devtools.bench.bare_settings",
            ) as bare,
            http.gunicorn(ready_path="/healthz", log=logs / "cached.log", **env) as cached,
            http.gunicorn(
                ready_path="/healthz", log=logs / "uncached.log", PAGE_CACHE_SECONDS="0", **env
            ) as uncached,
        ):
            run = lambda url: self._run(url, seconds, connections)  # noqa: E731
            bare_runs = [run(bare + "/")]
            cached_runs = {name: run(cached + path) for name, path in pages.items()}
            bare_runs.append(run(bare + "/"))
            uncached_runs = {name: run(uncached + path) for name, path in pages.items()}
            bare_runs.append(run(bare + "/"))
            self._table(pages, cached_runs, uncached_runs, bare_runs, cpu, connections, seconds)
            self._mixed(cached, mixed_seconds, mixed_connections)
        self.stdout.write(f"load average {self._load()} at the end; the servers' error logs are in {logs}")

    # -- what is measured ---------------------------------------------------------------------------

    def _pages(self) -> dict[str, str]:
        entry = CatalogEntry.objects.filter(status=Status.PUBLISHED).order_by("-publish_date", "-id").first()
        report = AnnualReport.objects.published().select_related("organ").order_by("-year").first()
        if entry is None or report is None:
            raise CommandError("No published entry or report: seed the demo data first (make demo-data).")
        organ = entry.organ
        return {
            "home": "/",
            "catalog list": "/catalog/",
            "list with filters": "/catalog/?"
            + urlencode({"organ": organ.slug, "year": entry.publish_date.year}),
            "detail": quote(entry.get_absolute_url()),
            "organ page": f"/organs/{organ.slug}/",
            "report page": f"/reports/{report.organ.slug}/{report.year}/",
            "search": "/catalog/?" + urlencode({"q": SEARCH_WORDS[0]}),
        }

    def _mixed_paths(self, pages: dict[str, str]) -> list[str]:
        """Every kind of public page, with searches for words, years and document numbers."""
        entries = list(
            CatalogEntry.objects.filter(status=Status.PUBLISHED)
            .select_related("organ")
            .order_by("-publish_date", "-id")[:40]
        )
        organs = list(Organ.objects.active().values_list("slug", flat=True))
        years = sorted({e.publish_date.year for e in entries} | {2019, 2020, 2021, 2022, 2023, 2024})
        paths = [*pages.values(), "/organs/", "/organs/?part=guide", "/reports/", "/proposals/"]
        paths += [quote(e.get_absolute_url()) for e in entries]
        paths += [f"/organs/{slug}/{part}" for slug in organs for part in ("", "guide/", "disclosures/")]
        paths += ["/catalog/?" + urlencode({"q": word}) for word in SEARCH_WORDS]
        paths += ["/catalog/?" + urlencode({"q": str(year)}) for year in years]
        numbers = [e.doc_number for e in entries if e.doc_number][:10] + [e.index_number for e in entries[:5]]
        paths += ["/catalog/?" + urlencode({"q": number}) for number in numbers]
        paths += [
            "/catalog/?" + urlencode({"organ": slug, "year": year}) for slug in organs for year in years
        ]
        paths += [f"/catalog/?page={n}" for n in range(2, 8)]
        return paths

    def _cpu_ms(self, pages: dict[str, str]) -> dict[str, tuple[float, int]]:
        """Python CPU time per uncached request in this process (PostgreSQL's own time not included)."""
        client = Client(headers={"host": "127.0.0.1"})
        result = {}
        with override_settings(PAGE_CACHE_SECONDS=0):
            for name, path in pages.items():
                for _ in range(3):
                    client.get(path)
                queries: list[str] = []
                with connection.execute_wrapper(_Recorder(queries)):
                    client.get(path)
                started = time.process_time()
                for _ in range(CPU_REPEAT):
                    response = client.get(path)
                if response.status_code != 200:
                    raise CommandError(f"{path} answered {response.status_code}")
                result[name] = ((time.process_time() - started) * 1000 / CPU_REPEAT, len(queries))
        return result

    # -- output -------------------------------------------------------------------------------------

    def _run(self, url: str, seconds: int, connections: int) -> http.Load:
        http.wrk(url, seconds=2, connections=connections)  # warm-up: workers, caches
        return http.wrk(url, seconds=seconds, connections=connections)

    def _table(self, pages, cached_runs, uncached_runs, bare_runs, cpu, connections, seconds) -> None:
        bare = statistics.mean(r.rps for r in bare_runs)
        spread = ", ".join(f"{r.rps:.0f}" for r in bare_runs)
        self.stdout.write(
            f"\nwrk -t2 -c{connections} -d{seconds}s, gunicorn --workers {http.WORKERS}; "
            f"bare view {bare:.0f} req/s (runs: {spread}), p50 {bare_runs[0].p50_ms:.1f} ms"
        )
        header = (
            f"{'page':<18} {'cached req/s':>12} {'p50':>7} {'p99':>7} {'ratio':>6}   "
            f"{'uncached req/s':>14} {'p50':>7} {'p99':>7} {'ratio':>6}   {'CPU ms':>6} {'SQL':>3}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for name in pages:
            c, u = cached_runs[name], uncached_runs[name]
            cpu_ms, queries = cpu[name]
            self.stdout.write(
                f"{name:<18} {c.rps:>12.0f} {c.p50_ms:>7.1f} {c.p99_ms:>7.1f} {c.rps / bare:>6.2f}   "
                f"{u.rps:>14.0f} {u.p50_ms:>7.1f} {u.p99_ms:>7.1f} {u.rps / bare:>6.2f}   "
                f"{cpu_ms:>6.1f} {queries:>3}"
                + (f"   errors {c.errors + u.errors}" if c.errors or u.errors else "")
            )
        self.stdout.write(
            "(latencies in ms; ratio = req/s over the bare view's mean; CPU ms = Python time per uncached "
            "request in one process, SQL = its queries)"
        )

    def _mixed(self, url: str, seconds: int, connections: int) -> None:
        paths = self._mixed_paths(self._pages())
        with tempfile.TemporaryDirectory(prefix="bench-http-") as directory:
            script = http.round_robin_script(paths, Path(directory))
            load = http.wrk(url, seconds=seconds, connections=connections, script=script)
        self.stdout.write(
            f"\nmixed load, {len(paths)} distinct URLs, {seconds} s at {connections} connections (cached portal): "
            f"{load.requests} requests, {load.rps:.0f} req/s, p50 {load.p50_ms:.1f} ms, p99 {load.p99_ms:.1f} ms, "
            f"errors {load.socket_errors}, non-2xx/3xx {load.non_2xx}"
        )

    @staticmethod
    def _load() -> str:
        return " ".join(f"{n:.2f}" for n in os.getloadavg())
