"""City-wide statistics: aggregated numbers of complete years only, never a person's data."""

import csv
import datetime as dt
import io

import pytest
import time_machine

from apps.applications.enums import ApplicantType, Outcome
from apps.applications.selectors import outcome_counts
from apps.litigation.enums import Result
from tests.factories import CatalogEntryFactory, OrganFactory
from tests.factories.records import CaseFactory
from tests.factories.reports import application

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture(autouse=True)
def _in_2025():
    with time_machine.travel(dt.datetime(2025, 6, 1, 10, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def records(organ_a, organ_b):
    application(organ=organ_a, received_on=D(2023, 12, 20), closed_on=D(2024, 1, 10))
    application(organ=organ_a, received_on=D(2024, 3, 1), closed_on=D(2024, 3, 20), outcome=Outcome.NOT_HELD)
    application(
        organ=organ_b,
        received_on=D(2024, 5, 2),
        closed_on=D(2024, 5, 9),
        applicant_type=ApplicantType.COMMERCIAL,
    )
    application(organ=organ_b, received_on=D(2024, 12, 2))  # carried into 2025
    application(organ=organ_b, received_on=D(2025, 2, 2))  # the year in progress: never shown
    CatalogEntryFactory(organ=organ_a, publish_date=D(2024, 4, 1))


def test_years_list_complete_years_with_their_totals(client, records):
    body = client.get("/api/statistics/").json()

    assert [line["year"] for line in body] == [2024, 2023]
    y2024 = body[0]
    assert (y2024["applications_new"], y2024["applications_closed"], y2024["applications_carried_out"]) == (
        3,
        3,
        1,
    )
    assert y2024["catalog_entries"] == 1
    assert y2024["api_url"] == "http://testserver/api/statistics/2024/"


@pytest.mark.parametrize("count", [1, 3])
def test_years_query_count_does_not_grow_with_organs(client, django_assert_num_queries, count):
    for i in range(count):
        organ = OrganFactory(name=f"机关{i}", slug=f"o{i}", code=f"11231000MB000001{i}X")
        application(organ=organ, received_on=D(2022 + i % 2, 3, 1))
    # organs, first application year, catalog years, yearly counts
    with django_assert_num_queries(4):
        body = client.get("/api/statistics/").json()
    assert body[-1]["year"] == 2022


def test_a_year_adds_up_every_organ_and_shows_each(client, organ_a, organ_b, records):
    CaseFactory(organ=organ_a, filed_date=D(2024, 4, 1), result=Result.UPHELD, decided_date=D(2024, 6, 1))
    CaseFactory(organ=organ_b, filed_date=D(2024, 9, 1))  # 尚未审结 at the year's end

    body = client.get("/api/statistics/2024/").json()

    expected = {
        row: sum(outcome_counts(organ_ids=[o.pk], year=2024)[row]["total"] for o in (organ_a, organ_b))
        for row in ("new", "carried_in", "r1", "r4_1", "r7", "carried_out")
    }
    totals = {row["code"]: row["values"][-1] for row in body["table3"]["rows"]}
    assert {row: totals[row] for row in expected} == expected == {
        "new": 3, "carried_in": 1, "r1": 2, "r4_1": 1, "r7": 3, "carried_out": 1,
    }  # fmt: skip
    assert body["table3"]["columns"][0] == {"code": "natural", "label": "自然人"}
    by_organ = {line["organ"]["slug"]: line["table3"]["rows"][0]["values"] for line in body["organs"]}
    assert by_organ == {"jhj": [1, 0, 0, 0, 0, 0, 1], "tjj": [1, 1, 0, 0, 0, 0, 2]}
    table4 = dict(
        zip([c["code"] for c in body["table4"]["columns"]], body["table4"]["rows"][0]["values"], strict=True)
    )
    assert table4["review.upheld"] == 1 and table4["review.pending"] == 1 and table4["review.total"] == 2
    assert body["catalog_entries"] == 1
    assert "张三" not in client.get("/api/statistics/2024/").content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_a_years_query_count_does_not_grow_with_organs(client, django_assert_num_queries, count):
    for i in range(count):
        organ = OrganFactory(name=f"机关{i}", slug=f"o{i}", code=f"11231000MB000001{i}X")
        application(organ=organ, received_on=D(2024, 3, 1))
    # organs, table 3 by organ, table 4, catalog entries of the year
    with django_assert_num_queries(4):
        body = client.get("/api/statistics/2024/").json()
    assert len(body["organs"]) == count


@pytest.mark.parametrize("year", [2025, 2026, 2007])
def test_a_year_in_progress_or_out_of_range_is_404(client, records, year):
    response = client.get(f"/api/statistics/{year}/")
    assert response.status_code == 404
    assert "2024" in response.json()["detail"]


def test_download_across_organs_and_years(client, organ_a, organ_b, records):
    response = client.get("/api/statistics.csv")

    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert lines[0] == [
        "year", "organ_slug", "organ_code", "organ", "row_code", "row",
        "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计",
    ]  # fmt: skip
    assert len(lines) == 1 + 2 * 2 * 25  # two years, two organs, 25 rows each
    new_2024 = [line for line in lines if line[0] == "2024" and line[4] == "new"]
    assert {line[1]: line[-1] for line in new_2024} == {"jhj": "1", "tjj": "2"}
    assert "张三" not in "".join(",".join(line) for line in lines)

    one_year = client.get("/api/statistics.xlsx", {"year": 2024})
    assert one_year.status_code == 200 and one_year.streaming
    assert client.get("/api/statistics.csv", {"year": 2025}).status_code == 404
