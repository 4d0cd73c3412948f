"""Every write to an application: one function per transition of the 依申请公开 workflow.

Each transition locks the row (select_for_update), checks the optional expected version
(optimistic locking for the back office), appends one event to the append-only log,
recomputes the due date from the whole log through deadlines.compute_deadline, and saves.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.applications import clock, deadlines
from apps.applications.enums import (
    CHANNELS_RECEIVED_AT_REGISTRATION,
    REPLY_OUTCOMES,
    ApplicantType,
    Channel,
    ConsultationKind,
    EventKind,
    Outcome,
    Status,
)
from apps.applications.models import Application, ApplicationEvent, new_tracking_code
from apps.organs.models import Organ

APPLICANT_LABEL = "申请人"
MAX_EXTENSION_DAYS = 20  # 条例第三十三条第二款

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


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields).difference(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown application fields: {', '.join(sorted(unknown))}")


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
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


def _actor_label(actor) -> str:
    if actor is None:
        return APPLICANT_LABEL
    return actor.get_full_name() or actor.get_username()


def _today() -> dt.date:
    return timezone.localdate()


def _not_in_future(day: dt.date, label: str) -> None:
    if day > _today():
        raise ValidationError(_("%(label)s不能晚于今天。") % {"label": label})


def _not_before(day: dt.date, earliest: dt.date | None, label: str, earlier_label: str) -> None:
    if earliest is not None and day < earliest:
        raise ValidationError(
            _("%(label)s不能早于%(other)s（%(date)s）。")
            % {"label": label, "other": earlier_label, "date": earliest.isoformat()}
        )


def _lock(application: Application, expected_version: int | None) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(stale_message(), code="stale")
    return locked


def _require_status(application: Application, *allowed: str) -> None:
    if application.status not in allowed:
        raise ValidationError(
            _("当前状态为“%(status)s”，不能进行此项操作。") % {"status": application.get_status_display()},
            code="invalid_status",
        )


def _append(application: Application, kind: EventKind, *, actor, day: dt.date, **data) -> ApplicationEvent:
    event = ApplicationEvent(
        application=application, kind=kind, actor=actor, actor_label=_actor_label(actor), day=day, data=data
    )
    # The foreign keys come from locked rows and the request's user: no need to re-query them.
    event.full_clean(exclude=["application", "actor"])
    event.save()
    return event


def _has_event(application: Application, kind: EventKind) -> bool:
    return application.events.filter(kind=kind).exists()


def application_deadline(*, application: Application) -> deadlines.DeadlineComputation | None:
    """How the due date is computed, step by step; None before the receipt is confirmed."""
    return clock.application_deadline(application=application)


def _save(application: Application) -> Application:
    """Recompute the stored deadline, bump the version, validate and save."""
    clock.store(application)
    application.version += 1
    # The organ, tracking code and token never change after creation, and the check constraints
    # are enforced by PostgreSQL: validating them again would cost six queries per transition.
    application.full_clean(exclude=["organ"], validate_unique=False, validate_constraints=False)
    application.save()
    return application


def _new_application(*, organ: Organ, channel: str, submitted_at: dt.datetime, **fields) -> Application:
    if not organ.is_active:
        raise ValidationError(_("该机关目前不受理政府信息公开申请。"))
    application = Application(organ=organ, channel=channel, submitted_at=submitted_at, **_normalise(fields))
    # A new application is 待确认 with no dates: the check constraints hold by construction.
    application.full_clean(exclude=["tracking_code", "organ"], validate_constraints=False)
    while Application.objects.filter(tracking_code=application.tracking_code).exists():
        application.tracking_code = new_tracking_code()
    return application


# --- creation -------------------------------------------------------------------------------


def application_submit_online(
    *, organ: Organ, idempotency_token: uuid.UUID, submitted_at: dt.datetime | None = None, **fields
) -> tuple[Application, bool]:
    """An online application (条例第二十九条). Returns (application, created).

    The same idempotency token always yields the same application, so a double click or a
    resubmitted form never creates two. The receipt date stays empty until both parties
    confirm it (条例第三十一条（三）).
    """
    _check_fields(fields)
    existing = Application.objects.filter(idempotency_token=idempotency_token).first()
    if existing is not None:
        return existing, False
    submitted_at = submitted_at or timezone.now()
    try:
        with transaction.atomic():
            application = _new_application(
                organ=organ, channel=Channel.ONLINE, submitted_at=submitted_at, **fields
            )
            application.idempotency_token = idempotency_token
            application.status = Status.PENDING_CONFIRMATION
            application.save()
            _append(application, EventKind.SUBMITTED, actor=None, day=timezone.localdate(submitted_at))
            return _save(application), True
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
    _check_fields(fields)
    if channel == Channel.ONLINE:
        raise ValidationError(_("在线申请由申请人在网站提交，无需登记。"))
    if channel not in Channel.values:
        raise ValidationError(_("请选择申请渠道。"))
    _not_in_future(submitted_on, _("提交日期"))
    if channel in CHANNELS_RECEIVED_AT_REGISTRATION and received_on is None:
        raise ValidationError(_("当面和挂号邮寄提交的申请必须填写收到申请之日。"))
    if received_on is not None:
        _not_in_future(received_on, _("收到申请之日"))
        _not_before(received_on, submitted_on, _("收到申请之日"), _("提交日期"))
        if channel == Channel.IN_PERSON and received_on != submitted_on:
            raise ValidationError(_("当面提交的申请，以提交之日为收到申请之日（条例第三十一条）。"))
    submitted_at = timezone.make_aware(dt.datetime.combine(submitted_on, dt.time(9, 0)))
    application = _new_application(organ=organ, channel=channel, submitted_at=submitted_at, **fields)
    application.save()
    _append(application, EventKind.SUBMITTED, actor=actor, day=submitted_on, channel=channel, note=note)
    if received_on is not None:
        application.received_on = received_on
        application.status = Status.IN_PROGRESS
        _append(application, EventKind.RECEIPT_CONFIRMED, actor=actor, day=received_on, channel=channel)
    return _save(application)


# --- receipt and correction (条例第三十、三十一条) ----------------------------------------------


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
    application = _lock(application, expected_version)
    _require_status(application, Status.PENDING_CONFIRMATION)
    _not_in_future(received_on, _("确认日期"))
    _not_before(received_on, timezone.localdate(application.submitted_at), _("确认日期"), _("提交日期"))
    application.received_on = received_on
    application.status = Status.IN_PROGRESS
    _append(application, EventKind.RECEIPT_CONFIRMED, actor=actor, day=received_on, note=note)
    return _save(application)


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
    application = _lock(application, expected_version)
    if application.status in (Status.CONSULTING, Status.AWAITING_PAYMENT):
        raise ValidationError(_("征求意见或收费程序进行中，不能通知补正。"))
    _require_status(application, Status.IN_PROGRESS)
    if _has_event(application, EventKind.CORRECTION_REQUESTED):
        raise ValidationError(_("补正只能一次性告知（条例第三十条），本申请已告知过补正。"))
    items = (items or "").strip()
    if not items:
        raise ValidationError(_("请说明需要补正的事项。"))
    _not_in_future(on, _("告知日期"))
    _not_before(on, application.received_on, _("告知日期"), _("收到申请之日"))
    clock.require_in_order(application, on, _("告知日期"))
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
    application.status = Status.AWAITING_CORRECTION
    _append(
        application,
        EventKind.CORRECTION_REQUESTED,
        actor=actor,
        day=on,
        items=items,
        period_days=period_days,
        correction_due=correction_due.isoformat(),
    )
    return _save(application)


@transaction.atomic
def application_submit_correction(
    *, application: Application, text: str, on: dt.date | None = None, actor=None
) -> Application:
    """The applicant's 补正; the 20 working days restart from its receipt (条例第三十条)."""
    application = _lock(application, None)
    _require_status(application, Status.AWAITING_CORRECTION)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请填写补正内容。"))
    if len(text) > 5000:
        raise ValidationError(_("补正内容不能超过5000字。"))
    on = on or _today()
    _not_in_future(on, _("补正日期"))
    clock.require_in_order(application, on, _("补正日期"))
    late = application.correction_due is not None and on > application.correction_due
    application.correction_text = text
    application.status = Status.IN_PROGRESS
    _append(application, EventKind.CORRECTED, actor=actor, day=on, text=text, late=late)
    return _save(application)


@transaction.atomic
def application_close_for_no_correction(
    *, application: Application, actor, on: dt.date, expected_version: int | None = None
) -> Application:
    """视为放弃申请 (条例第三十条) → table 3 （六）1."""
    application = _lock(application, expected_version)
    _require_status(application, Status.AWAITING_CORRECTION)
    _require_lapsed(on, application.correction_due, _("补正期限（%(date)s）尚未届满，不能以逾期未补正终止。"))
    return _close(
        application, actor=actor, on=on, outcome=Outcome.NO_CORRECTION, kind=EventKind.CLOSED_NO_CORRECTION
    )


def _require_lapsed(on: dt.date, due: dt.date | None, message: str) -> None:
    """A close for a missed period (补正, 缴费) only on a day after that period ended."""
    _not_in_future(on, _("终止日期"))
    if due is None or on <= due:
        raise ValidationError(message % {"date": due.isoformat() if due else "—"})


# --- extension and consultations (条例第三十二至三十四条) ---------------------------------------


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
    application = _lock(application, expected_version)
    _require_status(application, Status.IN_PROGRESS, Status.CONSULTING)
    if _has_event(application, EventKind.EXTENDED):
        raise ValidationError(_("答复期限只能延长一次，本申请已经延期。"))
    approver = (approver or "").strip()
    if not approver:
        raise ValidationError(_("延长答复期限须经政府信息公开工作机构负责人同意，请填写批准人。"))
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationError(_("延长的期限为1至20个工作日（条例第三十三条）。"))
    _not_in_future(notice_date, _("告知日期"))
    _not_before(notice_date, application.received_on, _("告知日期"), _("收到申请之日"))
    clock.require_in_order(application, notice_date, _("告知日期"))
    if application.due_date is not None and notice_date > application.due_date:
        raise ValidationError(
            _("答复期限已于%(date)s届满，不能再延期。") % {"date": application.due_date.isoformat()}
        )
    _append(
        application,
        EventKind.EXTENDED,
        actor=actor,
        day=notice_date,
        days=days,
        approver=approver,
        reason=reason,
    )
    return _save(application)


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
    application = _lock(application, expected_version)
    _require_status(application, Status.IN_PROGRESS)
    if kind not in ConsultationKind.values:
        raise ValidationError(_("请选择征求意见的对象类型。"))
    party = (party or "").strip()
    if not party:
        raise ValidationError(_("请填写被征求意见的第三方或机关名称。"))
    _not_in_future(on, _("征求意见日期"))
    _not_before(on, application.received_on, _("征求意见日期"), _("收到申请之日"))
    clock.require_in_order(application, on, _("征求意见日期"))
    clock.require_period_running(application, on, fee=False)
    event_kind = (
        EventKind.THIRD_PARTY_CONSULTED if kind == ConsultationKind.THIRD_PARTY else EventKind.ORGAN_CONSULTED
    )
    application.status = Status.CONSULTING
    # The party's name is kept for the clerks; the applicant's page shows only the kind.
    _append(application, event_kind, actor=actor, day=on, consultation_kind=kind, party=party)
    return _save(application)


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
    application = _lock(application, expected_version)
    _require_status(application, Status.CONSULTING)
    started = application.events.filter(
        kind__in=[EventKind.THIRD_PARTY_CONSULTED, EventKind.ORGAN_CONSULTED]
    ).latest("at", "pk")
    _not_in_future(on, _("意见返回日期"))
    _not_before(on, started.day, _("意见返回日期"), _("征求意见日期"))
    clock.require_in_order(application, on, _("意见返回日期"))
    application.status = Status.IN_PROGRESS
    # An answer after the 15 working days is recorded, but the pause stopped at their end.
    late = clock.pause_end_data(cap=deadlines.consultation_due(started.day).date, on=on)
    _append(application, EventKind.OPINION_RETURNED, actor=actor, day=on, opinion=opinion.strip(), **late)
    return _save(application)


# --- information-processing fee (国办函〔2020〕109号) -----------------------------------------


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
    from apps.applications import fees

    application = _lock(application, expected_version)
    _require_status(application, Status.IN_PROGRESS)
    if application.fee_method or _has_event(application, EventKind.FEE_NOTICE):
        raise ValidationError(_("本申请已发出过收费通知，不得按两种标准重复计费。"))
    if method not in fees.FeeMethod.values:
        raise ValidationError(_("请选择按件计收或按量计收。"))
    if quantity is None or quantity < 1:
        raise ValidationError(_("件数或页数应为正整数。"))
    _not_in_future(on, _("收费通知日期"))
    _not_before(on, application.received_on, _("收费通知日期"), _("收到申请之日"))
    clock.require_in_order(application, on, _("收费通知日期"))
    clock.require_period_running(application, on, fee=True)
    if method == fees.FeeMethod.PER_ITEM:
        application.item_count = quantity
        amount = fees.fee_by_items(
            prior_items_this_month=prior_items_this_month(application=application), items=quantity
        )
    else:
        amount = fees.fee_by_pages(pages=quantity)
    amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    if amount <= 0:
        raise ValidationError(_("按收费标准，本申请不收取信息处理费，无需发出收费通知。"))
    # 申请人应当在收到收费通知次日起20个工作日内缴纳费用 (implementing notices, REFERENCE.md §2.4).
    payment_due = deadlines.fee_payment_due(on)
    due, provisional = payment_due.date, payment_due.provisional
    application.fee_method = method
    application.fee_quantity = quantity
    application.fee_amount = amount
    application.fee_notice_date = on
    application.fee_due = due
    application.status = Status.AWAITING_PAYMENT
    _append(
        application,
        EventKind.FEE_NOTICE,
        actor=actor,
        day=on,
        method=method,
        quantity=quantity,
        amount=str(amount),
        due=due.isoformat(),
        due_provisional=provisional,
    )
    return _save(application)


@transaction.atomic
def application_record_payment(
    *,
    application: Application,
    actor,
    paid_on: dt.date,
    receipt_number: str,
    expected_version: int | None = None,
) -> Application:
    application = _lock(application, expected_version)
    _require_status(application, Status.AWAITING_PAYMENT)
    receipt_number = (receipt_number or "").strip()
    if not receipt_number:
        raise ValidationError(_("请填写财政票据号码。"))
    _not_in_future(paid_on, _("缴费日期"))
    _not_before(paid_on, application.fee_notice_date, _("缴费日期"), _("收费通知日期"))
    clock.require_in_order(application, paid_on, _("缴费日期"))
    if application.fee_due and paid_on > application.fee_due:
        raise ValidationError(
            _("缴费期限已于%(date)s届满，逾期未缴纳的视为放弃申请，应按逾期未缴费终止办理。")
            % {"date": application.fee_due.isoformat()}
        )
    application.fee_paid_on = paid_on
    application.fee_receipt_number = receipt_number
    application.status = Status.IN_PROGRESS
    _append(application, EventKind.PAID, actor=actor, day=paid_on, receipt_number=receipt_number)
    return _save(application)


@transaction.atomic
def application_close_for_no_payment(
    *, application: Application, actor, on: dt.date, expected_version: int | None = None
) -> Application:
    """逾期未缴费，视为放弃申请 → table 3 （六）2."""
    application = _lock(application, expected_version)
    _require_status(application, Status.AWAITING_PAYMENT)
    _require_lapsed(on, application.fee_due, _("缴费期限（%(date)s）尚未届满，不能以逾期未缴费终止。"))
    return _close(
        application, actor=actor, on=on, outcome=Outcome.FEE_UNPAID, kind=EventKind.CLOSED_NO_PAYMENT
    )


# --- endings --------------------------------------------------------------------------------


def _close(application: Application, *, actor, on: dt.date, outcome: Outcome, kind: EventKind, **data):
    _not_before(on, application.received_on, _("办结日期"), _("收到申请之日"))
    clock.require_in_order(application, on, _("办结日期"))
    # A due date passed by the closing day stays on the record (the log is append-only).
    computation = clock.application_deadline(application=application, today=on)
    if computation is not None and computation.lapsed:
        data.update(due_date=computation.due_date.isoformat(), overdue=True)
    application.outcome = outcome
    application.closed_on = on
    application.status = {
        Outcome.WITHDRAWN: Status.WITHDRAWN,
        Outcome.NO_CORRECTION: Status.CLOSED,
        Outcome.FEE_UNPAID: Status.CLOSED,
    }.get(outcome, Status.ANSWERED)
    _append(application, kind, actor=actor, day=on, outcome=outcome.value, **data)
    return _save(application)


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
    application = _lock(application, expected_version)
    if application.status == Status.CONSULTING:
        raise ValidationError(_("正在征求意见，请先记录意见返回，再作出答复。"))
    if application.status == Status.AWAITING_PAYMENT:
        raise ValidationError(_("申请人尚未缴费，请先记录缴费或按逾期未缴费终止。"))
    _require_status(application, Status.IN_PROGRESS)
    if outcome not in [o.value for o in REPLY_OUTCOMES]:
        raise ValidationError(_("请选择答复结果。"))
    if outcome == Outcome.UNCLEAR_AFTER_CORRECTION and not _has_event(application, EventKind.CORRECTED):
        raise ValidationError(_("申请人未曾补正，不能以“补正后申请内容仍不明确”答复。"))
    text = (text or "").strip()
    if not text and not document:
        raise ValidationError(_("请上传答复书或填写答复内容。"))
    _not_in_future(reply_date, _("答复日期"))
    application.reply_date = reply_date
    application.reply_text = text
    if document:
        application.reply_document.save(document.name.rsplit("/", 1)[-1], document, save=False)
    on_the_spot = application.channel == Channel.IN_PERSON and reply_date == application.received_on
    return _close(
        application,
        actor=actor,
        on=reply_date,
        outcome=Outcome(outcome),
        kind=EventKind.REPLIED,
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
    application = _lock(application, expected_version)
    if not application.is_open:
        raise ValidationError(_("本申请已经办结，不能撤回。"))
    on = on or _today()
    _not_in_future(on, _("撤回日期"))
    return _close(
        application,
        actor=actor,
        on=on,
        outcome=Outcome.WITHDRAWN,
        kind=EventKind.WITHDRAWN,
        reason=reason.strip(),
    )


# --- register corrections and notes ---------------------------------------------------------


@transaction.atomic
def application_update(
    *, application: Application, actor, expected_version: int | None, **fields
) -> Application:
    """Correct the register (a mistyped phone number...). The event names the fields, not values."""
    _check_fields(fields)
    application = _lock(application, expected_version)
    fields = _normalise(fields)
    changed = sorted(name for name, value in fields.items() if getattr(application, name) != value)
    if not changed:
        return application
    for name in changed:
        setattr(application, name, fields[name])
    application.full_clean(exclude=["tracking_code"])
    _append(application, EventKind.UPDATED, actor=actor, day=_today(), fields=changed)
    return _save(application)


@transaction.atomic
def application_add_note(
    *, application: Application, actor, text: str, expected_version: int | None = None
) -> Application:
    application = _lock(application, expected_version)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请填写备注内容。"))
    _append(application, EventKind.NOTE, actor=actor, day=_today(), text=text)
    return _save(application)
