"""The search engine: folding, the query parser, highlighting, and search over the database."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

import pytest

from apps.catalog import search, search_upkeep, services
from apps.catalog.models import SearchDocument, SearchGramStat
from apps.catalog.search import fold, highlight, parse_query, snippet
from apps.catalog.selectors import CatalogFilters, facet_lookups, listing, search_entries, searching
from tests.factories import CatalogEntryFactory
from tests.factories.files import docx_with

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_fold_drops_punctuation_and_folds_width_case_and_traditional_characters():
    assert fold("牡商发〔2024〕16号") == "牡商发202416号"
    assert fold("《政務公開》") == "政务公开"
    assert fold("ＡＢＣ２０１８ Pdf") == "abc2018pdf"
    assert fold("“第（一）项” [附件] 2024-00016") == "第一项附件202400016"


def test_fold_is_per_character_so_any_fragment_folds_to_a_substring():
    text = "關於《政務公開》工作，ＡＢＣ〔2018〕3號！"
    folded = fold(text)
    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            assert fold(text[start:end]) in folded


def test_fold_finds_exactly_the_table_characters_a_text_holds():
    """_mapped finds the characters to replace with two character classes built from the table:
    they match every character of it and no other, in the BMP and beyond."""
    table = search._fold_chars()
    bmp, astral = search._table_patterns()
    for cp in range(0x110000):
        char = chr(cp)
        pattern = bmp if cp <= 0xFFFF else astral
        assert (pattern.fullmatch(char) is not None) == (char in table), hex(cp)
    assert fold("\U0002f800丽") == "丽丽"  # a compatibility ideograph beyond the BMP, and its twin
    assert fold("𠀀😀") == "𠀀"  # an ideograph of extension B stays, an emoji goes


def test_document_text_keeps_fields_apart_and_caps_the_indexed_length():
    text = search.document_text(
        title="标题",
        doc_number="牡商发〔2024〕16号",
        index_number="11231000BN0000008X/2024-00016",
        keywords="营商 环境",
        summary="概述。",
        body="正文" * 40_000,
        attachments=["附件的文字"],
    )
    assert text.head == "标题\n牡商发202416号\n11231000bn0000008x202400016"
    assert text.body.startswith("营商环境\n概述\n正文正文")
    assert len(text.head) + len(text.body) <= search.MAX_INDEXED_CHARS + 5


@pytest.mark.parametrize(
    "raw",
    ["'", "a' & b", "!(x | y) <-> z:*", "<script>alert(1)</script>", "x" * 10_000, "\\", "''::tsquery"],
)
def test_parse_query_keeps_only_word_characters(raw):
    query = parse_query(raw)
    for term in query.terms:
        assert term == fold(term) and term.isalnum()
    assert len(query.text) <= search.MAX_QUERY_CHARS


def test_parse_query_splits_at_spaces_folds_and_drops_contained_terms():
    query = parse_query("招商　引资 招商引资 〔2018〕3号 政務")
    assert query.terms == ("20183号", "招商引资", "政务")
    assert not parse_query("，。！ 《》")


def test_parse_query_limits_terms():
    query = parse_query(" ".join("招商引资优化营商环境统计公报预算决算财政收支政务公开信息")[:80])
    assert len(query.terms) == search.MAX_QUERY_TERMS


def test_term_keys_are_prefixes_for_short_terms_and_trigrams_for_long_ones():
    assert search.term_keys("局") == ["'局':*"]
    assert search.term_keys("公开") == ["'公开':*"]
    assert search.term_keys("2021年") == ["'202'", "'021'", "'21年'"]
    assert search.term_keys("文号", head=True) == ["'^文号':*"]


def test_highlight_escapes_html_and_marks_folded_matches():
    html = highlight('<img src=x onerror="alert(1)">招商引资 & 招商', parse_query("招商").terms)
    assert "<img" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert html.count("<mark>招商</mark>") == 2
    assert "&amp;" in html
    assert "<mark>政務公開</mark>" in highlight("《政務公開》", ["政务公开"])
    assert "牡商发〔<mark>2024〕16号</mark>" in highlight("牡商发〔2024〕16号", ["202416号"])


def test_highlight_does_not_let_query_html_through():
    html = highlight("a <b> c", parse_query("<b>").terms)
    assert "<b>" not in html and "&lt;<mark>b</mark>&gt;" in html


def test_snippet_centres_on_the_match():
    body = "前言" * 200 + "这里是招商引资的内容" + "结尾" * 200
    text = snippet(["", body], parse_query("招商").terms, width=60)
    assert "<mark>招商</mark>" in text and text.startswith("…") and text.endswith("…")


# --- over the database -------------------------------------------------------------


@pytest.fixture
def entries(organ_a):
    return {
        "invest": CatalogEntryFactory(
            organ=organ_a,
            title="关于印发招商引资优惠政策的通知",
            body="为进一步优化营商环境，加大招商引资力度，制定本政策。",
        ),
        "stats": CatalogEntryFactory(
            organ=organ_a, title="2023年统计公报", body="全市地区生产总值稳步增长。"
        ),
        "body_only": CatalogEntryFactory(
            organ=organ_a, title="工作动态", body="本周召开招商工作会议，研究重点项目。"
        ),
    }


def _titles(query, **kwargs):
    return [e.title for e in search_entries(query=query, **kwargs).entries]


@pytest.mark.django_db
def test_search_finds_two_character_words(entries):
    assert set(_titles("招商")) == {"关于印发招商引资优惠政策的通知", "工作动态"}


@pytest.mark.django_db
def test_search_finds_fragments_cutting_words(entries):
    assert _titles("商引") == ["关于印发招商引资优惠政策的通知"]
    assert _titles("引资优惠") == ["关于印发招商引资优惠政策的通知"]


@pytest.mark.django_db
def test_search_checks_adjacency_of_longer_terms(organ_a):
    # Has the trigrams 招商会 and 商会议 but not the sequence 招商会议.
    CatalogEntryFactory(organ=organ_a, title="招商会 商会议", body="")
    hit = CatalogEntryFactory(organ=organ_a, title="召开招商会议", body="")
    assert _titles("招商会议") == [hit.title]


@pytest.mark.django_db
def test_search_ands_terms(entries):
    assert _titles("招商 会议") == ["工作动态"]
    assert _titles("招商 统计") == []


@pytest.mark.django_db
def test_search_finds_single_characters_anywhere(organ_a):
    hit = CatalogEntryFactory(organ=organ_a, title="关于市级预算的说明", body="财税")
    CatalogEntryFactory(organ=organ_a, title="其他", body="无关内容")
    assert _titles("市") == [hit.title]
    assert _titles("税") == [hit.title]  # the last character of the body


@pytest.mark.django_db
def test_search_matches_numbers_as_substrings_only_where_adjacent(organ_a):
    year = CatalogEntryFactory(organ=organ_a, title="2022年工作总结", body="")
    date = CatalogEntryFactory(organ=organ_a, title="通知", body="自2024年12月14日起施行。")
    CatalogEntryFactory(organ=organ_a, title="2月份第14项", body="第2022号年报")  # not adjacent
    assert _titles("22年") == [year.title]
    assert _titles("2月14日") == [date.title]
    assert _titles("2月14") == [date.title]


@pytest.mark.django_db
def test_search_finds_doc_and_index_numbers_typed_whole_or_in_part(organ_a):
    hit = CatalogEntryFactory(organ=organ_a, title="通知", doc_number="牡商发〔2024〕16号")
    CatalogEntryFactory(organ=organ_a, title="引用", body="依据牡商发〔2024〕1号文件。")
    assert _titles("牡商发〔2024〕16号") == [hit.title]
    assert _titles("〔2024〕16号") == [hit.title]
    assert _titles("牡商发[2024]16号") == [hit.title]
    tail = hit.index_number.split("/")[1]  # 2024-00001
    assert hit.title in _titles(tail)
    assert _titles(hit.index_number) == [hit.title]


@pytest.mark.django_db
def test_search_folds_traditional_full_width_and_punctuation(organ_a):
    hit = CatalogEntryFactory(organ=organ_a, title="关于《政务公开工作要点》的通知", body="ＡＢＣ")
    assert _titles("政務公開") == [hit.title]
    assert _titles("政务公开工作要点的通知") == [hit.title]
    assert _titles("abc") == [hit.title]


@pytest.mark.django_db
def test_search_ranks_doc_number_and_title_hits_first(entries, organ_a):
    newer = CatalogEntryFactory(
        organ=organ_a,
        title="其他通知",
        body="招商",
        publish_date=entries["invest"].publish_date + dt.timedelta(days=20),
    )
    by_relevance = _titles("招商", order="relevance")
    assert by_relevance[0] == entries["invest"].title  # the only one with 招商 in its title
    assert set(by_relevance) == {entries["invest"].title, entries["body_only"].title, newer.title}
    assert _titles("招商", order="date")[0] == newer.title
    numbered = CatalogEntryFactory(organ=organ_a, title="招商工作", doc_number="牡招商发〔2020〕1号")
    assert _titles("招商", order="relevance")[0] == numbered.title


@pytest.mark.django_db
def test_search_ignores_drafts_and_withdrawn(organ_a):
    CatalogEntryFactory(organ=organ_a, title="草稿招商", publish=False)
    withdrawn = CatalogEntryFactory(organ=organ_a, title="撤回招商")
    services.entry_withdraw(entry=withdrawn, reason="错误")
    assert _titles("招商") == []
    assert not SearchDocument.objects.exists()


@pytest.mark.django_db
def test_search_with_hostile_input_returns_normally(entries):
    for raw in ["'; DROP TABLE catalog_catalogentry; --", "a & | ! <-> :*", "x" * 10_000]:
        assert search_entries(query=raw).counts.total == 0
    # Nothing searchable left: the unfiltered list, not an error.
    result = search_entries(query="\\' & | !")
    assert not result.query and result.counts.total == 3


@pytest.mark.django_db
def test_search_counts_and_facets_exactly_up_to_the_bound(entries, organ_a, organ_b, monkeypatch):
    CatalogEntryFactory(organ=organ_b, title="统计局招商")
    result = search_entries(query="招商")
    assert result.counts.total == 3 and result.counts.available and not result.approximate
    assert result.counts.counts["organ"] == {organ_a.pk: 2, organ_b.pk: 1}
    monkeypatch.setattr(listing, "COUNT_BOUND", 2)
    capped = search_entries(query="招商", order="date")
    assert capped.approximate and not capped.counts.available
    assert capped.counts.total >= 3
    assert len(capped.entries) == 2


@pytest.mark.django_db
def test_search_respects_filters(entries, organ_b):
    CatalogEntryFactory(organ=organ_b, title="统计局招商")
    result = search_entries(query="招商", filters=CatalogFilters(organ_id=organ_b.pk))
    assert [e.title for e in result.entries] == ["统计局招商"]
    assert _titles("招商", filters=CatalogFilters(year=2023)) == []


@pytest.mark.django_db
def test_search_follows_updates_publication_and_withdrawal(entries, organ_a):
    services.entry_update(entry=entries["stats"], title="2023年招商统计公报")
    assert "2023年招商统计公报" in _titles("招商")
    draft = CatalogEntryFactory(organ=organ_a, title="招商草稿", publish=False)
    services.entry_approve(entry=draft, actor=None)
    services.entry_publish(entry=draft)
    assert "招商草稿" in _titles("招商")
    services.entry_withdraw(entry=draft, reason="有误")
    assert "招商草稿" not in _titles("招商")


@pytest.mark.django_db
def test_search_finds_attachment_text_and_names_the_attachment(organ_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    entry = CatalogEntryFactory(organ=organ_a, title="附件测试", body="正文没有这个词。")
    data = docx_with("拟录用人员名单：张三、李四。")
    upload = SimpleUploadedFile("名单.docx", data, content_type=DOCX)
    services.attachment_add(entry=entry, uploaded_file=upload)
    result = search_entries(query="拟录用")
    assert [e.pk for e in result.entries] == [entry.pk]
    assert result.entries[0].search_snippet.attachment == "名单.docx"
    attachment = entry.attachments.get()
    services.attachment_delete(attachment=attachment)
    assert _titles("拟录用") == []


@pytest.mark.django_db
def test_search_statistics_size_the_chunks_without_changing_results(organ_a):
    for day in range(1, 8):
        CatalogEntryFactory(organ=organ_a, title=f"公开第{day}号", publish_date=dt.date(2024, 3, day))
    before = _titles("公开")
    assert search_upkeep.rebuild_gram_stats() > 0
    planned = searching.plan_terms(["公开"], head=False, years=[2024])
    assert planned[0].keys == () and planned[0].verify  # every document has it: strpos only
    assert _titles("公开") == before and len(before) == 7


@pytest.mark.django_db
def test_a_trigram_in_most_documents_is_verified_by_strpos_not_looked_up(organ_a):
    for day in range(1, 11):
        extra = "，落实2021年工作部署" if day <= 3 else ""
        CatalogEntryFactory(
            organ=organ_a, title=f"2024年第{day}号通知{extra}", publish_date=dt.date(2024, 3, day)
        )
    search_upkeep.rebuild_gram_stats()
    (term,) = searching.plan_terms(["2021年"], head=False, years=[2024])
    assert search.quote_lexeme("202") not in term.keys  # in every document: not read
    assert term.keys and term.verify  # the rarer grams are, and strpos() checks the whole term
    assert sorted(_titles("2021年")) == sorted(f"2024年第{d}号通知，落实2021年工作部署" for d in (1, 2, 3))


@pytest.mark.django_db
def test_a_search_stopped_by_the_statement_timeout_says_so(entries, monkeypatch):
    def slow(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(1)")

    monkeypatch.setattr(listing, "STATEMENT_TIMEOUT_MS", 50)
    monkeypatch.setattr(searching, "walk", slow)
    result = search_entries(query="招商")
    assert result.timed_out and result.entries == []
    monkeypatch.undo()
    assert _titles("招商")  # the connection is usable afterwards


@pytest.mark.django_db
def test_search_query_count(entries, django_assert_num_queries):
    # savepoint, timeout, newest date, facet counts, statistics (2), the chunk, the page's
    # rows, where the snippets are, release; the facet lookups (organ, theme, genre of the rows)
    # are built once per content generation, by the view's parameter check before this
    facet_lookups()
    with django_assert_num_queries(10):
        search_entries(query="招商", order="date")


@pytest.mark.django_db
def test_search_statistics_command_rebuilds_the_statistics(entries):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("search_statistics", stdout=out)
    assert "gram statistics" in out.getvalue()
    assert SearchGramStat.objects.filter(gram="招商", year=2024).get().share == pytest.approx(2 / 3)


@pytest.mark.django_db(transaction=True)
def test_a_search_while_the_index_is_locked_times_out_with_the_message(organ_a, monkeypatch):
    """Whatever holds the index's exclusive lock (a REINDEX, an ALTER INDEX by an operator), searches
    stop at the statement timeout and say so; browsing the list does not touch the index."""
    import threading

    from django.db import connections

    CatalogEntryFactory(organ=organ_a, title="招商引资公告")
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock():
        conn = connections.create_connection("default")
        try:
            with conn.cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute("ALTER INDEX catalog_search_keys_gin SET (fastupdate = on)")
                locked.set()
                release.wait(10)
                cursor.execute("ROLLBACK")
        finally:
            conn.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert locked.wait(10)
        monkeypatch.setattr(listing, "STATEMENT_TIMEOUT_MS", 200)
        result = search_entries(query="招商")
        assert result.timed_out and result.entries == []
        assert [e.title for e in search_entries(query="").entries] == ["招商引资公告"]
    finally:
        release.set()
        holder.join()
    assert _titles("招商") == ["招商引资公告"]
