"""补正 (条例第三十条): the notice, once and within 7 working days of receipt; the applicant's
correction, from which the 20 working days restart; the close when none came in time."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.applications import clock, deadlines, workflow
from apps.applications.models import Application
from apps.applications.services.base import append_event, begin, not_before, not_in_future, save, today
from apps.applications.services.endings import close, require_lapsed


@transaction.atomic
def application_request_correction(
    *,
    application: Application,
    actor,
    items: str,
    on: dt.date,
    period_days: int = deadlines.DEFAULT_CORRECTION_DAYS,
    expected_version: int | None = None,
) -> Application:
    """告知补正: once, within 7 working days of receipt, naming the items and a reasonable period
    (period_days working days from the day after the notice)."""
    transition = workflow.REQUEST_CORRECTION
    application = begin(application, transition, expected_version)
    items = (items or "").strip()
    if not items:
        raise ValidationError(_("请说明需要补正的事项。"))
    not_in_future(on, _("告知日期"))
    not_before(on, application.received_on, _("告知日期"), _("收到申请之日"))
    clock.require_in_order(application, on, _("告知日期"))
    # Stricter than the reply period (transition.lapsed), which the engine checks again.
    if application.correction_notice_due is not None and on > application.correction_notice_due:
        raise ValidationError(
            _(
                "补正应自收到申请之日起7个工作日内一次性告知（条例第三十条），期限已于%(date)s届满，不能再要求补正。"
            )
            % {"date": application.correction_notice_due.isoformat()}
        )
    if not 1 <= period_days <= deadlines.MAX_CORRECTION_DAYS:
        raise ValidationError(_("补正期限应为1至%(max)d个工作日。") % {"max": deadlines.MAX_CORRECTION_DAYS})
    correction_due = deadlines.correction_due(on, period_days).date
    application.correction_items = items
    application.correction_due = correction_due
    application.status = transition.leads_to
    append_event(
        application,
        transition.event,
        actor=actor,
        day=on,
        items=items,
        period_days=period_days,
        correction_due=correction_due.isoformat(),
    )
    return save(application)


@transaction.atomic
def application_submit_correction(
    *, application: Application, text: str, on: dt.date | None = None, actor=None
) -> Application:
    """The applicant's 补正; the 20 working days restart from its receipt (条例第三十条)."""
    transition = workflow.SUBMIT_CORRECTION
    application = begin(application, transition, None)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请填写补正内容。"))
    if len(text) > 5000:
        raise ValidationError(_("补正内容不能超过5000字。"))
    on = on or today()
    not_in_future(on, _("补正日期"))
    clock.require_in_order(application, on, _("补正日期"))
    late = application.correction_due is not None and on > application.correction_due
    application.correction_text = text
    application.status = transition.leads_to
    append_event(application, transition.event, actor=actor, day=on, text=text, late=late)
    return save(application)


@transaction.atomic
def application_close_for_no_correction(
    *, application: Application, actor, on: dt.date, expected_version: int | None = None
) -> Application:
    """视为放弃申请 (条例第三十条) → table 3 （六）1."""
    transition = workflow.CLOSE_FOR_NO_CORRECTION
    application = begin(application, transition, expected_version)
    require_lapsed(on, application.correction_due, _("补正期限（%(date)s）尚未届满，不能以逾期未补正终止。"))
    return close(application, transition, actor=actor, on=on)
