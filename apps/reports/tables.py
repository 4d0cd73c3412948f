"""Table 3's label cells, merged as in the official template, and its numbers as a format prints them.

The rows are those apps.applications.enums declares (the result groups and the rows around them); a
format may print a result group as one row (the 2019 trial format's （六）其他处理).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from apps.applications.enums import RESULT_GROUPS, RESULT_TOTAL_ROW, RESULTS_LABEL, TABLE3_OUTER_ROWS
from apps.reports.vocabulary import table3_columns

TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclass(frozen=True)
class LabelCell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class TableRow:
    code: str
    label_cells: tuple[LabelCell, ...]


def _result_rows(merged_groups: Iterable[str]) -> list[tuple[str, str, str]]:
    """(code, group label or "", own label) of the result rows, （七）总计 last."""
    merged = set(merged_groups)
    rows: list[tuple[str, str, str]] = []
    for group in RESULT_GROUPS:
        if group.code in merged:
            rows.append((group.code, "", group.label))
        elif len(group.rows) == 1:
            rows.append((group.rows[0][0], "", group.rows[0][1]))
        else:
            rows.extend((code, group.label, label) for code, label in group.rows)
    rows.append((RESULT_TOTAL_ROW[0], "", RESULT_TOTAL_ROW[1]))
    return rows


def table3_rows(merged_groups: Iterable[str] = ()) -> list[TableRow]:
    """Table 3's rows with their label cells, merged as in the official template."""
    results = _result_rows(merged_groups)
    rows = [
        TableRow("new", (LabelCell(TABLE3_OUTER_ROWS["new"], colspan=3),)),
        TableRow("carried_in", (LabelCell(TABLE3_OUTER_ROWS["carried_in"], colspan=3),)),
    ]
    group_sizes: dict[str, int] = {}
    for _code, group, _label in results:
        if group:
            group_sizes[group] = group_sizes.get(group, 0) + 1
    seen_groups: set[str] = set()
    for index, (code, group, label) in enumerate(results):
        cells: list[LabelCell] = []
        if index == 0:
            cells.append(LabelCell(RESULTS_LABEL, rowspan=len(results)))
        if group:
            if group not in seen_groups:
                seen_groups.add(group)
                cells.append(LabelCell(group, rowspan=group_sizes[group]))
            cells.append(LabelCell(label))
        else:
            cells.append(LabelCell(label, colspan=2))
        rows.append(TableRow(code, tuple(cells)))
    rows.append(TableRow("carried_out", (LabelCell(TABLE3_OUTER_ROWS["carried_out"], colspan=3),)))
    return rows


def table3_values(stats: Mapping[str, Any], merged_groups: Iterable[str] = ()) -> dict[str, dict[str, int]]:
    """Table 3's numbers by row code, with a row for each merged group: the sum of its rows."""
    table3 = dict(stats.get("table3") or {})
    merged = set(merged_groups)
    for group in RESULT_GROUPS:
        if group.code in merged:
            table3[group.code] = {
                col: sum(int((table3.get(r) or {}).get(col) or 0) for r in group.row_codes)
                for col, _label in table3_columns()
            }
    return table3
