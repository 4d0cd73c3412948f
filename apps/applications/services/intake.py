"""An application comes in (条例第二十九、三十一条): submitted online, registered by a clerk, its
receipt confirmed; and the register corrections and notes that may follow at any time."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.applications import workflow
from apps.applications.enums import CHANNELS_RECEIVED_AT_REGISTRATION, Channel, EventKind, Status
from apps.applications.models import Application
from apps.applications.services.base import (
    append_event,
    begin,
    check_fields,
    lock,
    new_application,
    normalise,
    not_before,
    not_in_future,
    save,
    today,
)
from apps.organs.models import Organ


def application_submit_online(
    *,
    organ: Organ,
    idempotency_token: uuid.UUID,
    submitted_at: dt.datetime | None = None,
    language: str = "",
    **fields,
) -> tuple[Application, bool]:
    """An online application (条例第二十九条). Returns (application, created).

    The same idempotency token always yields the same application, so a double click or a
    resubmitted form never creates two. The receipt date stays empty until both parties
    confirm it (条例第三十一条（三）). `language` is the site's language the applicant used: the
    messages to them are written in it.
    """
    check_fields(fields)
    existing = Application.objects.filter(idempotency_token=idempotency_token).first()
    if existing is not None:
        return existing, False
    submitted_at = submitted_at or timezone.now()
    try:
        with transaction.atomic():
            application = new_application(
                organ=organ, channel=Channel.ONLINE, submitted_at=submitted_at, **fields
            )
            application.idempotency_token = idempotency_token
            application.language = language
            application.status = Status.PENDING_CONFIRMATION
            application.save()
            append_event(application, EventKind.SUBMITTED, actor=None, day=timezone.localdate(submitted_at))
            return save(application), True
    except IntegrityError:
        # A concurrent request with the same token won the race.
        existing = Application.objects.filter(idempotency_token=idempotency_token).first()
        if existing is None:
            raise
        return existing, False


@transaction.atomic
def application_register(
    *,
    organ: Organ,
    actor,
    channel: str,
    submitted_on: dt.date,
    received_on: dt.date | None = None,
    note: str = "",
    **fields,
) -> Application:
    """A clerk records an application received in person, by post, fax, e-mail or otherwise.

    received_on is 收到申请之日 (条例第三十一条): the submission date in person, the sign-for date
    of registered post. Ordinary letters, faxes and e-mail (an internet channel, 条例第三十一条（三）:
    双方确认之日, which replaced the mail-system date of 国办公开办函〔2015〕207号) are registered
    without it and wait for the confirmation with the applicant, unless it was already made.
    """
    check_fields(fields)
    if channel == Channel.ONLINE:
        raise ValidationError(_("在线申请由申请人在网站提交，无需登记。"))
    if channel not in Channel.values:
        raise ValidationError(_("请选择申请渠道。"))
    not_in_future(submitted_on, _("提交日期"))
    if channel in CHANNELS_RECEIVED_AT_REGISTRATION and received_on is None:
        raise ValidationError(_("当面和挂号邮寄提交的申请必须填写收到申请之日。"))
    if received_on is not None:
        not_in_future(received_on, _("收到申请之日"))
        not_before(received_on, submitted_on, _("收到申请之日"), _("提交日期"))
        if channel == Channel.IN_PERSON and received_on != submitted_on:
            raise ValidationError(_("当面提交的申请，以提交之日为收到申请之日（条例第三十一条）。"))
    submitted_at = timezone.make_aware(dt.datetime.combine(submitted_on, dt.time(9, 0)))
    application = new_application(organ=organ, channel=channel, submitted_at=submitted_at, **fields)
    application.save()
    append_event(application, EventKind.SUBMITTED, actor=actor, day=submitted_on, channel=channel, note=note)
    if received_on is not None:
        # Received at registration: the confirmation is recorded at once (workflow.CONFIRM).
        application.received_on = received_on
        application.status = workflow.CONFIRM.leads_to
        append_event(application, workflow.CONFIRM.event, actor=actor, day=received_on, channel=channel)
    return save(application)


@transaction.atomic
def application_confirm_receipt(
    *,
    application: Application,
    actor,
    received_on: dt.date,
    note: str = "",
    expected_version: int | None = None,
) -> Application:
    """Record the date both parties confirmed the application: the clock starts (T0)."""
    transition = workflow.CONFIRM
    application = begin(application, transition, expected_version)
    not_in_future(received_on, _("确认日期"))
    not_before(received_on, timezone.localdate(application.submitted_at), _("确认日期"), _("提交日期"))
    application.received_on = received_on
    application.status = transition.leads_to
    append_event(application, transition.event, actor=actor, day=received_on, note=note)
    return save(application)


@transaction.atomic
def application_update(
    *, application: Application, actor, expected_version: int | None, **fields
) -> Application:
    """Correct the register (a mistyped phone number...). The event names the fields, not values."""
    check_fields(fields)
    application = lock(application, expected_version)
    fields = normalise(fields)
    changed = sorted(name for name, value in fields.items() if getattr(application, name) != value)
    if not changed:
        return application
    for name in changed:
        setattr(application, name, fields[name])
    application.full_clean(exclude=["tracking_code"])
    append_event(application, EventKind.UPDATED, actor=actor, day=today(), fields=changed)
    return save(application)


@transaction.atomic
def application_add_note(
    *, application: Application, actor, text: str, expected_version: int | None = None
) -> Application:
    transition = workflow.ADD_NOTE
    application = begin(application, transition, expected_version)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请填写备注内容。"))
    append_event(application, transition.event, actor=actor, day=today(), text=text)
    return save(application)
