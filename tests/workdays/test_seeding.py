import datetime as dt
import importlib
from io import StringIO

from django.apps import apps as django_apps
from django.core.management import call_command

import pytest
import time_machine

from apps.workdays import seeding, statutory
from apps.workdays.calendar import add_working_days
from apps.workdays.enums import DayKind
from apps.workdays.models import CalendarDay, CalendarYear
from apps.workdays.services import calendar_day_save, calendar_seed, calendar_year_delete, calendar_year_save

d = dt.date


@pytest.mark.django_db
def test_migration_confirms_exactly_the_years_with_an_official_notice():
    years = dict(CalendarYear.objects.values_list("year", "confirmed"))
    assert set(range(2008, 2027)) <= set(years)
    official = seeding._official_years()
    assert {year: year in official for year in years} == years  # nothing guessed is confirmed
    assert CalendarYear.objects.get(year=2026).source == "国务院办公厅关于2026年部分节假日安排的通知"


@pytest.mark.django_db
def test_migration_gives_the_current_and_next_year_a_row():
    migration = importlib.import_module("apps.workdays.migrations.0003_seed_current_years")
    CalendarYear.objects.filter(year__in=[2044, 2045]).delete()
    with time_machine.travel(dt.datetime(2044, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        migration.seed(django_apps, None)
    for year in (2044, 2045):
        calendar_year = CalendarYear.objects.get(year=year)
        assert not calendar_year.confirmed
        assert "放假办法" in calendar_year.note
        assert set(calendar_year.days.values_list("date", flat=True)) == statutory.statutory_days_off(year)
        assert not calendar_year.days.filter(kind=DayKind.WORKDAY).exists()
    assert CalendarDay.objects.get(date=d(2045, 1, 1)).source == statutory.SOURCE
    assert not CalendarYear.objects.filter(year=2046).exists()


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


def test_build_plans_never_confirms_a_year_without_the_notice():
    plans = seeding.build_plans([2026, 2031])
    assert plans[2026].confirmed
    assert not plans[2031].confirmed
    assert not [day for day in plans[2031].days if day[1] == seeding.WORKDAY]
    assert "放假办法" in plans[2031].note
    # The 放假办法, not the package's guess: 初三 2031-01-25 is a Saturday, owed a 补假 on Monday.
    assert [(day, name) for day, _kind, name in plans[2031].days[:6]] == [
        (d(2031, 1, 1), "元旦"),
        (d(2031, 1, 22), "春节"),
        (d(2031, 1, 23), "春节"),
        (d(2031, 1, 24), "春节"),
        (d(2031, 1, 25), "春节"),
        (d(2031, 1, 27), "春节（补假）"),
    ]


@pytest.mark.django_db
def test_calendar_seed_is_idempotent():
    calendar_seed()  # the current and next year (real clock) may be new since the test database
    before = CalendarDay.objects.count()
    outcome = calendar_seed()
    assert outcome.created == [] and outcome.replaced == []
    assert 2026 in outcome.skipped
    assert CalendarDay.objects.count() == before


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2040, 3, 1, 12, tzinfo=dt.UTC), tick=False)
def test_calendar_seed_adds_the_current_and_next_year_as_provisional():
    outcome = calendar_seed()
    assert outcome.created == [2040, 2041]
    assert not CalendarYear.objects.filter(year__in=[2040, 2041], confirmed=True).exists()
    assert CalendarDay.objects.filter(date__year=2041).count() == len(statutory.provisional_days_off(2041))
    assert not CalendarYear.objects.filter(year=2039).exists()  # years between: computed, no row


@pytest.mark.django_db
def test_calendar_seed_fills_an_unconfirmed_year_left_empty():
    CalendarYear.objects.create(year=2042)  # e.g. from before the provisional calendar existed
    outcome = calendar_seed(years=[2042], estimates=True)
    assert outcome.replaced == [2042]
    assert CalendarDay.objects.filter(date__year=2042).count() == len(statutory.provisional_days_off(2042))


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
