import datetime as dt

from django.core.exceptions import ValidationError

import pytest

from apps.workdays.calendar import add_working_days, is_working_day
from apps.workdays.enums import DayKind
from apps.workdays.models import CalendarDay, CalendarYear
from apps.workdays.services import calendar_day_delete, calendar_day_save, calendar_year_save
from apps.workdays.statutory import statutory_days_off
from tests.workdays.calendars import make_provisional

pytestmark = pytest.mark.django_db
d = dt.date


def test_calendar_day_save_refuses_a_make_up_day_on_a_weekday():
    with pytest.raises(ValidationError) as error:
        calendar_day_save(day=d(2026, 3, 9), kind=DayKind.WORKDAY, name="调休上班")
    assert "只能是星期六或星期日" in str(error.value)
    assert not CalendarDay.objects.filter(date=d(2026, 3, 9)).exists()


def test_calendar_day_save_creates_an_unconfirmed_year_with_its_provisional_days():
    assert not CalendarYear.objects.filter(year=2043).exists()
    day = calendar_day_save(day=d(2043, 3, 9), kind=DayKind.HOLIDAY, name="临时放假")
    assert day.calendar_year.year == 2043
    assert not day.calendar_year.confirmed
    assert not is_working_day(d(2043, 3, 9))
    # Not "every other weekday works": the year got the 放假办法's days along with the new one.
    dates = set(CalendarDay.objects.filter(date__year=2043).values_list("date", flat=True))
    assert dates == statutory_days_off(2043) | {d(2043, 3, 9)}
    assert not is_working_day(d(2043, 1, 1))


def test_calendar_day_save_on_a_provisional_holiday_updates_it():
    make_provisional(2043, row=True)
    day = calendar_day_save(
        day=d(2043, 1, 1), kind=DayKind.HOLIDAY, name="元旦", source="通知", instance=CalendarDay()
    )
    assert CalendarDay.objects.filter(date=d(2043, 1, 1)).get().pk == day.pk
    assert day.source == "通知"


def test_a_new_confirmed_year_starts_empty_and_an_unconfirmed_one_provisional():
    confirmed = calendar_year_save(
        year=2046, confirmed=True, source="国务院办公厅关于2046年部分节假日安排的通知"
    )
    assert not confirmed.days.exists()  # the admin enters the notice itself
    provisional = calendar_year_save(year=2047)
    assert set(provisional.days.values_list("date", flat=True)) == statutory_days_off(2047)
    assert add_working_days(d(2046, 12, 31), 1).provisional


def test_calendar_day_save_updates_the_existing_row_of_the_day():
    calendar_day_save(day=d(2026, 2, 16), kind=DayKind.HOLIDAY, name="除夕")
    assert CalendarDay.objects.get(date=d(2026, 2, 16)).name == "除夕"


def test_calendar_day_delete_makes_the_day_ordinary_again():
    assert is_working_day(d(2026, 2, 14))
    calendar_day_delete(calendar_day=CalendarDay.objects.get(date=d(2026, 2, 14)))
    assert not is_working_day(d(2026, 2, 14))  # an ordinary Saturday now


def test_a_day_must_lie_in_its_year():
    day = CalendarDay(
        calendar_year=CalendarYear.objects.get(year=2026), date=d(2025, 5, 1), kind="holiday", name="x"
    )
    with pytest.raises(ValidationError, match="2026"):
        day.full_clean()


def test_calendar_year_save_confirms_without_touching_other_fields():
    year = calendar_year_save(year=2031, source="国务院办公厅关于2031年部分节假日安排的通知")
    assert not year.confirmed
    year = calendar_year_save(year=2031, confirmed=True)
    assert year.confirmed and year.source.startswith("国务院办公厅")
