"""The batched catalog import (apps/catalog/batch_import): bounded queries, all or nothing, the same rules."""

from __future__ import annotations

import threading
import time
from unittest import mock

from django.db import connection

import pytest
import tablib

from apps.catalog import batch_import, search, search_upkeep
from apps.catalog.enums import Status
from apps.catalog.models import CatalogEntry, IndexSequence, SearchDocument
from apps.catalog.resources.formats import CSV
from apps.catalog.selectors import search_entries
from apps.organs import review
from apps.organs.models import RecordEvent
from tests.catalog.test_import_export import HEADER, csv_bytes, dataset, row
from tests.factories import CatalogEntryFactory, GenreFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vocabulary(db):
    ThemeFactory()  # 综合政务\政务公开
    GenreFactory(name="通知")
    GenreFactory(name="公告")


def run(organ, user=None, data=None, **kwargs) -> batch_import.ImportReport:
    return batch_import.entries_import(organ=organ, user=user, dataset=data, **kwargs)


def many(count: int, *, published_every: int = 10, **values) -> tablib.Dataset:
    data = tablib.Dataset(headers=list(HEADER))
    for i in range(count):
        status = "已发布" if i % published_every == 0 else "草稿"
        data.append(row(名称=f"第{i}号通知", 发文字号=f"牡经合发〔2024〕{i}号", 状态=status, **values))
    return data


def state() -> tuple:
    return (
        CatalogEntry.objects.count(),
        list(IndexSequence.objects.values_list("organ_id", "year", "last_serial")),
        SearchDocument.objects.count(),
        RecordEvent.objects.count(),
    )


def test_an_empty_file_is_refused_for_its_missing_columns(organ_a):
    report = run(organ_a, data=CSV().create_dataset(b""))
    assert report.messages == ["第1行（表头）缺少必需的列：名称、发布日期、主题分类、体裁。"]
    assert not CatalogEntry.objects.exists()


def test_a_header_only_file_imports_nothing_and_invalidates_nothing(organ_a):
    with mock.patch("apps.catalog.batch_import.content_changed") as changed:
        report = run(organ_a, data=CSV().create_dataset(csv_bytes()))
    assert report.ok and report.rows == [] and report.messages == []
    assert not CatalogEntry.objects.exists()
    assert not IndexSequence.objects.exists()
    changed.assert_not_called()


def test_ten_thousand_rows_in_a_bounded_number_of_queries(organ_a, django_assert_max_num_queries):
    data = many(10_000)
    with mock.patch("apps.catalog.batch_import.content_changed") as changed:
        with django_assert_max_num_queries(60):  # about 40, and the same for 10 rows or 100,000
            report = run(organ_a, data=data)
    assert report.ok, report.messages[:3]
    assert (report.created, report.updated) == (10_000, 0)
    changed.assert_called_once()
    assert CatalogEntry.objects.filter(organ=organ_a).count() == 10_000
    assert IndexSequence.objects.get(organ=organ_a, year=2024).last_serial == 10_000
    serials = sorted(CatalogEntry.objects.values_list("index_serial", flat=True))
    assert serials == list(range(1, 10_001))
    first = CatalogEntry.objects.get(title="第0号通知")
    assert first.index_number == "11231000MB0000001X/2024-00001"  # the order of the file
    assert SearchDocument.objects.count() == 1_000
    assert RecordEvent.objects.count() == 11_000  # created ×10,000, published ×1,000
    # The keys were merged into the index (alongside, by a second connection): nothing is pending.
    found = search_entries(query=search.parse_query("第9990号通知")).entries
    assert [e.title for e in found] == ["第9990号通知"]
    assert _pending_pages() == 0


def _pending_pages() -> int:
    """Pages of the search index's pending list (merging them is how to count them)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('catalog_search_keys_gin'::regclass)")
        return cursor.fetchone()[0]


def _found(text: str) -> list[str]:
    return [e.title for e in search_entries(query=search.parse_query(text)).entries]


def _mergers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "search-index-merger"]


def test_a_large_import_has_its_keys_merged_by_a_second_connection(organ_a, monkeypatch):
    """The merger moves the pending keys of the import's uncommitted rows into the index while
    the import is still writing; the import merges the rest and leaves nothing pending."""
    monkeypatch.setattr(search_upkeep, "MERGE_ALONGSIDE_FROM", 50)
    monkeypatch.setattr(search_upkeep._Merger, "FIRST_PASS_SECONDS", 0.01)
    monkeypatch.setattr(search_upkeep._Merger, "PASS_SECONDS", 0.01)
    mergers = []
    original_init = search_upkeep._Merger.__init__

    def remember(merger, *args, **kwargs):
        original_init(merger, *args, **kwargs)
        mergers.append(merger)

    monkeypatch.setattr(search_upkeep._Merger, "__init__", remember)
    original_events = batch_import.writes.write_events

    def after_a_merge(*args, **kwargs):  # the documents are written; wait for a pass
        deadline = time.monotonic() + 10
        while not mergers[0].pages and time.monotonic() < deadline:
            time.sleep(0.01)
        return original_events(*args, **kwargs)

    monkeypatch.setattr(batch_import.writes, "write_events", after_a_merge)
    report = run(organ_a, data=many(200, published_every=2))  # 100 documents
    assert report.ok, report.messages[:3]
    assert len(mergers) == 1 and mergers[0].pages > 0
    assert not _mergers()  # finished with the import
    assert _pending_pages() == 0
    assert _found("第198号通知") == ["第198号通知"]
    # The transaction's own limit was raised for the import only.
    with connection.cursor() as cursor:
        cursor.execute("SHOW gin_pending_list_limit")
        assert cursor.fetchone()[0] == "256kB"


def test_a_small_import_merges_its_few_keys_as_any_save_does(organ_a, monkeypatch):
    monkeypatch.setattr(search_upkeep, "_Merger", None)  # would fail if used
    report = run(organ_a, data=many(30, published_every=3))
    assert report.ok, report.messages[:3]
    assert _found("第27号通知") == ["第27号通知"]


def test_without_a_second_connection_the_import_merges_everything_itself(organ_a, monkeypatch, caplog):
    from django.db import OperationalError

    monkeypatch.setattr(search_upkeep, "MERGE_ALONGSIDE_FROM", 50)

    def no_connection(alias):
        raise OperationalError("FATAL: sorry, too many clients already")

    monkeypatch.setattr(search_upkeep.connections, "create_connection", no_connection)
    report = run(organ_a, data=many(200, published_every=2))
    assert report.ok, report.messages[:3]
    assert "merger stopped" in caplog.text
    assert _pending_pages() == 0
    assert _found("第2号通知") == ["第2号通知"]


def test_a_failing_import_stops_its_merger_and_writes_nothing(organ_a, monkeypatch):
    from django.db import DatabaseError

    monkeypatch.setattr(search_upkeep, "MERGE_ALONGSIDE_FROM", 50)
    before = state()

    def broken(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(batch_import.writes, "write_events", broken)
    report = run(organ_a, data=many(200, published_every=2))
    assert report.messages == ["导入未完成，没有任何数据被更改。", "disk full"]
    assert state() == before and not _mergers()


@pytest.mark.django_db(transaction=True)
def test_searches_go_on_while_a_large_import_writes(organ_a, monkeypatch):
    """No lock on the index: a search during the import answers, without the import's rows."""
    from apps.catalog.selectors import listing

    CatalogEntryFactory(organ=organ_a, title="招商引资公告")
    monkeypatch.setattr(search_upkeep, "MERGE_ALONGSIDE_FROM", 50)
    monkeypatch.setattr(listing, "STATEMENT_TIMEOUT_MS", 2_000)
    writing, release = threading.Event(), threading.Event()
    original = batch_import.writes.write_events

    def pause_then_write(*args, **kwargs):
        writing.set()  # the documents are in, their keys being merged
        assert release.wait(20)
        return original(*args, **kwargs)

    monkeypatch.setattr(batch_import.writes, "write_events", pause_then_write)
    data = tablib.Dataset(headers=list(HEADER))
    for i in range(200):
        data.append(row(名称=f"招商引资第{i}号通知", 状态="已发布" if i % 2 == 0 else "草稿"))
    reports = []

    def work():
        try:
            reports.append(run(organ_a, data=data))
        finally:
            connection.close()

    importer = threading.Thread(target=work)
    importer.start()
    try:
        assert writing.wait(20)
        during = search_entries(query=search.parse_query("招商引资"))
    finally:
        release.set()
        importer.join()
    assert not during.timed_out
    assert [e.title for e in during.entries] == ["招商引资公告"]
    assert reports[0].ok, reports[0].messages[:3]
    assert search_entries(query=search.parse_query("招商引资")).listed == 101


def test_the_dry_run_writes_nothing_and_shows_the_numbers_it_would_give(organ_a):
    with mock.patch("apps.catalog.batch_import.content_changed") as changed:
        report = run(organ_a, data=many(20), dry_run=True)
    assert report.ok and report.created == 20
    assert report.rows[0].entry.index_number == "11231000MB0000001X/2024-00001"
    assert state() == (0, [], 0, 0)
    changed.assert_not_called()


def test_a_bad_row_at_line_9000_changes_nothing(organ_a):
    CatalogEntryFactory(organ=organ_a, title="已有的")
    before = state()
    data = many(10_000)
    data[8_998] = row(名称="坏的一行", 发布日期="2024/13/01")  # line 9,000 (the header is line 1)
    with mock.patch("apps.catalog.batch_import.content_changed") as changed:
        report = run(organ_a, data=data)
    assert report.messages == ["第9000行「发布日期」：日期格式应为 YYYY-MM-DD"]
    assert state() == before
    changed.assert_not_called()


def test_new_entries_are_numbered_per_year_in_the_order_of_the_file(organ_a):
    """The 索引号 are reserved before the rows are checked (plan.new_entry_years): an update,
    a blank line and the years' interleaving take nothing from the order."""
    existing = CatalogEntryFactory(organ=organ_a, title="已有的", publish=False)  # 2024-00001
    blank = [""] * len(HEADER)
    update = row(名称="已有的改", 发布日期=existing.publish_date.isoformat())
    update[HEADER.index("索引号")] = existing.index_number
    data = dataset(
        row(名称="甲", 发布日期="2024-03-01", 状态="已发布"),
        row(名称="乙", 发布日期="2023-05-01"),
        update,
        blank,
        row(名称="丙", 发布日期="2024-01-01", 状态="已发布"),
        row(名称="丁", 发布日期="2023-01-01", 状态="已发布"),
    )
    report = run(organ_a, data=data)
    assert report.ok, report.messages
    numbers = dict(CatalogEntry.objects.values_list("title", "index_number"))
    prefix = organ_a.index_prefix
    assert numbers == {
        "已有的改": existing.index_number,
        "甲": f"{prefix}/2024-00002",
        "乙": f"{prefix}/2023-00001",
        "丙": f"{prefix}/2024-00003",
        "丁": f"{prefix}/2023-00002",
    }
    assert sorted(SearchDocument.objects.values_list("entry__title", flat=True)) == ["丁", "丙", "甲"]


def test_the_years_reserved_first_are_read_as_the_check_reads_them(organ_a):
    from apps.catalog.batch_import.plan import new_entry_years
    from apps.catalog.batch_import.rows import Vocabulary

    update = row(发布日期="2020-01-01")
    update[HEADER.index("索引号")] = "11231000MB0000001X/2020-00001"
    data = dataset(
        row(发布日期="2024-01-05"),
        row(发布日期="2024/13/01"),  # refused later: then nothing is written
        row(发布日期=""),
        update,
        [""] * len(HEADER),
        row(发布日期="2022-12-31"),
    )
    assert new_entry_years(data, list(HEADER), Vocabulary.load()) == [2024, 2022]
    assert new_entry_years(data, [h for h in HEADER if h != "发布日期"], Vocabulary.load()) == []


def assert_refused_unchanged(organ, data, detail: str) -> None:
    """The import stops with a database error, says so and what it was, and changes nothing."""
    before = state()
    report = run(organ, data=data)
    assert report.messages[0] == "导入未完成，没有任何数据被更改。"
    assert detail in report.messages[1]
    assert state() == before


def test_the_check_may_not_query_while_the_documents_are_copied(organ_a, monkeypatch):
    """The rows are checked inside the COPY of their search documents, on the same connection:
    a query there (what the check needs belongs in plan.Context) fails at once and says why."""
    original = batch_import.plan._plan_new

    def querying(*args, **kwargs):
        CatalogEntry.objects.exists()
        return original(*args, **kwargs)

    monkeypatch.setattr(batch_import.plan, "_plan_new", querying)
    assert_refused_unchanged(organ_a, many(3, published_every=1), "load it into plan.Context")


def test_a_copy_refused_by_postgresql_is_reported_and_changes_nothing(organ_a, monkeypatch):
    original = batch_import.writes._documents

    def a_bad_date(entries, attachments):
        for values in original(entries, attachments):
            values[1] = "2024-13-45"  # 发布日期, as PostgreSQL would refuse any bad value
            yield values

    monkeypatch.setattr(batch_import.writes, "_documents", a_bad_date)
    assert_refused_unchanged(organ_a, many(3, published_every=1), "2024-13-45")


def test_another_organs_index_number_is_refused(organ_a, organ_b):
    foreign = CatalogEntryFactory(organ=organ_b, title="乙局条目", publish=False)
    report = run(organ_a, data=dataset(row(), row(索引号=foreign.index_number, 名称="改写乙局")))
    assert report.messages == [
        f"第3行「索引号」：本机关没有索引号为「{foreign.index_number}」的条目（新增条目请将索引号留空）"
    ]
    foreign.refresh_from_db()
    assert foreign.title == "乙局条目" and foreign.version == 1
    assert not CatalogEntry.objects.filter(organ=organ_a).exists()


def test_rows_with_own_index_numbers_update_the_entries(alice, organ_a):
    draft = CatalogEntryFactory(organ=organ_a, title="草稿", publish=False)
    public = CatalogEntryFactory(organ=organ_a, title="已公开")
    headers = ["索引号", "名称", "发布日期", "主题分类", "体裁", "有效性", "废止日期", "状态"]
    same = [public.publish_date.isoformat(), public.theme.path, public.genre.name]
    data = dataset(
        [draft.index_number, "草稿改", *same, "有效", "", ""],
        [public.index_number, "已公开", *same, "已废止", "2024-12-31", "已发布"],
        headers=headers,
    )
    report = run(organ_a, alice, data)
    assert report.ok, report.messages
    assert (report.created, report.updated) == (0, 2)
    draft.refresh_from_db()
    public.refresh_from_db()
    assert (draft.title, draft.version, draft.status) == ("草稿改", 2, Status.DRAFT)
    assert [c["field"] for c in review.history(draft).last().changes][0] == "title"
    # A published entry may change its validity and dates; its search document follows.
    assert public.status == Status.PUBLISHED and public.validity == "repealed" and public.version == 2
    assert SearchDocument.objects.get(entry=public).validity == "repealed"


def test_an_index_number_twice_in_a_file_is_applied_twice_in_order(alice, organ_a):
    entry = CatalogEntryFactory(organ=organ_a, title="原来的", publish=False)
    report = run(
        organ_a,
        alice,
        dataset(
            row(索引号=entry.index_number, 名称="第一次", 状态=""),
            row(索引号=entry.index_number, 名称="第二次", 状态=""),
        ),
    )
    assert report.ok, report.messages
    entry.refresh_from_db()
    assert (entry.title, entry.version) == ("第二次", 3)
    changed = [e.changes for e in review.history(entry) if e.action == "changed"]
    assert [c[0]["old"] + "→" + c[0]["new"] for c in changed] == ["原来的→第一次", "第一次→第二次"]


def test_hostile_cells_are_kept_as_text_or_refused_with_their_column(organ_a):
    big = "长" * 100_000
    report = run(
        organ_a,
        data=dataset(
            row(名称='=HYPERLINK("http://evil","点我")', 状态="已发布"),
            row(名称="'=1+2"),  # an exported formula-like cell comes back as what it was
            row(正文=big, 状态="已发布", 名称="长正文"),
        ),
    )
    assert report.ok, report.messages
    titles = set(CatalogEntry.objects.values_list("title", flat=True))
    assert titles == {'=HYPERLINK("http://evil","点我")', "=1+2", "长正文"}
    long = CatalogEntry.objects.get(title="长正文")
    assert len(long.body) == 100_000
    document = SearchDocument.objects.get(entry=long)
    assert len(document.head) + len(document.body) <= search.MAX_INDEXED_CHARS + 10

    report = run(organ_a, data=dataset(row(名称="空\x00字符"), row(名称=big), row(关键词="k\x00")))
    assert [m.split("：")[0] for m in report.messages] == [
        "第2行「名称」",
        "第3行「名称」",
        "第4行「关键词」",
    ]
    assert CatalogEntry.objects.count() == 3


def test_imported_published_entries_are_found_by_search(organ_a):
    report = run(
        organ_a,
        data=dataset(
            row(名称="关于批量导入检索测试的通知", 状态="已发布"),
            row(名称="尚未发布的检索测试草稿", 状态="草稿"),
        ),
    )
    assert report.ok, report.messages
    found = _found("检索测试")
    assert found == ["关于批量导入检索测试的通知"]
    entry = CatalogEntry.objects.get(title="关于批量导入检索测试的通知")
    found = search_entries(query=search.parse_query(entry.index_number)).entries
    assert [e.pk for e in found] == [entry.pk]


def test_the_history_says_who_created_and_who_vouched(alice, organ_a):
    run(organ_a, alice, dataset(row(名称="登记的", 状态="已发布")))
    entry = CatalogEntry.objects.get(title="登记的")
    steps = [(e.action, e.state, e.actor_label, e.note) for e in review.history(entry)]
    assert steps == [
        ("created", "draft", "alice", ""),
        ("published", "published", "alice", "登记已公开的文件：审核和发布由录入人确认。"),
    ]
    assert entry.created_by == alice and entry.published_at is not None


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("merge_from", [1_000, 1], ids=["alone", "each with its merger"])
def test_two_concurrent_imports_of_one_organ_get_disjoint_serials(organ_a, monkeypatch, merge_from):
    monkeypatch.setattr(search_upkeep, "MERGE_ALONGSIDE_FROM", merge_from)
    monkeypatch.setattr(search_upkeep._Merger, "FIRST_PASS_SECONDS", 0.01)
    monkeypatch.setattr(search_upkeep._Merger, "PASS_SECONDS", 0.01)
    barrier = threading.Barrier(2)
    reports = []

    def work(prefix: str) -> None:
        try:
            data = many(300, published_every=50)
            for i in range(len(data)):
                data[i] = row(名称=f"{prefix}{i}", 状态="已发布" if i % 50 == 0 else "草稿")
            barrier.wait()
            reports.append(run(organ_a, data=data))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(p,)) for p in ("甲", "乙")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.ok for r in reports] == [True, True]
    serials = sorted(CatalogEntry.objects.values_list("index_serial", flat=True))
    assert serials == list(range(1, 601))
    for prefix in ("甲", "乙"):
        mine = sorted(
            CatalogEntry.objects.filter(title__startswith=prefix).values_list("index_serial", flat=True)
        )
        assert mine == list(range(mine[0], mine[0] + 300))  # each import got one block
    assert IndexSequence.objects.get(organ=organ_a).last_serial == 600
    assert SearchDocument.objects.count() == 12
    if merge_from == 1:  # each merged what it left; alone, a few keys wait in the short list
        assert _pending_pages() == 0


def _facets() -> tuple[list, list]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM catalog_facet_cube WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6")
        cube = cursor.fetchall()
        cursor.execute("SELECT * FROM catalog_facet_total WHERE n <> 0 ORDER BY 1, 2")
        return cube, cursor.fetchall()


def test_the_facet_counts_follow_copied_and_updated_rows(organ_a):
    public = CatalogEntryFactory(organ=organ_a, title="已公开")
    run(organ_a, data=many(30, published_every=3))
    headers = ["索引号", "名称", "发布日期", "主题分类", "体裁", "有效性", "废止日期"]
    same = [public.publish_date.isoformat(), public.theme.path, public.genre.name]
    report = run(
        organ_a, data=dataset([public.index_number, "已公开", *same, "已废止", "2024-12-31"], headers=headers)
    )
    assert report.ok, report.messages
    counted = _facets()
    assert counted[1]  # the import's published rows are counted
    search_upkeep.rebuild_facet_counts()
    assert _facets() == counted
