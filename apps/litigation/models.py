"""因政府信息公开工作被申请行政复议、提起行政诉讼的案件 (条例第五十条第（三）项, report table 4)."""

from __future__ import annotations

import os
import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.applications.identity import mask_name
from apps.litigation.enums import CaseKind, Group, Result, Route
from apps.organs.locking import Versioned
from apps.organs.models import Organ
from apps.organs.uploads import validate_new_upload


class CaseQuerySet(models.QuerySet):
    def in_group(self, group: str):
        if group == Group.REVIEW:
            return self.filter(kind=CaseKind.REVIEW)
        if group == Group.LITIGATION_DIRECT:
            return self.filter(kind=CaseKind.LITIGATION, route=Route.DIRECT)
        if group == Group.LITIGATION_AFTER_REVIEW:
            return self.filter(kind=CaseKind.LITIGATION, route=Route.AFTER_REVIEW)
        raise ValueError(f"unknown table 4 group {group!r}")


class Case(Versioned):
    """A 行政复议 or 行政诉讼 brought against the organ over its information disclosure."""

    organ = models.ForeignKey(
        Organ, verbose_name=_("被申请人/被告机关"), on_delete=models.PROTECT, related_name="cases"
    )
    kind = models.CharField(_("案件类型"), max_length=12, choices=CaseKind)
    route = models.CharField(
        _("起诉方式"), max_length=14, choices=Route, blank=True, help_text=_("仅行政诉讼填写。")
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("涉及的申请"),
        null=True,
        blank=True,
        # The case record outlives a deleted application; the free-text reference stays.
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    application_reference = models.CharField(
        _("涉及的申请（编号）"),
        max_length=200,
        blank=True,
        help_text=_("申请不在本系统中时，填写其编号或说明。"),
    )
    case_number = models.CharField(
        _("案号"),
        max_length=100,
        blank=True,
        help_text=_("如 牡政复决字〔2023〕12号、（2023）黑1002行初45号"),
    )
    applicant = models.CharField(_("申请人/原告"), max_length=200)
    filed_date = models.DateField(_("申请/起诉日期"))
    decided_date = models.DateField(_("审结日期"), null=True, blank=True)
    result = models.CharField(_("结果"), max_length=10, choices=Result, default=Result.PENDING)
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政复议、行政诉讼案件")
        verbose_name_plural = _("行政复议、行政诉讼案件")
        ordering = ["-filed_date", "-id"]
        indexes = [models.Index(fields=["organ", "filed_date"], name="case_organ_filed")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(result=Result.PENDING) & Q(decided_date__isnull=True))
                | (~Q(result=Result.PENDING) & Q(decided_date__isnull=False)),
                name="case_decided_date_iff_decided",
                violation_error_message=_("已审结的案件须填写审结日期；尚未审结的案件不填审结日期。"),
            ),
            models.CheckConstraint(
                condition=(Q(kind=CaseKind.REVIEW) & Q(route=""))
                | (Q(kind=CaseKind.LITIGATION) & Q(route__in=Route.values)),
                name="case_route_only_for_litigation",
                violation_error_message=_("行政诉讼须选择起诉方式；行政复议不选。"),
            ),
            models.CheckConstraint(
                condition=Q(decided_date__isnull=True) | Q(decided_date__gte=models.F("filed_date")),
                name="case_decided_not_before_filed",
                violation_error_message=_("审结日期不能早于申请/起诉日期。"),
            ),
            models.UniqueConstraint(
                fields=["organ", "case_number"],
                condition=~Q(case_number=""),
                name="unique_case_number_per_organ",
                violation_error_message=_("本机关已有该案号的案件。"),
            ),
        ]

    def __str__(self) -> str:
        # Shown in admin titles, the action log and the report's drill-down: never the full name.
        label = self.case_number or f"{mask_name(self.applicant)} {self.filed_date:%Y-%m-%d}"
        return f"{self.get_kind_display()} {label}"

    @property
    def group(self) -> str:
        if self.kind == CaseKind.REVIEW:
            return Group.REVIEW
        return Group.LITIGATION_AFTER_REVIEW if self.route == Route.AFTER_REVIEW else Group.LITIGATION_DIRECT

    def clean(self) -> None:
        errors = {}
        if self.kind == CaseKind.LITIGATION and not self.route:
            errors["route"] = _("行政诉讼须选择起诉方式。")
        if self.kind == CaseKind.REVIEW and self.route:
            errors["route"] = _("行政复议不选起诉方式。")
        if self.result == Result.PENDING and self.decided_date:
            errors["decided_date"] = _("尚未审结的案件不填审结日期；已审结的请选择结果。")
        if self.result and self.result != Result.PENDING and not self.decided_date:
            errors["decided_date"] = _("已审结的案件须填写审结日期。")
        if self.decided_date and self.filed_date and self.decided_date < self.filed_date:
            errors["decided_date"] = _("审结日期不能早于申请/起诉日期。")
        if self.application_id and self.organ_id and self.application.organ_id != self.organ_id:
            errors["application"] = _("只能关联本机关受理的申请。")
        if errors:
            raise ValidationError(errors)


def case_document_path(instance: CaseDocument, filename: str) -> str:
    # A random name: the original (often the applicant's name) stays in the database only.
    ext = os.path.splitext(filename)[1].lower()
    return f"cases/{instance.case.filed_date:%Y}/{instance.case_id}/{secrets.token_hex(8)}{ext}"


def validate_document_extension(file) -> None:
    """The file's type, size and content (apps.organs.uploads); the name stays for the migrations."""
    validate_new_upload(file)


class CaseDocument(models.Model):
    """复议申请书、决定书、起诉状、判决书、答辩状 ... kept with the case."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("文书名称"), max_length=200, help_text=_("如 行政复议决定书"))
    file = models.FileField(
        _("文件"), upload_to=case_document_path, max_length=300, validators=[validate_document_extension]
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("案件文书")
        verbose_name_plural = _("案件文书")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title
