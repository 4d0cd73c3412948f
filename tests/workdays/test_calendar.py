"""Working-day arithmetic against the official 2026 arrangement (国务院办公厅关于2026年部分节假日安排的通知,
2025-11-04): off 1月1日–3日, 2月15日–23日, 4月4日–6日, 5月1日–5日, 6月19日–21日, 9月25日–27日,
10月1日–7日; make-up working days 1月4日(日), 2月14日(六), 2月28日(六), 5月9日(六), 9月20日(日),
10月10日(六). Every expected value below was counted by hand on a printed calendar.
"""

import datetime as dt

import pytest

from apps.workdays import calendar as workdays_calendar
from apps.workdays.calendar import (
    WorkdayResult,
    add_working_days,
    calendar_cache_clear,
    is_working_day,
    working_days_between,
)
from apps.workdays.enums import DayKind
from apps.workdays.models import CalendarDay, CalendarYear
from apps.workdays.services import calendar_day_save

pytestmark = pytest.mark.django_db

d = dt.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (d(2026, 1, 1), False),  # 元旦 (Thu)
        (d(2026, 1, 2), False),  # Fri given off
        (d(2026, 1, 3), False),  # Sat inside the break
        (d(2026, 1, 4), True),  # Sun make-up working day
        (d(2026, 1, 5), True),  # ordinary Monday
        (d(2026, 2, 13), True),  # Fri before the Spring Festival
        (d(2026, 2, 14), True),  # Sat make-up working day
        (d(2026, 2, 15), False),  # Sun, first day of the break
        (d(2026, 2, 16), False),  # Mon, 除夕
        (d(2026, 2, 20), False),  # Fri given off
        (d(2026, 2, 23), False),  # Mon, last day of the break
        (d(2026, 2, 24), True),  # back to work
        (d(2026, 2, 28), True),  # Sat make-up working day
        (d(2026, 3, 1), False),  # ordinary Sunday
        (d(2026, 5, 5), False),  # Tue given off (劳动节)
        (d(2026, 5, 9), True),  # Sat make-up working day
        (d(2026, 9, 19), False),  # ordinary Saturday
        (d(2026, 9, 20), True),  # Sun make-up working day (国庆节)
        (d(2026, 9, 25), False),  # 中秋节 (Fri)
        (d(2026, 10, 1), False),  # 国庆节
        (d(2026, 10, 7), False),  # Wed, last day of the break
        (d(2026, 10, 8), True),  # Thu, back to work
        (d(2026, 10, 10), True),  # Sat make-up working day
        (d(2026, 10, 11), False),  # ordinary Sunday
        (d(2031, 3, 8), False),  # Saturday of a year without data
        (d(2031, 3, 10), True),  # Monday of a year without data
    ],
)
def test_is_working_day_follows_the_official_calendar(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "expected", "provisional"),
    [
        # 13(1) 14六(2) [15–23 off] 24(3)..27(6) 28六(7) 3/2(8)..6(12) 9(13)..13(17) 16(18) 17(19) 18(20)
        (d(2026, 2, 12), 20, d(2026, 3, 18), False),
        (d(2026, 2, 13), 1, d(2026, 2, 14), False),  # the make-up Saturday is the next working day
        (d(2026, 2, 14), 1, d(2026, 2, 24), False),  # straight over the nine-day break
        (d(2026, 2, 27), 1, d(2026, 2, 28), False),
        (d(2026, 2, 27), 2, d(2026, 3, 2), False),
        (d(2026, 2, 15), 7, d(2026, 3, 3), False),  # start on a holiday: 24 25 26 27 28 3/2 3/3
        (d(2026, 9, 18), 1, d(2026, 9, 20), False),  # Sat off, Sun worked
        (d(2026, 9, 30), 1, d(2026, 10, 8), False),
        (d(2026, 9, 30), 3, d(2026, 10, 10), False),  # 8 9 10六
        # [25–27 off] 28 29 30 | 10/8 9 10六 12–16 19–23 26 27 28 29
        (d(2026, 9, 24), 20, d(2026, 10, 29), False),
        (d(2026, 3, 7), 20, d(2026, 4, 3), False),  # received on a Saturday
        (d(2025, 12, 31), 1, d(2026, 1, 4), False),  # over New Year, both years confirmed
        (d(2026, 4, 30), 2, d(2026, 5, 7), False),  # [5/1–5 off] 6 7
        (d(2026, 4, 30), 4, d(2026, 5, 9), False),  # 6 7 8 9六
        (d(2026, 12, 21), 8, d(2026, 12, 31), False),  # stays inside 2026
        (d(2031, 3, 3), 5, d(2031, 3, 10), True),  # no 2031 notice: no holiday in March
        (d(2026, 2, 14), 0, d(2026, 2, 14), False),
    ],
)
def test_add_working_days_counts_from_the_next_day(start, n, expected, provisional):
    result = add_working_days(start, n)
    assert (result.date, result.provisional) == (expected, provisional)
    assert result.unconfirmed_years == ((2031,) if provisional else ())


def test_a_confirmed_count_is_certain_and_says_nothing_more():
    assert add_working_days(d(2026, 2, 12), 20) == WorkdayResult(
        date=d(2026, 3, 18), provisional=False, unconfirmed_years=()
    )
    assert add_working_days(d(2026, 2, 12), 20).reason == ""


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (d(2026, 2, 12), d(2026, 3, 18), 20),
        (d(2026, 3, 2), d(2026, 3, 10), 6),  # 3 4 5 6 9 10
        (d(2026, 9, 30), d(2026, 10, 8), 1),
        (d(2026, 2, 13), d(2026, 2, 28), 6),  # 14六 24 25 26 27 28六
        (d(2026, 2, 14), d(2026, 2, 14), 0),
        (d(2026, 3, 10), d(2026, 3, 2), -6),  # overdue by six working days
    ],
)
def test_working_days_between_counts_days_after_start_up_to_end(start, end, expected):
    assert working_days_between(start, end) == expected


def test_add_working_days_rejects_negative_counts():
    with pytest.raises(ValueError, match="工作日数"):
        add_working_days(d(2026, 1, 5), -1)


def test_calendar_loads_every_year_in_one_query_then_serves_from_memory(django_assert_num_queries):
    calendar_cache_clear()
    with django_assert_num_queries(1):
        add_working_days(d(2018, 12, 20), 20)
        add_working_days(d(2026, 12, 21), 10)
        is_working_day(d(2031, 1, 1))  # a year without a row is computed, not queried
    with django_assert_num_queries(0):
        add_working_days(d(2026, 2, 12), 20)


def test_a_service_write_is_seen_at_once():
    assert is_working_day(d(2026, 3, 9))
    calendar_day_save(day=d(2026, 3, 9), kind=DayKind.HOLIDAY, name="临时放假")
    assert not is_working_day(d(2026, 3, 9))
    assert add_working_days(d(2026, 3, 6), 1).date == d(2026, 3, 10)


def test_a_write_from_another_process_is_seen_after_the_recheck_interval(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(workdays_calendar.time, "monotonic", lambda: clock[0])
    assert is_working_day(d(2026, 3, 9))
    # Another worker writes (the stamp is the year's updated_at).
    year = CalendarYear.objects.get(year=2026)
    CalendarDay.objects.create(calendar_year=year, date=d(2026, 3, 9), kind=DayKind.HOLIDAY, name="临时放假")
    year.save()
    clock[0] += workdays_calendar.RECHECK_SECONDS - 1
    assert is_working_day(d(2026, 3, 9))  # still trusting its cache
    clock[0] += 2
    assert not is_working_day(d(2026, 3, 9))


def test_an_unchanged_stamp_costs_one_query_and_no_reload(monkeypatch, django_assert_num_queries):
    clock = [1000.0]
    monkeypatch.setattr(workdays_calendar.time, "monotonic", lambda: clock[0])
    is_working_day(d(2026, 3, 9))
    clock[0] += workdays_calendar.RECHECK_SECONDS + 1
    with django_assert_num_queries(1):
        is_working_day(d(2026, 3, 9))
        is_working_day(d(2026, 3, 10))
