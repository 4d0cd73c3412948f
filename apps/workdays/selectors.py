"""Reads of the calendar that other apps may use (the arithmetic itself is in calendar.py)."""

from __future__ import annotations

import datetime as dt

from apps.workdays.models import CalendarDay, CalendarYear


def calendar_unconfirmed_years(*, through: int) -> list[int]:
    """Years from the current one up to `through` without a confirmed calendar (for a warning banner)."""
    from django.utils import timezone

    first = timezone.localdate().year
    confirmed = set(
        CalendarYear.objects.filter(year__range=(first, through), confirmed=True).values_list(
            "year", flat=True
        )
    )
    return [year for year in range(first, through + 1) if year not in confirmed]


def calendar_days_between(*, start: dt.date, end: dt.date) -> list[CalendarDay]:
    """The 节假日/调休上班日 rows in [start, end], e.g. to annotate a deadline explanation."""
    return list(CalendarDay.objects.filter(date__range=(start, end)).order_by("date"))
