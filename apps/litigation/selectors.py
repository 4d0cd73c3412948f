"""Report table 4: 政府信息公开行政复议、行政诉讼情况
(docs/domain/annual-report.md#table-4-review-and-litigation)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Q

from apps.litigation.enums import MEASURES, CaseKind, Group, Result, Route
from apps.litigation.models import Case, CaseQuerySet


def _year_cases(organ_ids: Sequence[int], year: int) -> CaseQuerySet:
    return Case.objects.filter(
        organ_id__in=organ_ids, filed_date__range=(dt.date(year, 1, 1), dt.date(year, 12, 31))
    )


def _state_at_year_end(year: int) -> dict[str, Q]:
    """Which result a case shows in the table of ``year``: its state on 31 December."""
    end = dt.date(year, 12, 31)
    decided = Q(decided_date__lte=end)
    return {
        "upheld": decided & Q(result=Result.UPHELD),
        "corrected": decided & Q(result=Result.CORRECTED),
        "other": decided & Q(result=Result.OTHER),
        "pending": Q(decided_date__isnull=True) | Q(decided_date__gt=end),
    }


def table4(*, organ_ids: Sequence[int], year: int) -> dict[str, dict[str, int]]:
    """Table 4 of ``year``: {"review": {...}, "litigation_direct": {...}, "litigation_after_review": {...}},
    each {"upheld", "corrected", "other", "pending", "total"} (结果维持, 结果纠正, 其他结果, 尚未审结, 总计).

    Counting rule (the 2021 format does not say; docs/domain/casework.md#review-and-litigation-cases):
    a case is counted in the report of the year it was filed (申请复议/起诉日期), once, and shows its
    state at the end of that year. A case decided after 31 December is 尚未审结 in that year's report
    and does not appear again in the next year's report; its later result is kept on the case record.
    So a published report never changes when a later decision is recorded. One query.
    """
    states = _state_at_year_end(year)
    rows = (
        _year_cases(organ_ids, year)
        .values("kind", "route")
        .annotate(**{name: Count("pk", filter=condition) for name, condition in states.items()})
        .order_by()
    )
    table = {group: dict.fromkeys(MEASURES, 0) for group in Group.values}
    for row in rows:
        if row["kind"] == CaseKind.REVIEW:
            group = Group.REVIEW
        elif row["route"] == Route.AFTER_REVIEW:
            group = Group.LITIGATION_AFTER_REVIEW
        else:
            group = Group.LITIGATION_DIRECT
        for measure in states:
            table[group][measure] += row[measure]
    for cells in table.values():
        cells["total"] = sum(cells[m] for m in states)
    return table


def cases_in_cell(*, organ_ids: Sequence[int], year: int, group: str, measure: str) -> CaseQuerySet:
    """The cases that one cell of table4 counts (same rule), for drill-down links."""
    if measure not in MEASURES:
        raise ValueError(f"unknown table 4 measure {measure!r}")
    qs = _year_cases(organ_ids, year).in_group(group)
    if measure != "total":
        qs = qs.filter(_state_at_year_end(year)[measure])
    return qs.select_related("organ").order_by("filed_date", "id")
