"""Reads of the annual reports: the public lists and the lookups the checks need."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Max, Model, Prefetch, QuerySet
from django.urls import reverse

from apps.applications import selectors as applications
from apps.organs.models import Organ
from apps.reports.checks import RecordRef
from apps.reports.enums import ReportStatus
from apps.reports.models import AnnualReport, ReportVersion

# The report's tables as data, for the open-data API (re-exported: other apps read through here).
from apps.reports.tabular import DataBlock as DataBlock
from apps.reports.tabular import DataTable, report_tables
from apps.reports.tabular import table3_block as table3_block
from apps.reports.tabular import table4_block as table4_block


def previous_published_carry_out(*, organ: Organ, year: int) -> tuple[int, dict[str, int]] | None:
    """(version number, 四、结转下年度继续办理 row) of the latest published version of the organ's report
    for `year`, or None. One query."""
    version = (
        ReportVersion.objects.filter(report__organ=organ, report__year=year)
        .order_by("-number")
        .values("number", "statistics")
        .first()
    )
    if version is None:
        return None
    carried_out = ((version["statistics"] or {}).get("table3") or {}).get("carried_out")
    if carried_out is None:  # a report without table 3 data cannot anchor the cross-year check
        return None
    return version["number"], {k: int(v) for k, v in carried_out.items()}


def published_reports() -> QuerySet[AnnualReport]:
    """Published reports with their organ and the latest version number: one query."""
    return (
        AnnualReport.objects.filter(status=ReportStatus.PUBLISHED, organ__is_active=True)
        .select_related("organ")
        .annotate(latest_version=Max("versions__number"))
        .order_by("-year", "organ__sort_order", "organ__name")
    )


def reports_by_year(reports: Sequence[AnnualReport]) -> list[tuple[int, list[AnnualReport]]]:
    grouped: dict[int, list[AnnualReport]] = {}
    for report in reports:
        grouped.setdefault(report.year, []).append(report)
    return sorted(grouped.items(), reverse=True)


def published_report_with_versions(*, organ_slug: str, year: int) -> AnnualReport | None:
    """The report and its versions (newest first), without the heavy frozen fields: two queries."""
    versions = ReportVersion.objects.defer("html", "statistics").order_by("-number")
    return (
        AnnualReport.objects.filter(
            organ__slug=organ_slug, organ__is_active=True, year=year, status=ReportStatus.PUBLISHED
        )
        .select_related("organ")
        .prefetch_related(Prefetch("versions", queryset=versions))
        .first()
    )


@dataclass
class PublishedVersion:
    """A published report, its versions (newest first) and one of them with its tables as data."""

    report: AnnualReport
    versions: list[ReportVersion]
    version: ReportVersion
    tables: list[DataTable]


def published_version(*, organ_slug: str, year: int, number: int | None = None) -> PublishedVersion | None:
    """Version `number` (the latest when None) of a published report of an active organ, with its
    tables (apps/reports/tabular.py), for the open-data API and downloads. Three queries; None
    when the report, the organ or the version is not public."""
    report = published_report_with_versions(organ_slug=organ_slug, year=year)
    if report is None:
        return None
    versions = list(report.versions.all())
    wanted = next((v for v in versions if number is None or v.number == number), None)
    if wanted is None:
        return None
    statistics = ReportVersion.objects.values_list("statistics", flat=True).get(pk=wanted.pk)
    return PublishedVersion(
        report=report,
        versions=versions,
        version=wanted,
        tables=report_tables(statistics=statistics or {}, report_format=report.format),
    )


def admin_change_url(obj_or_model: Model | type[Model], pk: int) -> str:
    meta = obj_or_model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[pk])


def application_membership_problems(*, organ_ids: Sequence[int], year: int) -> tuple[list[dict], type[Model]]:
    """The applications table 3 does not count exactly once (for the one-row-per-application check),
    found by the database in one query. Returns (problems, model) — the model for admin links."""
    problems = list(applications.row_membership_problems(organ_ids=organ_ids, year=year))
    # An unevaluated queryset: it names the model without a query.
    model = applications.applications_in_cell(organ_ids=organ_ids, year=year, row="new", column="total").model
    return problems, model


def record_ref_factory(model: type[Model]):
    def ref(pk: int) -> RecordRef:
        return RecordRef(f"{model._meta.verbose_name}#{pk}", admin_change_url(model, pk))

    return ref
