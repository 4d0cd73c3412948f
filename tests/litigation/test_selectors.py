"""Table 4 on hand-built cases; the expected cells are worked out by hand."""

import datetime as dt

import pytest

from apps.litigation import selectors
from apps.litigation.enums import CaseKind, Result, Route
from tests.factories.records import CaseFactory

pytestmark = pytest.mark.django_db
d = dt.date


def _review(organ, filed, result=Result.PENDING, decided=None, number=""):
    return CaseFactory(organ=organ, filed_date=filed, result=result, decided_date=decided, case_number=number)


def _suit(organ, route, filed, result=Result.PENDING, decided=None, number=""):
    return CaseFactory(
        organ=organ,
        kind=CaseKind.LITIGATION,
        route=route,
        filed_date=filed,
        result=result,
        decided_date=decided,
        case_number=number,
    )


@pytest.fixture
def cases(organ_a, organ_b):
    _review(organ_a, d(2023, 2, 1), Result.UPHELD, d(2023, 4, 1), "R1")
    _review(organ_a, d(2023, 3, 1), Result.UPHELD, d(2023, 12, 31), "R2")  # decided on the last day
    _review(organ_a, d(2023, 5, 1), Result.CORRECTED, d(2023, 7, 1), "R3")
    _review(organ_a, d(2023, 12, 20), Result.OTHER, d(2024, 2, 1), "R4")  # decided next year: pending in 2023
    _review(organ_a, d(2023, 8, 1), number="R5")  # still pending
    _suit(organ_a, Route.DIRECT, d(2023, 6, 1), Result.OTHER, d(2023, 9, 1), "D1")
    _suit(organ_a, Route.DIRECT, d(2023, 11, 1), Result.UPHELD, d(2024, 3, 1), "D2")  # pending in 2023
    _suit(organ_a, Route.AFTER_REVIEW, d(2023, 8, 15), Result.CORRECTED, d(2023, 10, 1), "A1")
    _suit(organ_a, Route.AFTER_REVIEW, d(2024, 1, 3), Result.UPHELD, d(2024, 5, 1), "A2")  # 2024 only
    _review(organ_a, d(2022, 12, 31), Result.UPHELD, d(2023, 1, 5), "R0")  # 2022 only
    _review(organ_b, d(2023, 4, 1), Result.CORRECTED, d(2023, 5, 1), "B1")


def test_table4_counts_cases_in_their_filing_year_with_their_state_at_year_end(organ_a, cases):
    assert selectors.table4(organ_ids=[organ_a.pk], year=2023) == {
        "review": {"upheld": 2, "corrected": 1, "other": 0, "pending": 2, "total": 5},
        "litigation_direct": {"upheld": 0, "corrected": 0, "other": 1, "pending": 1, "total": 2},
        "litigation_after_review": {"upheld": 0, "corrected": 1, "other": 0, "pending": 0, "total": 1},
    }


def test_a_case_decided_later_is_not_counted_again_next_year(organ_a, cases):
    table = selectors.table4(organ_ids=[organ_a.pk], year=2024)
    assert table["review"]["total"] == 0  # R4 was counted (as pending) in 2023 only
    assert table["litigation_direct"]["total"] == 0
    assert table["litigation_after_review"] == {
        "upheld": 1,
        "corrected": 0,
        "other": 0,
        "pending": 0,
        "total": 1,
    }


def test_a_year_end_decision_counts_as_decided(organ_a, cases):
    table = selectors.table4(organ_ids=[organ_a.pk], year=2022)
    assert table["review"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}


def test_table4_rolls_up_several_organs(organ_a, organ_b, cases):
    table = selectors.table4(organ_ids=[organ_a.pk, organ_b.pk], year=2023)
    assert table["review"] == {"upheld": 2, "corrected": 2, "other": 0, "pending": 2, "total": 6}


@pytest.mark.parametrize(
    ("group", "measure", "numbers"),
    [
        ("review", "pending", ["R5", "R4"]),
        ("review", "upheld", ["R1", "R2"]),
        ("review", "total", ["R1", "R2", "R3", "R5", "R4"]),
        ("litigation_direct", "pending", ["D2"]),
        ("litigation_after_review", "corrected", ["A1"]),
        ("litigation_after_review", "pending", []),
    ],
)
def test_cases_in_cell_lists_what_the_cell_counts(organ_a, cases, group, measure, numbers):
    qs = selectors.cases_in_cell(organ_ids=[organ_a.pk], year=2023, group=group, measure=measure)
    assert [c.case_number for c in qs] == numbers


def test_cases_in_cell_refuses_unknown_codes(organ_a):
    with pytest.raises(ValueError):
        selectors.cases_in_cell(organ_ids=[organ_a.pk], year=2023, group="appeal", measure="total")
    with pytest.raises(ValueError):
        selectors.cases_in_cell(organ_ids=[organ_a.pk], year=2023, group="review", measure="won")


@pytest.mark.parametrize("years", [[2024], [2022, 2023, 2024]])
def test_table4_runs_in_one_query(organ_a, years, django_assert_num_queries):
    for year in years:
        _review(organ_a, d(year, 3, 1), Result.UPHELD, d(year, 4, 1))
        _suit(organ_a, Route.DIRECT, d(year, 3, 1))
        _suit(organ_a, Route.AFTER_REVIEW, d(year, 3, 1), Result.OTHER, d(year + 1, 1, 2))
    with django_assert_num_queries(1):
        table = selectors.table4(organ_ids=[organ_a.pk], year=2024)
    assert [table[g]["total"] for g in table] == [1, 1, 1]
    with django_assert_num_queries(1):
        list(selectors.cases_in_cell(organ_ids=[organ_a.pk], year=2024, group="review", measure="total"))
