"""Timing of the bench cases: warm-up, repeated requests, query count, and the printed table."""

from __future__ import annotations

import logging
import math
import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment

from apps.devtools.bench.cases import CASES, BenchContext, Case

WARMUP = 3


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


def run_cases(ctx: BenchContext, repeat: int) -> list[Result]:
    # The benchmark measures the views, not a missing collectstatic: serve static names plainly.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Failing views are reported in the table; their tracebacks would drown it. The shared page
    # cache is off: repeated requests would time the cache, not the views.
    with (
        override_settings(STORAGES=storages, PAGE_CACHE_SECONDS=0),
        _quiet(logging.getLogger("django.request")),
    ):
        return [_measure(factory(ctx), ctx, repeat) for factory in CASES]


def _measure(case: Case, ctx: BenchContext, repeat: int) -> Result:
    # Requests go as HTTPS (secure=True), so that SECURE_SSL_REDIRECT does not answer 301.
    result = Result(case.name)
    try:
        for _ in range(WARMUP):
            ctx.client.get(case.url(), secure=True)
        for _ in range(repeat):
            url = case.url()
            started = time.perf_counter()
            response = ctx.client.get(url, secure=True)
            result.times_ms.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                result.note = f"HTTP {response.status_code}"
        result.queries, result.count = _count(case, ctx)
    except Exception as error:  # one broken view must not hide the other figures
        result.note = f"{type(error).__name__}: {error}"
    return result


def _count(case: Case, ctx: BenchContext) -> tuple[int, int | None]:
    """One more request with queries captured and the template context recorded."""
    url = case.url()
    try:
        setup_test_environment()  # records response.context; only for this uncounted request
        instrumented_here = True
    except RuntimeError:  # already set up (under pytest)
        instrumented_here = False
    try:
        with CaptureQueriesContext(connection) as queries:
            response = ctx.client.get(url, secure=True)
    finally:
        if instrumented_here:
            teardown_test_environment()
    return len(queries), _result_count(response)


def _result_count(response) -> int | None:
    """How many results a catalog page says it has: the list's total, 1 for a detail page."""
    if response.status_code != 200 or response.context is None:
        return None
    results = response.context.get("results")  # the list view's CatalogResults
    if results is not None:
        return int(results.page.paginator.count)
    return 1 if response.context.get("entry") is not None else None


def write_table(stdout, results: list[Result], repeat: int) -> None:
    stdout.write(f"\n{'case':<28}{'p50 ms':>10}{'p95 ms':>10}{'queries':>9}{'results':>10}  (n={repeat})")
    for r in results:
        p50, p95 = r.percentile(0.5), r.percentile(0.95)
        stdout.write(
            f"{r.name:<28}{_fmt(p50):>10}{_fmt(p95):>10}{_fmt(r.queries):>9}{_fmt(r.count):>10}  {r.note}"
        )
    if all(r.times_ms for r in results):
        worst = max(r.percentile(0.95) for r in results)
        median = statistics.median(r.percentile(0.5) for r in results)
        stdout.write(f"worst p95: {worst:.1f} ms; median of p50s: {median:.1f} ms")


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


def allowed_host() -> str:
    """A host name the test Client may use with this deployment's ALLOWED_HOSTS."""
    for host in settings.ALLOWED_HOSTS:
        if host == "*":
            return "localhost"
        if host and not host.startswith("."):
            return host
    return "localhost"
