"""A published version's tables as data: the cells of tables 2, 3 and 4 that the format prints.

The open-data API and the downloads (apps/api) serve these instead of the frozen statistics dict,
which also holds working figures (organ ids, tally ids, the clerks' notes) that no report prints.
Labels are the report's own (always Chinese); codes are stable and English.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from apps.reports.compile import NOT_ENTERED, table2_value
from apps.reports.formats import ReportFormatSpec, format_of
from apps.reports.tables import table3_rows, table3_values
from apps.reports.vocabulary import table3_columns, table3_row_label, table4_groups, table4_measures

#: A cell: a count, an amount, or None where the report prints "/" (不适用) or "—" (not entered).
Value = int | Decimal | None


@dataclass(frozen=True)
class DataColumn:
    code: str
    label: str


@dataclass(frozen=True)
class DataRow:
    code: str
    label: str
    values: tuple[Value, ...]  # one per column of its block


@dataclass(frozen=True)
class DataBlock:
    """A part of a table with its own columns (table 2 has one per item of 第二十条)."""

    caption: str
    columns: tuple[DataColumn, ...]
    rows: tuple[DataRow, ...]


@dataclass(frozen=True)
class DataTable:
    code: str  # the section code: "table2", "table3", "table4"
    title: str  # the section heading, e.g. 三、收到和处理政府信息公开申请情况
    blocks: tuple[DataBlock, ...]


def _number(raw: Any) -> Value:
    """Frozen figures are ints, or strings for exact amounts (compile.jsonable)."""
    if raw is None or raw == NOT_ENTERED:
        return None
    if isinstance(raw, int):
        return raw
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return None


def _row_code(paths: tuple[str, ...]) -> str:
    """A table-2 row's code from its value paths: rule.issued, rule.in_force -> rule;
    licensing_items_last_year, …, licensing -> licensing."""
    return os.path.commonprefix(list(paths)).rstrip("._") or paths[0]


def _table2(stats: Mapping[str, Any], fmt: ReportFormatSpec) -> tuple[DataBlock, ...]:
    table2 = stats.get("table2") or {}
    blocks = []
    for block in fmt.table2:
        # The headers name the columns; their codes are positions (the 2019 block of 第（一）项
        # prints one figure under two headers).
        columns = tuple(
            DataColumn(code=f"c{i + 1}", label=header) for i, header in enumerate(block.header[1:])
        )
        rows = tuple(
            DataRow(
                code=_row_code(paths),
                label=label,
                values=tuple(_number(table2_value(table2, path)) for path in paths),
            )
            for label, paths in block.rows
        )
        blocks.append(DataBlock(caption=block.caption, columns=columns, rows=rows))
    return tuple(blocks)


def table3_block(table3: Mapping[str, Any], merged_groups: tuple[str, ...] = ()) -> DataBlock:
    """Table 3 ({row code: {column code: n}}) with its labels; merged_groups as in a format."""
    columns = tuple(DataColumn(code, label) for code, label in table3_columns())
    rows = tuple(
        DataRow(
            code=row.code,
            label=table3_row_label(row.code),
            values=tuple(int((table3.get(row.code) or {}).get(col.code) or 0) for col in columns),
        )
        for row in table3_rows(merged_groups)
    )
    return DataBlock(caption="", columns=columns, rows=rows)


def table4_block(table4: Mapping[str, Any]) -> DataBlock:
    """Table 4 ({group: {measure: n}}) as one row under its group × measure columns."""
    pairs = [(g, gl, m, ml) for g, gl in table4_groups() for m, ml in table4_measures()]
    columns = tuple(DataColumn(f"{g}.{m}", f"{gl} {ml}") for g, gl, m, ml in pairs)
    values = tuple(int((table4.get(g) or {}).get(m) or 0) for g, _gl, m, _ml in pairs)
    return DataBlock(caption="", columns=columns, rows=(DataRow("cases", "件数", values),))


def report_tables(*, statistics: Mapping[str, Any], report_format: str) -> list[DataTable]:
    """The tables a format prints, in order, from a version's frozen statistics (no query).

    A format without tables (the pre-2019 free layout, which tells its figures in sentences)
    gives an empty list.
    """
    fmt = format_of(report_format)
    builders = {
        "table2": lambda: _table2(statistics, fmt),
        "table3": lambda: (
            table3_block(table3_values(statistics, fmt.merged_result_groups), fmt.merged_result_groups),
        ),
        "table4": lambda: (table4_block(statistics.get("table4") or {}),),
    }
    return [
        DataTable(code=spec.table, title=spec.heading, blocks=builders[spec.table]())
        for spec in fmt.flat_sections()
        if spec.table in builders
    ]
