"""Public catalog pages: list, search, facets, detail and attachment download."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from apps.catalog import services
from apps.catalog.enums import ArticleTwentyItem, Validity
from tests.factories import CatalogEntryFactory, GenreFactory, ThemeFactory

LIST = "/catalog/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _entry(organ, **kwargs):
    return CatalogEntryFactory(organ=organ, **kwargs)


@pytest.fixture
def hidden(organ_a):
    draft = _entry(organ_a, title="草稿中的招商文件", publish=False)
    withdrawn = _entry(organ_a, title="已撤回的招商文件")
    services.entry_withdraw(entry=withdrawn, reason="内容有误")
    for entry in (draft, withdrawn):
        services.attachment_add(entry=entry, uploaded_file=SimpleUploadedFile("秘密.pdf", PDF))
    return draft, withdrawn


# --- list ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_published_entries_newest_first(client, organ_a):
    _entry(organ_a, title="较早的通知", publish_date=dt.date(2023, 1, 5))
    _entry(organ_a, title="最新的通知", publish_date=dt.date(2024, 6, 1))
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("最新的通知") < html.index("较早的通知")
    assert "共 2 条信息" in html
    assert response.context["results"].counts.total == 2


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow_with_entries(client, organ_a, django_assert_num_queries, count):
    for i in range(count):
        _entry(organ_a, title=f"第{i}号通知")
    # organs, themes, genres (facet labels), facet totals, the page's ids, its entries (read
    # because the result list is rendered for the first time), and the footer's organ
    with django_assert_num_queries(7):
        response = client.get(LIST)
    assert len(response.context["results"].entries) == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_filtered_list_query_count_does_not_grow(client, organ_a, django_assert_num_queries, count):
    for i in range(count):
        _entry(organ_a, title=f"第{i}号通知")
    with django_assert_num_queries(7):
        response = client.get(LIST, {"organ": organ_a.slug, "year": 2024})
    assert len(response.context["results"].entries) == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_search_query_count_does_not_grow(client, organ_a, django_assert_num_queries, count):
    for i in range(count):
        _entry(organ_a, title=f"第{i}号招商引资通知")
    # organs, themes, genres; the search transaction: savepoint, timeout, newest date, facet
    # counts per year, gram statistics (2), one chunk (it holds every match, so the title hits
    # are ranked without a second walk), the page rows, where the snippets are, release; the
    # footer organ.
    with django_assert_num_queries(14):
        response = client.get(LIST, {"q": "商引", "sort": "relevance"})
    assert len(response.context["results"].entries) == count


@pytest.mark.django_db
def test_list_filters_by_facets_and_shows_counts(client, organ_a, organ_b):
    finance = ThemeFactory(name="财政", parent=ThemeFactory(name="财政、金融、审计", parent=None))
    notice = GenreFactory(name="公告")
    _entry(organ_a, title="甲机关通知", publish_date=dt.date(2023, 3, 1))
    _entry(
        organ_b,
        title="乙机关公告",
        theme=finance,
        genre=notice,
        validity=Validity.REPEALED,
        article_item=ArticleTwentyItem.ITEM_7,
    )
    html = client.get(LIST).content.decode()
    assert "（1条）" in html and "2023年" in html and "财政、金融、审计" in html

    for params in (
        {"organ": organ_b.slug},
        {"theme": finance.parent_id},
        {"theme": finance.parent_id, "subtheme": finance.pk},
        {"genre": notice.pk},
        {"year": 2024},
        {"validity": "repealed"},
        {"item": 7},
    ):
        response = client.get(LIST, params)
        titles = [e.title for e in response.context["results"].entries]
        assert titles == ["乙机关公告"], params
        assert response.context["results"].counts.total == 1
    assert [e.title for e in client.get(LIST, {"item": 0}).context["results"].entries] == ["甲机关通知"]


@pytest.mark.django_db
def test_facets_are_fieldsets_with_legends_and_checked_state(client, organ_a):
    _entry(organ_a)
    html = client.get(LIST, {"organ": organ_a.slug}).content.decode()
    assert '<fieldset class="facet" id="facet-organ">' in html
    assert "<legend>发布机构</legend>" in html
    assert f'value="{organ_a.slug}" checked' in html


@pytest.mark.django_db
def test_search_highlights_and_escapes(client, organ_a):
    _entry(organ_a, title="<script>alert(1)</script>招商引资办法", summary="关于招商的<b>说明</b>")
    html = client.get(LIST, {"q": "招商 <script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<mark>招商</mark>" in html
    assert "&lt;<mark>script</mark>&gt;" in html
    assert "<b>说明</b>" not in html


@pytest.mark.django_db
def test_search_finds_mid_word_fragment_on_the_page(client, organ_a):
    _entry(organ_a, title="招商引资政策", body="")
    _entry(organ_a, title="人才引进政策", body="")
    response = client.get(LIST, {"q": "商引"})
    assert [e.title for e in response.context["results"].entries] == ["招商引资政策"]
    assert "<mark>商引</mark>" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": ""},
        {"page": "1.5"},
        {"organ": "nonexistent"},
        {"year": "abc"},
        {"year": "99999999999999999999"},
        {"theme": "1'; DROP TABLE catalog_catalogentry; --"},
        {"subtheme": "-1"},
        {"genre": "０"},
        {"validity": "<x>"},
        {"item": "16"},
        {"sort": "relevance"},
        {"sort": "'"},
        {"q": "x" * 10_000},
        {"q": "<script>alert(1)</script>"},
        {"q": "a & b | !c <-> d:* ( ) '"},
        {"q": "\\"},
        {"q": "招商", "sort": "bogus", "page": "abc"},
        {"unknown": "1"},
    ],
)
def test_bad_inputs_never_500(client, organ_a, params):
    _entry(organ_a, title="招商引资政策")
    response = client.get(LIST, params)
    assert response.status_code == 200
    if "q" not in params:
        # Malformed filters are ignored: the unfiltered list.
        assert response.context["results"].counts.total == 1
        assert not response.context["filters"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["-1", "0", "999999", "2"])
def test_out_of_range_pages_are_404(client, organ_a, page):
    _entry(organ_a)
    assert client.get(LIST, {"page": page}).status_code == 404
    assert client.get(LIST, {"page": page, "q": "通知"}).status_code == 404


@pytest.mark.django_db
def test_pagination_marks_current_page(client, organ_a, monkeypatch):
    from apps.catalog.selectors import listing

    monkeypatch.setattr(listing, "PER_PAGE", 2)
    monkeypatch.setattr(
        listing.search_entries, "__kwdefaults__", {**listing.search_entries.__kwdefaults__, "per_page": 2}
    )
    for i in range(5):
        _entry(organ_a, title=f"通知{i}")
    response = client.get(LIST, {"page": 2, "organ": organ_a.slug})
    html = response.content.decode()
    assert response.context["results"].page.number == 2
    assert 'aria-current="page">2</a>' in html
    assert f"?organ={organ_a.slug}&amp;page=3" in html


# --- visibility ----------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_never_sees_draft_or_withdrawn(client, organ_a, hidden):
    _entry(organ_a, title="公开的通知")
    html = client.get(LIST).content.decode()
    assert "公开的通知" in html and "草稿中" not in html and "已撤回的" not in html
    assert client.get(LIST, {"q": "招商"}).context["results"].counts.total == 0
    for entry in hidden:
        assert client.get(reverse("catalog:detail", args=[entry.index_number])).status_code == 404
        attachment = entry.attachments.get()
        assert client.get(attachment.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_staff_do_not_see_drafts_on_the_public_site_either(client, alice, hidden):
    client.force_login(alice)
    for entry in hidden:
        assert client.get(entry.get_absolute_url()).status_code == 404


# --- detail ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_detail_shows_metadata_body_and_attachments(client, organ_a):
    entry = _entry(
        organ_a,
        title="关于印发招商引资办法的通知",
        summary="印发招商引资办法。",
        body="第一段<b>内容</b>。\n\n第二段内容。",
        doc_number="牡经合发〔2018〕3号",
        written_date=dt.date(2018, 3, 1),
        publish_date=dt.date(2018, 3, 5),
        effective_date=dt.date(2018, 4, 1),
        keywords="招商 引资",
    )
    services.attachment_add(entry=entry, uploaded_file=SimpleUploadedFile("招商引资办法.pdf", PDF))
    assert entry.index_number == "11231000MB0000001X/2018-00001"
    response = client.get(f"/catalog/{entry.index_number}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "<caption>信息索引</caption>",
        "11231000MB0000001X/2018-00001",
        "综合政务\\政务公开",
        "牡丹江市经济合作促进局",
        "牡经合发〔2018〕3号",
        "2018-03-01",
        "2018-04-01",
        "有效",
        "通知",
        "招商 引资",
        "印发招商引资办法。",
        "<p>第一段&lt;b&gt;内容&lt;/b&gt;。</p>",
        "<p>第二段内容。</p>",
        "招商引资办法.pdf",
    ):
        assert text in html, text
    assert 'scope="row">索引号</th>' in html
    assert "validity-banner" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(("validity", "label"), [(Validity.REPEALED, "已废止"), (Validity.EXPIRED, "已失效")])
def test_detail_banner_for_entries_no_longer_in_force(client, organ_a, validity, label):
    entry = _entry(organ_a, validity=validity, expiry_date=dt.date(2024, 12, 31))
    html = client.get(entry.get_absolute_url()).content.decode()
    assert f'<strong class="validity-banner-label">{label}</strong>' in html
    assert "2024年12月31日" in html


@pytest.mark.django_db
@pytest.mark.parametrize("attachments", [1, 3])
def test_detail_query_count_does_not_grow(client, organ_a, django_assert_num_queries, attachments, settings):
    settings.PAGE_CACHE_SECONDS = 0  # every request renders (the fragments are kept)
    entry = _entry(organ_a)
    for i in range(attachments):
        services.attachment_add(entry=entry, uploaded_file=SimpleUploadedFile(f"附件{i}.pdf", PDF))
    # the entry; the facet lookups its organ comes from (organs, themes, genres: once per content
    # generation); its document: the entry with its body, the attachments, the 政策解读 links;
    # the footer's organ
    with django_assert_num_queries(8):
        response = client.get(entry.get_absolute_url())
    html = response.content.decode()
    assert all(f"附件{i}.pdf" in html for i in range(attachments))
    # the document and the footer are kept until content changes: the entry is read again
    with django_assert_num_queries(1):
        assert client.get(entry.get_absolute_url()).content.decode() == html


@pytest.mark.django_db
def test_detail_unknown_index_number_is_404(client, organ_a):
    assert client.get("/catalog/11231000MB0000001X/2018-99999/").status_code == 404
    assert client.get("/catalog/%27%3B%20DROP/").status_code == 404


# --- attachments ----------------------------------------------------------------------


@pytest.mark.django_db
def test_attachment_download_keeps_chinese_name_and_type(client, organ_a):
    entry = _entry(organ_a)
    attachment = services.attachment_add(
        entry=entry, uploaded_file=SimpleUploadedFile("招商引资办法（2018）.pdf", PDF)
    )
    response = client.get(reverse("catalog:attachment", kwargs={"token": attachment.token}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E6%8B%9B%E5%95%86" in disposition


@pytest.mark.django_db
def test_attachment_missing_file_is_404_not_500(client, organ_a):
    entry = _entry(organ_a)
    attachment = services.attachment_add(entry=entry, uploaded_file=SimpleUploadedFile("a.pdf", PDF))
    attachment.file.storage.delete(attachment.file.name)
    assert client.get(attachment.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_attachment_unknown_token_is_404(client):
    assert client.get("/catalog/attachments/nope/").status_code == 404


@pytest.mark.django_db
def test_search_reads_the_newest_dates_first_and_stops_when_it_has_enough(organ_a, monkeypatch):
    """With more matches than the bound, older years are never read, the newest matches are
    listed with none missing at a chunk boundary, and the total says 约."""
    from django.utils import timezone

    from apps.catalog import search_upkeep
    from apps.catalog.selectors import listing, searching

    today = timezone.localdate()
    recent = [
        _entry(organ_a, title=f"招商引资{i}", publish_date=today - dt.timedelta(days=i)) for i in range(3)
    ]
    _entry(organ_a, title="招商引资旧", publish_date=today - dt.timedelta(days=800))
    search_upkeep.rebuild_gram_stats()
    monkeypatch.setattr(searching, "CHUNK_TARGET", 1)  # a chunk per year at most
    monkeypatch.setattr(listing, "COUNT_BOUND", 2)
    results = listing.search_entries(query="商引", order="date")
    assert [e.pk for e in results.entries] == [recent[0].pk, recent[1].pk]
    assert results.approximate and results.counts.total >= 3

    monkeypatch.setattr(listing, "COUNT_BOUND", 5)
    results = listing.search_entries(query="商引", order="date")
    assert len(results.entries) == 4 and not results.approximate
    assert results.entries[-1].title == "招商引资旧"


@pytest.mark.django_db
def test_a_search_that_times_out_answers_200_with_a_message_and_is_not_cached(client, organ_a, monkeypatch):
    from apps.catalog.selectors import listing

    _entry(organ_a, title="招商引资通知")
    monkeypatch.setattr(listing, "_searched_ids", _sleep_then_fail)
    monkeypatch.setattr(listing, "STATEMENT_TIMEOUT_MS", 50)
    response = client.get(LIST, {"q": "招商"})
    assert response.status_code == 200
    assert "检索用时过长" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def _sleep_then_fail(*args):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(1)")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"year": "2001"},  # a year before the first entry
        {"organ": "tjj"},  # an organ with no published entry (the organ list links to this page)
        {"organ": "jhj", "year": "1999"},
        {"item": "9"},
    ],
)
def test_filters_matching_nothing_answer_an_empty_page(client, organ_a, organ_b, params):
    _entry(organ_a, title="招商引资政策", publish_date=dt.date(2024, 3, 1))
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert response.context["results"].counts.total == 0
    assert "招商引资政策" not in response.content.decode()


# --- parameters ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_fast_parameter_check_accepts_what_the_form_accepts(organ_a):
    """CatalogFilterSet checks the parameters without building the form (a millisecond saved on every
    list page); it must keep and drop exactly the values that the form's fields keep and drop."""
    from django.http import QueryDict

    from apps.catalog.filters import CatalogFilterSet, ParameterForm
    from apps.catalog.selectors import facet_lookups

    sub = ThemeFactory(name="招商引资")
    root, genre = sub.parent, GenreFactory(name="公告")
    lookups = facet_lookups()
    values = {
        "q": ["", " ", "营商环境", "  通知  ", "x" * 500, "a\x00b"],
        "organ": ["", organ_a.slug, organ_a.slug.upper(), f" {organ_a.slug}", "nonexistent"],
        "theme": ["", str(root.pk), f"0{root.pk}", f" {root.pk}", str(sub.pk), "abc", "-1", "１"],
        "subtheme": ["", str(sub.pk), str(root.pk), f"+{sub.pk}", "99999999"],
        "genre": ["", str(genre.pk), f"{genre.pk}.0", "０", "x"],
        "year": ["", "2024", " 2024 ", "2024.0", "1948", "2101", "abc", "２０２４", "99999999999999999999"],
        "validity": ["", "valid", "VALID", "<x>", "expired"],
        "item": ["", "0", "1", "15", "16", "01", "-0"],
        "sort": ["", "date", "relevance", "'"],
    }
    for name, choices in values.items():
        for value in choices:
            data = QueryDict(mutable=True)
            data[name] = value
            expected = ParameterForm(data, lookups=lookups).form
            expected.is_valid()
            kept = {k: v for k, v in expected.cleaned_data.items() if v not in (None, "")}
            assert CatalogFilterSet(data, lookups=lookups).cleaned == kept, (name, value)


@pytest.mark.django_db
def test_listed_entries_show_organ_and_theme_without_a_query_per_row(
    client, organ_a, django_assert_max_num_queries
):
    parent = ThemeFactory(name="综合政务")
    child = ThemeFactory(name="政务公开", parent=parent)
    for day in range(1, 16):
        _entry(organ_a, title=f"通知{day}", theme=child, publish_date=dt.date(2024, 3, day))
    client.get(LIST)  # facet lookups and fragments of this generation built
    with django_assert_max_num_queries(2):
        response = client.get(LIST, {"page": 1, "organ": organ_a.slug})
    text = response.content.decode()
    assert text.count("综合政务\\政务公开") == 15 and organ_a.name in text


@pytest.mark.django_db
def test_an_entry_of_an_organ_no_longer_active_is_listed_with_its_organ(client, organ_a):
    _entry(organ_a, title="旧机构的通知")
    organ_a.is_active = False
    organ_a.save()
    response = client.get(LIST)
    assert response.status_code == 200
    text = response.content.decode()
    assert "旧机构的通知" in text and organ_a.name in text


@pytest.mark.django_db
def test_the_detail_of_an_entry_of_an_organ_no_longer_active_names_its_organ(client, organ_a):
    entry = _entry(organ_a, title="旧机构的决定")
    organ_a.is_active = False
    organ_a.save()
    response = client.get(entry.get_absolute_url())
    assert response.status_code == 200
    assert "旧机构的决定" in response.content.decode() and organ_a.display_name in response.content.decode()


@pytest.mark.django_db
def test_a_list_page_asked_again_in_the_same_generation_runs_no_query(
    client, organ_a, django_assert_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # every request renders; the result list is a kept fragment
    for day in range(1, 6):
        _entry(organ_a, title=f"第{day}号通知", publish_date=dt.date(2024, 3, day))
    first = client.get(LIST).content.decode()
    # the totals, the page's ids and its rendered results are kept per content generation
    with django_assert_num_queries(0):
        response = client.get(LIST)
    assert response.content.decode() == first
    assert response.context["results"].entries._rows is None  # no entry was read nor built
    _entry(organ_a, title="新发布的通知", publish_date=dt.date(2024, 3, 9))  # a new generation
    # the new generation's first render: organs, themes, genres, totals, the page's ids, its rows,
    # and the footer's organ
    with django_assert_num_queries(7):
        response = client.get(LIST)
    assert "新发布的通知" in response.content.decode()
