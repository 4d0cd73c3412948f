"""Working-day arithmetic (工作日) for every statutory period of the portal.

What counts as a 工作日 is not defined by the 条例 (REFERENCE.md §2.2, 🔧 DERIVED / common practice):
Monday to Friday, minus the 法定节假日, plus the 调休上班日 that the annual State Council notice
declares. Periods are counted from the day AFTER their starting day ("期间开始的日，不计算在期间内",
🧠 MEMORY of the procedure laws' rule; the 条例 says "自收到申请之日起").

The whole calendar (a few hundred rows) is loaded in ONE query and cached per process. The services
that write the calendar clear the cache of their own process at once; other processes (gunicorn
workers) notice a change through a cheap version stamp checked at most every RECHECK_SECONDS.
A count that touches a year whose calendar is not confirmed is returned as provisional, never as
certain.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

from django.db.models import Count, Max

__all__ = [
    "WorkdayResult",
    "add_working_days",
    "calendar_cache_clear",
    "is_confirmed_between",
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


@dataclass(frozen=True)
class _Snapshot:
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    confirmed_years: frozenset[int]
    stamp: tuple


_lock = threading.Lock()
_snapshot: _Snapshot | None = None
_checked_at: float = 0.0


def _stamp():
    from apps.workdays.models import CalendarYear

    agg = CalendarYear.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (agg["n"], agg["last"])


def _load() -> _Snapshot:
    from apps.workdays.enums import DayKind
    from apps.workdays.models import CalendarYear

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
    return _Snapshot(frozenset(holidays), frozenset(workdays), frozenset(confirmed), (len(years), last))


def _calendar() -> _Snapshot:
    global _snapshot, _checked_at
    now = time.monotonic()
    snapshot = _snapshot
    if snapshot is not None and now - _checked_at < RECHECK_SECONDS:
        return snapshot
    with _lock:
        if _snapshot is None:
            _snapshot = _load()
        elif now - _checked_at >= RECHECK_SECONDS and _stamp() != _snapshot.stamp:
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
    if day.isoweekday() >= 6:
        return day in cal.workdays
    return day not in cal.holidays


def is_working_day(day: dt.date) -> bool:
    """Monday–Friday unless a 法定节假日; Saturday/Sunday only when a 调休上班日."""
    return _is_working(day, _calendar())


def _provisional(start: dt.date, end: dt.date, cal: _Snapshot) -> bool:
    """Does the span of days (start, end] touch a year that is not confirmed?"""
    if end <= start:
        return False
    return any(year not in cal.confirmed_years for year in range((start + ONE_DAY).year, end.year + 1))


def is_confirmed_between(start: dt.date, end: dt.date) -> bool:
    """True when every year of the days after `start` up to `end` has a confirmed calendar."""
    low, high = min(start, end), max(start, end)
    return not _provisional(low, high, _calendar())


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
    return WorkdayResult(date=day, provisional=_provisional(start, day, cal))


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
