"""Public pages of the annual reports: only published versions, served from their frozen copies."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from apps.organs.models import Organ
from apps.reports import selectors
from apps.reports.models import ReportVersion
from disclosure_portal.caching import public_page


@require_safe
@public_page
def report_index(request):
    reports = list(selectors.published_reports())
    return render(request, "reports/index.html", {"years": selectors.reports_by_year(reports)})


@require_safe
@public_page
def organ_reports(request, organ_slug: str):
    organ = get_object_or_404(Organ.objects.active(), slug=organ_slug)
    reports = list(selectors.published_reports().filter(organ=organ))
    return render(request, "reports/organ.html", {"organ": organ, "reports": reports})


def _version_page(request, organ_slug: str, year: int, number: int | None):
    report = selectors.published_report_with_versions(organ_slug=organ_slug, year=year)
    if report is None:
        raise Http404
    versions = list(report.versions.all())
    if not versions:
        raise Http404
    wanted = versions[0] if number is None else next((v for v in versions if v.number == number), None)
    if wanted is None:
        raise Http404
    version = ReportVersion.objects.get(pk=wanted.pk)  # the frozen HTML, deferred in the list
    return render(
        request,
        "reports/version.html",
        {
            "report": report,
            "organ": report.organ,
            "version": version,
            "versions": versions,
            "is_latest": version.number == versions[0].number,
        },
    )


@require_safe
@public_page
def report_detail(request, organ_slug: str, year: int):
    return _version_page(request, organ_slug, year, None)


@require_safe
@public_page
def report_version(request, organ_slug: str, year: int, number: int):
    return _version_page(request, organ_slug, year, number)


@require_safe
def report_version_pdf(request, organ_slug: str, year: int, number: int):
    version = get_object_or_404(
        ReportVersion.objects.select_related("report__organ").defer("html", "statistics"),
        report__organ__slug=organ_slug,
        report__organ__is_active=True,
        report__year=year,
        report__status="published",
        number=number,
    )
    if not version.pdf:
        raise Http404
    try:
        handle = version.pdf.open("rb")
    except FileNotFoundError as exc:  # the stored PDF went missing (storage moved or restored)
        raise Http404 from exc
    response = FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{version.report.organ.name}{year}年政府信息公开工作年度报告（第{number}版）.pdf",
    )
    response["X-Content-SHA256"] = version.pdf_sha256
    return response
