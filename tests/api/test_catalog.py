"""The catalog API: only published entries, the page's filters and search, stable cursor pages."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from apps.catalog import services
from tests.api.conftest import PDF, entries
from tests.factories import CatalogEntryFactory

pytestmark = pytest.mark.django_db

LIST = "/api/catalog/entries/"


def _titles(response) -> list[str]:
    return [item["title"] for item in response.json()["results"]]


def test_list_gives_published_entries_newest_first_with_their_metadata(client, organ_a, hidden):
    older, newer = entries(organ_a, 2, doc_number="牡经合发〔2024〕3号", keywords="招商 引资")

    response = client.get(LIST)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["next"] is None
    assert _titles(response) == [newer.title, older.title]
    item = body["results"][0]
    assert item["index_number"] == newer.index_number
    assert item["organ"] == {"slug": "jhj", "name": "牡丹江市经济合作促进局"}
    assert item["publisher"] == "牡丹江市经济合作促进局"
    assert item["doc_number"] == "牡经合发〔2024〕3号"
    assert item["publish_date"] == "2024-03-02"
    assert item["theme"] == "综合政务\\政务公开"
    assert item["genre"] == "通知"
    assert item["validity"] == "valid"
    assert item["url"] == f"http://testserver/catalog/{newer.index_number}/"
    assert "body" not in item
    assert "草稿" not in response.content.decode() and "撤回" not in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow_with_entries(client, organ_a, django_assert_num_queries, count):
    entries(organ_a, count)
    # facet lookups (organs, themes, genres) and the page
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_search_query_count_does_not_grow_with_entries(client, organ_a, django_assert_num_queries, count):
    entries(organ_a, count, title="关于招商引资的通知")
    # facet lookups, and the page within the time bound (savepoint, statement timeout, page, release)
    with django_assert_num_queries(7):
        response = client.get(LIST, {"q": "商引", "year": 2024})
    assert len(response.json()["results"]) == count


def test_list_applies_the_pages_filters_and_search(client, organ_a, organ_b):
    found = CatalogEntryFactory(organ=organ_a, title="关于招商引资的通知", publish_date=dt.date(2023, 5, 1))
    CatalogEntryFactory(organ=organ_a, title="关于招商引资的通知", publish_date=dt.date(2024, 5, 1))
    CatalogEntryFactory(organ=organ_b, title="关于招商引资的通知", publish_date=dt.date(2023, 5, 1))
    CatalogEntryFactory(organ=organ_a, title="统计公报", publish_date=dt.date(2023, 6, 1))

    response = client.get(LIST, {"organ": "jhj", "year": 2023, "q": "商引"})

    assert [item["index_number"] for item in response.json()["results"]] == [found.index_number]


@pytest.mark.parametrize(
    "params, name",
    [({"organ": "nonexistent"}, "organ"), ({"year": "abc"}, "year"), ({"validity": "x"}, "validity")],
)
def test_an_invalid_filter_is_a_400_naming_it(client, organ_a, params, name):
    entries(organ_a, 1)
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert list(response.json()) == [name]


@pytest.mark.parametrize(
    "params", [{"cursor": "%%%"}, {"cursor": "bm9wZQ"}, {"page_size": "0"}, {"page_size": "101"}]
)
def test_a_bad_cursor_or_page_size_is_a_400(client, organ_a, params):
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert list(response.json()) == list(params)


def test_cursor_pages_walk_every_entry_once(client, organ_a):
    made = entries(organ_a, 5) + entries(organ_a, 2, start=dt.date(2024, 3, 3))  # ties on one date
    seen, url = [], f"{LIST}?page_size=2"
    while url:
        body = client.get(url).json()
        seen += [item["index_number"] for item in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(entry.index_number for entry in made)
    assert len(seen) == len(set(seen)) == 7


def test_cursor_pages_are_stable_when_entries_are_published_meanwhile(client, organ_a):
    made = entries(organ_a, 6)  # 03-01 … 03-06
    first = client.get(LIST, {"page_size": 2}).json()
    assert [i["publish_date"] for i in first["results"]] == ["2024-03-06", "2024-03-05"]

    # Published after the first page was read: newer, and on the date of the page's last entry.
    CatalogEntryFactory(organ=organ_a, publish_date=dt.date(2024, 3, 10))
    CatalogEntryFactory(organ=organ_a, publish_date=dt.date(2024, 3, 5))

    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    rest = [i["index_number"] for i in second["results"] + third["results"]]
    assert rest == [entry.index_number for entry in reversed(made[:4])]
    assert third["next"] is None


def test_detail_gives_the_text_and_attachment_metadata(client, organ_a):
    entry = CatalogEntryFactory(organ=organ_a, body="第一段。\n第二段。")
    services.attachment_add(entry=entry, uploaded_file=SimpleUploadedFile("招商引资办法.pdf", PDF))

    response = client.get(f"{LIST}{entry.index_number}/")

    assert response.status_code == 200
    body = response.json()
    assert body["body"] == "第一段。\n第二段。"
    [attachment] = body["attachments"]
    assert attachment["name"] == "招商引资办法.pdf"
    assert attachment["size"] == len(PDF)
    assert attachment["content_type"] == "application/pdf"
    assert attachment["url"].startswith("http://testserver/catalog/attachments/")


def test_detail_of_a_draft_or_withdrawn_entry_is_404(client, hidden):
    for entry in hidden:
        response = client.get(f"{LIST}{entry.index_number}/")
        assert response.status_code == 404
        assert "草稿" not in response.content.decode()


@pytest.mark.parametrize("attachments", [1, 3])
def test_detail_query_count_does_not_grow(client, organ_a, django_assert_num_queries, attachments):
    entry = CatalogEntryFactory(organ=organ_a)
    for i in range(attachments):
        services.attachment_add(entry=entry, uploaded_file=SimpleUploadedFile(f"{i}.pdf", PDF))
    with django_assert_num_queries(2):
        response = client.get(f"{LIST}{entry.index_number}/")
    assert len(response.json()["attachments"]) == attachments
