"""The search engine: vectors, the query builder, highlighting, and search over the database."""

import pytest

from apps.catalog import search, services
from apps.catalog.search import document_vectors, highlight, parse_query, snippet
from apps.catalog.selectors import CatalogFilters, listing, search_entries
from tests.factories import CatalogEntryFactory


def test_document_vectors_weight_title_above_body_and_drop_punctuation():
    words, grams = document_vectors(
        title="招商引资工作通知", summary="", body="各单位：做好招商引资。", keywords="营商 环境"
    )
    assert "'招商引资':1A" in words
    assert "'营商':4A" in words
    assert "B" in words.split("'招商引资':")[1].split(" ")[0]  # also found in the body
    assert "：" not in words and "。" not in words
    for gram in ("'招商'", "'商引'", "'引资'", "'各单'"):
        assert gram in grams
    assert ":" not in grams  # grams carry no positions


def test_document_vectors_fold_fullwidth_and_case():
    words, grams = document_vectors(title="ＡＢＣ２０１８年", summary="", body="PDF Version", keywords="")
    assert "'abc2018'" in grams and "'pdf'" in grams and "'version'" in grams
    assert "ＡＢＣ" not in words


def test_quote_lexeme_escapes_quotes_and_backslashes():
    assert search.quote_lexeme("it's") == "'it''s'"
    assert search.quote_lexeme("a\\b") == "'a\\\\b'"


@pytest.mark.parametrize(
    "raw",
    ["'", "a' & b", "!(x | y) <-> z:*", "<script>alert(1)</script>", "x" * 10_000, "\\", "''::tsquery"],
)
def test_parse_query_turns_operators_into_quoted_lexemes(raw):
    query = parse_query(raw)
    for part in filter(None, query.grams.split(" & ")):
        assert part.startswith("'") and (part.endswith("'") or part.endswith("':*"))
    assert len(query.text) <= search.MAX_QUERY_CHARS


def test_parse_query_limits_terms():
    query = parse_query(" ".join("招商引资优化营商环境统计公报预算决算财政收支政务公开信息")[:80])
    assert len(query.fragments) == search.MAX_QUERY_TERMS


def test_parse_query_kinds_of_terms():
    query = parse_query("市 招商 招商引资 PDF")
    assert query.words == "'市'"
    assert "'招商'" in query.grams and "'商引'" in query.grams and "'pdf':*" in query.grams
    assert query.recheck == ("招商引资",)
    assert not parse_query("，。！ ")


def test_highlight_escapes_html_and_marks_matches():
    html = highlight('<img src=x onerror="alert(1)">招商引资 & 招商', parse_query("招商").fragments)
    assert "<img" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert html.count("<mark>招商</mark>") == 2
    assert "&amp;" in html


def test_highlight_does_not_let_query_html_through():
    html = highlight("a <b> c", parse_query("<b>").fragments)
    assert "<b>" not in html and "&lt;<mark>b</mark>&gt;" in html


def test_snippet_centres_on_the_match():
    body = "前言" * 200 + "这里是招商引资的内容" + "结尾" * 200
    text = snippet(["", body], parse_query("招商").fragments, width=60)
    assert "<mark>招商</mark>" in text and text.startswith("…") and text.endswith("…")


def test_document_vectors_are_fast_enough_for_a_million_documents():
    import time

    body = "为贯彻落实《中华人民共和国政府信息公开条例》，进一步做好招商引资工作，现将有关事项通知如下。" * 25
    start = time.perf_counter()
    for _ in range(50):
        document_vectors(
            title="关于做好政务公开工作的通知", summary=body[:100], body=body, keywords="政务公开"
        )
    per_document = (time.perf_counter() - start) / 50
    # About 0.6 ms on an idle machine; the bound only catches a pathological regression
    # (a shared CI machine under load is 10-20 times slower).
    assert per_document < 0.05


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
    # jieba keeps 招商引资 as one word: 商引 and 引资优 exist only as character sequences.
    assert _titles("商引") == ["关于印发招商引资优惠政策的通知"]
    assert _titles("引资优惠") == ["关于印发招商引资优惠政策的通知"]


@pytest.mark.django_db
def test_search_rechecks_adjacency_of_longer_fragments(organ_a):
    # Has the grams 招商, 商会 and 会议 but not the sequence 招商会议.
    CatalogEntryFactory(organ=organ_a, title="招商 商会 会议", body="")
    hit = CatalogEntryFactory(organ=organ_a, title="召开招商会议", body="")
    assert _titles("招商会议") == [hit.title]


@pytest.mark.django_db
def test_search_ands_terms(entries):
    assert _titles("招商 会议") == ["工作动态"]
    assert _titles("招商 统计") == []


@pytest.mark.django_db
def test_search_single_character_uses_words(organ_a):
    CatalogEntryFactory(organ=organ_a, title="关于市级预算的说明", body="市 财政")
    assert _titles("市") == ["关于市级预算的说明"]


@pytest.mark.django_db
def test_search_ranks_title_matches_first(entries, organ_a):
    newer = CatalogEntryFactory(
        organ=organ_a,
        title="其他通知",
        body="招商",
        publish_date=entries["invest"].publish_date.replace(day=20),
    )
    by_relevance = _titles("招商", order="relevance")
    assert by_relevance[0] == entries["invest"].title  # the only one with 招商 in its title
    assert set(by_relevance) == {entries["invest"].title, entries["body_only"].title, newer.title}
    assert _titles("招商", order="date")[0] == newer.title


@pytest.mark.django_db
def test_search_ignores_drafts_and_withdrawn(organ_a):
    CatalogEntryFactory(organ=organ_a, title="草稿招商", publish=False)
    withdrawn = CatalogEntryFactory(organ=organ_a, title="撤回招商")
    services.entry_withdraw(entry=withdrawn, reason="错误")
    assert _titles("招商") == []


@pytest.mark.django_db
def test_search_with_hostile_input_returns_normally(entries):
    for raw in ["'; DROP TABLE catalog_catalogentry; --", "a & | ! <-> :*", "x" * 10_000]:
        assert search_entries(query=raw).counts.total == 0
    # Nothing searchable left: the unfiltered list, not an error.
    result = search_entries(query="\\' & | !")
    assert not result.query and result.counts.total == 3


@pytest.mark.django_db
def test_search_counts_and_facets_within_window(entries, organ_a, organ_b, monkeypatch):
    CatalogEntryFactory(organ=organ_b, title="统计局招商")
    result = search_entries(query="招商")
    assert result.counts.total == 3 and result.counts.available
    assert result.counts.counts["organ"] == {organ_a.pk: 2, organ_b.pk: 1}
    monkeypatch.setattr(listing, "SEARCH_WINDOW", 2)
    capped = search_entries(query="招商")
    assert capped.counts.total_capped and not capped.counts.available
    assert len(capped.entries) == 2


@pytest.mark.django_db
def test_search_respects_filters(entries, organ_b):
    CatalogEntryFactory(organ=organ_b, title="统计局招商")
    result = search_entries(query="招商", filters=CatalogFilters(organ_id=organ_b.pk))
    assert [e.title for e in result.entries] == ["统计局招商"]


@pytest.mark.django_db
def test_search_update_refreshes_vectors(entries):
    services.entry_update(entry=entries["stats"], title="2023年招商统计公报")
    assert "2023年招商统计公报" in _titles("招商")
