"""The stored due dates of open applications, recomputed after the working-day calendar changed.

`due_date`, `due_provisional`, `paused_until` and `correction_notice_due` are computed from the
event log and the calendar whenever an application is saved (clock.store); the due-soon and
overdue lists, the admin's filters and the reminders read them. When an admin confirms a year
(adds its 调休上班日, ticks 已确认) or corrects a holiday, they go stale until the next save: this
recomputes them as that save would.

Only those four computed fields change. The event log is untouched, and so are closed
applications, whose closing event says whether the due date had passed: a lapsed deadline never
disappears from the record. An application whose log the engine refuses under the new calendar
(e.g. an extension notified on a day that is now after the due date) keeps its stored dates and
is reported, for a clerk to look at.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.applications import clock
from apps.applications.models import Application, ApplicationEvent

BATCH_SIZE = 500


@dataclass
class RefreshOutcome:
    checked: int = 0
    changed: int = 0
    #: Tracking codes of the applications whose log the engine refused (left as they were).
    refused: list[str] = field(default_factory=list)


def _stored(application: Application) -> tuple:
    return tuple(getattr(application, name) for name in clock.STORED_FIELDS)


def _refresh_batch(after_pk: int, batch_size: int, outcome: RefreshOutcome) -> int | None:
    """One batch in one transaction and four queries: the rows (locked, so that no transition
    saves in between), their clock events, the calendar if its cache is stale, one update.
    Returns the last primary key, None when there was nothing left."""
    batch = list(
        Application.objects.open()
        .received()
        .filter(pk__gt=after_pk)
        .order_by("pk")
        .only("pk", "tracking_code", "status", "received_on", "closed_on", *clock.STORED_FIELDS)
        .select_for_update()[:batch_size]
    )
    if not batch:
        return None
    events = defaultdict(list)
    for event in (
        ApplicationEvent.objects.filter(application__in=batch, kind__in=clock.CLOCK_KINDS)
        .order_by("at", "pk")
        .only("application_id", "kind", "day", "data")
    ):
        events[event.application_id].append(event)
    changed = []
    for application in batch:
        before = _stored(application)
        try:
            clock.store(application, events=events[application.pk])
        except ValidationError:
            outcome.refused.append(application.tracking_code)
            continue
        if _stored(application) != before:
            changed.append(application)
    if changed:
        Application.objects.bulk_update(changed, clock.STORED_FIELDS)
    outcome.checked += len(batch)
    outcome.changed += len(changed)
    return batch[-1].pk


def application_deadlines_refresh(*, batch_size: int = BATCH_SIZE) -> RefreshOutcome:
    """Recompute the stored deadline fields of every open application with a receipt date, in
    batches of `batch_size`, each in its own transaction with a constant number of queries."""
    outcome = RefreshOutcome()
    last_pk = 0
    while last_pk is not None:
        with transaction.atomic():
            last_pk = _refresh_batch(last_pk, batch_size, outcome)
    return outcome


def refresh_on_calendar_change(**kwargs) -> RefreshOutcome:
    """Receiver of apps.workdays.signals.calendar_changed (connected in ApplicationsConfig.ready)."""
    return application_deadlines_refresh()
