"""City-wide statistics per year: table 3 of every organ added up, the catalog's yearly output.

Aggregated numbers only, for completed years only: a year in progress would show counts that move
day by day and, for a small organ, could point at one recent application. Counted live from the
records with the report's own definitions (apps.applications.selectors), so a year's figures may
differ from an organ's published report where a record was corrected after publication.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from apps.api.base import DownloadView, PublicAPIView
from apps.api.exports import XLSX_TYPE, csv_response, xlsx_response
from apps.api.serializers import YearStatisticsSerializer, YearSummarySerializer
from apps.applications import selectors as applications
from apps.catalog import selectors as catalog
from apps.litigation import selectors as litigation
from apps.organs.selectors import public_organs
from apps.reports.selectors import table3_block, table4_block

FIRST_YEAR = 2008  # the first year of the 条例 and of the annual reports


def last_complete_year() -> int:
    return timezone.localdate().year - 1


def _organs() -> list:
    return list(public_organs().order_by("sort_order", "name"))


def _years(organ_ids: list[int]) -> tuple[list[int], dict[int, int]]:
    """From the first year with an application or a catalog entry to the last complete year, and
    the number of entries published in each year (two queries)."""
    entry_years = catalog.facet_counts().counts["year"]
    firsts = [
        y
        for y in (applications.first_received_year(organ_ids=organ_ids), min(entry_years, default=None))
        if y
    ]
    if not firsts:
        return [], entry_years
    return list(range(max(min(firsts), FIRST_YEAR), last_complete_year() + 1)), entry_years


class YearList(PublicAPIView):
    @extend_schema(
        operation_id="statistics_list",
        summary="City-wide statistics: one line per complete year",
        description="Applications (table 3's 新收, 办理结果总计, 结转) of every organ, and the catalog entries published.",
        responses=YearSummarySerializer(many=True),
    )
    def get(self, request):
        organ_ids = [organ.pk for organ in _organs()]
        years, entry_years = _years(organ_ids)
        yearly = applications.yearly_counts(organ_ids=organ_ids, years=years) if organ_ids else {}
        lines = [
            {
                "year": year,
                "applications_new": yearly.get(year, {}).get("new", {}).get("total", 0),
                "applications_closed": yearly.get(year, {}).get("closed", {}).get("total", 0),
                "applications_carried_out": yearly.get(year, {}).get("carried_out", {}).get("total", 0),
                "catalog_entries": entry_years.get(year, 0),
                "api_url": reverse("api:statistics_year", args=[year]),
            }
            for year in reversed(years)
        ]
        return Response(YearSummarySerializer(lines, many=True, context={"request": request}).data)


def _complete_year(year: int) -> int:
    if not FIRST_YEAR <= year <= last_complete_year():
        raise NotFound(
            _("只提供 %(first)d 年至 %(last)d 年（已结束的年度）的统计。")
            % {"first": FIRST_YEAR, "last": last_complete_year()}
        )
    return year


class YearDetail(PublicAPIView):
    @extend_schema(
        operation_id="statistics_year",
        summary="City-wide statistics of one complete year",
        description="Table 3 and table 4 added up over every organ, and table 3 of each organ.",
        responses=YearStatisticsSerializer,
    )
    def get(self, request, year: int):
        year = _complete_year(year)
        organs = _organs()
        organ_ids = [organ.pk for organ in organs]
        by_organ = applications.outcome_counts_by_organ(organ_ids=organ_ids, years=[year]).get(year, {})
        total: dict[str, dict[str, int]] = {}
        for table in by_organ.values():
            for row, counts in table.items():
                line = total.setdefault(row, {})
                for column, n in counts.items():
                    line[column] = line.get(column, 0) + n
        data = {
            "year": year,
            "catalog_entries": catalog.facet_counts(catalog.CatalogFilters(year=year)).total,
            "table3": table3_block(total),
            "table4": table4_block(litigation.table4(organ_ids=organ_ids, year=year) if organ_ids else {}),
            "organs": [
                {"organ": organ, "table3": table3_block(by_organ.get(organ.pk, {}))} for organ in organs
            ],
        }
        return Response(YearStatisticsSerializer(data, context={"request": request}).data)


def _statistics_rows(organs: list, tables: dict[int, dict[int, dict]]):
    """One line per organ, year and table-3 row, with the six applicant columns and 总计."""
    columns = table3_block({}).columns
    yield ["year", "organ_slug", "organ_code", "organ", "row_code", "row", *(c.label for c in columns)]
    for year in sorted(tables, reverse=True):
        for organ in organs:
            for row in table3_block(tables[year].get(organ.pk, {})).rows:
                yield [year, organ.slug, organ.code, organ.name, row.code, row.label, *row.values]


class StatisticsDownload(DownloadView):
    @extend_schema(
        operation_id="statistics_download",
        summary="City-wide statistics across organs and years, as CSV or XLSX",
        description="Table 3 of every organ for every complete year (or `year`), one line per organ, year and row.",
        parameters=[OpenApiParameter("year", int, description="One complete year (default: all)")],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
        },
    )
    def get(self, request, file_format: str):
        organs = _organs()
        organ_ids = [organ.pk for organ in organs]
        raw_year = request.query_params.get("year")
        if raw_year is not None:
            years = [_complete_year(int(raw_year) if raw_year.isdigit() else 0)]
        else:
            years, _entry_years = _years(organ_ids)
        tables = applications.outcome_counts_by_organ(organ_ids=organ_ids, years=years)
        rows = _statistics_rows(organs, tables)
        filename = _("政府信息公开申请办理情况统计")
        if file_format == "xlsx":
            return xlsx_response(filename=filename, sheets=[(filename, rows)])
        return csv_response(filename=filename, rows=rows)
