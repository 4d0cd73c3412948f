"""Calendar states for tests that must not depend on the years the `holidays` package knows.

2027 is the first year without a State Council notice in holidays 0.109, but a newer package may
have it: `make_provisional` puts a year back in the provisional state whatever the package says.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from apps.workdays.enums import DayKind
from apps.workdays.models import CalendarYear
from apps.workdays.services import calendar_year_delete, calendar_year_save

d = dt.date

#: How an admin would enter an (assumed, for the tests) 2027 notice on top of the provisional
#: days: 春节 2月5日至14日放假调休共10天, 1月30日（周六）、2月20日（周六）上班. Net weekdays off
#: stay four (除夕、初三 and the two 补假 days), as every notice so far has given.
ASSUMED_2027_CHANGES = [
    (d(2027, 1, 30), DayKind.WORKDAY, "春节调休上班"),
    (d(2027, 2, 11), DayKind.HOLIDAY, "春节"),
    (d(2027, 2, 12), DayKind.HOLIDAY, "春节"),
    (d(2027, 2, 13), DayKind.HOLIDAY, "春节"),
    (d(2027, 2, 14), DayKind.HOLIDAY, "春节"),
    (d(2027, 2, 20), DayKind.WORKDAY, "春节调休上班"),
]
NOTICE_2027 = "国务院办公厅关于2027年部分节假日安排的通知"


def make_provisional(year: int, *, row: bool) -> None:
    """No row for `year` at all (the calendar computes it), or the provisional row that a new
    unconfirmed year gets; never confirmed."""
    existing = CalendarYear.objects.filter(year=year).first()
    if existing is not None:
        calendar_year_delete(calendar_year=existing)
    if row:
        calendar_year_save(year=year, confirmed=False)


def year_change_data(calendar_year: CalendarYear, *, confirmed: bool, source: str, new_days) -> dict:
    """The POST of the admin change form of `calendar_year`: its days unchanged, `new_days` added."""
    days = list(calendar_year.days.order_by("date")) if calendar_year.pk else []
    parent = str(calendar_year.pk or "")
    data = {
        "year": str(calendar_year.year),
        "source": source,
        "note": calendar_year.note,
        "days-TOTAL_FORMS": str(len(days) + len(new_days)),
        "days-INITIAL_FORMS": str(len(days)),
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
    }
    if confirmed:
        data["confirmed"] = "on"
    for i, day in enumerate(days):
        data |= {
            f"days-{i}-id": str(day.pk),
            f"days-{i}-calendar_year": parent,
            f"days-{i}-date": day.date.isoformat(),
            f"days-{i}-kind": day.kind,
            f"days-{i}-name": day.name,
            f"days-{i}-source": day.source,
        }
    for j, (day, kind, name) in enumerate(new_days, start=len(days)):
        data |= {
            f"days-{j}-id": "",
            f"days-{j}-calendar_year": parent,
            f"days-{j}-date": day.isoformat(),
            f"days-{j}-kind": str(kind),
            f"days-{j}-name": name,
            f"days-{j}-source": NOTICE_2027,
        }
    return data


def confirm_2027_in_the_admin(client) -> None:
    """What the root does once the notice is out: the changed days entered, 已确认 ticked
    (on the provisional row; a year without a row is first added unconfirmed, which fills it)."""
    if not CalendarYear.objects.filter(year=2027).exists():
        add = client.post(
            reverse("admin:workdays_calendaryear_add"),
            year_change_data(CalendarYear(year=2027), confirmed=False, source="", new_days=[]),
        )
        assert add.status_code == 302, add.content.decode()[:3000]
    calendar_year = CalendarYear.objects.get(year=2027)
    url = reverse("admin:workdays_calendaryear_change", args=[calendar_year.pk])
    data = year_change_data(calendar_year, confirmed=True, source=NOTICE_2027, new_days=ASSUMED_2027_CHANGES)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def confirm_2027_through_the_services() -> None:
    """The same confirmation as confirm_2027_in_the_admin, through the services."""
    from apps.workdays.services import calendar_day_save

    for day, kind, name in ASSUMED_2027_CHANGES:
        calendar_day_save(day=day, kind=kind, name=name, source=NOTICE_2027)
    calendar_year_save(year=2027, confirmed=True, source=NOTICE_2027)
