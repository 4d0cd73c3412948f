"""The 政府信息公开目录 as data: the list page's filters and search, cursor pages, downloads."""

from __future__ import annotations

from contextlib import nullcontext

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response

from apps.api.base import DownloadView, PublicAPIView, SearchTimedOut, bad_request, not_found
from apps.api.exports import XLSX_TYPE, csv_response, xlsx_response
from apps.api.pagination import MAX_PAGE_SIZE, keyset_page
from apps.api.serializers import EntryDetailSerializer, EntryPageSerializer, EntrySerializer
from apps.catalog import selectors
from apps.catalog.enums import ArticleTwentyItem, DisclosureMode, Validity
from apps.catalog.filters import CatalogFilterSet
from apps.catalog.search import parse_query

FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="检索词: the list page's search (words or fragments, ANDed)"),
    OpenApiParameter("organ", str, description="发布机构: an organ's slug (see /api/organs/)"),
    OpenApiParameter("theme", int, description="主题分类, first level: its id (includes its second level)"),
    OpenApiParameter("subtheme", int, description="主题分类, second level: its id"),
    OpenApiParameter("genre", int, description="体裁: its id"),
    OpenApiParameter("year", int, description="发布年份"),
    OpenApiParameter("validity", str, enum=Validity.values, description="有效性"),
    OpenApiParameter("item", int, description="条例第二十条 item 1-15; 0 = entries without an item"),
]


def _filterset(request: HttpRequest) -> CatalogFilterSet:
    return CatalogFilterSet(request.GET or None, lookups=selectors.facet_lookups())


class EntryList(PublicAPIView):
    @extend_schema(
        operation_id="entries_list",
        summary="Catalog entries",
        description=(
            "Published entries, newest first (publish_date, then id), with the filters and the search "
            "of the catalog page /catalog/. Cursor pages: follow `next` until it is null. An invalid "
            "parameter is answered with 400 naming it."
        ),
        parameters=[
            *FILTER_PARAMETERS,
            OpenApiParameter("cursor", str, description="Opaque: taken from `next`"),
            OpenApiParameter("page_size", int, description=f"1-{MAX_PAGE_SIZE}, default 20"),
        ],
        responses=EntryPageSerializer,
    )
    def get(self, request):
        filterset = _filterset(request)
        if filterset.is_bound and not filterset.form.is_valid():
            raise bad_request(filterset.form.errors)
        query = parse_query(filterset.query_text)
        entries = selectors.matching_entries(query=query, filters=filterset.catalog_filters())
        # A search runs within the public statement timeout; filters alone walk the date indexes.
        try:
            with selectors.search_time_bound() if query else nullcontext():
                rows, next_url = keyset_page(request, entries)
        except selectors.SearchTimeout as exc:
            raise SearchTimedOut from exc
        context = {"request": request}
        return Response({"next": next_url, "results": EntrySerializer(rows, many=True, context=context).data})


class EntryDetail(PublicAPIView):
    @extend_schema(
        operation_id="entry_detail",
        summary="One catalog entry, with its text and attachments",
        responses=EntryDetailSerializer,
    )
    def get(self, request, index_number: str):
        try:
            entry = selectors.published_entry(index_number)
        except ObjectDoesNotExist as exc:
            raise not_found() from exc
        return Response(EntryDetailSerializer(entry, context={"request": request}).data)


#: The national metadata of the 目录 (docs/domain/catalog.md#catalog-entry-fields): (key, 表头).
DOWNLOAD_COLUMNS = [
    ("index_number", "索引号"),
    ("title", "名称"),
    ("publisher", "发布机构"),
    ("doc_number", "发文字号"),
    ("written_date", "成文日期"),
    ("publish_date", "发布日期"),
    ("effective_date", "生效日期"),
    ("expiry_date", "废止日期"),
    ("validity", "有效性"),
    ("theme", "主题分类"),
    ("genre", "体裁"),
    ("keywords", "关键词"),
    ("summary", "内容概述"),
    ("article_item", "法定主动公开内容"),
    ("disclosure_mode", "公开方式"),
    ("url", "链接"),
]


def _chinese_labels(choices) -> dict:
    with translation.override("zh-hans"):
        return {value: str(label) for value, label in choices}


def _entry_rows(request: HttpRequest, entries, *, english_header: bool):
    """The header, then one row per entry, read from a server-side cursor in chunks."""
    validity = _chinese_labels(Validity.choices)
    items = _chinese_labels(ArticleTwentyItem.choices)
    modes = _chinese_labels(DisclosureMode.choices)
    base = request.build_absolute_uri("/").rstrip("/")
    yield [key if english_header else label for key, label in DOWNLOAD_COLUMNS]
    for entry in entries.iterator(chunk_size=500):
        yield [
            entry.index_number,
            entry.title,
            entry.publisher_name,
            entry.doc_number,
            entry.written_date,
            entry.publish_date,
            entry.effective_date,
            entry.expiry_date,
            validity.get(entry.validity, entry.validity),
            entry.theme.path,
            entry.genre.name,
            entry.keywords,
            entry.summary,
            items.get(entry.article_item, ""),
            modes.get(entry.disclosure_mode, entry.disclosure_mode),
            base + entry.get_absolute_url(),
        ]


DOWNLOAD_DESCRIPTION = (
    "The catalog page's list for the same parameters, newest first, with the national metadata columns "
    "(Chinese headers; `header=en` for the field names). As on the page, an invalid parameter is ignored, "
    "and named in the X-Ignored-Parameters header. At most API_DOWNLOAD_MAX_ROWS rows (the X-Row-Limit "
    "header): narrow by year for more. The file streams as it is read."
)
DOWNLOAD_PARAMETERS = [
    *FILTER_PARAMETERS,
    OpenApiParameter("header", str, enum=["zh", "en"], description="Column headers (default zh)"),
]


def _bounded_entries(filterset: CatalogFilterSet, limit: int):
    """At most ``limit`` entries for the download, the search part done before the file starts.

    A search's matches are found within the statement timeout first (a timeout is a 400, which
    can no longer be said once the file streams); the rows are then read by id as the file streams.
    """
    filters = filterset.catalog_filters()
    query = parse_query(filterset.query_text)
    entries = selectors.matching_entries(query=query, filters=filters)
    if not query:  # filters only: read along the date indexes as the file streams
        return entries[:limit]
    try:
        with selectors.search_time_bound():
            ids = list(entries.values_list("pk", flat=True)[:limit])
    except selectors.SearchTimeout as exc:
        raise SearchTimedOut from exc
    return selectors.matching_entries(filters=filters).filter(pk__in=ids)


def _download(request: HttpRequest, file_format: str):
    filterset = _filterset(request)
    ignored = sorted(filterset.form.errors) if filterset.is_bound and not filterset.form.is_valid() else []
    limit = settings.API_DOWNLOAD_MAX_ROWS
    entries = _bounded_entries(filterset, limit)
    rows = _entry_rows(request, entries, english_header=request.GET.get("header") == "en")
    filename = str(_("政府信息公开目录"))
    if file_format == "xlsx":
        response = xlsx_response(filename=filename, sheets=[(filename, rows)])
    else:
        response = csv_response(filename=filename, rows=rows)
    response["X-Row-Limit"] = str(limit)
    if ignored:
        response["X-Ignored-Parameters"] = ",".join(ignored)
    return response


class EntryCsv(DownloadView):
    @extend_schema(
        operation_id="entries_csv",
        summary="Catalog entries as CSV",
        description=DOWNLOAD_DESCRIPTION,
        parameters=DOWNLOAD_PARAMETERS,
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    def get(self, request):
        return _download(request, "csv")


class EntryXlsx(DownloadView):
    @extend_schema(
        operation_id="entries_xlsx",
        summary="Catalog entries as XLSX",
        description=DOWNLOAD_DESCRIPTION,
        parameters=DOWNLOAD_PARAMETERS,
        responses={(200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    def get(self, request):
        return _download(request, "xlsx")
