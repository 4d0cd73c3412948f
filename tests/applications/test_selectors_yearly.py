"""yearly_counts and row_membership_problems: the one-query selectors of the annual report."""

import datetime as dt

import pytest

from apps.applications import selectors
from apps.applications.enums import TABLE3_COLUMNS, ApplicantType, Outcome
from apps.applications.models import Application
from apps.applications.selectors import (
    applications_in_cell,
    outcome_counts,
    row_membership_problems,
    yearly_counts,
)
from tests.factories.reports import application

pytestmark = pytest.mark.django_db

D = dt.date


def _year_of_data(organ, year):
    """Received in `year`: answered, answered by a company, crossing into next year, still open."""
    return [
        application(organ=organ, received_on=D(year, 3, 1), closed_on=D(year, 3, 20)),
        application(
            organ=organ,
            received_on=D(year, 4, 1),
            closed_on=D(year, 4, 10),
            outcome=Outcome.NOT_HELD,
            applicant_type=ApplicantType.COMMERCIAL,
        ),
        application(
            organ=organ,
            received_on=D(year, 12, 28),
            closed_on=D(year + 1, 1, 8),
            outcome=Outcome.WITHDRAWN,
            applicant_type=ApplicantType.RESEARCH,
        ),
        application(organ=organ, received_on=D(year, 11, 2)),
    ]


def test_yearly_counts_agree_with_table3_rows(organ_a, organ_b):
    for year in (2022, 2023, 2024):
        _year_of_data(organ_a, year)
    _year_of_data(organ_b, 2023)  # another organ: never counted
    years = [2021, 2022, 2023, 2024, 2025]
    yearly = yearly_counts(organ_ids=[organ_a.pk], years=years)
    assert sorted(yearly) == years
    for year in years:
        table = outcome_counts(organ_ids=[organ_a.pk], year=year)
        for measure, row in (("new", "new"), ("closed", "r7"), ("carried_out", "carried_out")):
            assert yearly[year][measure] == table[row], (year, measure)
    assert yearly[2023]["new"]["total"] == 4
    assert yearly[2023]["closed"] == {
        **dict.fromkeys(TABLE3_COLUMNS, 0),
        "natural": 1,
        "commercial": 1,
        "research": 1,
        "total": 3,
    }
    # Open since 2022-11 and 2023-11, plus the December 2023 one closed in January 2024.
    assert yearly[2023]["carried_out"]["total"] == 3
    assert yearly[2021]["new"]["total"] == 0 and yearly[2025]["carried_out"]["total"] == 3


def test_yearly_counts_rolls_up_organs_and_takes_no_query_without_years(
    organ_a, organ_b, django_assert_num_queries
):
    _year_of_data(organ_a, 2024)
    _year_of_data(organ_b, 2024)
    assert yearly_counts(organ_ids=[organ_a.pk, organ_b.pk], years=[2024])[2024]["new"]["total"] == 8
    with django_assert_num_queries(0):
        assert yearly_counts(organ_ids=[organ_a.pk], years=[]) == {}


@pytest.mark.parametrize("data_years", [[2024], [2022, 2023, 2024]])
def test_report_selectors_run_in_one_query_whatever_the_data(organ_a, data_years, django_assert_num_queries):
    for year in data_years:
        _year_of_data(organ_a, year)
    with django_assert_num_queries(1):
        yearly = yearly_counts(organ_ids=[organ_a.pk], years=range(2020, 2025))
    with django_assert_num_queries(1):
        problems = row_membership_problems(organ_ids=[organ_a.pk], year=2024)
    with django_assert_num_queries(1):
        outcome_counts(organ_ids=[organ_a.pk], year=2024)
    assert yearly[2024]["new"]["total"] == 4
    assert problems == []


def test_row_membership_problems_finds_an_outcome_counted_in_no_row(organ_a):
    good, *_rest = _year_of_data(organ_a, 2024)
    # An outcome outside the choices (a bad import, a removed choice) falls in no result row.
    Application.objects.filter(pk=good.pk).update(outcome="unknown_outcome")
    assert row_membership_problems(organ_ids=[organ_a.pk], year=2024) == [{"id": good.pk, "rows": ["new"]}]
    # Other years that do not count it stay clean.
    assert row_membership_problems(organ_ids=[organ_a.pk], year=2025) == []


def test_row_membership_problems_finds_an_application_counted_twice(organ_a, monkeypatch):
    disclosed, *_rest = _year_of_data(organ_a, 2024)
    original = selectors._row_condition

    def overlapping(row, year):
        # A faulty definition: 部分公开 also claims the fully disclosed applications.
        if row == "r2":
            return original("r1", year) | original("r2", year)
        return original(row, year)

    monkeypatch.setattr(selectors, "_row_condition", overlapping)
    assert row_membership_problems(organ_ids=[organ_a.pk], year=2024) == [
        {"id": disclosed.pk, "rows": ["new", "r1", "r2"]}
    ]


def test_row_membership_problems_matches_the_drill_down_rows(organ_a):
    """The one-query check sees each application in the rows that applications_in_cell lists."""
    apps = _year_of_data(organ_a, 2023) + _year_of_data(organ_a, 2024)
    Application.objects.filter(pk=apps[4].pk).update(outcome="unknown_outcome")
    listed = {
        row: set(
            applications_in_cell(organ_ids=[organ_a.pk], year=2024, row=row, column="total").values_list(
                "pk", flat=True
            )
        )
        for row in (*selectors.INCOMING_ROWS, *selectors.OUTGOING_ROWS)
    }
    for problem in row_membership_problems(organ_ids=[organ_a.pk], year=2024):
        assert problem["rows"] == [row for row in listed if problem["id"] in listed[row]]
    assert [p["id"] for p in row_membership_problems(organ_ids=[organ_a.pk], year=2024)] == [apps[4].pk]
