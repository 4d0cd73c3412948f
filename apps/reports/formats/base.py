"""What a report format declares, and the questions the rest of the report app asks it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from apps.reports import tables


@dataclass(frozen=True)
class SectionSpec:
    code: str
    heading: str  # may contain {next_year}
    level: int = 2  # 0 = untitled preamble, 2 = 一、…, 3 = （一）…
    narrative: bool = True  # an editable text field
    required: bool = False  # publishing is refused while it is empty
    table: str | None = None  # "table2" / "table3" / "table4": a table generated from the numbers
    children: tuple[SectionSpec, ...] = ()


#: Every format opens with an untitled preamble, generated (ReportFormatSpec.preamble).
PREAMBLE = SectionSpec("preamble", "", level=0, required=True)


@dataclass(frozen=True)
class Table2Block:
    caption: str
    header: tuple[str, ...]  # the first is 信息内容; one value header spans the rest when alone
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (label, value paths into the table2 stats)


class Chart(StrEnum):
    """The charts a format may append (附图), in the order it lists them."""

    OUTCOMES = "outcomes"  # 政府信息公开申请办理结果
    CHANNELS = "channels"  # 主动公开政府信息渠道
    TREND = "trend"  # 历年新收申请与主动公开数量


@dataclass(frozen=True)
class Facts:
    """What a generated section is written from: the frozen statistics and the report's own fields."""

    stats: Mapping[str, Any]
    year: int
    organ_name: str
    dedicated_expenditure: Decimal | None = None
    dedicated_expenditure_note: str = ""


#: Writes a section's generated text (paragraphs joined by newlines) from the facts.
Writer = Callable[[Facts], str]


@dataclass(frozen=True)
class ReportFormatSpec:
    """One report format, declared by its module in apps/reports/formats/.

    - ``sections``: the headings in order, which of them staff write, which hold a table;
    - ``preamble`` and ``narrative``: the writers of the generated sections (by section code);
    - ``table2`` (its blocks; none without a table-2 section), ``table2_units`` (a unit printed in
      a cell, by value path) and ``table2_signed_headers`` (columns whose cells may be negative);
    - ``merged_result_groups``: table 3's result groups (apps.applications.enums.RESULT_GROUPS)
      printed as one row, summing their rows;
    - ``charts``: the charts appended after the signature.
    """

    code: str
    sections: tuple[SectionSpec, ...]
    preamble: Writer
    narrative: Mapping[str, Writer] = field(default_factory=dict)
    table2: tuple[Table2Block, ...] = ()
    table2_units: Mapping[str, str] = field(default_factory=dict)
    table2_signed_headers: frozenset[str] = frozenset()
    merged_result_groups: tuple[str, ...] = ()
    charts: tuple[Chart, ...] = ()

    def flat_sections(self) -> list[SectionSpec]:
        """Every section in document order, sub-sections after their parent."""
        out: list[SectionSpec] = []
        for spec in self.sections:
            out.append(spec)
            out.extend(spec.children)
        return out

    def narrative_sections(self) -> list[SectionSpec]:
        return [spec for spec in self.flat_sections() if spec.narrative]

    def section(self, code: str) -> SectionSpec | None:
        return next((spec for spec in self.flat_sections() if spec.code == code), None)

    def generates(self, code: str) -> bool:
        """Whether the section is pre-filled with sentences written from the numbers."""
        return code == PREAMBLE.code or code in self.narrative

    def generate(self, code: str, facts: Facts) -> str:
        """The generated text of a section ("" for sections staff write alone)."""
        if code == PREAMBLE.code:
            return self.preamble(facts)
        writer = self.narrative.get(code)
        return writer(facts) if writer is not None else ""

    def table2_cells(self) -> list[tuple[str, str, str, str]]:
        """(caption, row label, column header, value path) of every table-2 cell the format prints.

        The checks ask this which figures must be entered and which may be negative: a format
        without table 2 (pre-2019) requires none of its figures.
        """
        return [
            (block.caption, label, block.header[1 + i], path)
            for block in self.table2
            for label, paths in block.rows
            for i, path in enumerate(paths)
        ]

    def table3_rows(self) -> list[tables.TableRow]:
        return tables.table3_rows(self.merged_result_groups)
