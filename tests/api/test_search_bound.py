"""No API search holds a worker longer than the public statement timeout, and none answers 5xx."""

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

import pytest

from apps.api.views import catalog as catalog_views
from apps.catalog import selectors
from apps.catalog.selectors import listing
from tests.api.conftest import entries

pytestmark = pytest.mark.django_db

LIST = "/api/catalog/entries/"
CSV = "/api/catalog/entries.csv"
MESSAGE = "检索用时过长"


@pytest.fixture
def slow_search(monkeypatch, organ_a):
    """Every search statement takes a second; the bound is 50 ms."""
    entries(organ_a, 3, title="招商引资公告")
    real = selectors.matching_entries

    def slow(*args, **kwargs):
        rows = real(*args, **kwargs)
        if kwargs.get("query"):
            rows = rows.filter(RawSQL("pg_sleep(1) IS NOT NULL", [], output_field=BooleanField()))
        return rows

    monkeypatch.setattr(listing, "STATEMENT_TIMEOUT_MS", 50)
    monkeypatch.setattr(catalog_views.selectors, "matching_entries", slow)


def test_a_list_search_that_times_out_is_a_400_that_says_so(client, slow_search):
    response = client.get(LIST, {"q": "招商"})
    assert response.status_code == 400
    assert MESSAGE in response.json()["detail"]
    assert response["Access-Control-Allow-Origin"] == "*"
    with connection.cursor() as cursor:  # the connection is usable, the timeout not left behind
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
    assert client.get(LIST).status_code == 200  # without a search term: no search, no sleep


def test_a_download_search_that_times_out_is_a_400_before_any_byte_streams(client, slow_search):
    response = client.get(CSV, {"q": "招商"})
    assert response.status_code == 400
    assert MESSAGE in response.json()["detail"]


def test_a_download_search_within_the_bound_lists_every_match_newest_first(client, organ_a):
    entries(organ_a, 4, title="招商引资公告")
    entries(organ_a, 2, title="人事任免")
    response = client.get(CSV, {"q": "招商 公告"})
    text = b"".join(response.streaming_content).decode("utf-8")
    lines = text.strip().split("\n")
    assert response.status_code == 200 and len(lines) == 1 + 4
    dates = [line.split(",")[5] for line in lines[1:]]
    assert dates == sorted(dates, reverse=True)


def test_a_download_with_a_query_reads_its_rows_in_a_bounded_number_of_queries(
    client, organ_a, django_assert_max_num_queries
):
    entries(organ_a, 30, title="招商引资公告")
    with django_assert_max_num_queries(12):
        response = client.get(CSV, {"q": "招商"})
        body = b"".join(response.streaming_content)
    assert body.decode("utf-8").count("招商引资公告") == 30
