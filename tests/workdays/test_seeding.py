import datetime as dt
from io import StringIO

from django.core.management import call_command

import pytest

from apps.workdays import seeding
from apps.workdays.calendar import add_working_days
from apps.workdays.enums import DayKind
from apps.workdays.models import CalendarDay, CalendarYear
from apps.workdays.services import calendar_day_save, calendar_seed, calendar_year_delete, calendar_year_save

d = dt.date


@pytest.mark.django_db
def test_migration_seeds_confirmed_official_years_only():
    years = dict(CalendarYear.objects.values_list("year", "confirmed"))
    assert set(range(2018, 2027)) <= set(years)
    assert all(years.values())
    assert max(years) == 2026  # the package only guesses 2027 on: nothing guessed is seeded
    assert CalendarYear.objects.get(year=2026).source == "国务院办公厅关于2026年部分节假日安排的通知"


@pytest.mark.django_db
def test_migration_seeds_the_2026_make_up_working_days_and_breaks():
    workdays = set(
        CalendarDay.objects.filter(date__year=2026, kind=DayKind.WORKDAY).values_list("date", flat=True)
    )
    # Checked against the notice of 2025-11-04 (the issue names the last four for sure).
    assert workdays == {
        d(2026, 1, 4),
        d(2026, 2, 14),
        d(2026, 2, 28),
        d(2026, 5, 9),
        d(2026, 9, 20),
        d(2026, 10, 10),
    }
    holidays = set(
        CalendarDay.objects.filter(date__year=2026, kind=DayKind.HOLIDAY).values_list("date", flat=True)
    )
    spring = {d(2026, 2, 15) + dt.timedelta(days=i) for i in range(9)}
    national = {d(2026, 10, 1) + dt.timedelta(days=i) for i in range(7)}
    assert spring | national <= holidays
    assert CalendarDay.objects.get(date=d(2026, 2, 14)).name == "春节调休上班"
    assert CalendarDay.objects.get(date=d(2026, 2, 16)).name == "春节"


@pytest.mark.django_db
def test_make_up_days_crossing_new_year_belong_to_their_own_year():
    # 2019 notice: 2018-12-29 (Sat) worked, 2018-12-30 to 2019-01-01 off.
    assert CalendarDay.objects.get(date=d(2018, 12, 29)).kind == DayKind.WORKDAY
    assert CalendarDay.objects.get(date=d(2018, 12, 31)).name == "元旦"


def test_build_plans_never_confirms_a_guessed_year():
    plans = seeding.build_plans([2026, 2031])
    assert plans[2026].confirmed
    assert not plans[2031].confirmed
    assert not [day for day in plans[2031].days if day[1] == seeding.WORKDAY]
    assert "推定" in plans[2031].note


@pytest.mark.django_db
def test_calendar_seed_is_idempotent():
    before = CalendarDay.objects.count()
    outcome = calendar_seed()
    assert outcome.created == [] and outcome.replaced == []
    assert 2026 in outcome.skipped
    assert CalendarDay.objects.count() == before


@pytest.mark.django_db
def test_calendar_seed_leaves_a_confirmed_year_alone_unless_replace():
    calendar_day_save(day=d(2026, 3, 9), kind=DayKind.HOLIDAY, name="人工修改")
    calendar_seed(years=[2026])
    assert CalendarDay.objects.filter(date=d(2026, 3, 9)).exists()
    outcome = calendar_seed(years=[2026], replace=True)
    assert outcome.replaced == [2026]
    assert not CalendarDay.objects.filter(date=d(2026, 3, 9)).exists()
    assert CalendarDay.objects.filter(date__year=2026).count() == 39


@pytest.mark.django_db
def test_calendar_seed_confirms_an_unconfirmed_year_once_the_notice_is_in_the_package():
    calendar_year_delete(calendar_year=CalendarYear.objects.get(year=2025))
    calendar_year_save(year=2025, confirmed=False, note="管理员临时录入")
    calendar_day_save(day=d(2025, 3, 3), kind=DayKind.HOLIDAY, name="误录")
    outcome = calendar_seed(years=[2025])
    assert outcome.replaced == [2025]
    year = CalendarYear.objects.get(year=2025)
    assert year.confirmed
    assert not CalendarDay.objects.filter(date=d(2025, 3, 3)).exists()
    assert CalendarDay.objects.get(date=d(2025, 10, 11)).kind == DayKind.WORKDAY


@pytest.mark.django_db
def test_estimates_are_stored_unconfirmed_and_stay_provisional():
    outcome = calendar_seed(years=[2031], estimates=True)
    assert outcome.created == [2031]
    assert not CalendarYear.objects.get(year=2031).confirmed
    assert CalendarDay.objects.get(date=d(2031, 1, 1)).kind == DayKind.HOLIDAY
    assert add_working_days(d(2030, 12, 31), 1).provisional
    assert add_working_days(d(2030, 12, 31), 1).date == d(2031, 1, 2)  # 元旦 now off, still provisional
    assert calendar_seed(years=[2031], estimates=True).skipped == [2031]
    assert not CalendarYear.objects.get(year=2031).confirmed


@pytest.mark.django_db
def test_seed_calendar_command_reports_what_it_did():
    out = StringIO()
    call_command("seed_calendar", "--years", "2026", "2031", stdout=out)
    text = out.getvalue()
    assert "跳过（已存在）：2026" in text
    assert "未导入：2031" in text
    assert not CalendarYear.objects.filter(year=2031).exists()
    out = StringIO()
    call_command("seed_calendar", "--years", "2031", "--estimates", stdout=out)
    assert "新建：2031" in out.getvalue()


@pytest.mark.django_db
def test_seed_calendar_command_rejects_absurd_years():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2000 至 2100"):
        call_command("seed_calendar", "--years", "1899", stdout=StringIO())
