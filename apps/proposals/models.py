"""人大代表建议 and 政协提案 handled by an organ
(docs/domain/casework.md#deputies-suggestions-and-cppcc-proposals)."""

from __future__ import annotations

import datetime as dt
import os
import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.organs.enums import ReviewState
from apps.organs.locking import Versioned
from apps.organs.models import Organ
from apps.organs.uploads import validate_new_upload
from apps.proposals.deadlines import redo_due_date, reply_due_date
from apps.proposals.enums import Feedback, ProposalKind, PublishMode, ResultCode, Role, result_label


class ProposalQuerySet(models.QuerySet):
    def in_year(self, organ_ids, year: int):
        """Proposals assigned (交办) in the year: the year whose report counts them."""
        return self.filter(
            organ_id__in=organ_ids, assigned_date__range=(dt.date(year, 1, 1), dt.date(year, 12, 31))
        )

    def unanswered(self):
        return self.filter(reply_date__isnull=True)

    def overdue(self, today: dt.date):
        """Not answered and past the due date."""
        return self.filter(reply_date__isnull=True, due_date__lt=today)

    def answered_late(self):
        return self.filter(reply_date__gt=F("due_date"))

    def published(self, today: dt.date):
        """Replies made public on the portal (全文/摘要公开, reviewed and published) by ``today``."""
        return self.filter(
            publication_status=ReviewState.PUBLISHED,
            publish_mode__in=[PublishMode.FULL, PublishMode.SUMMARY],
            publish_date__isnull=False,
            publish_date__lte=today,
        )

    def due_within(self, today: dt.date, days: int):
        return self.filter(
            reply_date__isnull=True, due_date__gte=today, due_date__lte=today + dt.timedelta(days)
        )


def validate_reply_document(file) -> None:
    """The file's type, size and content (apps.organs.uploads); the name stays for the migrations."""
    validate_new_upload(file)


def reply_document_path(instance: Proposal, filename: str) -> str:
    ext = os.path.splitext(filename)[1].lower()
    return f"proposals/{instance.assigned_date:%Y}/{secrets.token_hex(8)}{ext}"


class Proposal(Versioned):
    organ = models.ForeignKey(
        Organ, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="proposals"
    )
    kind = models.CharField(_("类别"), max_length=10, choices=ProposalKind)
    session = models.CharField(_("届次"), max_length=50, help_text=_("如 十六届三次会议"))
    number = models.CharField(_("编号"), max_length=30, help_text=_("如 第0123号"))
    title = models.CharField(_("标题"), max_length=300)
    proposers = models.CharField(_("代表/委员"), max_length=300, help_text=_("领衔人及附议人，以顿号分隔"))
    role = models.CharField(_("承办方式"), max_length=10, choices=Role, default=Role.LEAD)
    assigned_date = models.DateField(_("交办日期"))
    difficult = models.BooleanField(
        _("涉及面广、处理难度大"),
        default=False,
        help_text=_("勾选后答复期限为交办之日起六个月，否则为三个月。"),
    )
    due_date = models.DateField(_("答复期限"), editable=False)

    reply_date = models.DateField(_("答复日期"), null=True, blank=True)
    reply_document = models.FileField(
        _("答复文件"),
        upload_to=reply_document_path,
        max_length=300,
        blank=True,
        validators=[validate_reply_document],
    )
    result_code = models.CharField(_("办理结果"), max_length=1, choices=ResultCode, blank=True)
    handling = models.TextField(
        _("办理情况"),
        blank=True,
        help_text=_(
            "年度报告中如何办理的说明，如“局领导高度重视，当面送交答复文件”。不写件数和比率，由系统统计。"
        ),
    )

    publish_mode = models.CharField(_("答复公开方式"), max_length=10, choices=PublishMode, blank=True)
    reply_summary = models.TextField(
        _("答复摘要"), blank=True, help_text=_("摘要公开时公开此内容；请删去代表、委员的联系方式。")
    )
    publish_reason = models.CharField(_("不公开理由"), max_length=300, blank=True)
    publish_date = models.DateField(_("公开日期"), null=True, blank=True)
    # The reply's publication goes through the review chain (apps/proposals/services.py).
    publication_status = models.CharField(
        _("公开审核状态"),
        max_length=10,
        choices=ReviewState,
        default=ReviewState.DRAFT,
        db_default=ReviewState.DRAFT,
        editable=False,
    )

    feedback = models.CharField(_("代表/委员反馈意见"), max_length=20, choices=Feedback, blank=True)
    feedback_date = models.DateField(_("反馈日期"), null=True, blank=True)
    redo_due_date = models.DateField(_("重新办理答复期限"), null=True, blank=True, editable=False)

    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("建议提案")
        verbose_name_plural = _("人大代表建议和政协提案")
        ordering = ["-assigned_date", "kind", "number"]
        indexes = [models.Index(fields=["organ", "assigned_date"], name="proposal_organ_assigned")]
        permissions = [
            ("review_proposal", _("可以审核（保密审查）建议提案答复的公开")),
            ("publish_proposal", _("可以公开和撤回建议提案答复")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "kind", "session", "number"],
                name="unique_proposal_number",
                violation_error_message=_("本单位已登记该届次同一编号的建议或提案。"),
            ),
            models.CheckConstraint(
                condition=(Q(reply_date__isnull=True) & Q(result_code=""))
                | (Q(reply_date__isnull=False) & ~Q(result_code="")),
                name="proposal_result_iff_replied",
                violation_error_message=_("答复后须选择办理结果；未答复的不选办理结果。"),
            ),
            models.CheckConstraint(
                condition=Q(reply_date__isnull=True) | Q(reply_date__gte=F("assigned_date")),
                name="proposal_reply_not_before_assigned",
                violation_error_message=_("答复日期不能早于交办日期。"),
            ),
            models.CheckConstraint(
                condition=Q(publish_mode="") | Q(reply_date__isnull=False),
                name="proposal_published_after_reply",
                violation_error_message=_("答复后才能确定公开方式。"),
            ),
            models.CheckConstraint(
                condition=~Q(publish_mode=PublishMode.NOT_PUBLISHED) | ~Q(publish_reason=""),
                name="proposal_not_published_has_reason",
                violation_error_message=_("不公开的须说明理由。"),
            ),
            models.CheckConstraint(
                condition=Q(publish_date__isnull=True)
                | Q(publish_mode__in=[PublishMode.FULL, PublishMode.SUMMARY]),
                name="proposal_publish_date_only_when_published",
                violation_error_message=_("只有全文公开或摘要公开的才填写公开日期。"),
            ),
            models.CheckConstraint(
                condition=Q(publish_date__isnull=True)
                | ~Q(publish_mode=PublishMode.SUMMARY)
                | ~Q(reply_summary=""),
                name="proposal_summary_publication_has_summary",
                violation_error_message=_("摘要公开的须填写答复摘要。"),
            ),
            models.CheckConstraint(
                condition=Q(publish_date__isnull=True)
                | ~Q(publish_mode=PublishMode.FULL)
                | ~Q(reply_document=""),
                name="proposal_full_publication_has_document",
                violation_error_message=_("全文公开须上传答复文件。"),
            ),
            models.CheckConstraint(
                condition=(Q(feedback="") & Q(feedback_date__isnull=True))
                | (~Q(feedback="") & Q(feedback_date__isnull=False) & Q(reply_date__isnull=False)),
                name="proposal_feedback_with_date_after_reply",
                violation_error_message=_("反馈意见和反馈日期须同时填写，且须在答复之后。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session}{self.get_kind_display()}{self.number} {self.title}"

    @property
    def result_label(self) -> str:
        return result_label(self.result_code) if self.result_code else ""

    def is_overdue(self, today: dt.date) -> bool:
        return self.reply_date is None and self.due_date is not None and self.due_date < today

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.reply_date and not self.result_code:
            errors["result_code"] = _("答复后须选择办理结果。")
        if self.result_code and not self.reply_date:
            errors["reply_date"] = _("选择办理结果前须填写答复日期。")
        if self.reply_date and self.assigned_date and self.reply_date < self.assigned_date:
            errors["reply_date"] = _("答复日期不能早于交办日期。")
        if self.publish_mode and not self.reply_date:
            errors["publish_mode"] = _("答复后才能确定公开方式。")
        if self.publish_mode == PublishMode.NOT_PUBLISHED and not self.publish_reason.strip():
            errors["publish_reason"] = _("不公开的须说明理由。")
        if self.publish_date and self.publish_mode not in (PublishMode.FULL, PublishMode.SUMMARY):
            errors["publish_date"] = _("只有全文公开或摘要公开的才填写公开日期。")
        if self.publish_mode == PublishMode.SUMMARY and self.publish_date and not self.reply_summary.strip():
            errors["reply_summary"] = _("摘要公开的须填写答复摘要。")
        if self.publish_mode == PublishMode.FULL and self.publish_date and not self.reply_document:
            errors["reply_document"] = _("全文公开须上传答复文件。")
        if self.publish_date and self.reply_date and self.publish_date < self.reply_date:
            errors["publish_date"] = _("公开日期不能早于答复日期。")
        if bool(self.feedback) != bool(self.feedback_date):
            errors["feedback_date" if self.feedback else "feedback"] = _("反馈意见和反馈日期须同时填写。")
        elif self.feedback and not self.reply_date:
            errors["feedback"] = _("答复后才能登记反馈意见。")
        elif self.feedback_date and self.reply_date and self.feedback_date < self.reply_date:
            errors["feedback_date"] = _("反馈日期不能早于答复日期。")
        errors |= self.dates_beyond_the_calendar()
        if errors:
            raise ValidationError(errors)

    def dates_beyond_the_calendar(self) -> dict[str, str]:
        """A date so late (9999-12-31) that its reply period would end after year 9999."""
        errors = {}
        for name, due in (
            ("assigned_date", lambda day: reply_due_date(assigned_date=day, difficult=True)),
            ("feedback_date", lambda day: redo_due_date(feedback_date=day)),
        ):
            if (day := getattr(self, name)) is not None:
                try:
                    due(day)
                except (ValueError, OverflowError):
                    errors[name] = _("日期过晚，无法计算答复期限。")
        return errors
