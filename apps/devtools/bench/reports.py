"""Annual-report benchmark: compile and PDF times on an organ with many applications.

Called by ``manage.py bench --reports`` (apps/devtools/management/commands/bench.py) or directly:
``python -c "from apps.devtools.bench.reports import run; ..."``. Goals: compile ≤ 1 s, PDF ≤ 3 s.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.applications.enums import ApplicantType, Channel, DeliveryForm, DeliveryWay, Outcome, Status
from apps.applications.models import Application
from apps.devtools.bench.bulk import hidden_bench_organ
from apps.organs.models import Organ
from apps.reports import services
from apps.reports.compile import gather_statistics
from apps.reports.models import AnnualReport
from apps.reports.pdf import render_pdf
from apps.reports.rendering import render_pdf_html

BENCH_SLUG = "bench-reports"
YEARS = (2022, 2023, 2024, 2025)


def _bench_organ() -> Organ:
    return hidden_bench_organ(
        slug=BENCH_SLUG, name="年报基准测试局", short_name="基准局", code="11231000MB9999999X"
    )


def load_applications(*, organ: Organ, applications: int, stdout, seed: int = 2019) -> int:
    """Bulk-insert applications straight into the applications table (no per-row services: the
    benchmark measures the report, not registration). Returns how many rows were added."""
    have = Application.objects.filter(organ=organ).count()
    missing = applications - have
    if missing <= 0:
        return 0
    rng = random.Random(seed)
    outcomes = list(Outcome.values)
    types = list(ApplicantType.values)
    start = dt.date(YEARS[0], 1, 1)
    span = (dt.date(YEARS[-1], 12, 31) - start).days
    batch: list[Application] = []
    added = 0
    for _ in range(missing):
        received = start + dt.timedelta(days=rng.randint(0, span))
        closed = received + dt.timedelta(days=rng.randint(1, 40))
        is_open = closed > dt.date(YEARS[-1], 12, 31) or rng.random() < 0.02
        batch.append(
            Application(
                organ=organ,
                channel=Channel.ONLINE,
                applicant_type=rng.choice(types),
                applicant_name="基准申请人",
                info_description="基准测试申请。",
                delivery_form=DeliveryForm.ELECTRONIC,
                delivery_way=DeliveryWay.EMAIL,
                submitted_at=timezone.make_aware(dt.datetime.combine(received, dt.time(9))),
                received_on=received,
                status=Status.IN_PROGRESS if is_open else Status.CLOSED,
                outcome="" if is_open else rng.choice(outcomes),
                closed_on=None if is_open else closed,
                reply_date=None if is_open else closed,
            )
        )
        if len(batch) == 5000:
            Application.objects.bulk_create(batch)
            added += len(batch)
            batch = []
            stdout.write(f"  loaded {have + added} applications\n")
    if batch:
        Application.objects.bulk_create(batch)
        added += len(batch)
    return added


def run(*, stdout, applications: int = 100_000) -> dict[str, float]:
    organ = _bench_organ()
    t0 = time.perf_counter()
    added = load_applications(organ=organ, applications=applications, stdout=stdout)
    if added:
        stdout.write(f"  inserted {added} applications in {time.perf_counter() - t0:.1f} s\n")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE applications_application")
    year = YEARS[-1]
    report = AnnualReport.objects.filter(organ=organ, year=year).first() or services.report_create(
        organ=organ, year=year
    )
    gather_statistics(organ=organ, year=year)  # warm-up
    t = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        services.report_compile(report=report)
    compile_s = time.perf_counter() - t
    t = time.perf_counter()
    with CaptureQueriesContext(connection) as check_ctx:
        failures = services.report_check(report=report)
    check_s = time.perf_counter() - t
    html = services.report_render_html(report=report)
    render_pdf(render_pdf_html(document=html, title="warm-up"))  # loads WeasyPrint and the fonts
    t, cpu = time.perf_counter(), time.process_time()
    pdf = render_pdf(render_pdf_html(document=html, title=f"{organ.name}{report.title}"))
    pdf_s = time.perf_counter() - t
    # CPU time of this process: the PDF is pure Python/C work here, so this figure stays
    # comparable when other jobs load the machine (wall time does not).
    pdf_cpu_s = time.process_time() - cpu
    new = report.statistics["table3"]["new"]["total"]
    stdout.write(
        f"reports: {applications} applications, {new} new in {year}: compile {compile_s * 1000:.0f} ms "
        f"({len(ctx.captured_queries)} queries, goal ≤ 1000 ms), checks {check_s * 1000:.0f} ms "
        f"({len(check_ctx.captured_queries)} queries, "
        f"{len(failures)} failures), PDF {pdf_s * 1000:.0f} ms (CPU {pdf_cpu_s * 1000:.0f} ms, "
        f"{len(pdf) // 1024} KiB, goal ≤ 3000 ms)\n"
    )
    return {"compile_s": compile_s, "check_s": check_s, "pdf_s": pdf_s, "pdf_cpu_s": pdf_cpu_s}
