"""The stored due dates follow the working-day calendar (services.refresh).

2027 as in test_deadlines_provisional_2027: provisional, then confirmed with the make-up Saturdays
1/30 and 2/20 (tests/workdays/calendars.py). Received on 2027-01-04: 1/5–8(4) 11–15(9) 18–22(14)
25–29(19) 2/1(20) while provisional; once confirmed the make-up Saturday 1/30 is the 20th.
"""

import datetime as dt
import io

from django.core import mail
from django.core.management import call_command

import pytest
import time_machine

from apps.applications import services
from apps.applications.enums import EventKind
from apps.applications.models import Application, ApplicationEvent
from apps.applications.services.refresh import application_deadlines_refresh
from apps.workdays.calendar import add_working_days
from apps.workdays.enums import DayKind
from apps.workdays.services import calendar_day_save
from apps.workdays.signals import calendar_changed
from tests.factories.applications import ApplicationFactory
from tests.workdays.calendars import (
    confirm_2027_in_the_admin,
    confirm_2027_through_the_services,
    make_provisional,
)

D = dt.date


@pytest.fixture
def in_january_2027(db):
    make_provisional(2027, row=True)
    with time_machine.travel(dt.datetime(2027, 1, 5, 2, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def provisional(organ_a, alice, in_january_2027):
    application = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2027, 1, 4))
    assert (application.due_date, application.due_provisional) == (D(2027, 2, 1), True)
    return application


def _log(application):
    return list(application.events.order_by("pk").values_list("pk", "kind", "day", "data"))


def test_confirming_2027_with_make_up_days_moves_a_stored_due_date_and_clears_due_provisional(
    provisional, django_capture_on_commit_callbacks
):
    log, version = _log(provisional), provisional.version
    with django_capture_on_commit_callbacks(execute=True):
        confirm_2027_through_the_services()
    provisional.refresh_from_db()
    assert (provisional.due_date, provisional.due_provisional) == (D(2027, 1, 30), False)
    assert _log(provisional) == log  # the log is the record: untouched
    assert provisional.version == version  # a clerk's open form is not made stale


def test_confirming_2027_in_the_admin_refreshes_once(
    client, root, provisional, django_capture_on_commit_callbacks
):
    calls = []

    def listen(**kwargs):
        calls.append(kwargs["sender"])

    calendar_changed.connect(listen)
    try:
        client.force_login(root)
        with django_capture_on_commit_callbacks(execute=True):
            confirm_2027_in_the_admin(client)  # the year and six days, in one save
    finally:
        calendar_changed.disconnect(listen)
    assert len(calls) == 1
    provisional.refresh_from_db()
    assert (provisional.due_date, provisional.due_provisional) == (D(2027, 1, 30), False)


def test_without_a_commit_nothing_is_announced(provisional):
    confirm_2027_through_the_services()  # still inside the test's transaction
    provisional.refresh_from_db()
    assert (provisional.due_date, provisional.due_provisional) == (D(2027, 2, 1), True)
    assert application_deadlines_refresh().changed == 1
    provisional.refresh_from_db()
    assert (provisional.due_date, provisional.due_provisional) == (D(2027, 1, 30), False)


def test_closed_applications_are_left_as_they_were(organ_a, alice, in_january_2027):
    withdrawn = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2027, 1, 4))
    withdrawn = services.application_withdraw(application=withdrawn, reason="不再需要")
    stored, log = (withdrawn.due_date, withdrawn.due_provisional), _log(withdrawn)
    confirm_2027_through_the_services()
    outcome = application_deadlines_refresh()
    assert (outcome.checked, outcome.changed) == (0, 0)
    withdrawn.refresh_from_db()
    assert (withdrawn.due_date, withdrawn.due_provisional) == stored
    assert _log(withdrawn) == log


def test_each_batch_costs_the_same_queries_whatever_its_size(
    organ_a, alice, in_january_2027, django_assert_num_queries
):
    for received_on in (D(2026, 12, 30), D(2026, 12, 31), D(2027, 1, 4)):
        ApplicationFactory(organ=organ_a, actor=alice, received_on=received_on)
    Application.objects.update(due_date=D(2027, 3, 1))  # stale
    add_working_days(D(2027, 1, 5), 1)  # the calendar in this process's cache
    # Per batch: savepoint, the locked rows, their clock events, one update, release; then one
    # empty batch (savepoint, select, release).
    with django_assert_num_queries(5 + 3):
        assert application_deadlines_refresh(batch_size=10).changed == 3
    Application.objects.update(due_date=D(2027, 3, 1))
    with django_assert_num_queries(5 + 5 + 3):
        outcome = application_deadlines_refresh(batch_size=2)
    assert (outcome.checked, outcome.changed, outcome.refused) == (3, 3, [])


@time_machine.travel(dt.datetime(2024, 4, 1, 2, tzinfo=dt.UTC), tick=False)
def test_a_log_the_new_calendar_refuses_is_reported_and_left_alone(organ_a, alice):
    extended = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 4))  # due 04-01
    extended = services.application_extend(
        application=extended, actor=alice, approver="王主任", notice_date=D(2024, 4, 1), days=10
    )
    other = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 5))  # due 04-02
    # A make-up Saturday entered for March: the due date becomes 03-29, before the extension.
    calendar_day_save(day=D(2024, 3, 9), kind=DayKind.WORKDAY, name="调休上班")
    stored = extended.due_date
    out, err = io.StringIO(), io.StringIO()
    call_command("refresh_deadlines", stdout=out, stderr=err)
    assert "2 open application(s) checked, 1 updated." in out.getvalue()
    assert extended.tracking_code in err.getvalue() and other.tracking_code not in err.getvalue()
    extended.refresh_from_db()
    other.refresh_from_db()
    assert extended.due_date == stored
    assert other.due_date == D(2024, 4, 1)
    assert ApplicationEvent.objects.filter(kind=EventKind.EXTENDED).count() == 1


@time_machine.travel(dt.datetime(2024, 3, 27, 2, tzinfo=dt.UTC), tick=False)
def test_reminders_recompute_the_stored_due_dates_before_they_list(organ_a, alice, settings):
    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend", "OPTIONS": {}}
    }
    soon = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 4))  # due 04-01
    Application.objects.filter(pk=soon.pk).update(due_date=D(2024, 6, 3))  # stale
    out = io.StringIO()
    call_command("send_deadline_reminders", stdout=out)
    assert "Due dates recomputed: 1 of 1 changed." in out.getvalue()
    assert len(mail.outbox) == 1 and soon.tracking_code in mail.outbox[0].body
    assert "2024-04-01" in mail.outbox[0].body
