"""What every transition shares: the row lock and the workflow's checks (`begin`), dates that may
be neither in the future nor before an earlier step, the append to the log (which schedules the
applicant's notification for after the commit), and the save that recomputes the stored due date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.applications import clock, deadlines, notifications, workflow
from apps.applications.enums import ApplicantType, EventKind
from apps.applications.models import Application, ApplicationEvent, new_tracking_code
from apps.organs.models import Organ

APPLICANT_LABEL = "申请人"

#: Fields an applicant or a clerk may fill when an application is created or its register
#: corrected, in the order the forms show them.
APPLICATION_FIELDS = (
    "applicant_type",
    "applicant_name",
    "id_type",
    "id_number",
    "credit_code",
    "contact_person",
    "phone",
    "email",
    "address",
    "postal_code",
    "info_title",
    "info_doc_number",
    "info_description",
    "delivery_form",
    "delivery_way",
)


def stale_message() -> str:
    return _("该申请已被其他工作人员修改，请刷新页面查看最新内容后重试。您的修改未保存。")


def check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields).difference(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown application fields: {', '.join(sorted(unknown))}")


def normalise(fields: dict[str, Any]) -> dict[str, Any]:
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    if fields.get("id_number"):
        fields["id_number"] = fields["id_number"].upper()
    if fields.get("credit_code"):
        fields["credit_code"] = fields["credit_code"].upper()
    # Organisation applicants have no personal identity document; natural persons no credit code.
    if fields.get("applicant_type") == ApplicantType.NATURAL:
        fields["credit_code"] = ""
    elif fields.get("applicant_type"):
        fields["id_type"], fields["id_number"] = "", ""
    return fields


def today() -> dt.date:
    return timezone.localdate()


def not_in_future(day: dt.date, label: str) -> None:
    if day > today():
        raise ValidationError(_("%(label)s不能晚于今天。") % {"label": label})


def not_before(day: dt.date, earliest: dt.date | None, label: str, earlier_label: str) -> None:
    if earliest is not None and day < earliest:
        raise ValidationError(
            _("%(label)s不能早于%(other)s（%(date)s）。")
            % {"label": label, "other": earlier_label, "date": earliest.isoformat()}
        )


def lock(application: Application, expected_version: int | None) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(stale_message(), code="stale")
    return locked


def begin(
    application: Application, transition: workflow.Transition, expected_version: int | None
) -> Application:
    """Lock the row, check the version the clerk saw, then the workflow: the status allows the
    transition, and a once-only transition has not happened yet."""
    application = lock(application, expected_version)
    workflow.check_status(
        transition, status=application.status, status_label=application.get_status_display()
    )
    if transition.once and has_event(application, *transition.events):
        raise ValidationError(str(transition.once))
    return application


def has_event(application: Application, *kinds: EventKind) -> bool:
    return application.events.filter(kind__in=kinds).exists()


def _actor_label(actor) -> str:
    if actor is None:
        return APPLICANT_LABEL
    return actor.get_full_name() or actor.get_username()


def append_event(
    application: Application, kind: EventKind, *, actor, day: dt.date, **data
) -> ApplicationEvent:
    event = ApplicationEvent(
        application=application, kind=kind, actor=actor, actor_label=_actor_label(actor), day=day, data=data
    )
    # The foreign keys come from locked rows and the request's user: no need to re-query them.
    event.full_clean(exclude=["application", "actor"])
    event.save()
    # Only scheduled: sent once the whole step is committed, never when it rolls back.
    notifications.notify_applicant(application=application, event=event)
    return event


def application_deadline(*, application: Application) -> deadlines.DeadlineComputation | None:
    """How the due date is computed, step by step; None before the receipt is confirmed."""
    return clock.application_deadline(application=application)


def save(application: Application) -> Application:
    """Recompute the stored deadline, bump the version, validate and save."""
    clock.store(application)
    application.version += 1
    # The organ, tracking code and token never change after creation, and the check constraints
    # are enforced by PostgreSQL: validating them again would cost six queries per transition.
    application.full_clean(exclude=["organ"], validate_unique=False, validate_constraints=False)
    application.save()
    return application


def new_application(*, organ: Organ, channel: str, submitted_at: dt.datetime, **fields) -> Application:
    if not organ.is_active:
        raise ValidationError(_("该机关目前不受理政府信息公开申请。"))
    application = Application(organ=organ, channel=channel, submitted_at=submitted_at, **normalise(fields))
    # A new application is 待确认 with no dates: the check constraints hold by construction.
    application.full_clean(exclude=["tracking_code", "organ"], validate_constraints=False)
    while Application.objects.filter(tracking_code=application.tracking_code).exists():
        application.tracking_code = new_tracking_code()
    return application
