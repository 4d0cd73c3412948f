"""信息处理费 (国办函〔2020〕109号; docs/domain/applications.md#information-processing-fee): the fee
notice, which pauses the clock, the payment, and the close when it was not paid in time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from apps.applications import clock, deadlines, fees, workflow
from apps.applications.enums import ApplicantType
from apps.applications.models import Application
from apps.applications.services.base import append_event, begin, not_before, not_in_future, save
from apps.applications.services.endings import close, require_lapsed


def prior_items_this_month(*, application: Application) -> int:
    """Items of the same applicant received earlier in the same natural month (按件 is cumulative)."""
    key = (
        Q(id_number=application.id_number)
        if application.applicant_type == ApplicantType.NATURAL
        else Q(credit_code=application.credit_code)
    )
    received = application.received_on
    earlier = Q(received_on__lt=received) | Q(received_on=received, pk__lt=application.pk)
    total = (
        Application.objects.received()
        .filter(
            key, organ=application.organ, received_on__year=received.year, received_on__month=received.month
        )
        .filter(earlier)
        .exclude(pk=application.pk)
        .aggregate(total=Sum("item_count"))["total"]
    )
    return total or 0


def _amount(application: Application, method: str, quantity: int) -> Decimal:
    if method == fees.FeeMethod.PER_ITEM:
        application.item_count = quantity
        amount = fees.fee_by_items(
            prior_items_this_month=prior_items_this_month(application=application), items=quantity
        )
    else:
        amount = fees.fee_by_pages(pages=quantity)
    return Decimal(str(amount)).quantize(Decimal("0.01"))


@transaction.atomic
def application_send_fee_notice(
    *,
    application: Application,
    actor,
    method: str,
    quantity: int,
    on: dt.date,
    expected_version: int | None = None,
) -> Application:
    """收费通知: by items (cumulative per applicant and natural month) or by pages, never both."""
    transition = workflow.SEND_FEE_NOTICE
    application = begin(application, transition, expected_version)
    if application.fee_method:  # charged before (e.g. an imported record without its notice event)
        raise ValidationError(str(transition.once))
    if method not in fees.FeeMethod.values:
        raise ValidationError(_("请选择按件计收或按量计收。"))
    if quantity is None or quantity < 1:
        raise ValidationError(_("件数或页数应为正整数。"))
    not_in_future(on, _("收费通知日期"))
    not_before(on, application.received_on, _("收费通知日期"), _("收到申请之日"))
    clock.require_in_order(application, on, _("收费通知日期"))
    clock.require_period_running(application, on, transition)
    amount = _amount(application, method, quantity)
    if amount <= 0:
        raise ValidationError(_("按收费标准，本申请不收取信息处理费，无需发出收费通知。"))
    # 申请人应当在收到收费通知次日起20个工作日内缴纳费用 (the implementing notices,
    # docs/domain/applications.md#information-processing-fee).
    payment_due = deadlines.fee_payment_due(on)
    application.fee_method = method
    application.fee_quantity = quantity
    application.fee_amount = amount
    application.fee_notice_date = on
    application.fee_due = payment_due.date
    application.status = transition.leads_to
    append_event(
        application,
        transition.event,
        actor=actor,
        day=on,
        method=method,
        quantity=quantity,
        amount=str(amount),
        due=payment_due.date.isoformat(),
        due_provisional=payment_due.provisional,
    )
    return save(application)


@transaction.atomic
def application_record_payment(
    *,
    application: Application,
    actor,
    paid_on: dt.date,
    receipt_number: str,
    expected_version: int | None = None,
) -> Application:
    transition = workflow.RECORD_PAYMENT
    application = begin(application, transition, expected_version)
    receipt_number = (receipt_number or "").strip()
    if not receipt_number:
        raise ValidationError(_("请填写财政票据号码。"))
    not_in_future(paid_on, _("缴费日期"))
    not_before(paid_on, application.fee_notice_date, _("缴费日期"), _("收费通知日期"))
    clock.require_in_order(application, paid_on, _("缴费日期"))
    if application.fee_due and paid_on > application.fee_due:
        raise ValidationError(
            _("缴费期限已于%(date)s届满，逾期未缴纳的视为放弃申请，应按逾期未缴费终止办理。")
            % {"date": application.fee_due.isoformat()}
        )
    application.fee_paid_on = paid_on
    application.fee_receipt_number = receipt_number
    application.status = transition.leads_to
    append_event(application, transition.event, actor=actor, day=paid_on, receipt_number=receipt_number)
    return save(application)


@transaction.atomic
def application_close_for_no_payment(
    *, application: Application, actor, on: dt.date, expected_version: int | None = None
) -> Application:
    """逾期未缴费，视为放弃申请 → table 3 （六）2."""
    transition = workflow.CLOSE_FOR_NO_PAYMENT
    application = begin(application, transition, expected_version)
    require_lapsed(on, application.fee_due, _("缴费期限（%(date)s）尚未届满，不能以逾期未缴费终止。"))
    return close(application, transition, actor=actor, on=on)
