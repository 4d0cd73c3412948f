"""Published 政府信息公开工作年度报告 and their tables, from the frozen versions only."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from apps.api.base import DownloadView, PublicAPIView, not_found
from apps.api.exports import XLSX_TYPE, csv_response, xlsx_response
from apps.api.serializers import ReportSerializer, ReportVersionSerializer, TableSerializer
from apps.reports import selectors
from apps.reports.selectors import DataTable, PublishedVersion


class ReportList(PublicAPIView):
    @extend_schema(
        operation_id="reports_list",
        summary="Published annual reports",
        description="Newest year first; each with its latest version number.",
        parameters=[
            OpenApiParameter("organ", str, description="An organ's slug"),
            OpenApiParameter("year", int, description="报告年度"),
        ],
        responses=ReportSerializer(many=True),
    )
    def get(self, request):
        reports = selectors.published_reports()
        if organ := request.query_params.get("organ"):
            reports = reports.filter(organ__slug=organ)
        if year := request.query_params.get("year"):
            reports = reports.filter(year=int(year)) if year.isdigit() else reports.none()
        reports = list(reports)
        for report in reports:
            report.api_url = reverse("api:report", args=[report.organ.slug, report.year])
        return Response(ReportSerializer(reports, many=True, context={"request": request}).data)


def _published(organ_slug: str, year: int, number: int | None) -> PublishedVersion:
    published = selectors.published_version(organ_slug=organ_slug, year=year, number=number)
    if published is None:
        raise not_found()
    return published


def _downloads(request, published: PublishedVersion) -> dict[str, str]:
    args = [published.report.organ.slug, published.report.year, published.version.number]
    return {
        fmt: request.build_absolute_uri(reverse("api:report_tables", args=[*args, fmt]))
        for fmt in ("csv", "xlsx", "json")
    }


class ReportDetail(PublicAPIView):
    @extend_schema(
        operation_id="report_detail",
        summary="A published annual report: its latest version and its tables",
        description=(
            "Tables 2, 3 and 4 as the format prints them, from the version's frozen statistics; the "
            'pre-2019 free layout has no tables. A value null is printed "/" (不适用).'
        ),
        responses=ReportVersionSerializer,
    )
    def get(self, request, organ_slug: str, year: int, number: int | None = None):
        published = _published(organ_slug, year, number)
        data = {
            "report": published.report,
            "version": published.version,
            "versions": published.versions,
            "tables": published.tables,
            "downloads": _downloads(request, published),
        }
        return Response(ReportVersionSerializer(data, context={"request": request}).data)


class ReportVersionDetail(ReportDetail):
    @extend_schema(
        operation_id="report_version",
        summary="One published version of an annual report and its tables",
        responses=ReportVersionSerializer,
    )
    def get(self, request, organ_slug: str, year: int, number: int | None = None):
        return super().get(request, organ_slug, year, number)


def _long_rows(tables: list[DataTable]):
    """One line per cell: machine-readable, every table in one CSV."""
    yield ["table", "table_title", "block", "row_code", "row_label", "column_code", "column_label", "value"]
    for table in tables:
        for block in table.blocks:
            for row in block.rows:
                for column, value in zip(block.columns, row.values, strict=True):
                    yield [
                        table.code,
                        table.title,
                        block.caption,
                        row.code,
                        row.label,
                        column.code,
                        column.label,
                        value,
                    ]


def _sheet_rows(table: DataTable):
    """A table as printed: its title, then each block's caption, header and rows."""
    yield [table.title]
    for block in table.blocks:
        if block.caption:
            yield [block.caption]
        yield ["", *(column.label for column in block.columns)]
        for row in block.rows:
            yield [row.label, *row.values]


class ReportTables(DownloadView):
    @extend_schema(
        operation_id="report_tables",
        summary="A published version's tables as CSV (one line per cell), XLSX (one sheet per table) or JSON",
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "application/json"): TableSerializer(many=True),
        },
    )
    def get(self, request, organ_slug: str, year: str, number: str, file_format: str):
        number = int(number)
        published = _published(organ_slug, int(year), number)
        report = published.report
        filename = f"{report.organ.name}{report.title}表格（第{number}版）"
        if file_format == "csv":
            return csv_response(filename=filename, rows=_long_rows(published.tables))
        if file_format == "xlsx":
            sheets = [(table.title, _sheet_rows(table)) for table in published.tables]
            return xlsx_response(filename=filename, sheets=sheets or [(report.title, [])])
        data = {
            "organ": {"slug": report.organ.slug, "name": report.organ.name},
            "year": report.year,
            "version": number,
            "tables": TableSerializer(published.tables, many=True).data,
        }
        response = HttpResponse(JSONRenderer().render(data), content_type="application/json")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{filename}.json"
        )
        return response
