"""政府信息公开工作年度报告: a working copy per organ and year, and its frozen published versions."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.organs.enums import ReviewState
from apps.organs.locking import Versioned
from apps.organs.models import Organ
from apps.reports.enums import ReportFormat, ReportStatus


class AnnualReportQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ReportStatus.PUBLISHED)


class AnnualReport(Versioned):
    """The editable working copy. What the public sees is a ReportVersion frozen from it."""

    # PROTECT: a published annual report is a legal record (条例第四十九条); an organ that has one
    # cannot be deleted by accident.
    organ = models.ForeignKey(
        Organ, verbose_name=_("机关"), on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(
        _("报告年度"), validators=[MinValueValidator(2008), MaxValueValidator(2100)]
    )
    format = models.CharField(
        _("报告格式"), max_length=10, choices=ReportFormat, default=ReportFormat.NATIONAL_2021
    )
    status = models.CharField(_("状态"), max_length=10, choices=ReportStatus, default=ReportStatus.DRAFT)
    # The working copy's place in the review chain (apps/organs/review.py); ``status`` says whether
    # a version is public at all.
    review_state = models.CharField(
        _("审核状态"),
        max_length=10,
        choices=ReviewState,
        default=ReviewState.DRAFT,
        db_default=ReviewState.DRAFT,
        editable=False,
    )
    statistics = models.JSONField(_("统计数据"), default=dict, blank=True, editable=False)
    compiled_at = models.DateTimeField(_("统计时间"), null=True, blank=True, editable=False)
    # The pre-2019 format's （五）政府信息公开相关费用情况: money budgeted for disclosure work.
    dedicated_expenditure = models.DecimalField(
        _("专项费用（万元）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("没有专项费用时留空。"),
    )
    dedicated_expenditure_note = models.CharField(_("专项费用说明"), max_length=500, blank=True)
    signature = models.CharField(_("落款机关"), max_length=100, blank=True, help_text=_("如：市经合局"))
    signed_on = models.CharField(
        _("落款日期"), max_length=30, blank=True, help_text=_("如：2019年3月；留空则取发布日期。")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("政府信息公开工作年度报告")
        verbose_name_plural = _("政府信息公开工作年度报告")
        ordering = ["-year", "organ__sort_order", "organ__name"]
        constraints = [
            models.UniqueConstraint(fields=["organ", "year"], name="one_annual_report_per_organ_year"),
        ]
        permissions = [
            ("review_annualreport", _("可以审核（保密审查）年度报告")),
            ("publish_annualreport", _("可以发布年度报告")),
        ]

    def __str__(self) -> str:
        return f"{self.organ.name} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.organ.slug, self.year])

    @property
    def title(self) -> str:
        return f"{self.year}年政府信息公开工作年度报告"


class ReportSection(models.Model):
    """One narrative section. generated_text remembers what the numbers produced last time, so that a
    refresh replaces the text only while staff have not changed it."""

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("年度报告"), on_delete=models.CASCADE, related_name="sections"
    )
    code = models.CharField(_("部分"), max_length=30)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    text = models.TextField(_("正文"), blank=True, help_text=_("每段一行。"))
    generated_text = models.TextField(_("自动生成的正文"), blank=True, editable=False)

    class Meta:
        verbose_name = _("报告正文")
        verbose_name_plural = _("报告正文")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "code"], name="one_section_per_code_per_report"),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.code}"

    @property
    def edited_by_staff(self) -> bool:
        return self.text.strip() != self.generated_text.strip()


class ReportVersion(models.Model):
    """A published version: statistics, HTML and PDF frozen with their SHA-256, never changed.

    A correction is a new version with a note. save() refuses updates and delete() refuses deletion,
    so neither the services nor the admin can rewrite what the public was shown.
    """

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("年度报告"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("版本号"))
    statistics = models.JSONField(_("统计数据"))
    html = models.TextField(_("HTML"))
    html_sha256 = models.CharField(_("HTML SHA-256"), max_length=64)
    pdf = models.FileField(_("PDF"), upload_to="reports/%Y/")
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64)
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    correction_note = models.TextField(_("更正说明"), blank=True)

    class Meta:
        verbose_name = _("已发布版本")
        verbose_name_plural = _("已发布版本")
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_version_number_per_report"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="version_number_positive"),
            models.CheckConstraint(
                condition=models.Q(number=1) | ~models.Q(correction_note=""),
                name="correction_needs_a_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("已发布的版本不能修改；如需更正，请发布新版本。"))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("reports:version", args=[self.report.organ.slug, self.report.year, self.number])

    def delete(self, *args, **kwargs):
        raise ValidationError(_("已发布的版本不能删除。"))

    def get_pdf_url(self) -> str:
        return reverse("reports:version_pdf", args=[self.report.organ.slug, self.report.year, self.number])
