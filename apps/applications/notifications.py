"""Messages to the applicant at each step that concerns them, and the clerks' deadline reminders.

Which steps: a transition names its message in apps.applications.workflow (`notify`), so the list
lives with the workflow (确认收到, 补正通知, 延期, 征求意见, 收费通知, 答复, and the three ways an
application is closed). Appending such an event (services.base.append_event) calls
`notify_applicant`, which only schedules the delivery with transaction.on_commit: a step that fails
validation or whose transaction rolls back sends nothing.

After the commit, `deliver` renders the step's templates (templates/applications/notifications/
<step>.subject.txt, .txt, .html and, for text messages, .sms.txt) in the language the applicant
applied in, and sends them to the e-mail address the applicant gave (the only recipient) and, when
settings.SMS_BACKEND is set, to the phone number they gave (apps.applications.sms). A transient
failure (the SMTP server hung up or answered 4xx, a refused connection, a timeout) is tried again
a few times with a doubling pause (settings.NOTIFICATIONS). Every delivery is logged in the
application's event log, 通知申请人 or 通知发送失败, for the clerks; `retry_failed`, run by
send_deadline_reminders every day and by retry_notifications, tries the failed ones again until
they are RETRY_DAYS old or a later step's message superseded them.

A message carries the organ's dates, the tracking code and the link to the status page, and of the
applicant's data only the title of the information they asked for: never the identity document,
the name, the phone or the address. The status page asks for the contact again before it opens.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.applications import sms, workflow
from apps.applications.enums import ConsultationKind, EventKind, Outcome
from apps.applications.fees import FeeMethod
from apps.applications.identity import mask_email, mask_phone
from apps.applications.models import Application, ApplicationEvent
from apps.organs.models import Organ

logger = logging.getLogger(__name__)

TEMPLATES = "applications/notifications"
EMAIL = "email"
SMS = "sms"
#: Who wrote a notification event in the log.
SYSTEM_LABEL = "系统"

_muted: ContextVar[bool] = ContextVar("applications_notifications_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """No message for the steps recorded inside: demo data, past records entered after the fact."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


# Rendering ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str


def render(step: str, context: dict[str, Any]) -> Message:
    """The e-mail of a step (or of the clerks' reminder) from its three templates."""
    path = f"{TEMPLATES}/{step}"
    subject = " ".join(render_to_string(f"{path}.subject.txt", context).split())
    return Message(
        subject=subject,
        text=render_to_string(f"{path}.txt", context).strip() + "\n",
        html=render_to_string(f"{path}.html", context),
    )


def render_sms(step: str, context: dict[str, Any]) -> str:
    return " ".join(render_to_string(f"{TEMPLATES}/{step}.sms.txt", context).split())


def status_url(application: Application) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "applications:status", args=[application.tracking_code]
    )


def language_of(application: Application) -> str:
    languages = dict(settings.LANGUAGES)
    return application.language if application.language in languages else settings.LANGUAGE_CODE


def _running_clock(application: Application, event: ApplicationEvent) -> dict[str, Any]:
    return {"due": application.due_date, "due_provisional": application.due_provisional}


def _correction(application: Application, event: ApplicationEvent) -> dict[str, Any]:
    return {"items": event.data["items"], "due": dt.date.fromisoformat(event.data["correction_due"])}


def _extension(application: Application, event: ApplicationEvent) -> dict[str, Any]:
    return {
        **_running_clock(application, event),
        "days": event.data["days"],
        "reason": event.data.get("reason", ""),
    }


def _consultation(application: Application, event: ApplicationEvent) -> dict[str, Any]:
    # The kind of party only: who was consulted stays with the clerks, as on the status page.
    kind = ConsultationKind(event.data["consultation_kind"]).label
    return {**_running_clock(application, event), "consulted": kind}


def _fee(application: Application, event: ApplicationEvent) -> dict[str, Any]:
    return {
        "amount": event.data["amount"],
        "method": FeeMethod(event.data["method"]).label,
        "quantity": event.data["quantity"],
        "due": dt.date.fromisoformat(event.data["due"]),
        "due_provisional": event.data.get("due_provisional", False),
    }


def _ending(application: Application, event: ApplicationEvent) -> dict[str, Any]:
    return {
        "outcome": Outcome(event.data["outcome"]).label,
        "has_document": event.data.get("has_document", False),
        "withdrawn": event.kind == EventKind.WITHDRAWN,
    }


#: What each step's templates say beyond the common part: the due date that matters at that step.
_STEP_CONTEXT: dict[str, Callable[[Application, ApplicationEvent], dict[str, Any]]] = {
    "receipt_confirmed": _running_clock,
    "correction_requested": _correction,
    "extended": _extension,
    "consultation": _consultation,
    "fee_notice": _fee,
    "replied": _ending,
    "closed": _ending,
}


def step_context(application: Application, event: ApplicationEvent) -> dict[str, Any]:
    step = workflow.NOTIFY_STEPS[event.kind]
    return {
        "portal_name": settings.PORTAL_NAME,
        "organ": application.organ,
        "tracking_code": application.tracking_code,
        "info_title": application.info_title,
        "status_url": status_url(application),
        "day": event.day,
        "due": None,
        "due_provisional": False,
        **_STEP_CONTEXT[step](application, event),
    }


# Sending -----------------------------------------------------------------------------------------


def is_transient(error: Exception) -> bool:
    """Worth another try in a moment: the server is there but busy, or the network hiccupped."""
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, smtplib.SMTPServerDisconnected | ConnectionError | TimeoutError)


def with_retries(send: Callable[[], object]) -> tuple[int, Exception | None]:
    """Call `send`; after a transient error wait and call it again, at most ATTEMPTS calls in all,
    the wait doubling from BACKOFF_SECONDS. Returns (calls made, the last error or None)."""
    config = settings.NOTIFICATIONS
    attempts = max(1, config["ATTEMPTS"])
    for attempt in range(1, attempts + 1):
        try:
            send()
        except Exception as error:
            logger.warning("Notification attempt %d of %d failed: %r", attempt, attempts, error)
            if attempt == attempts or not is_transient(error):
                return attempt, error
            time.sleep(config["BACKOFF_SECONDS"] * 2 ** (attempt - 1))
        else:
            return attempt, None
    raise AssertionError("unreachable")


def send_email(*, to: Sequence[str], message: Message) -> tuple[int, Exception | None]:
    """Send a rendered message (text and HTML parts) with retries; see with_retries."""
    email = EmailMultiAlternatives(message.subject, message.text, settings.DEFAULT_FROM_EMAIL, list(to))
    email.attach_alternative(message.html, "text/html")
    return with_retries(email.send)


def channels(application: Application) -> list[str]:
    """How the applicant can be told: the contacts they gave, SMS only with a backend set."""
    found = [EMAIL] if application.email else []
    if application.phone and getattr(settings, "SMS_BACKEND", ""):
        found.append(SMS)
    return found


def _send(application: Application, event: ApplicationEvent, channel: str) -> ApplicationEvent:
    step = workflow.NOTIFY_STEPS[event.kind]
    data = {"step": step, "channel": channel, "source": event.pk}
    attempts, error = 0, None
    try:
        with translation.override(language_of(application)):
            context = step_context(application, event)
            if channel == EMAIL:
                message = render(step, context)
                data["to"] = mask_email(application.email)
            else:
                text = render_sms(step, context)
                backend = sms.get_backend()
                data.update(to=mask_phone(application.phone), backend=type(backend).__name__)
    except Exception as failure:  # a template that does not render: no point retrying
        logger.exception("Notification %s of %s could not be rendered", step, application.tracking_code)
        error = failure
    else:
        if channel == EMAIL:
            # The address the applicant gave, and nobody else: the link carries the tracking code.
            attempts, error = send_email(to=[application.email], message=message)
        else:
            message = sms.SmsMessage(to=application.phone, text=text)
            attempts, error = with_retries(partial(backend.send_messages, [message]))
    data["attempts"] = attempts
    if error is not None:
        # The class only: an SMTP error's text may repeat the address.
        data["error"] = type(error).__name__
    return _log(application, EventKind.NOTIFIED if error is None else EventKind.NOTIFICATION_FAILED, data)


def _log(application: Application, kind: EventKind, data: dict[str, Any]) -> ApplicationEvent:
    event = ApplicationEvent(
        application=application,
        kind=kind,
        actor=None,
        actor_label=SYSTEM_LABEL,
        day=timezone.localdate(),
        data=data,
    )
    event.full_clean(exclude=["application", "actor"])
    event.save()
    return event


def deliver(*, event_id: int) -> list[ApplicationEvent]:
    """Send the message of a committed step on each channel the applicant gave; returns the log
    entries written (one per channel)."""
    event = ApplicationEvent.objects.select_related("application__organ").get(pk=event_id)
    return [_send(event.application, event, channel) for channel in channels(event.application)]


def notify_applicant(*, application: Application, event: ApplicationEvent) -> None:
    """Schedule the applicant's message for `event`, if its step has one, after the commit."""
    if _muted.get() or event.kind not in workflow.NOTIFY_STEPS:
        return
    transaction.on_commit(partial(deliver, event_id=event.pk), robust=True)


@dataclass
class RetryOutcome:
    sent: int = 0
    failed: int = 0


def _failed_deliveries(since: dt.datetime) -> dict[tuple[int, str], int]:
    """(source event, channel) → application of the deliveries that failed since `since`."""
    return {
        (data["source"], data["channel"]): application_id
        for application_id, data in ApplicationEvent.objects.filter(
            kind=EventKind.NOTIFICATION_FAILED, at__gte=since
        ).values_list("application_id", "data")
    }


def retry_failed(*, now: dt.datetime | None = None) -> RetryOutcome:
    """Send again the messages whose delivery failed, unless sent since, superseded by a later
    step's message (a stale 补正 notice would mislead), or older than RETRY_DAYS (given up: the
    clerk sees 通知发送失败 in the log). One attempt series per message and run."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=settings.NOTIFICATIONS["RETRY_DAYS"])
    outcome = RetryOutcome()
    failed = _failed_deliveries(since)
    if not failed:
        return outcome
    applications = set(failed.values())
    sent = {
        (data["source"], data["channel"])
        for data in ApplicationEvent.objects.filter(
            application_id__in=applications, kind=EventKind.NOTIFIED
        ).values_list("data", flat=True)
    }
    latest: dict[int, ApplicationEvent] = {}
    for event in (
        ApplicationEvent.objects.filter(application_id__in=applications, kind__in=list(workflow.NOTIFY_STEPS))
        .select_related("application__organ")
        .order_by("at", "pk")
    ):
        latest[event.application_id] = event
    for (source, channel), application_id in sorted(failed.items()):
        event = latest.get(application_id)
        if (source, channel) in sent or event is None or event.pk != source or event.at < since:
            continue
        if channel not in channels(event.application):
            continue
        logged = _send(event.application, event, channel)
        if logged.kind == EventKind.NOTIFIED:
            outcome.sent += 1
        else:
            outcome.failed += 1
    return outcome


# The clerks' reminders ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderLine:
    tracking_code: str
    status: str
    due_date: dt.date
    when: str
    url: str


def _reminder_line(application: Application, today: dt.date) -> ReminderLine:
    days = (application.due_date - today).days
    when = (
        ngettext("剩余%(n)d天", "剩余%(n)d天", days) % {"n": days}
        if days >= 0
        else ngettext("已逾期%(n)d天", "已逾期%(n)d天", -days) % {"n": -days}
    )
    if application.paused_until:  # a consultation or fee notice ran out: the clock runs again
        when += _("；暂停已于%(date)s期满，恢复计算") % {"date": f"{application.paused_until:%Y-%m-%d}"}
    url = settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "admin:applications_application_change", args=[application.pk]
    )
    return ReminderLine(
        application.tracking_code, application.get_status_display(), application.due_date, when, url
    )


def clerk_reminder(
    *, organ: Organ, late: Sequence[Application], soon: Sequence[Application], today: dt.date
) -> Message:
    """The daily list of an organ's applications overdue or due soon, from the same machinery as
    the applicants' messages. Tracking codes and statuses only: no applicant's personal data."""
    return render(
        "deadline_reminder",
        {
            "organ": organ,
            "today": today,
            "late": [_reminder_line(a, today) for a in late],
            "soon": [_reminder_line(a, today) for a in soon],
        },
    )
