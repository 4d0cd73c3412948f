import datetime as dt

from django.urls import reverse

import pytest

from apps.workdays.calendar import add_working_days, is_working_day
from apps.workdays.enums import DayKind
from apps.workdays.models import CalendarDay, CalendarYear
from apps.workdays.statutory import statutory_days_off
from tests.workdays.calendars import ASSUMED_2027_CHANGES, confirm_2027_in_the_admin, make_provisional

pytestmark = pytest.mark.django_db
d = dt.date

YEAR_LIST = reverse("admin:workdays_calendaryear_changelist")
DAY_LIST = reverse("admin:workdays_calendarday_changelist")
DAY_ADD = reverse("admin:workdays_calendarday_add")
YEAR_ADD = reverse("admin:workdays_calendaryear_add")


def test_root_sees_each_year_with_its_counts(client, root):
    client.force_login(root)
    response = client.get(YEAR_LIST)
    assert response.status_code == 200
    row = next(r for r in response.context["cl"].result_list if r.year == 2026)
    assert (row.n_holidays, row.n_workdays) == (33, 6)


@pytest.mark.parametrize("extra_years", [0, 2])
def test_year_changelist_query_count_does_not_grow_with_years(
    client, root, django_assert_num_queries, extra_years
):
    for year in range(2040, 2040 + extra_years):
        CalendarYear.objects.create(year=year)
    client.force_login(root)
    with django_assert_num_queries(6):
        client.get(YEAR_LIST)


@pytest.mark.parametrize("days", [1, 3])
def test_day_changelist_query_count_does_not_grow_with_days(client, root, django_assert_num_queries, days):
    CalendarDay.objects.filter(date__year=2026).exclude(
        date__month=2, date__day__in=[14, 15, 16][:days]
    ).delete()
    client.force_login(root)
    with django_assert_num_queries(10):
        response = client.get(DAY_LIST, {"calendar_year__id__exact": CalendarYear.objects.get(year=2026).pk})
    assert len(response.context["cl"].result_list) == days


def test_root_adds_a_holiday_through_the_admin_and_the_count_follows(client, root):
    client.force_login(root)
    assert add_working_days(d(2026, 3, 6), 1).date == d(2026, 3, 9)
    response = client.post(
        DAY_ADD, {"date": "2026-03-09", "kind": "holiday", "name": "临时放假", "source": "测试"}
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=d(2026, 3, 9))
    assert day.calendar_year.year == 2026
    assert add_working_days(d(2026, 3, 6), 1).date == d(2026, 3, 10)


def test_admin_explains_a_make_up_day_on_a_weekday(client, root):
    client.force_login(root)
    response = client.post(
        DAY_ADD, {"date": "2026-03-09", "kind": "workday", "name": "调休上班", "source": ""}
    )
    assert response.status_code == 200
    assert "调休上班日只能是星期六或星期日" in response.content.decode()
    assert not CalendarDay.objects.filter(date=d(2026, 3, 9)).exists()


def test_root_enters_and_confirms_a_new_year_with_its_days_inline(client, root):
    client.force_login(root)
    data = {
        "year": "2041",
        "confirmed": "on",
        "source": "国务院办公厅关于2041年部分节假日安排的通知",
        "note": "",
        "days-TOTAL_FORMS": "2",
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
        "days-0-date": "2041-01-01",
        "days-0-kind": "holiday",
        "days-0-name": "元旦",
        "days-0-source": "",
        "days-1-date": "2041-01-02",
        "days-1-kind": "holiday",
        "days-1-name": "元旦",
        "days-1-source": "",
    }
    assert not is_working_day(d(2041, 1, 1))  # no row: computed from the 放假办法
    assert is_working_day(d(2041, 1, 2))
    assert add_working_days(d(2040, 12, 31), 1).provisional
    response = client.post(YEAR_ADD, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    year = CalendarYear.objects.get(year=2041)
    assert year.confirmed
    assert year.days.count() == 2  # confirmed: exactly the notice as entered
    assert not is_working_day(d(2041, 1, 2))
    assert add_working_days(d(2040, 12, 31), 1).date == d(2041, 1, 3)
    assert not add_working_days(d(2040, 12, 31), 1).provisional


def test_root_adds_an_unconfirmed_year_and_gets_the_provisional_days(client, root):
    client.force_login(root)
    data = {
        "year": "2042",
        "source": "",
        "note": "",
        "days-TOTAL_FORMS": "1",
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
        "days-0-date": "2042-01-01",  # already one of the provisional days: updated, not doubled
        "days-0-kind": "holiday",
        "days-0-name": "元旦",
        "days-0-source": "人工录入",
    }
    response = client.post(YEAR_ADD, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    year = CalendarYear.objects.get(year=2042)
    assert not year.confirmed
    assert set(year.days.values_list("date", flat=True)) == statutory_days_off(2042)
    assert CalendarDay.objects.get(date=d(2042, 1, 1)).source == "人工录入"
    assert add_working_days(d(2041, 12, 31), 1).provisional


def test_root_confirms_the_provisional_2027_with_its_make_up_days(client, root):
    make_provisional(2027, row=True)
    client.force_login(root)
    # 2/2–4(3) 2/11 12(5) 15–19(10) 22–26(15) 3/1–5(20)
    before = add_working_days(d(2027, 2, 1), 20)
    assert (before.date, before.provisional) == (d(2027, 3, 5), True)
    confirm_2027_in_the_admin(client)
    year = CalendarYear.objects.get(year=2027)
    assert year.confirmed
    assert set(year.days.filter(kind=DayKind.WORKDAY).values_list("date", flat=True)) == {
        day for day, kind, _name in ASSUMED_2027_CHANGES if kind == DayKind.WORKDAY
    }
    assert is_working_day(d(2027, 1, 30)) and not is_working_day(d(2027, 2, 11))
    # 2/2–4(3) [2/5–14 off] 15–19(8) 20六(9) 22–26(14) 3/1–5(19) 8(20)
    after = add_working_days(d(2027, 2, 1), 20)
    assert (after.date, after.provisional, after.reason) == (d(2027, 3, 8), False, "")


def test_inline_day_outside_its_year_is_refused(client, root):
    client.force_login(root)
    data = {
        "year": "2041",
        "source": "",
        "note": "",
        "days-TOTAL_FORMS": "1",
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
        "days-0-date": "2042-01-01",
        "days-0-kind": "holiday",
        "days-0-name": "元旦",
        "days-0-source": "",
    }
    response = client.post(YEAR_ADD, data)
    assert response.status_code == 200
    assert "日期必须在所属年度（2041年）内" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2041).exists()


def test_clerk_can_view_the_calendar_but_not_change_it(client, alice):
    client.force_login(alice)
    day = CalendarDay.objects.get(date=d(2026, 2, 14))
    assert client.get(DAY_LIST).status_code == 200
    assert client.get(YEAR_LIST).status_code == 200
    assert client.get(DAY_ADD).status_code == 403
    change = reverse("admin:workdays_calendarday_change", args=[day.pk])
    response = client.post(change, {"date": "2026-02-14", "kind": "holiday", "name": "篡改", "source": ""})
    assert response.status_code == 403
    assert CalendarDay.objects.get(pk=day.pk).name == "春节调休上班"
    delete = reverse("admin:workdays_calendarday_delete", args=[day.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_staff_without_permissions_cannot_see_the_calendar(client, charlie):
    client.force_login(charlie)
    assert client.get(DAY_LIST).status_code == 403
