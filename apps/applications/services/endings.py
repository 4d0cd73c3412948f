"""How an application ends: the reply (条例第三十六至三十九条), the withdrawal, and the closes for a
missed period that the 补正 and fee modules take."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _

from apps.applications import clock, workflow
from apps.applications.enums import REPLY_OUTCOMES, Channel, EventKind, Outcome
from apps.applications.models import Application
from apps.applications.services.base import (
    append_event,
    begin,
    has_event,
    not_before,
    not_in_future,
    save,
    today,
)


def require_lapsed(on: dt.date, due: dt.date | None, message: str) -> None:
    """A close for a missed period (补正, 缴费) only on a day after that period ended."""
    not_in_future(on, _("终止日期"))
    if due is None or on <= due:
        raise ValidationError(message % {"date": due.isoformat() if due else "—"})


def close(
    application: Application,
    transition: workflow.Transition,
    *,
    actor,
    on: dt.date,
    outcome: Outcome | None = None,
    **data,
) -> Application:
    """Close with the transition's outcome (or the clerk's, for a reply) and its status."""
    outcome = outcome or transition.outcome
    not_before(on, application.received_on, _("办结日期"), _("收到申请之日"))
    clock.require_in_order(application, on, _("办结日期"))
    # A due date passed by the closing day stays on the record (the log is append-only).
    computation = clock.application_deadline(application=application, today=on)
    if computation is not None and computation.lapsed:
        data.update(due_date=computation.due_date.isoformat(), overdue=True)
    application.outcome = outcome
    application.closed_on = on
    application.status = transition.leads_to
    append_event(application, transition.event, actor=actor, day=on, outcome=outcome.value, **data)
    return save(application)


@transaction.atomic
def application_reply(
    *,
    application: Application,
    actor,
    outcome: str,
    reply_date: dt.date,
    text: str = "",
    document: File | None = None,
    expected_version: int | None = None,
) -> Application:
    """答复 (条例第三十六至三十九条): the outcome decides the table-3 row."""
    transition = workflow.REPLY
    application = begin(application, transition, expected_version)
    if outcome not in [o.value for o in REPLY_OUTCOMES]:
        raise ValidationError(_("请选择答复结果。"))
    if outcome == Outcome.UNCLEAR_AFTER_CORRECTION and not has_event(application, EventKind.CORRECTED):
        raise ValidationError(_("申请人未曾补正，不能以“补正后申请内容仍不明确”答复。"))
    text = (text or "").strip()
    if not text and not document:
        raise ValidationError(_("请上传答复书或填写答复内容。"))
    not_in_future(reply_date, _("答复日期"))
    application.reply_date = reply_date
    application.reply_text = text
    if document:
        application.reply_document.save(document.name.rsplit("/", 1)[-1], document, save=False)
    on_the_spot = application.channel == Channel.IN_PERSON and reply_date == application.received_on
    return close(
        application,
        transition,
        actor=actor,
        on=reply_date,
        outcome=Outcome(outcome),
        on_the_spot=on_the_spot,
        has_document=bool(document),
    )


@transaction.atomic
def application_withdraw(
    *,
    application: Application,
    actor=None,
    on: dt.date | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Application:
    """撤回: by the applicant online (actor None) or recorded by a clerk → table 3 （六）3."""
    transition = workflow.WITHDRAW
    application = begin(application, transition, expected_version)
    on = on or today()
    not_in_future(on, _("撤回日期"))
    return close(application, transition, actor=actor, on=on, reason=reason.strip())
