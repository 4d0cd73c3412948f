"""Deadlines of applications received from December 2026 reach into 2027, whose notice is not in.

Provisional 2027 (《全国年节及纪念日放假办法》, 第六条 补假, no 调休): off 1/1 (元旦, Fri), 2/5 (除夕, Fri),
2/6–7 (weekend), 2/8 (初三, Mon), 2/9–10 (补假 for 初一、初二); December 2026 has no holiday.
The confirmed 2027 used below is an assumed notice entered as an admin would (tests/workdays/calendars.py):
春节 2/5–2/14 off, 1/30 (Sat) and 2/20 (Sat) worked. Every date was counted by hand.
"""

import datetime as dt

from django.urls import reverse

import pytest
import time_machine

from apps.applications.deadlines import ClockEvent, ClockEventKind, compute_deadline
from apps.workdays.calendar import is_working_day
from tests.factories.applications import ApplicationFactory
from tests.workdays.calendars import (
    confirm_2027_in_the_admin,
    confirm_2027_through_the_services,
    make_provisional,
)

pytestmark = pytest.mark.django_db

d = dt.date
K = ClockEventKind
REASON_2027 = (
    "2027年节假日安排尚未由国务院办公厅公布确认，暂按《全国年节及纪念日放假办法》推算，未计调休上班日"
)

CASES = [
    # received, extension (notified on, days), provisional due, due once 2027 is confirmed
    # 12/7–11(5) 14–18(10) 21–25(15) 28–31(19) [1/1] 1/4(20)
    (d(2026, 12, 4), None, d(2027, 1, 4), d(2027, 1, 4)),
    # 16–18(3) 21–25(8) 28–31(12) [1/1] 1/4–8(17) 11 12 13(20)
    (d(2026, 12, 15), None, d(2027, 1, 13), d(2027, 1, 13)),
    # [1/1] 1/4–8(5) 11–15(10) 18–22(15) 25–29(20); the make-up 1/30 comes after
    (d(2026, 12, 31), None, d(2027, 1, 29), d(2027, 1, 29)),
    # 40 days: …1/13(20) 14 15(22) 18–22(27) 25–29(32) 2/1–4(36) 11 12(38) 15 16(40);
    # confirmed: …25–29(32) 1/30六(33) 2/1–4(37) [2/5–14] 15 16 17(40)
    (d(2026, 12, 15), (d(2027, 1, 11), 20), d(2027, 2, 16), d(2027, 2, 17)),
    # 1/5–8(4) 11–15(9) 18–22(14) 25–29(19) 2/1(20); confirmed: the make-up Saturday 1/30 is the 20th
    (d(2027, 1, 4), None, d(2027, 2, 1), d(2027, 1, 30)),
    # 1/7 8(2) 11–15(7) 18–22(12) 25–29(17) 2/1 2 3(20); confirmed: 1/30六(18) 2/1 2(20)
    (d(2027, 1, 6), None, d(2027, 2, 3), d(2027, 2, 2)),
    # 1/21 22(2) 25–29(7) 2/1–4(11) 11 12(13) 15–19(18) 22 23(20); confirmed: the same date
    (d(2027, 1, 20), None, d(2027, 2, 23), d(2027, 2, 23)),
    # 2/2–4(3) 11 12(5) 15–19(10) 22–26(15) 3/1–5(20); confirmed: 15–19(8) 20六(9) 22–26(14) 3/1–5(19) 8(20)
    (d(2027, 2, 1), None, d(2027, 3, 5), d(2027, 3, 8)),
]


def events_for(received_on, extension):
    events = [ClockEvent(K.RECEIVED, received_on)]
    if extension:
        events.append(ClockEvent(K.EXTENSION, extension[0], days=extension[1], approved_by="王主任"))
    return events


def deadline(received_on, extension):
    last = extension[0] if extension else received_on
    with time_machine.travel(dt.datetime(last.year, last.month, last.day, 10, tzinfo=dt.UTC), tick=False):
        return compute_deadline(events=events_for(received_on, extension), today=last)


@pytest.fixture(params=["seeded row", "no row"])
def provisional_2027(request):
    make_provisional(2027, row=request.param == "seeded row")


def test_new_year_and_the_spring_festival_are_not_working_days(provisional_2027):
    assert not is_working_day(d(2027, 1, 1))
    for day in (d(2027, 2, 5), d(2027, 2, 6), d(2027, 2, 7), d(2027, 2, 8)):  # 除夕 to 初三
        assert not is_working_day(day)


@pytest.mark.parametrize(("received_on", "extension", "provisional_due", "confirmed_due"), CASES)
def test_deadline_into_provisional_2027_then_confirmed(
    provisional_2027, received_on, extension, provisional_due, confirmed_due
):
    result = deadline(received_on, extension)
    assert (result.due_date, result.provisional) == (provisional_due, True)
    assert result.provisional_reason == REASON_2027
    assert result.steps[-1].provisional and "暂定" in result.steps[-1].text

    confirm_2027_through_the_services()
    result = deadline(received_on, extension)
    assert (result.due_date, result.provisional, result.provisional_reason) == (confirmed_due, False, "")
    assert not any("暂定" in step.text for step in result.steps)


def test_the_correction_notice_due_in_2026_stays_certain(provisional_2027):
    result = deadline(d(2026, 12, 4), None)
    assert result.correction_notice_due == d(2026, 12, 15)  # 7–11(5) 14 15(7)
    assert result.provisional  # the reply due date reaches 2027
    assert not result.steps[1].provisional  # the 补正 notice step does not


def _lookup(client, application):
    response = client.post(
        reverse("applications:lookup"), {"code": application.tracking_code, "contact": application.phone}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("row", [True, False])
def test_applicant_and_clerk_see_the_reason_until_the_admin_confirms_2027(client, organ_a, alice, root, row):
    make_provisional(2027, row=row)
    with time_machine.travel(dt.datetime(2027, 2, 2, 2, tzinfo=dt.UTC), tick=False):
        application = ApplicationFactory(organ=organ_a, actor=alice, received_on=d(2027, 2, 1))
        status_url = reverse("applications:status", args=[application.tracking_code])
        change_url = reverse("admin:applications_application_change", args=[application.pk])
        _lookup(client, application)
        page = client.get(status_url).content.decode()
        assert "2027年3月5日" in page
        assert f"（暂定：{REASON_2027}）" in page
        client.force_login(alice)
        admin_page = client.get(change_url).content.decode()
        assert "2027-03-05" in admin_page and REASON_2027 in admin_page

        client.force_login(root)
        confirm_2027_in_the_admin(client)

        client.force_login(alice)
        admin_page = client.get(change_url).content.decode()
        assert "2027-03-08" in admin_page and "暂定" not in admin_page
        client.logout()
        _lookup(client, application)
        page = client.get(status_url).content.decode()
        assert "2027年3月8日" in page
        assert "暂定" not in page
