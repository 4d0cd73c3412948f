"""The working-day calendar: which days are off and which weekend days are worked.

A weekday is a working day unless a CalendarDay marks it 法定节假日; a Saturday or Sunday is off
unless a CalendarDay marks it 调休上班日. Reads go through apps.workdays.calendar (cached), writes
through apps.workdays.services (which invalidate that cache).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.organs.locking import Versioned
from apps.workdays.enums import DayKind


class CalendarYear(Versioned):
    """One year of the calendar; `confirmed` only once the State Council notice is in."""

    year = models.PositiveSmallIntegerField(
        _("年度"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    confirmed = models.BooleanField(
        _("已确认"),
        default=False,
        help_text=_(
            "国务院办公厅公布当年节假日安排并已核对录入后方可勾选；未确认年度的期限计算标注为“暂定”。"
        ),
    )
    source = models.CharField(
        _("依据"), max_length=200, blank=True, help_text=_("例如：国务院办公厅关于2026年部分节假日安排的通知")
    )
    note = models.TextField(_("备注"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(Versioned):
    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name=_("年度"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind)
    name = models.CharField(_("名称"), max_length=100, help_text=_("例如：春节、国庆节调休上班"))
    source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DayKind.values), name="calendar_day_kind_valid"
            ),
            # A make-up working day only makes sense on a Saturday (7) or Sunday (1).
            models.CheckConstraint(
                condition=models.Q(kind=DayKind.HOLIDAY) | models.Q(date__week_day__in=[1, 7]),
                name="calendar_workday_on_weekend",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.date is None:
            return
        try:
            calendar_year = self.calendar_year  # may be an unsaved year (admin add page with inline days)
        except CalendarYear.DoesNotExist:
            calendar_year = None
        if calendar_year is not None and calendar_year.year and calendar_year.year != self.date.year:
            raise ValidationError(
                {"date": _("日期必须在所属年度（%(year)s年）内。") % {"year": self.calendar_year.year}}
            )
        if self.kind == DayKind.WORKDAY and self.date.isoweekday() < 6:
            raise ValidationError({"kind": _("调休上班日只能是星期六或星期日；工作日本来就上班。")})
