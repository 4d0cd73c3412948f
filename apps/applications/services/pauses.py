"""The extension and the consultations (条例第三十二至三十四条): 延期 once, approved and notified;
征求意见, whose time is not counted, until the answer or the consulted party's 15 working days."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.applications import clock, deadlines, workflow
from apps.applications.enums import ConsultationKind, EventKind
from apps.applications.models import Application
from apps.applications.services.base import append_event, begin, not_before, not_in_future, save


@transaction.atomic
def application_extend(
    *,
    application: Application,
    actor,
    approver: str,
    notice_date: dt.date,
    days: int,
    reason: str = "",
    expected_version: int | None = None,
) -> Application:
    """延期答复: approved by the head of the disclosure office, notified to the applicant, once."""
    transition = workflow.EXTEND
    application = begin(application, transition, expected_version)
    approver = (approver or "").strip()
    if not approver:
        raise ValidationError(_("延长答复期限须经政府信息公开工作机构负责人同意，请填写批准人。"))
    if not 1 <= days <= deadlines.EXTENSION_MAX_DAYS:
        raise ValidationError(_("延长的期限为1至20个工作日（条例第三十三条）。"))
    not_in_future(notice_date, _("告知日期"))
    not_before(notice_date, application.received_on, _("告知日期"), _("收到申请之日"))
    clock.require_in_order(application, notice_date, _("告知日期"))
    clock.require_period_running(application, notice_date, transition)
    append_event(
        application,
        transition.event,
        actor=actor,
        day=notice_date,
        days=days,
        approver=approver,
        reason=reason,
    )
    return save(application)


@transaction.atomic
def application_start_consultation(
    *,
    application: Application,
    actor,
    kind: str,
    party: str,
    on: dt.date,
    expected_version: int | None = None,
) -> Application:
    """征求第三方 (第三十二条) or 其他机关 (第三十四条) 意见: the time is not counted (第三十三条)."""
    transition = workflow.START_CONSULTATION
    application = begin(application, transition, expected_version)
    if kind not in ConsultationKind.values:
        raise ValidationError(_("请选择征求意见的对象类型。"))
    party = (party or "").strip()
    if not party:
        raise ValidationError(_("请填写被征求意见的第三方或机关名称。"))
    not_in_future(on, _("征求意见日期"))
    not_before(on, application.received_on, _("征求意见日期"), _("收到申请之日"))
    clock.require_in_order(application, on, _("征求意见日期"))
    clock.require_period_running(application, on, transition)
    event_kind = (
        EventKind.THIRD_PARTY_CONSULTED if kind == ConsultationKind.THIRD_PARTY else EventKind.ORGAN_CONSULTED
    )
    application.status = transition.leads_to
    # The party's name is kept for the clerks; the applicant's page shows only the kind.
    append_event(application, event_kind, actor=actor, day=on, consultation_kind=kind, party=party)
    return save(application)


@transaction.atomic
def application_end_consultation(
    *,
    application: Application,
    actor,
    on: dt.date,
    opinion: str = "",
    expected_version: int | None = None,
) -> Application:
    """意见返回 (or the 15 working days ran out: silence is recorded here too)."""
    transition = workflow.END_CONSULTATION
    application = begin(application, transition, expected_version)
    started = application.events.filter(kind__in=workflow.START_CONSULTATION.events).latest("at", "pk")
    not_in_future(on, _("意见返回日期"))
    not_before(on, started.day, _("意见返回日期"), _("征求意见日期"))
    clock.require_in_order(application, on, _("意见返回日期"))
    application.status = transition.leads_to
    # An answer after the 15 working days is recorded, but the pause stopped at their end.
    late = clock.pause_end_data(cap=deadlines.consultation_due(started.day).date, on=on)
    append_event(application, transition.event, actor=actor, day=on, opinion=opinion.strip(), **late)
    return save(application)
