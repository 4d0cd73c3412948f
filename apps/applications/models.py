"""依申请公开: applications, their append-only event log, and lookup throttling."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.applications.enums import (
    OPEN_STATUSES,
    PUBLIC_EVENT_KINDS,
    ApplicantType,
    Channel,
    DeliveryForm,
    DeliveryWay,
    EventKind,
    IdentityType,
    Outcome,
    Status,
)
from apps.applications.fees import FeeMethod
from apps.applications.identity import resident_id_error
from apps.organs.models import Organ

# Crockford-style base32 without the look-alikes 0/O, 1/I/L and U: easy to read out on the phone.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKING_LENGTH = 12  # 30**12 ≈ 5e17 codes: unguessable, still short enough to type.

CREDIT_CODE_VALIDATOR = RegexValidator(
    r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$",
    _("请输入18位统一社会信用代码（数字或大写字母）。"),
)
POSTAL_CODE_VALIDATOR = RegexValidator(r"^\d{6}$", _("邮政编码应为6位数字。"))
PHONE_VALIDATOR = RegexValidator(
    r"^[0-9+\-() ]{7,20}$", _("请输入有效的电话号码，如 13800000000 或 0453-1234567。")
)


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def reply_upload_to(instance: Application, filename: str) -> str:
    # A random directory: the file is only ever served through the status view, never by URL.
    return f"applications/replies/{secrets.token_hex(16)}/{filename}"


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def received(self):
        """Only applications with a 收到申请之日 count anywhere (statistics, deadlines)."""
        return self.filter(received_on__isnull=False)

    def for_organs(self, organ_ids):
        return self.filter(organ_id__in=list(organ_ids))

    def with_running_clock(self, today: dt.date):
        """Open applications whose reply clock runs on `today`: a pause that ran out before today
        (paused_until) no longer stops it, even with no answer or payment recorded."""
        return self.open().filter(
            Q(paused_until__isnull=True) | Q(paused_until__lt=today), due_date__isnull=False
        )

    def paused_on(self, today: dt.date):
        return self.open().filter(paused_until__gte=today)

    def for_list(self):
        return self.select_related("organ").defer("reply_text", "info_description", "correction_text")


class Application(models.Model):
    organ = models.ForeignKey(
        Organ, verbose_name=_("受理机关"), on_delete=models.PROTECT, related_name="applications"
    )
    tracking_code = models.CharField(
        _("查询码"), max_length=TRACKING_LENGTH, unique=True, default=new_tracking_code, editable=False
    )
    # Online submissions carry a one-time token from the form: a double click or a browser
    # resubmission hits the unique index instead of creating a second application.
    idempotency_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    channel = models.CharField(_("申请渠道"), max_length=20, choices=Channel)

    # 条例第二十九条（一）: 姓名或者名称、身份证明、联系方式.
    applicant_type = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantType)
    applicant_name = models.CharField(_("申请人姓名或名称"), max_length=200)
    id_type = models.CharField(_("身份证件类型"), max_length=20, choices=IdentityType, blank=True)
    id_number = models.CharField(_("身份证件号码"), max_length=40, blank=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, validators=[CREDIT_CODE_VALIDATOR]
    )
    contact_person = models.CharField(_("联系人"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[PHONE_VALIDATOR])
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=300, blank=True)
    postal_code = models.CharField(
        _("邮政编码"), max_length=6, blank=True, validators=[POSTAL_CODE_VALIDATOR]
    )

    # 条例第二十九条（二）: 名称、文号或者便于查询的其他特征性描述.
    info_title = models.CharField(_("所需信息名称"), max_length=300, blank=True)
    info_doc_number = models.CharField(_("所需信息文号"), max_length=100, blank=True)
    info_description = models.TextField(_("所需信息的内容描述"))
    # 条例第二十九条（三）: 形式要求，包括获取信息的方式、途径.
    delivery_form = models.CharField(_("信息提供形式"), max_length=20, choices=DeliveryForm)
    delivery_way = models.CharField(_("获取信息方式"), max_length=20, choices=DeliveryWay)

    #: The site's language when the applicant applied online: messages to them are written in it
    #: ("" for applications a clerk registers: the site's default, zh-hans).
    language = models.CharField(_("通知语言"), max_length=10, blank=True, editable=False)

    submitted_at = models.DateTimeField(_("提交时间"))
    received_on = models.DateField(
        _("收到申请之日"),
        null=True,
        blank=True,
        help_text=_(
            "条例第三十一条：当面提交为提交之日；挂号邮寄为签收之日；平信、互联网（含电子邮件）、传真为双方确认之日。"
        ),
    )
    status = models.CharField(
        _("办理状态"), max_length=30, choices=Status, default=Status.PENDING_CONFIRMATION
    )
    outcome = models.CharField(_("办理结果"), max_length=40, choices=Outcome, blank=True)

    correction_items = models.TextField(_("需要补正的事项"), blank=True)
    correction_due = models.DateField(_("补正期限"), null=True, blank=True)
    correction_text = models.TextField(_("补正内容"), blank=True)

    reply_document = models.FileField(_("答复书"), upload_to=reply_upload_to, blank=True, max_length=300)
    reply_date = models.DateField(_("答复日期"), null=True, blank=True)
    reply_text = models.TextField(_("答复内容摘要"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)

    # 信息处理费 (国办函〔2020〕109号): one method per application, never both.
    fee_method = models.CharField(_("计费方式"), max_length=20, choices=FeeMethod, blank=True)
    fee_quantity = models.PositiveIntegerField(_("计费件数或页数"), null=True, blank=True)
    fee_amount = models.DecimalField(
        _("收费金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    fee_notice_date = models.DateField(_("收费通知日期"), null=True, blank=True)
    fee_due = models.DateField(_("缴费期限"), null=True, blank=True)
    fee_paid_on = models.DateField(_("缴费日期"), null=True, blank=True)
    fee_receipt_number = models.CharField(_("票据号码"), max_length=50, blank=True)
    #: Items this application counts for the per-applicant monthly total (一事一申请 splitting).
    item_count = models.PositiveSmallIntegerField(_("按件计算的件数"), default=1)

    # Cached result of deadlines.compute_deadline over the event log, for lists and reminders
    # (apps.applications.clock): while a pause runs, due_date is the due date if it lasts until
    # paused_until, its cap; from the next day on the clock runs again and due_date is exact.
    due_date = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField(_("期限为暂定"), default=False)
    paused_until = models.DateField(
        _("暂停计算至"),
        null=True,
        blank=True,
        help_text=_(
            "征求意见或收费通知至迟暂停计算到此日（条例第三十二条、第三十四条；缴费期限），次日起恢复计算。"
        ),
    )
    correction_notice_due = models.DateField(_("补正告知期限"), null=True, blank=True)

    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-submitted_at", "-pk"]
        permissions = [("view_personal_data", _("可以查看申请人的个人信息"))]
        indexes = [
            models.Index(fields=["organ", "received_on"], name="application_organ_received"),
            models.Index(fields=["organ", "closed_on"], name="application_organ_closed"),
            models.Index(fields=["status", "due_date"], name="application_status_due"),
            # fee_totals (annual report): few applications are ever charged, so a partial index
            # is a few pages and spares a full scan (61 ms -> 0.1 ms on 100,000 applications).
            models.Index(
                fields=["organ", "fee_paid_on"],
                name="application_organ_fee_paid",
                condition=Q(fee_paid_on__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(received_on__isnull=True)
                | Q(closed_on__gte=models.F("received_on")),
                name="application_closed_after_received",
            ),
            models.CheckConstraint(
                condition=Q(status__in=OPEN_STATUSES, closed_on__isnull=True, outcome="")
                | (~Q(status__in=OPEN_STATUSES) & Q(closed_on__isnull=False) & ~Q(outcome="")),
                name="application_closed_iff_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.PENDING_CONFIRMATION) | Q(received_on__isnull=True),
                name="application_pending_has_no_receipt",
            ),
            models.CheckConstraint(
                condition=Q(fee_amount__isnull=True) | Q(fee_amount__gte=0),
                name="application_fee_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    def get_absolute_url(self) -> str:
        return reverse("applications:status", args=[self.tracking_code])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def clock_paused(self, today: dt.date | None = None) -> bool:
        """A consultation or fee notice stops the clock today (until paused_until at the latest)."""
        today = today or timezone.localdate()
        return self.is_open and self.paused_until is not None and self.paused_until >= today

    @property
    def report_row(self) -> str | None:
        return Outcome.report_row(self.outcome) if self.outcome else None

    def clean(self) -> None:
        errors = {}
        if self.applicant_type == ApplicantType.NATURAL:
            if not self.id_type:
                errors["id_type"] = _("自然人申请请选择身份证件类型。")
            if not self.id_number:
                errors["id_number"] = _("自然人申请请填写身份证件号码。")
            elif self.id_type == IdentityType.RESIDENT_ID:
                if message := resident_id_error(self.id_number):
                    errors["id_number"] = message
        elif self.applicant_type:
            if not self.credit_code:
                errors["credit_code"] = _("法人或其他组织申请请填写统一社会信用代码。")
            if not self.contact_person:
                errors["contact_person"] = _("法人或其他组织申请请填写联系人。")
        if not self.phone and not self.email:
            errors["phone"] = _("请至少填写联系电话或电子邮箱中的一项。")
        if errors:
            raise ValidationError(errors)


class EventQuerySet(models.QuerySet):
    """The log is append-only: bulk changes are refused."""

    def update(self, **kwargs):
        raise TypeError("ApplicationEvent is append-only.")

    def delete(self):
        raise TypeError("ApplicationEvent is append-only.")

    def public(self):
        return self.filter(kind__in=PUBLIC_EVENT_KINDS)


class ApplicationEvent(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事项"), max_length=30, choices=EventKind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    #: Who acted, as shown: the clerk's name, or 申请人 when actor is empty.
    actor_label = models.CharField(_("操作人"), max_length=150)
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    day = models.DateField(_("日期"), help_text=_("事项在法律上的日期，如签收、确认、告知之日。"))
    data = models.JSONField(_("数据"), default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["application", "kind"], name="event_application_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("ApplicationEvent is append-only: an event is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("ApplicationEvent is append-only: an event is never deleted.")

    @property
    def is_public(self) -> bool:
        return self.kind in PUBLIC_EVENT_KINDS


class LookupFailure(models.Model):
    """A failed status lookup; kept in the database so every worker process shares the throttle."""

    ip = models.GenericIPAddressField()
    code = models.CharField(max_length=40)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["ip", "at"], name="lookup_failure_ip_at"),
            models.Index(fields=["code", "at"], name="lookup_failure_code_at"),
        ]

    def __str__(self) -> str:
        return f"{self.ip} {self.at:%Y-%m-%d %H:%M}"
