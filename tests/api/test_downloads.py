"""Downloads: the catalog list as CSV/XLSX, streamed row by row, with formulas made inert."""

import csv
import datetime as dt
import io
import tracemalloc

from django.http import StreamingHttpResponse
from django.utils import timezone

import openpyxl
import pytest

from apps.catalog.enums import Status
from apps.catalog.models import CatalogEntry, Genre, ThemeCategory
from tests.api.conftest import entries
from tests.factories import CatalogEntryFactory, GenreFactory, ThemeFactory

pytestmark = pytest.mark.django_db

CSV = "/api/catalog/entries.csv"
XLSX = "/api/catalog/entries.xlsx"
HEADER = [
    "索引号", "名称", "发布机构", "发文字号", "成文日期", "发布日期", "生效日期", "废止日期",
    "有效性", "主题分类", "体裁", "关键词", "内容概述", "法定主动公开内容", "公开方式", "链接",
]  # fmt: skip


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with the BOM
    return list(csv.reader(io.StringIO(text[1:])))


def _xlsx_rows(response) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def test_csv_has_the_national_metadata_of_published_entries_only(client, organ_a, hidden):
    entry = CatalogEntryFactory(
        organ=organ_a,
        title="关于印发招商引资办法的通知",
        doc_number="牡经合发〔2024〕3号",
        written_date=dt.date(2024, 2, 20),
        publish_date=dt.date(2024, 3, 1),
        keywords="招商 引资",
        article_item=1,
    )

    response = client.get(CSV)

    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"] and ".csv" in response["Content-Disposition"]
    header, *rows = _csv_rows(response)
    assert header == HEADER
    assert rows == [
        [
            entry.index_number,
            "关于印发招商引资办法的通知",
            "牡丹江市经济合作促进局",
            "牡经合发〔2024〕3号",
            "2024-02-20",
            "2024-03-01",
            "",
            "",
            "有效",
            "综合政务\\政务公开",
            "通知",
            "招商 引资",
            entry.summary,
            "（一）行政法规、规章和规范性文件",
            "主动公开",
            f"http://testserver/catalog/{entry.index_number}/",
        ]
    ]


def test_csv_follows_the_pages_filters_and_search_and_english_headers(client, organ_a, organ_b):
    found = CatalogEntryFactory(organ=organ_a, title="关于招商引资的通知")
    CatalogEntryFactory(organ=organ_b, title="关于招商引资的通知")
    CatalogEntryFactory(organ=organ_a, title="统计公报")

    rows = _csv_rows(client.get(CSV, {"organ": "jhj", "q": "招商", "header": "en"}))

    assert rows[0][:3] == ["index_number", "title", "publisher"]
    assert [row[0] for row in rows[1:]] == [found.index_number]


def test_an_invalid_parameter_is_ignored_as_on_the_page_and_named(client, organ_a):
    entries(organ_a, 2)
    response = client.get(CSV, {"organ": "nonexistent", "year": "abc"})
    assert response.status_code == 200
    assert response["X-Ignored-Parameters"] == "organ,year"
    assert len(_csv_rows(response)) == 3


def test_cells_that_a_spreadsheet_would_run_are_made_inert(client, organ_a):
    CatalogEntryFactory(organ=organ_a, title='=HYPERLINK("http://x")', keywords="+1", doc_number="＠SUM(A1)")

    [_header, row] = _csv_rows(client.get(CSV))
    assert row[1] == '\'=HYPERLINK("http://x")'
    assert row[3] == "'＠SUM(A1)"
    assert row[11] == "'+1"
    [_header, xrow] = _xlsx_rows(client.get(XLSX))
    assert xrow[1] == '\'=HYPERLINK("http://x")'


def test_xlsx_opens_with_the_same_rows(client, organ_a, hidden):
    made = entries(organ_a, 3)

    response = client.get(XLSX)

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert ".xlsx" in response["Content-Disposition"]
    header, *rows = _xlsx_rows(response)
    assert list(header) == HEADER
    assert [row[0] for row in rows] == [entry.index_number for entry in reversed(made)]
    assert rows[0][5] == "2024-03-03"


def _bulk_entries(organ, count: int) -> None:
    """`count` published entries in one statement (the services would take minutes)."""
    theme, genre = ThemeFactory(), GenreFactory()
    assert ThemeCategory.objects.filter(pk=theme.pk).exists() and Genre.objects.filter(pk=genre.pk).exists()
    now = timezone.now()
    CatalogEntry.objects.bulk_create(
        [
            CatalogEntry(
                organ=organ,
                index_number=f"{organ.code}/2024-{n:05d}",
                index_year=2024,
                index_serial=n,
                title=f"关于第{n}批政务公开工作的通知",
                summary="就做好政务公开工作有关事项通知如下。" * 3,
                publish_date=dt.date(2024, 1, 1) + dt.timedelta(days=n % 365),
                theme=theme,
                genre=genre,
                status=Status.PUBLISHED,
                published_at=now,
            )
            for n in range(1, count + 1)
        ],
        batch_size=2000,
    )


def _consume_to_file(response, path) -> tuple[int, int]:
    """Read the streamed body into a file: (chunks, peak bytes allocated meanwhile)."""
    chunks = 0
    tracemalloc.start()
    try:
        with open(path, "wb") as out:
            for chunk in response.streaming_content:
                out.write(chunk)
                chunks += 1
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return chunks, peak


def test_ten_thousand_rows_stream_in_bounded_memory(client, organ_a, tmp_path):
    _bulk_entries(organ_a, 10_000)

    for url in (CSV, XLSX):
        response = client.get(url)

        assert response.status_code == 200
        assert response.streaming and isinstance(response, StreamingHttpResponse)
        path = tmp_path / url.rsplit("/", 1)[-1]
        chunks, peak = _consume_to_file(response, path)
        assert chunks > 3, chunks  # sent while it is read, not in one piece
        # Rows are read from a server-side cursor in chunks of 500: a list of all 10,000 entries
        # would take tens of MB, more than the whole CSV file (about 4 MB).
        assert peak < 3 * 1024 * 1024, (url, peak)
        if url == CSV:
            with open(path, encoding="utf-8-sig", newline="") as f:
                rows = list(csv.reader(f))
            assert peak < path.stat().st_size
        else:
            workbook = openpyxl.load_workbook(path, read_only=True)
            rows = list(workbook.worksheets[0].iter_rows(values_only=True))
        assert len(rows) == 10_001
        assert rows[0][0] == "索引号"


def test_downloads_stop_at_the_row_limit_and_say_so(client, organ_a, settings):
    settings.API_DOWNLOAD_MAX_ROWS = 2
    entries(organ_a, 3)
    response = client.get(CSV)
    assert response["X-Row-Limit"] == "2"
    assert len(_csv_rows(response)) == 3


def test_the_catalog_page_links_its_list_as_csv_and_excel(client, organ_a):
    entries(organ_a, 1)
    html = client.get(
        "/catalog/", {"organ": "jhj", "q": "通知", "sort": "relevance", "page": 1}
    ).content.decode()
    assert '<a href="/api/catalog/entries.csv?organ=jhj&amp;q=%E9%80%9A%E7%9F%A5" download>CSV</a>' in html
    assert '<a href="/api/catalog/entries.xlsx?organ=jhj&amp;q=%E9%80%9A%E7%9F%A5" download>Excel</a>' in html
    assert '<a href="/api/docs/">' in html
