import datetime as dt

from django.core.exceptions import ValidationError

import pytest
import time_machine

from apps.workdays.calendar import is_working_day
from apps.workdays.enums import DayKind
from apps.workdays.models import CalendarDay, CalendarYear
from apps.workdays.selectors import calendar_unconfirmed_years
from apps.workdays.services import calendar_day_delete, calendar_day_save, calendar_year_save

pytestmark = pytest.mark.django_db
d = dt.date


def test_calendar_day_save_refuses_a_make_up_day_on_a_weekday():
    with pytest.raises(ValidationError) as error:
        calendar_day_save(day=d(2026, 3, 9), kind=DayKind.WORKDAY, name="调休上班")
    assert "只能是星期六或星期日" in str(error.value)
    assert not CalendarDay.objects.filter(date=d(2026, 3, 9)).exists()


def test_calendar_day_save_creates_an_unconfirmed_year_when_missing():
    day = calendar_day_save(day=d(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
    assert day.calendar_year.year == 2027
    assert not day.calendar_year.confirmed
    assert not is_working_day(d(2027, 1, 1))


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


@time_machine.travel(dt.datetime(2026, 11, 26, 10, tzinfo=dt.UTC), tick=False)
def test_calendar_unconfirmed_years_lists_the_years_still_to_enter():
    assert calendar_unconfirmed_years(through=2028) == [2027, 2028]
