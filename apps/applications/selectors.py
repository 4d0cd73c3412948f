"""Reads about applications that other apps (the annual report, reminders) rely on.

The table-3 selectors run in a fixed number of queries whatever the data size and return
plain dicts, so that the report can freeze them as JSON (INTERFACES.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from apps.applications.enums import (
    OUTCOME_ROWS,
    RESULT_ROW_CODES,
    TABLE3_COLUMNS,
    TABLE3_ROW_CODES,
    ApplicantType,
    Outcome,
)
from apps.applications.models import Application
from apps.organs.models import Organ
from apps.workdays.calendar import add_working_days

#: "即将到期": the due date falls within this many working days (REFERENCE.md §2.2 suggests 5).
DUE_SOON_WORKING_DAYS = 5


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _row_condition(row: str, year: int) -> Q:
    """The applications a table-3 row counts (see INTERFACES.md for the definitions)."""
    start, end = _year_bounds(year)
    open_after = lambda day: Q(closed_on__isnull=True) | Q(closed_on__gt=day)  # noqa: E731
    if row == "new":
        return Q(received_on__gte=start, received_on__lte=end)
    if row == "carried_in":
        return Q(received_on__lt=start) & open_after(start - dt.timedelta(days=1))
    if row == "carried_out":
        return Q(received_on__lte=end) & open_after(end)
    closed_in_year = Q(closed_on__gte=start, closed_on__lte=end)
    if row == "r7":
        return closed_in_year
    outcomes = [outcome.value for outcome, code in OUTCOME_ROWS.items() if code == row]
    if not outcomes:
        raise ValueError(f"Unknown table-3 row: {row!r}")
    return closed_in_year & Q(outcome__in=outcomes)


def _empty_table() -> dict[str, dict[str, int]]:
    return {row: dict.fromkeys(TABLE3_COLUMNS, 0) for row in TABLE3_ROW_CODES}


def outcome_counts(*, organ_ids: Sequence[int], year: int) -> dict[str, dict[str, int]]:
    """Table 3 of the 2021 format: {row code: {column code: count}} in two queries."""
    table = _empty_table()
    base = Application.objects.received().for_organs(organ_ids).order_by()
    start, end = _year_bounds(year)
    flows = base.values("applicant_type").annotate(
        new=Count("pk", filter=_row_condition("new", year)),
        carried_in=Count("pk", filter=_row_condition("carried_in", year)),
        carried_out=Count("pk", filter=_row_condition("carried_out", year)),
    )
    for line in flows:
        for row in ("new", "carried_in", "carried_out"):
            table[row][line["applicant_type"]] += line[row]
    results = (
        base.filter(closed_on__gte=start, closed_on__lte=end)
        .values("applicant_type", "outcome")
        .annotate(n=Count("pk"))
    )
    for line in results:
        row = Outcome.report_row(line["outcome"])
        table[row][line["applicant_type"]] += line["n"]
    for row in RESULT_ROW_CODES:
        for column in ApplicantType.values:
            table["r7"][column] += table[row][column]
    for counts in table.values():
        counts["total"] = sum(counts[column] for column in ApplicantType.values)
    return table


def applications_in_cell(
    *, organ_ids: Sequence[int], year: int, row: str, column: str
) -> QuerySet[Application]:
    """The applications that one cell of outcome_counts counts (drill-down)."""
    if column != "total" and column not in ApplicantType.values:
        raise ValueError(f"Unknown table-3 column: {column!r}")
    qs = Application.objects.received().for_organs(organ_ids).filter(_row_condition(row, year))
    if column != "total":
        qs = qs.filter(applicant_type=column)
    return qs.select_related("organ").order_by("received_on", "pk")


def fee_totals(*, organ_ids: Sequence[int], year: int) -> dict:
    """信息处理费 collected in the year: {"count": applications charged, "amount": Decimal yuan}."""
    start, end = _year_bounds(year)
    totals = (
        Application.objects.for_organs(organ_ids)
        .filter(fee_paid_on__gte=start, fee_paid_on__lte=end)
        .aggregate(count=Count("pk"), amount=Sum("fee_amount"))
    )
    return {"count": totals["count"], "amount": totals["amount"] or Decimal("0.00")}


def due_soon_limit(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return add_working_days(today, DUE_SOON_WORKING_DAYS).date


def due_soon(organ: Organ | None, *, today: dt.date | None = None) -> QuerySet[Application]:
    """Open applications whose clock runs and whose due date is within 5 working days."""
    today = today or timezone.localdate()
    qs = Application.objects.with_running_clock().filter(
        due_date__gte=today, due_date__lte=due_soon_limit(today)
    )
    if organ is not None:
        qs = qs.filter(organ=organ)
    return qs.for_list().order_by("due_date", "pk")


def overdue(organ: Organ | None, *, today: dt.date | None = None) -> QuerySet[Application]:
    """Open applications whose running clock passed the due date."""
    today = today or timezone.localdate()
    qs = Application.objects.with_running_clock().filter(due_date__lt=today)
    if organ is not None:
        qs = qs.filter(organ=organ)
    return qs.for_list().order_by("due_date", "pk")
