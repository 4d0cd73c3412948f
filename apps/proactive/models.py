"""主动公开 records that are not catalog entries, and the per-year figures of report table 2."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.organs.locking import Versioned
from apps.organs.models import Organ
from apps.proactive.enums import Approximation, Channel, NormativeKind, Power

YEAR_VALIDATORS = [MinValueValidator(2008)]  # 条例 in force since 2008-05-01


class PublicationQuerySet(models.QuerySet):
    def in_year(self, organ_ids, year: int):
        # A range rather than date__year, so that the (organ, date) index is used.
        return self.filter(organ_id__in=organ_ids, date__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)))


class Publication(Versioned):
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


NOT_NEGATIVE = MinValueValidator(0, message=_("不能为负数（没有的填0）。"))


def _count(label):
    return models.PositiveIntegerField(label, null=True, blank=True, validators=[NOT_NEGATIVE])


def _change(label):
    # 本年增/减 is a change in the number of items: it may be negative.
    return models.IntegerField(label, null=True, blank=True)


def _wan_yuan(label):
    return models.DecimalField(
        label, max_digits=14, decimal_places=4, null=True, blank=True, validators=[NOT_NEGATIVE]
    )


def _not_applicable(label):
    return models.BooleanField(
        label, default=False, help_text=_("本机关本年度无此项职权时勾选，报告中显示为“/”，不要再填数字。")
    )


#: The state of a figure nobody entered (printed "—" while the report is a draft).
NOT_ENTERED = "-"


#: YearTally: power -> its figures, in the order of the 2019 table's columns for that row.
TALLY_FIGURES: dict[str, tuple[str, ...]] = {
    Power.LICENSING: ("licensing_items_last_year", "licensing_items_change", "licensing"),
    Power.OTHER_SERVICES: (
        "other_services_items_last_year",
        "other_services_items_change",
        "other_services",
    ),
    Power.PUNISHMENT: ("punishment_items_last_year", "punishment_items_change", "punishment"),
    Power.ENFORCEMENT: ("enforcement_items_last_year", "enforcement_items_change", "enforcement"),
    Power.FEES: ("fees_items_last_year", "fees_items_change", "fees_wan_yuan"),
    Power.PROCUREMENT: ("procurement_items", "procurement_wan_yuan"),
}


class YearTally(Versioned):
    """Table 2's figures of one organ and year that no other record holds (条例第二十条).

    Each figure has three states: not entered (None, publishing is refused while the report's
    format prints it), not applicable (the organ has no such power that year: the power's
    ``<power>_not_applicable`` box, printed "/"), or a number (0 = has the power, none this
    year). A power's box and its numbers exclude each other.

    The 2021 format (国办公开办函〔2021〕30号) prints the decisions and the fees amount; the 2019
    trial format (国办公开办函〔2019〕60号) also prints 上一年项目数量 and 本年增/减 of each power,
    其他对外管理服务事项 and 政府集中采购.
    """

    organ = models.ForeignKey(Organ, verbose_name=_("机关"), on_delete=models.PROTECT, related_name="tallies")
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)

    licensing_not_applicable = _not_applicable(_("行政许可不适用"))
    licensing = _count(_("行政许可（本年处理决定数量）"))
    licensing_items_last_year = _count(_("行政许可（上一年项目数量）"))
    licensing_items_change = _change(_("行政许可（本年增/减）"))

    other_services_not_applicable = _not_applicable(_("其他对外管理服务事项不适用"))
    other_services = _count(_("其他对外管理服务事项（处理决定数量）"))
    other_services_items_last_year = _count(_("其他对外管理服务事项（上一年项目数量）"))
    other_services_items_change = _change(_("其他对外管理服务事项（本年增/减）"))

    punishment_not_applicable = _not_applicable(_("行政处罚不适用"))
    punishment = _count(_("行政处罚（本年处理决定数量）"))
    punishment_items_last_year = _count(_("行政处罚（上一年项目数量）"))
    punishment_items_change = _change(_("行政处罚（本年增/减）"))

    enforcement_not_applicable = _not_applicable(_("行政强制不适用"))
    enforcement = _count(_("行政强制（本年处理决定数量）"))
    enforcement_items_last_year = _count(_("行政强制（上一年项目数量）"))
    enforcement_items_change = _change(_("行政强制（本年增/减）"))

    fees_not_applicable = _not_applicable(_("行政事业性收费不适用"))
    fees_wan_yuan = _wan_yuan(_("行政事业性收费（本年收费金额，万元）"))
    fees_items_last_year = _count(_("行政事业性收费（上一年项目数量）"))
    fees_items_change = _change(_("行政事业性收费（本年增/减）"))

    procurement_not_applicable = _not_applicable(_("政府集中采购不适用"))
    procurement_items = _count(_("政府集中采购（采购项目数量）"))
    procurement_wan_yuan = _wan_yuan(_("政府集中采购（采购总金额，万元）"))

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

    FIGURES = TALLY_FIGURES
    MEASURES: tuple[str, ...] = tuple(m for figures in FIGURES.values() for m in figures)
    POWER_OF: dict[str, str] = {m: power for power, figures in FIGURES.items() for m in figures}
    #: The figures that may be negative.
    CHANGES: tuple[str, ...] = tuple(m for m in MEASURES if m.endswith("_items_change"))
    AMOUNTS: tuple[str, ...] = ("fees_wan_yuan", "procurement_wan_yuan")

    class Meta:
        verbose_name = _("表二年度数据")
        verbose_name_plural = _("表二年度数据（许可、处罚、强制、收费、采购）")
        ordering = ["-year", "organ"]
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "year"],
                name="one_tally_per_organ_year",
                violation_error_message=_("该机关该年度的数据已存在，请直接修改。"),
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0}),
                    name=f"tally_{name}_not_negative",
                    violation_error_message=_("金额不能为负数。"),
                )
                for name in ("fees_wan_yuan", "procurement_wan_yuan")
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{power}_not_applicable": False})
                    | Q(**{f"{name}__isnull": True for name in figures}),
                    name=f"tally_{power}_not_applicable_or_figures",
                    violation_error_message=_("已勾选“不适用”的事项不能填写数字。"),
                )
                for power, figures in TALLY_FIGURES.items()
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organ} · {self.year}"

    def clean(self) -> None:
        errors = {}
        for power, figures in self.FIGURES.items():
            if getattr(self, f"{power}_not_applicable"):
                for name in figures:
                    if getattr(self, name) is not None:
                        errors[name] = _("已勾选“不适用”，请不要填写数字。")
        if errors:
            raise ValidationError(errors)

    def state(self, measure: str) -> int | Decimal | None | str:
        """A figure for the report: its number, None when not applicable, NOT_ENTERED when empty."""
        if getattr(self, f"{self.POWER_OF[measure]}_not_applicable"):
            return None
        value = getattr(self, measure)
        return NOT_ENTERED if value is None else value


class Table2Override(Versioned):
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
