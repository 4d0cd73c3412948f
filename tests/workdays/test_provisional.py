"""A year without a confirmed notice: the 放假办法's holidays (with 第六条 补假), never "every weekday
works", always provisional and saying why. The same whether the year has its seeded provisional
row or no row at all."""

import datetime as dt

import pytest

from apps.workdays.calendar import add_working_days, is_working_day
from apps.workdays.enums import DayKind
from apps.workdays.services import calendar_day_save
from tests.workdays.calendars import make_provisional

pytestmark = pytest.mark.django_db
d = dt.date
ONE_DAY = dt.timedelta(days=1)

REASON_2027 = (
    "2027年节假日安排尚未由国务院办公厅公布确认，暂按《全国年节及纪念日放假办法》推算，未计调休上班日"
)


@pytest.fixture(params=["seeded row", "no row"])
def provisional_2027(request):
    make_provisional(2027, row=request.param == "seeded row")


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (d(2026, 12, 31), True),  # Thursday, 2026 is confirmed
        (d(2027, 1, 1), False),  # 元旦 (Friday): a working day before the provisional calendar
        (d(2027, 1, 4), True),
        (d(2027, 2, 4), True),
        (d(2027, 2, 5), False),  # 除夕 (Friday)
        (d(2027, 2, 6), False),  # 初一, Saturday
        (d(2027, 2, 8), False),  # 初三, Monday
        (d(2027, 2, 9), False),  # 补假 for 初一 (第六条)
        (d(2027, 2, 10), False),  # 补假 for 初二
        (d(2027, 2, 11), True),
        (d(2027, 2, 13), False),  # an ordinary Saturday: no 调休上班日 is guessed
        (d(2027, 4, 5), False),  # 清明节
        (d(2027, 5, 3), False),  # 劳动节 5月1日 fell on a Saturday
        (d(2027, 6, 9), False),  # 端午节
        (d(2027, 9, 15), False),  # 中秋节
        (d(2027, 10, 5), False),  # 补假 for 国庆节 10月3日 (Sunday)
        (d(2027, 10, 6), True),
    ],
)
def test_provisional_2027_has_the_statutory_holidays(provisional_2027, day, working):
    assert is_working_day(day) is working


def test_a_seeded_row_and_no_row_count_the_same_every_day_of_the_year():
    make_provisional(2027, row=False)
    computed = [is_working_day(d(2027, 1, 1) + i * ONE_DAY) for i in range(365)]
    make_provisional(2027, row=True)
    assert [is_working_day(d(2027, 1, 1) + i * ONE_DAY) for i in range(365)] == computed
    # 261 weekdays less 7 holidays on weekdays (元旦 除夕 初三 清明 端午 中秋 10月1日) and 6 补假
    assert computed.count(True) == 261 - 7 - 6


def test_a_count_into_the_provisional_year_is_marked_and_says_why(provisional_2027):
    # 22 23 24 25 28 29 30 31 | [1/1 元旦] 1/4(9) 1/5(10)
    result = add_working_days(d(2026, 12, 21), 10)
    assert (result.date, result.provisional, result.unconfirmed_years) == (d(2027, 1, 5), True, (2027,))
    assert result.reason == REASON_2027
    assert add_working_days(d(2026, 12, 21), 8).reason == ""  # stays in 2026


def test_a_year_after_the_next_counts_sensibly_without_any_row():
    """A database migrated in 2026 has no 2028 row: 2028 is computed, not every weekday."""
    make_provisional(2027, row=True)
    make_provisional(2028, row=False)
    assert not is_working_day(d(2028, 1, 3))  # 补假 for 元旦 on Saturday
    assert [is_working_day(d(2028, 1, 24) + i * ONE_DAY) for i in range(6)] == [
        True,  # Monday
        False,  # 除夕
        False,  # 初一
        False,  # 初二
        False,  # 初三
        False,  # Saturday
    ]
    # 12/29–31(3) | [1/3 补假] 1/4–7(7) 10–14(12) 17–21(17) 24(18) [1/25–28] 31–2/4(23)
    # 7–11(28) 14–18(33) 21–25(38) 28 29(40)
    result = add_working_days(d(2027, 12, 28), 40)
    assert (result.date, result.unconfirmed_years) == (d(2028, 2, 29), (2027, 2028))
    assert result.reason.startswith("2027、2028年节假日安排尚未由国务院办公厅公布确认")


def test_an_unconfirmed_year_with_make_up_days_entered_says_so():
    make_provisional(2027, row=True)
    calendar_day_save(day=d(2027, 1, 30), kind=DayKind.WORKDAY, name="春节调休上班")
    assert is_working_day(d(2027, 1, 30))  # what the admin entered counts already
    result = add_working_days(d(2027, 1, 29), 1)
    assert (result.date, result.provisional) == (d(2027, 1, 30), True)
    assert result.reason == "2027年节假日安排已部分录入但尚未确认，暂按已录入的安排计算"
