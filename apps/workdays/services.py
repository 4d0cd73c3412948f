"""Every write to the working-day calendar (admin, seed command, migration, tests).

Each service clears this process's calendar cache (and again on commit, so that a read made
inside the transaction does not outlive it); other processes see the change through the version
stamp (CalendarYear.updated_at), which is why every day write also saves its year. Once the
change is committed, signals.calendar_changed tells the apps that store dates computed from the
calendar (the applications' due dates).
"""

from __future__ import annotations

import datetime as dt
import threading

from django.db import transaction
from django.utils import timezone

from apps.workdays import seeding
from apps.workdays.calendar import calendar_cache_clear, calendar_version
from apps.workdays.enums import DayKind
from apps.workdays.models import CalendarDay, CalendarYear
from apps.workdays.signals import calendar_changed

#: Years seeded by the data migration and `seed_calendar` by default: the 2008 条例 (国务院令第492号)
#: took effect on 2008-05-01, so imported casework may need any year since.
DEFAULT_FIRST_YEAR = 2008


_announced_lock = threading.Lock()
_announced_version: tuple | None = None


def _announce() -> None:
    """Send calendar_changed for the committed calendar, once per version: a save in the admin
    writes the year and each changed day, and their on-commit calls all see the same version."""
    global _announced_version
    version = calendar_version()
    with _announced_lock:
        if version == _announced_version:
            return
        _announced_version = version
    calendar_changed.send(sender=CalendarYear)


def _changed() -> None:
    global _announced_version
    calendar_cache_clear()
    with _announced_lock:
        _announced_version = None  # a new change: whatever was announced before is outdated
    transaction.on_commit(calendar_cache_clear)
    # Robust: the calendar stays saved whatever a receiver does; its error is logged.
    transaction.on_commit(_announce, robust=True)


@transaction.atomic
def calendar_year_save(
    *,
    year: int,
    confirmed: bool | None = None,
    source: str | None = None,
    note: str | None = None,
    instance: CalendarYear | None = None,
) -> CalendarYear:
    """Create or update a year (`instance`, else the row of `year`). Only the fields given change.

    A year created unconfirmed starts with the provisional days of the 放假办法 (statutory holidays
    and 补假), never empty: an empty year would count every weekday as a working day.
    """
    calendar_year = (
        instance or CalendarYear.objects.select_for_update().filter(year=year).first() or CalendarYear()
    )
    created = calendar_year.pk is None
    calendar_year.year = year
    if confirmed is not None:
        calendar_year.confirmed = confirmed
    if source is not None:
        calendar_year.source = source
    if note is not None:
        calendar_year.note = note
    calendar_year.full_clean()
    calendar_year.save()
    if created and not calendar_year.confirmed:
        plan = seeding.provisional_plan(year)
        CalendarDay.objects.bulk_create(
            CalendarDay(calendar_year=calendar_year, date=day, kind=kind, name=name, source=plan.day_source)
            for day, kind, name in plan.days
        )
    _changed()
    return calendar_year


@transaction.atomic
def calendar_year_delete(*, calendar_year: CalendarYear) -> None:
    calendar_year.delete()
    _changed()


@transaction.atomic
def calendar_day_save(
    *, day: dt.date, kind: DayKind | str, name: str, source: str = "", instance: CalendarDay | None = None
) -> CalendarDay:
    """Create (or, with `instance` or an existing row for `day`, update) a 节假日/调休上班日.

    The day's year is created unconfirmed (with its provisional days) if it does not exist yet.
    A new `instance` for a day that already has a row (e.g. a provisional holiday) updates that row.
    """
    calendar_year = CalendarYear.objects.filter(year=day.year).first()
    if calendar_year is None:
        calendar_year = calendar_year_save(year=day.year, confirmed=False)
    existing = CalendarDay.objects.filter(date=day).first()
    if instance is not None and instance.pk is None and existing is not None:
        instance = None
    record = instance or existing or CalendarDay()
    record.calendar_year = calendar_year
    record.date, record.kind, record.name, record.source = day, kind, name, source
    record.full_clean()
    record.save()
    calendar_year.save(update_fields=["updated_at"])  # bump the version stamp
    _changed()
    return record


@transaction.atomic
def calendar_day_delete(*, calendar_day: CalendarDay) -> None:
    calendar_year = calendar_day.calendar_year
    calendar_day.delete()
    calendar_year.save(update_fields=["updated_at"])
    _changed()


@transaction.atomic
def calendar_seed(
    *, years: list[int] | None = None, replace: bool = False, estimates: bool = False
) -> seeding.SeedOutcome:
    """Load the years the `holidays` package knows from the State Council notices (confirmed),
    and the provisional calendar (放假办法, unconfirmed) of the years it does not know.

    By default: DEFAULT_FIRST_YEAR .. the last year with official data, plus the current and the
    next year, provisional when the package lacks their notice. With explicit `years`, a year
    without the notice is written only with `estimates`. Idempotent: see seeding.write_plans.
    """
    if years is None:
        provisional_allowed = set(seeding.current_years(timezone.localdate()))
        years = sorted(set(seeding.default_years(DEFAULT_FIRST_YEAR)) | provisional_allowed)
    else:
        provisional_allowed = set(years) if estimates else set()
    plans = {
        year: plan
        for year, plan in seeding.build_plans(years).items()
        if plan.confirmed or year in provisional_allowed
    }
    outcome = seeding.write_plans(plans, year_model=CalendarYear, day_model=CalendarDay, replace=replace)
    _changed()
    return outcome
