"""Reads about applications that other apps (the annual report, reminders) rely on.

The table-3 selectors run in a fixed number of queries whatever the data size and return
plain dicts, so that the report can freeze them as JSON.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Case, Count, F, IntegerField, Min, Q, QuerySet, Sum, When
from django.utils import timezone

from apps.applications.enums import (
    INCOMING_ROWS,
    OUTCOME_ROWS,
    OUTGOING_ROWS,
    RESULT_ROW_CODES,
    TABLE3_COLUMNS,
    TABLE3_ROW_CODES,
    ApplicantType,
)
from apps.applications.models import Application
from apps.organs.models import Organ
from apps.workdays.calendar import add_working_days

#: "即将到期": the due date falls within this many working days (a policy choice,
#: docs/domain/applications.md#reminders).
DUE_SOON_WORKING_DAYS = 5


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _row_condition(row: str, year: int) -> Q:
    """The applications a table-3 row counts (docs/domain/annual-report.md#table-3-counting-rules)."""
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


def _in_some_row(start: dt.date, end: dt.date) -> Q:
    """Every application that some table-3 row of the period start..end counts, and few others.

    Exact because of the check constraint closed_on >= received_on: a new, carried-in or
    carried-out application was received by `end` and is open after `start` - 1 day; one closed
    in the period was received before it closed. Lets the planner use (organ, closed_on).
    """
    return Q(received_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start))


#: The measures each table-3 query counts per (applicant type, outcome) line, by their row:
#: "closed" is the base of the result rows (split by outcome) and of （七）总计.
_TABLE3_MEASURES = {"new": "new", "carried_in": "carried_in", "carried_out": "carried_out", "closed": "r7"}


def _add_line(table: dict[str, dict[str, int]], line: dict, counts: dict[str, int]) -> None:
    """Add one (applicant type, outcome) line's counts to a table 3."""
    column = line["applicant_type"]
    for row in ("new", "carried_in", "carried_out"):
        table[row][column] += counts[row]
    if counts["closed"]:
        row = OUTCOME_ROWS.get(line["outcome"])
        # An outcome outside the choices (bad import) counts in no result row: the report's
        # checks then name the records (row_membership_problems) instead of failing here.
        if row is not None:
            table[row][column] += counts["closed"]


def _finish_table(table: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """（七）总计 as the sum of the result rows, and every row's 总计 column."""
    for row in RESULT_ROW_CODES:
        for column in ApplicantType.values:
            table["r7"][column] += table[row][column]
    for counts in table.values():
        counts["total"] = sum(counts[column] for column in ApplicantType.values)
    return table


def outcome_counts(*, organ_ids: Sequence[int], year: int) -> dict[str, dict[str, int]]:
    """Table 3 of the 2021 format: {row code: {column code: count}} in one query.

    One pass over the applications of the year, grouped by (applicant type, outcome), each row
    counted with a FILTER clause; results go to their row through OUTCOME_ROWS.
    """
    table = _empty_table()
    start, end = _year_bounds(year)
    lines = (
        Application.objects.received()
        .for_organs(organ_ids)
        .filter(_in_some_row(start, end))
        .order_by()
        .values("applicant_type", "outcome")
        .annotate(
            **{
                measure: Count("pk", filter=_row_condition(row, year))
                for measure, row in _TABLE3_MEASURES.items()
            }
        )
    )
    for line in lines:
        _add_line(table, line, line)
    return _finish_table(table)


def outcome_counts_by_organ(
    *, organ_ids: Sequence[int], years: Sequence[int]
) -> dict[int, dict[int, dict[str, dict[str, int]]]]:
    """Table 3 of each organ for each year, {year: {organ id: table}}, in one query.

    The same counting as outcome_counts (each organ's table equals outcome_counts of that organ
    alone), for the public open-data statistics across organs and years: aggregated numbers only.
    """
    years = sorted(set(years))
    organ_ids = list(organ_ids)
    if not years or not organ_ids:
        return {}
    annotations = {
        f"{measure}_{year}": Count("pk", filter=_row_condition(row, year))
        for year in years
        for measure, row in _TABLE3_MEASURES.items()
    }
    lines = (
        Application.objects.received()
        .for_organs(organ_ids)
        .filter(_in_some_row(_year_bounds(years[0])[0], _year_bounds(years[-1])[1]))
        .order_by()
        .values("organ_id", "applicant_type", "outcome")
        .annotate(**annotations)
    )
    result = {year: {organ_id: _empty_table() for organ_id in organ_ids} for year in years}
    for line in lines:
        for year in years:
            counts = {measure: line[f"{measure}_{year}"] for measure in _TABLE3_MEASURES}
            _add_line(result[year][line["organ_id"]], line, counts)
    for by_organ in result.values():
        for table in by_organ.values():
            _finish_table(table)
    return result


def first_received_year(*, organ_ids: Sequence[int]) -> int | None:
    """The year of the earliest 收到申请之日 among the organs' applications, or None (one query)."""
    first = Application.objects.received().for_organs(organ_ids).aggregate(first=Min("received_on"))["first"]
    return first.year if first else None


#: yearly_counts measures, named after the table-3 rows they match: new = "new", closed = "r7",
#: carried_out = "carried_out".
YEARLY_MEASURES = {"new": "new", "closed": "r7", "carried_out": "carried_out"}


def yearly_counts(*, organ_ids: Sequence[int], years: Sequence[int]) -> dict[int, dict[str, dict[str, int]]]:
    """For each year: {"new", "closed", "carried_out"} -> {column code: count}, in one query.

    The same definitions as outcome_counts' rows "new", "r7" and "carried_out" (so the trend
    chart and the previous year's carry-out agree with table 3), without the per-outcome split.
    """
    years = sorted(set(years))
    if not years:
        return {}
    annotations = {
        f"{measure}_{year}": Count("pk", filter=_row_condition(row, year))
        for year in years
        for measure, row in YEARLY_MEASURES.items()
    }
    lines = (
        Application.objects.received()
        .for_organs(organ_ids)
        .filter(_in_some_row(_year_bounds(years[0])[0], _year_bounds(years[-1])[1]))
        .order_by()
        .values("applicant_type")
        .annotate(**annotations)
    )
    result = {
        year: {measure: dict.fromkeys(TABLE3_COLUMNS, 0) for measure in YEARLY_MEASURES} for year in years
    }
    for line in lines:
        for year in years:
            for measure in YEARLY_MEASURES:
                result[year][measure][line["applicant_type"]] += line[f"{measure}_{year}"]
    for by_measure in result.values():
        for counts in by_measure.values():
            counts["total"] = sum(counts[column] for column in ApplicantType.values)
    return result


def row_membership_problems(*, organ_ids: Sequence[int], year: int) -> list[dict]:
    """Applications that table 3 of `year` does not count exactly once, in one query.

    Each application counted anywhere must be in exactly one of "new"/"carried_in" and exactly one
    of the result rows/"carried_out", by the same row definitions as applications_in_cell. Returns
    [{"id": pk, "rows": [row codes it is counted in, in table order]}] ordered by id; [] when the
    table is consistent. Rows are evaluated in the database (one CASE per row), so the cost does
    not grow with the number of rows listed.
    """
    start, end = _year_bounds(year)
    codes = [*INCOMING_ROWS, *OUTGOING_ROWS]
    flags = {
        f"in_{code}": Case(When(_row_condition(code, year), then=1), default=0, output_field=IntegerField())
        for code in codes
    }

    def counted(rows: Sequence[str]):
        return sum((F(f"in_{code}") for code in rows[1:]), F(f"in_{rows[0]}"))

    lines = (
        Application.objects.received()
        .for_organs(organ_ids)
        .filter(_in_some_row(start, end))
        .annotate(**flags)
        .annotate(incoming=counted(INCOMING_ROWS), outgoing=counted(OUTGOING_ROWS))
        .exclude(incoming=1, outgoing=1)
        .order_by("pk")
        .values("pk", *flags)
    )
    return [{"id": line["pk"], "rows": [code for code in codes if line[f"in_{code}"]]} for line in lines]


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
    """Open applications whose clock runs and whose due date is within 5 working days.

    One query: a pause that ran out (no answer or payment by its cap) is told apart by the stored
    paused_until, and the stored due date already counts the pause up to its cap.
    """
    today = today or timezone.localdate()
    qs = Application.objects.with_running_clock(today).filter(
        due_date__gte=today, due_date__lte=due_soon_limit(today)
    )
    if organ is not None:
        qs = qs.filter(organ=organ)
    return qs.for_list().order_by("due_date", "pk")


def overdue(organ: Organ | None, *, today: dt.date | None = None) -> QuerySet[Application]:
    """Open applications whose running clock passed the due date (one query, as due_soon)."""
    today = today or timezone.localdate()
    qs = Application.objects.with_running_clock(today).filter(due_date__lt=today)
    if organ is not None:
        qs = qs.filter(organ=organ)
    return qs.for_list().order_by("due_date", "pk")
