import datetime as dt

import pytest

from apps.proposals.deadlines import add_months, redo_due_date, reply_due_date


@pytest.mark.parametrize(
    ("assigned", "difficult", "due"),
    [
        (dt.date(2018, 3, 15), False, dt.date(2018, 6, 15)),
        (dt.date(2018, 3, 15), True, dt.date(2018, 9, 15)),
        (dt.date(2023, 11, 30), False, dt.date(2024, 2, 29)),  # no 30 Feb: last day of the month
        (dt.date(2023, 8, 31), True, dt.date(2024, 2, 29)),
        (dt.date(2024, 10, 31), False, dt.date(2025, 1, 31)),  # across the year end
        (dt.date(2025, 11, 30), False, dt.date(2026, 2, 28)),
    ],
)
def test_reply_due_date_counts_calendar_months_from_assignment(assigned, difficult, due):
    assert reply_due_date(assigned_date=assigned, difficult=difficult) == due


def test_add_months_keeps_the_day_when_the_month_has_it():
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 1, 31), 12) == dt.date(2025, 1, 31)


def test_redo_is_due_three_months_after_the_dissatisfied_feedback():
    assert redo_due_date(feedback_date=dt.date(2024, 7, 10)) == dt.date(2024, 10, 10)
