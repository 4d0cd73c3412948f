"""Build the calendar of a year from the `holidays` package (pinned in requirements.txt).

How the package exposes China's arrangement (holidays 0.109, holidays/countries/china.py):
- `holidays.China(years=...)` maps each day off to a name: statutory days (元旦, 春节, ...), observed
  days ("春节（补假）") and the weekdays given off in exchange ("休息日（由 2026-02-14 调休）");
- `.weekend_workdays` is the set of 调休上班日, filled only from `ChinaStaticHolidays.special_public_holidays`,
  i.e. for the years whose State Council notice the maintainers have typed in (2001–2026 in 0.109).
For later years the package silently GUESSES (statutory days plus weekend shifting, no make-up days).
That guess is not used: a year without the notice gets the provisional calendar computed from
《全国年节及纪念日放假办法》 by apps.workdays.statutory (the same days the calendar computes for a
year without any row), is never marked confirmed, and is seeded only for the current and the next
year or on request.

Weekend days inside a 放假调休 run (e.g. Sunday 2026-02-15, first day of the Spring Festival break)
are stored as holidays too, so that the admin shows the same ranges as the notice. That changes
no count: weekends are off anyway.

Only plain data leaves this module; `write_plans` takes the model classes so that the data migration
(historical models) and the service (real models) share the same code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import holidays
from holidays.countries.china import ChinaStaticHolidays

from apps.workdays import statutory

ONE_DAY = dt.timedelta(days=1)
HOLIDAY = "holiday"
WORKDAY = "workday"
_SUBSTITUTED = re.compile(r"由 (\d{4}-\d{2}-\d{2}) 调休")


def package_source() -> str:
    return f"holidays {holidays.__version__}"


# Years whose arrangement was changed by a later notice (the package includes the change).
_EXTRA_NOTICES = {
    2015: "国务院关于中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日调休放假的通知",
    2020: "国务院办公厅关于延长2020年春节假期的通知",
}


def notice_title(year: int) -> str:
    title = f"国务院办公厅关于{year}年部分节假日安排的通知"
    if year in _EXTRA_NOTICES:
        title += f"；{_EXTRA_NOTICES[year]}"
    return title


@dataclass
class YearPlan:
    year: int
    confirmed: bool
    source: str
    note: str
    day_source: str = ""
    days: list[tuple[dt.date, str, str]] = field(default_factory=list)  # (date, kind, name)


def _official_years() -> set[int]:
    return set(ChinaStaticHolidays.special_public_holidays)


def _festival_names(labels: list[str]) -> list[str]:
    names: list[str] = []
    for label in labels:
        for part in label.split("; "):
            if part.startswith("休息日"):
                continue
            part = part.replace("（补假）", "").replace("（推定）", "").replace("（补假，推定）", "")
            part = "春节" if part == "农历除夕" else part
            if part and part not in names:
                names.append(part)
    return names


def _named_runs(off: dict[dt.date, str], workdays: set[dt.date]) -> tuple[dict[dt.date, str], set[dt.date]]:
    """Group the days off into runs (holiday days joined by weekend days) and name each run.

    Returns the name of every day of a run, and the weekend days that only fill a run.
    """

    def is_off(day: dt.date) -> bool:
        return day in off or (day.isoweekday() >= 6 and day not in workdays)

    run_name: dict[dt.date, str] = {}
    weekend_fill: set[dt.date] = set()
    seen: set[dt.date] = set()
    for start in sorted(off):
        if start in seen:
            continue
        run = [start]
        day = start - ONE_DAY
        while is_off(day) and day not in seen:
            run.insert(0, day)
            day -= ONE_DAY
        day = start + ONE_DAY
        while is_off(day):
            run.append(day)
            day += ONE_DAY
        seen.update(run)
        name = "、".join(_festival_names([off[d] for d in run if d in off])) or "调休休息日"
        for d in run:
            run_name[d] = name
            if d not in off:
                weekend_fill.add(d)
    return run_name, weekend_fill


def _official_plan(
    year: int,
    off: dict[dt.date, str],
    workdays: set[dt.date],
    run_name: dict[dt.date, str],
    fill: set[dt.date],
) -> YearPlan:
    """The confirmed plan of a year whose notice the package has."""
    plan = YearPlan(
        year=year,
        confirmed=True,
        source=notice_title(year),
        note=f"由 {package_source()} 软件包导入（该软件包按国务院办公厅通知录入，含调休上班日）。",
        day_source=notice_title(year),
    )
    for d in sorted(set(off) | fill):
        if d.year == year:
            plan.days.append((d, HOLIDAY, run_name.get(d, off.get(d, ""))))
    for d in sorted(workdays):
        if d.year != year:
            continue
        # "休息日（由 2026-02-14 调休）" names the weekday given off for this make-up day.
        swapped = [
            h for h, label in off.items() if (m := _SUBSTITUTED.search(label)) and m[1] == d.isoformat()
        ]
        festival = run_name.get(swapped[0], "") if swapped else ""
        plan.days.append((d, WORKDAY, f"{festival}调休上班" if festival else "调休上班"))
    plan.days = [(d, kind, name[:100]) for d, kind, name in sorted(plan.days)]
    return plan


def build_plans(years: list[int]) -> dict[int, YearPlan]:
    """The calendar of `years`: the package's data for a year whose notice it has (confirmed),
    else the provisional plan (never confirmed)."""
    wanted = sorted(set(years))
    if not wanted:
        return {}
    # One object over a wider range so that runs and make-up days crossing New Year are whole.
    cal = holidays.China(years=range(wanted[0] - 1, wanted[-1] + 2), language="zh_CN")
    off: dict[dt.date, str] = dict(cal.items())
    workdays = set(cal.weekend_workdays)
    official = _official_years()
    run_name, weekend_fill = _named_runs(off, workdays)
    plans: dict[int, YearPlan] = {}
    for year in wanted:
        if year in official and any(d.year == year for d in workdays):
            plans[year] = _official_plan(year, off, workdays, run_name, weekend_fill)
        else:
            plans[year] = provisional_plan(year)
    return plans


def provisional_plan(year: int) -> YearPlan:
    """The unconfirmed calendar of a year without the notice: statutory holidays and 补假, no 调休."""
    plan = YearPlan(
        year=year,
        confirmed=False,
        source="",
        note=(
            "暂定：国务院办公厅尚未公布（或尚未录入）当年节假日安排，按《全国年节及纪念日放假办法》"
            "推算法定节假日（含第六条补假），不含调休上班日。通知公布后请按通知核对修改、"
            "录入调休上班日并勾选“已确认”。"
        ),
        day_source=statutory.SOURCE,
    )
    plan.days = [(item.date, HOLIDAY, item.name) for item in statutory.provisional_days_off(year)]
    return plan


@dataclass
class SeedOutcome:
    created: list[int] = field(default_factory=list)
    replaced: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)


def write_plans(plans: dict[int, YearPlan], *, year_model, day_model, replace: bool = False) -> SeedOutcome:
    """Idempotent: a missing year is created; a confirmed year is left alone (an admin may have
    corrected it) unless `replace`; an unconfirmed year is replaced when the package now has the
    official notice for it, when it has no day at all (it would count every weekday as working),
    or when `replace`, else left alone.
    """
    outcome = SeedOutcome()
    for year, plan in sorted(plans.items()):
        existing = year_model.objects.filter(year=year).first()
        if existing is not None:
            upgrade = plan.confirmed and not existing.confirmed
            empty = not existing.confirmed and not existing.days.exists()
            if not (replace or upgrade or empty):
                outcome.skipped.append(year)
                continue
            existing.days.all().delete()
            existing.confirmed, existing.source, existing.note = plan.confirmed, plan.source, plan.note
            existing.save()
            calendar_year = existing
            outcome.replaced.append(year)
        else:
            calendar_year = year_model.objects.create(
                year=year, confirmed=plan.confirmed, source=plan.source, note=plan.note
            )
            outcome.created.append(year)
        day_model.objects.bulk_create(
            day_model(calendar_year=calendar_year, date=d, kind=kind, name=name, source=plan.day_source)
            for d, kind, name in plan.days
        )
    return outcome


def default_years(first_year: int) -> list[int]:
    """first_year .. the last year for which the package has the official notice."""
    official = [year for year in _official_years() if year >= first_year]
    return list(range(first_year, max(official) + 1)) if official else []


def current_years(today: dt.date) -> list[int]:
    """The years every database must have a row for: the current one and the next (periods
    started in December reach into January)."""
    return [today.year, today.year + 1]
