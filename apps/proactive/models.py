"""主动公开 records that are not catalog entries, and the per-year figures of report table 2."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.organs.models import Organ
from apps.proactive.enums import Approximation, Channel, NormativeKind

YEAR_VALIDATORS = [MinValueValidator(2008)]  # 条例 in force since 2008-05-01


class PublicationQuerySet(models.QuerySet):
    def in_year(self, organ_ids, year: int):
        # A range rather than date__year, so that the (organ, date) index is used.
        return self.filter(organ_id__in=organ_ids, date__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)))


class Publication(models.Model):
    """One proactive disclosure through a channel: a website item, an article, a printed brochure.

    ``count`` lets one record stand for several items of the same kind (e.g. "4条
    招商引资稿件" in one newspaper series); ``copies`` is only for 印发资料.
    ``approximation`` qualifies that quantity (copies for 印发资料, count otherwise), so that
    "2500余册" is printed as written (see enums.format_quantity); ``detail`` is the clerk's own
    sentence for the free-layout (pre-2019) report.
    """

    organ = models.ForeignKey(
        Organ, verbose_name=_("机关"), on_delete=models.PROTECT, related_name="publications"
    )
    channel = models.CharField(_("公开渠道"), max_length=20, choices=Channel)
    date = models.DateField(_("公开日期"))
    title = models.CharField(_("标题"), max_length=300)
    count = models.PositiveIntegerField(
        _("条数"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("一条记录可代表多条同类信息。"),
    )
    copies = models.PositiveIntegerField(
        _("印发册数"), null=True, blank=True, help_text=_("仅印发资料填写。")
    )
    approximation = models.CharField(
        _("数量表述"),
        max_length=10,
        blank=True,
        default=Approximation.EXACT,
        choices=Approximation,
        help_text=_("印发册数（印发资料）或条数（其他渠道）是约数时选择，如“2500余册”。"),
    )
    detail = models.TextField(
        _("具体情况"),
        blank=True,
        help_text=_("年度报告中对这项公开的具体说明，如公开了哪些内容、面向谁、为了什么。"),
    )
    catalog_entry = models.ForeignKey(
        "catalog.CatalogEntry",
        verbose_name=_("对应目录条目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
    )
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("主动公开记录")
        verbose_name_plural = _("主动公开记录")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organ", "date"], name="publication_organ_date")]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="publication_count_positive"),
            models.CheckConstraint(
                condition=(Q(channel=Channel.PRINTED) & Q(copies__gte=1))
                | (~Q(channel=Channel.PRINTED) & Q(copies__isnull=True)),
                name="publication_copies_only_for_printed",
                violation_error_message=_("印发资料须填写印发册数（至少1册），其他渠道不填。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_channel_display()} {self.title}"

    def clean(self) -> None:
        errors = {}
        if self.channel == Channel.PRINTED and not self.copies:
            errors["copies"] = _("印发资料须填写印发册数。")
        if self.channel and self.channel != Channel.PRINTED and self.copies is not None:
            errors["copies"] = _("只有印发资料填写印发册数。")
        if (
            self.catalog_entry_id
            and self.organ_id
            and self.catalog_entry.organ_id != self.organ_id  # one query, on save only
        ):
            errors["catalog_entry"] = _("只能关联本机关的目录条目。")
        if errors:
            raise ValidationError(errors)


class YearTally(models.Model):
    """Table 2's 处理决定/收费 figures of one organ and year (第二十条第（五）（六）（八）项).

    None means "not applicable" (the organ has no such power; printed as "/"), which is
    different from 0 ("applicable, none this year").
    """

    organ = models.ForeignKey(Organ, verbose_name=_("机关"), on_delete=models.PROTECT, related_name="tallies")
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    licensing = models.PositiveIntegerField(_("行政许可（本年处理决定数量）"), null=True, blank=True)
    punishment = models.PositiveIntegerField(_("行政处罚（本年处理决定数量）"), null=True, blank=True)
    enforcement = models.PositiveIntegerField(_("行政强制（本年处理决定数量）"), null=True, blank=True)
    fees_wan_yuan = models.DecimalField(
        _("行政事业性收费（本年收费金额，万元）"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    MEASURES = ("licensing", "punishment", "enforcement", "fees_wan_yuan")

    class Meta:
        verbose_name = _("表二年度数据")
        verbose_name_plural = _("表二年度数据（许可、处罚、强制、收费）")
        ordering = ["-year", "organ"]
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "year"],
                name="one_tally_per_organ_year",
                violation_error_message=_("该机关该年度的数据已存在，请直接修改。"),
            ),
            models.CheckConstraint(
                condition=Q(fees_wan_yuan__isnull=True) | Q(fees_wan_yuan__gte=0),
                name="tally_fees_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organ} · {self.year}"


class Table2Override(models.Model):
    """A hand-set row of 第二十条第（一）项 where the catalog cannot give the right count.

    Typical reason: documents issued before the portal existed were never entered in the
    catalog, so 现行有效件数 derived from it would be too low. The reason is required and
    shown to reviewers; None in a count means "not applicable" ("/", e.g. no rule-making power).
    """

    organ = models.ForeignKey(
        Organ, verbose_name=_("机关"), on_delete=models.PROTECT, related_name="table2_overrides"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    kind = models.CharField(_("信息内容"), max_length=10, choices=NormativeKind)
    issued = models.PositiveIntegerField(_("本年制发件数"), null=True, blank=True)
    repealed = models.PositiveIntegerField(_("本年废止件数"), null=True, blank=True)
    in_force = models.PositiveIntegerField(_("现行有效件数"), null=True, blank=True)
    reason = models.TextField(_("人工填报原因"), help_text=_("说明为何不采用目录自动统计的数字。"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    set_at = models.DateTimeField(_("填报时间"), auto_now=True)

    class Meta:
        verbose_name = _("表二规章和规范性文件人工数")
        verbose_name_plural = _("表二规章和规范性文件人工数")
        ordering = ["-year", "organ", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "year", "kind"],
                name="one_table2_override_per_row",
                violation_error_message=_("该机关该年度的这一行已有人工数，请直接修改。"),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="table2_override_has_reason",
                violation_error_message=_("请填写人工填报原因。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organ} · {self.year} · {self.get_kind_display()}"

    def clean(self) -> None:
        if self.reason is not None and not self.reason.strip():
            raise ValidationError({"reason": _("请填写人工填报原因。")})

    def counts(self) -> dict[str, int | None]:
        return {"issued": self.issued, "repealed": self.repealed, "in_force": self.in_force}
