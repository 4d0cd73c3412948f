"""The reply clock of an application: its event log as the deadline engine sees it, what the
application stores of the result, and when a clock event may be recorded at all.

Stored for the lists and reminders (constant-query, never recomputed per row):
- `due_date`: the due date if every running pause (consultation, fee notice) lasts until its cap,
  the last day it may stop the clock (条例第三十二条、第三十四条: 15 working days; the payment
  period of the fee notice). While the clock runs it is simply the due date.
- `paused_until`: that cap while a consultation has no recorded answer or a fee notice no payment
  (征求意见中, 待缴费), else empty. From the next day on the clock runs again even with nothing
  recorded, and `due_date` is exact: the lists take an application whose `paused_until` is before
  today like any other.

They are recomputed on every save of the application, and for every open application when the
working-day calendar changes (services.refresh).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.applications import deadlines, workflow
from apps.applications.enums import CLOSED_STATUSES, ClockEventKind, ConsultationKind, EventKind
from apps.applications.models import Application

#: Event kinds that move the clock, and what the engine calls them (declared by the workflow).
CLOCK_KINDS = workflow.CLOCK_KINDS
#: The clock events and the endings: none may be dated before the last of them.
ORDERED_KINDS = [
    *CLOCK_KINDS,
    *(event for t in workflow.TRANSITIONS if t.leads_to in CLOSED_STATUSES for event in t.events),
]


def clock_events(events) -> list[deadlines.ClockEvent]:
    """The event log as the deadline engine sees it (only the events that move the clock)."""
    result = []
    for event in events:
        kind = CLOCK_KINDS.get(event.kind)
        if kind is None:
            continue
        days = None
        if kind == ClockEventKind.EXTENSION:
            days = event.data.get("days")
        elif kind == ClockEventKind.CORRECTION_REQUESTED:
            days = event.data.get("period_days")
        party = ""
        if event.kind == EventKind.THIRD_PARTY_CONSULTED:
            party = ConsultationKind.THIRD_PARTY.label
        elif event.kind == EventKind.ORGAN_CONSULTED:
            party = ConsultationKind.OTHER_ORGAN.label
        # The consulted party's name stays out of the steps: the applicant sees them.
        result.append(
            deadlines.ClockEvent(
                kind=kind,
                day=event.day,
                days=days,
                approved_by=event.data.get("approver", ""),
                party=str(party),
            )
        )
    return result


def application_deadline(
    *, application: Application, today: dt.date | None = None, events=None
) -> deadlines.DeadlineComputation | None:
    """How the due date is computed, step by step; None before the receipt is confirmed.

    A closed application is computed as of the day it was closed: a pause running then, or a
    due date passed by then, stays as it was. `events`: its log in order, when already read.
    """
    if application.received_on is None:
        return None
    today = today or application.closed_on or timezone.localdate()
    if events is None:
        events = application.events.order_by("at", "pk")
    return deadlines.compute_deadline(events=clock_events(events), today=today)


#: The fields `store` writes: all computed, none entered.
STORED_FIELDS = ["due_date", "due_provisional", "paused_until", "correction_notice_due"]


def store(application: Application, *, events=None) -> None:
    """Recompute the stored due date and pause from the whole event log (not saved here)."""
    try:
        computation = application_deadline(application=application, events=events)
    except ValueError as error:  # the engine refuses a sequence the 条例 does not allow
        raise ValidationError(str(error)) from error
    if computation is None:
        application.due_date = application.correction_notice_due = application.paused_until = None
        application.due_provisional = False
    else:
        application.due_date = computation.due_date_at_cap
        application.due_provisional = computation.provisional_at_cap
        application.paused_until = computation.paused_until
        application.correction_notice_due = computation.correction_notice_due
    if not application.is_open:
        application.paused_until = None


def require_in_order(application: Application, on: dt.date, label: str) -> None:
    """The log is kept in order: a step may not be dated before the last one recorded (that would
    rewrite how the due date ran, e.g. slip a pause in before an extension)."""
    last = (
        application.events.filter(kind__in=ORDERED_KINDS)
        .order_by("-day", "-at", "-pk")
        .only("kind", "day")
        .first()
    )
    if last is not None and on < last.day:
        raise ValidationError(
            _("%(label)s不能早于上一项办理记录（%(kind)s，%(date)s）。")
            % {"label": label, "kind": last.get_kind_display(), "date": last.day.isoformat()}
        )


def require_period_running(application: Application, on: dt.date, transition: workflow.Transition) -> None:
    """A step the workflow allows only while the reply period runs (`Transition.lapsed`: an
    extension, a consultation, a fee notice) is refused after the due date: it would make the
    lapsed deadline disappear. The engine checks the same rule again over the whole log.

    The stored due date is exact here for a consultation or a fee notice (the application is
    办理中, no pause runs); for an extension during a consultation it is the due date at the
    pause's cap, the latest the clock can reach.
    """
    due = application.due_date
    if due is None or on <= due:
        return
    raise ValidationError(transition.lapsed % {"due": due.isoformat()}, code="period_lapsed")


def pause_end_data(*, cap: dt.date, on: dt.date) -> dict:
    """What the log records of an answer or payment after the pause's cap: the pause stopped at
    the cap, and the record keeps saying so."""
    return {"late": True, "paused_until": cap.isoformat()} if on > cap else {}
