"""Working-day arithmetic (工作日) for every statutory period of the portal.

What counts as a 工作日 is not defined by the 条例 (docs/domain/working-days.md#what-a-working-day-is,
🔧 DERIVED / common practice):
Monday to Friday, minus the 法定节假日, plus the 调休上班日 that the annual State Council notice
declares. Periods are counted from the day AFTER their starting day ("期间开始的日，不计算在期间内",
🧠 MEMORY of the procedure laws' rule; the 条例 says "自收到申请之日起").

The whole calendar (a few hundred rows) is loaded in ONE query and cached per process. The services
that write the calendar clear the cache of their own process at once; other processes (gunicorn
workers) notice a change through a cheap version stamp checked at most every RECHECK_SECONDS.
A count that touches a year whose calendar is not confirmed is returned as provisional, never as
certain, with the reason.

A year without any row is never taken as "every weekday works": its days off are computed from
《全国年节及纪念日放假办法》 (apps.workdays.statutory: statutory holidays and 第六条 补假, no 调休),
exactly as the provisional rows that the seeding writes for the current and the next year.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.utils.translation import gettext

from apps.workdays.enums import DayKind
from apps.workdays.models import CalendarYear
from apps.workdays.statutory import statutory_days_off

__all__ = [
    "WorkdayResult",
    "add_working_days",
    "calendar_cache_clear",
    "calendar_version",
    "is_working_day",
    "working_days_between",
]

#: How long a process trusts its cached calendar before checking the version stamp again.
RECHECK_SECONDS = 30.0
#: Refuse absurd counts instead of looping for ever on a typo.
MAX_WORKING_DAYS = 5000

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class WorkdayResult:
    date: dt.date
    #: True when the count passed through a year whose calendar is not confirmed (or missing):
    #: the date may move once the State Council publishes that year's arrangement.
    provisional: bool
    #: Those years, in order.
    unconfirmed_years: tuple[int, ...] = ()
    #: Why the date is provisional, in words for the applicant and the clerk ("" when it is not).
    reason: str = field(default="", compare=False)


@dataclass(frozen=True)
class _Snapshot:
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    confirmed_years: frozenset[int]
    #: Years with a row; the others are computed from the 放假办法.
    years: frozenset[int]
    #: Years with at least one 调休上班日 entered.
    workday_years: frozenset[int]
    stamp: tuple


_lock = threading.Lock()
_snapshot: _Snapshot | None = None
_checked_at: float = 0.0


def calendar_version() -> tuple:
    """The version stamp of the stored calendar (one cheap query): it changes with every write,
    since each day written also saves its year."""
    agg = CalendarYear.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (agg["n"], agg["last"])


def _load() -> _Snapshot:
    holidays: set[dt.date] = set()
    workdays: set[dt.date] = set()
    confirmed: set[int] = set()
    years: set[int] = set()
    last = None
    # One query: every year LEFT JOINed with its days (a year without days still gives one row).
    rows = CalendarYear.objects.values_list("year", "confirmed", "updated_at", "days__date", "days__kind")
    for year, is_confirmed, updated_at, day, kind in rows:
        years.add(year)
        if is_confirmed:
            confirmed.add(year)
        if last is None or updated_at > last:
            last = updated_at
        if day is None:
            continue
        (holidays if kind == DayKind.HOLIDAY else workdays).add(day)
    return _Snapshot(
        holidays=frozenset(holidays),
        workdays=frozenset(workdays),
        confirmed_years=frozenset(confirmed),
        years=frozenset(years),
        workday_years=frozenset(day.year for day in workdays),
        stamp=(len(years), last),
    )


def _calendar() -> _Snapshot:
    global _snapshot, _checked_at
    now = time.monotonic()
    snapshot = _snapshot
    if snapshot is not None and now - _checked_at < RECHECK_SECONDS:
        return snapshot
    with _lock:
        if _snapshot is None:
            _snapshot = _load()
        elif now - _checked_at >= RECHECK_SECONDS and calendar_version() != _snapshot.stamp:
            _snapshot = _load()
        _checked_at = now
        return _snapshot


def calendar_cache_clear() -> None:
    """Forget the cached calendar of this process (the write services call it)."""
    global _snapshot, _checked_at
    with _lock:
        _snapshot = None
        _checked_at = 0.0


def _is_working(day: dt.date, cal: _Snapshot) -> bool:
    if day.year not in cal.years:
        return day.isoweekday() < 6 and day not in statutory_days_off(day.year)
    if day.isoweekday() >= 6:
        return day in cal.workdays
    return day not in cal.holidays


def is_working_day(day: dt.date) -> bool:
    """Monday–Friday unless a 法定节假日; Saturday/Sunday only when a 调休上班日."""
    return _is_working(day, _calendar())


def _unconfirmed(start: dt.date, end: dt.date, cal: _Snapshot) -> tuple[int, ...]:
    """The years of the span of days (start, end] that are not confirmed."""
    if end <= start:
        return ()
    return tuple(
        year for year in range((start + ONE_DAY).year, end.year + 1) if year not in cal.confirmed_years
    )


def _reason(years: tuple[int, ...], cal: _Snapshot) -> str:
    if not years:
        return ""
    # A year whose 调休上班日 an admin has begun to enter is no longer a bare estimate.
    entered = [year for year in years if year in cal.workday_years]
    estimated = [year for year in years if year not in entered]
    parts = []
    if estimated:
        parts.append(
            gettext(
                "%(years)s年节假日安排尚未由国务院办公厅公布确认，"
                "暂按《全国年节及纪念日放假办法》推算，未计调休上班日"
            )
            % {"years": "、".join(map(str, estimated))}
        )
    if entered:
        parts.append(
            gettext("%(years)s年节假日安排已部分录入但尚未确认，暂按已录入的安排计算")
            % {"years": "、".join(map(str, entered))}
        )
    return "；".join(parts)


def add_working_days(start: dt.date, n: int) -> WorkdayResult:
    """The n-th working day after `start` (`start` itself never counts).

    add_working_days(T0, 20) is the last day of a "自收到申请之日起20个工作日" period; n=0 gives
    `start` back. Raises ValueError for a negative or absurd n.
    """
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError("n must be an int")
    if n < 0 or n > MAX_WORKING_DAYS:
        raise ValueError(f"工作日数应在 0 至 {MAX_WORKING_DAYS} 之间，收到 {n}。")
    cal = _calendar()
    day = start
    remaining = n
    while remaining:
        day += ONE_DAY
        if _is_working(day, cal):
            remaining -= 1
    years = _unconfirmed(start, day, cal)
    return WorkdayResult(
        date=day, provisional=bool(years), unconfirmed_years=years, reason=_reason(years, cal)
    )


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Number of working days d with start < d <= end; negative (-count of (end, start]) if end < start.

    So working_days_between(s, add_working_days(s, n).date) == n, and
    working_days_between(today, due) is the number of working days left (0 on the due date itself,
    negative once overdue).
    """
    if end == start:
        return 0
    if end < start:
        return -working_days_between(end, start)
    if (end - start).days > MAX_WORKING_DAYS * 2:
        raise ValueError("日期跨度过大。")
    cal = _calendar()
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        if _is_working(day, cal):
            count += 1
    return count
