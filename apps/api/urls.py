"""The open-data API (docs/api.md). Read-only: every view answers GET, HEAD and OPTIONS only."""

from django.urls import path, re_path

from drf_spectacular.views import SpectacularAPIView

from apps.api.base import PublicAPIView
from apps.api.views import catalog, docs, organs, reports, statistics

app_name = "api"


class SchemaView(PublicAPIView, SpectacularAPIView):
    """The OpenAPI 3 schema (YAML; ?format=json for JSON), throttled and CORS-enabled like the rest."""


urlpatterns = [
    path("", docs.ApiRoot.as_view(), name="root"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", docs.swagger_ui, name="docs"),
    path("organs/", organs.OrganList.as_view(), name="organs"),
    path("organs/<slug:slug>/", organs.OrganDetail.as_view(), name="organ"),
    path("catalog/entries/", catalog.EntryList.as_view(), name="entries"),
    path("catalog/entries.csv", catalog.EntryCsv.as_view(), name="entries_csv"),
    path("catalog/entries.xlsx", catalog.EntryXlsx.as_view(), name="entries_xlsx"),
    # 索引号 contains a slash (11231000MB0000001X/2018-00012).
    path("catalog/entries/<path:index_number>/", catalog.EntryDetail.as_view(), name="entry"),
    path("reports/", reports.ReportList.as_view(), name="reports"),
    path("reports/<slug:organ_slug>/<int:year>/", reports.ReportDetail.as_view(), name="report"),
    path(
        "reports/<slug:organ_slug>/<int:year>/v<int:number>/",
        reports.ReportVersionDetail.as_view(),
        name="report_version",
    ),
    re_path(
        r"^reports/(?P<organ_slug>[-\w]+)/(?P<year>[0-9]{4})/v(?P<number>[0-9]+)/tables\.(?P<file_format>csv|xlsx|json)$",
        reports.ReportTables.as_view(),
        name="report_tables",
    ),
    path("statistics/", statistics.YearList.as_view(), name="statistics"),
    path("statistics/<int:year>/", statistics.YearDetail.as_view(), name="statistics_year"),
    re_path(
        r"^statistics\.(?P<file_format>csv|xlsx)$",
        statistics.StatisticsDownload.as_view(),
        name="statistics_download",
    ),
]
