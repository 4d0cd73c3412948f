"""The report document as HTML: one fragment used by the public page, the staff preview and the PDF."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from apps.reports import charts
from apps.reports.compile import table2_value
from apps.reports.enums import ReportFormat
from apps.reports.layout import (
    APPLICANT_COLUMNS,
    CHANNEL_LABELS,
    RESULT_ROW_CODES,
    TABLE2_CELL_UNITS,
    TABLE3_COLUMNS,
    TABLE3_NOTE,
    TABLE4_GROUPS,
    TABLE4_MEASURES,
    SectionSpec,
    sections_for,
    table2_blocks,
    table3_rows,
)
from apps.reports.narrative import format_amount, proactive_figures

#: link(kind, **params) -> URL of the records a number counts, or None (public rendering).
LinkBuilder = Callable[..., str | None]


def _no_link(table: str, /, **params: Any) -> None:
    return None


@dataclass
class Cell:
    value: str
    url: str | None = None
    colspan: int = 1


@dataclass
class Block:
    spec: SectionSpec
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    children: list[Block] = field(default_factory=list)


def display(value: Any) -> str:
    """None is "not applicable" ("/"), "-" is "not recorded" ("—"), distinct from 0."""
    if value is None:
        return "/"
    if value == "-":
        return "—"
    if isinstance(value, str) and not value.isdigit():
        return format_amount(value)
    return str(value)


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _with_unit(text: str, unit: str) -> str:
    return f"{text}{unit}" if unit and text not in ("/", "—") else text


def table2_context(stats: Mapping[str, Any], report_format: str) -> list[dict[str, Any]]:
    table2 = stats.get("table2") or {}
    blocks = []
    for block in table2_blocks(report_format):
        values_count = len(block.header) - 1
        # A single value header spans the three value columns (本年处理决定数量 colspan=3).
        header = [Cell(block.header[0])] + [
            Cell(h, colspan=(4 - values_count if i == values_count - 1 else 1))
            for i, h in enumerate(block.header[1:])
        ]
        rows = []
        for label, paths in block.rows:
            cells = [
                Cell(
                    _with_unit(display(table2_value(table2, path)), TABLE2_CELL_UNITS.get(path, "")),
                    colspan=(4 - len(paths) if i == len(paths) - 1 else 1),
                )
                for i, path in enumerate(paths)
            ]
            rows.append({"label": label, "cells": cells})
        blocks.append({"caption": block.caption, "header": header, "rows": rows})
    return blocks


def _table3_stats(stats: Mapping[str, Any], report_format: str) -> dict[str, dict[str, int]]:
    table3 = dict(stats.get("table3") or {})
    if report_format == ReportFormat.TRIAL_2019:
        table3["r6"] = {
            col: sum(int((table3.get(r) or {}).get(col) or 0) for r in ("r6_1", "r6_2", "r6_3"))
            for col, _l in TABLE3_COLUMNS
        }
    return table3


def table3_context(stats: Mapping[str, Any], report_format: str, link: LinkBuilder) -> list[dict[str, Any]]:
    table3 = _table3_stats(stats, report_format)
    rows = []
    for row in table3_rows(report_format):
        values = table3.get(row.code) or {}
        cells = [
            Cell(
                str(int(values.get(col) or 0)),
                # The merged 2019 （六） row has no single selector row to drill into.
                url=None if row.code == "r6" else link("table3", row=row.code, column=col),
            )
            for col, _label in TABLE3_COLUMNS
        ]
        rows.append({"code": row.code, "labels": row.label_cells, "cells": cells})
    return rows


def split_table3(rows: list[dict[str, Any]], keep: int) -> list[list[dict[str, Any]]]:
    """Table 3's rows in two parts, the first ``keep`` rows and the rest, for a page break.

    A row label spanning rows across the break (三、本年度办理结果, （三）不予公开 …) is cut in
    two: the first part keeps the rows above the break, and the label is repeated, spanning
    the remaining rows, at the head of the second part. Spanning labels nest (the outer one
    starts first), so repeating them in the order they started keeps the columns in place.
    """
    first = [dict(row, labels=list(row["labels"])) for row in rows[:keep]]
    rest = [dict(row, labels=list(row["labels"])) for row in rows[keep:]]
    carried = []
    for index, row in enumerate(first):
        for position, label in enumerate(row["labels"]):
            end = index + label.rowspan
            if end > keep:
                row["labels"][position] = replace(label, rowspan=keep - index)
                carried.append(replace(label, rowspan=end - keep))
    if rest:
        rest[0]["labels"] = carried + rest[0]["labels"]
    return [first, rest]


def table4_context(stats: Mapping[str, Any], link: LinkBuilder) -> list[Cell]:
    table4 = stats.get("table4") or {}
    return [
        Cell(
            str(int((table4.get(group) or {}).get(measure) or 0)),
            url=link("table4", group=group, measure=measure),
        )
        for group, _g in TABLE4_GROUPS
        for measure, _m in TABLE4_MEASURES
    ]


def charts_context(stats: Mapping[str, Any]) -> list[str]:
    """The charts that carry information: none is drawn with fewer than two non-zero bars (an
    all-zero chart, or one bar repeating a sentence of the text) or as a "trend" of one year.
    Printed materials are copies (册), not items (条): they stay out of the channel chart."""
    table3 = stats.get("table3") or {}

    def total(*rows: str) -> int:
        return sum(int((table3.get(r) or {}).get("total") or 0) for r in rows)

    def group(prefix: str) -> list[str]:
        return [code for code in RESULT_ROW_CODES if code.split("_")[0] == prefix]

    def informative(items: list[tuple[str, int, str]]) -> bool:
        return sum(1 for _label, value, _text in items if value) >= 2

    outcomes = [
        (label, value, f"{value}件")
        for label, value in (
            ("予以公开", total("r1")),
            ("部分公开", total("r2")),
            ("不予公开", total(*group("r3"))),
            ("无法提供", total(*group("r4"))),
            ("不予处理", total(*group("r5"))),
            ("其他处理", total(*group("r6"))),
            ("结转下年度", total("carried_out")),
        )
    ]
    channels = stats.get("channels") or {}
    printed_as = proactive_figures(stats)["channels"]
    by_channel = [
        (label, int(channels.get(code) or 0), printed_as[code])
        for code, label in CHANNEL_LABELS
        if code != "printed"
    ]
    trend = stats.get("trend") or []
    # The trend shows the years on record: leading years without any activity are left out.
    while trend and not (trend[0].get("applications") or trend[0].get("proactive")):
        trend = trend[1:]
    charts_drawn = []
    if informative(outcomes):
        charts_drawn.append(("政府信息公开申请办理结果", outcomes))
    if informative(by_channel):
        charts_drawn.append(("主动公开政府信息渠道", by_channel))
    svgs = [
        charts.bar_chart(f"图{number} {title}", items)
        for number, (title, items) in enumerate(charts_drawn, start=1)
    ]
    if len(trend) >= 2:
        svgs.append(
            charts.trend_chart(
                f"图{len(svgs) + 1} 历年新收申请与主动公开数量",
                [
                    (int(p["year"]), int(p.get("applications") or 0), int(p.get("proactive") or 0))
                    for p in trend
                ],
            )
        )
    return svgs


def build_blocks(report_format: str, texts: Mapping[str, str], *, next_year: int) -> list[Block]:
    def block(spec: SectionSpec) -> Block:
        return Block(
            spec=spec,
            heading=spec.heading.format(next_year=next_year),
            paragraphs=paragraphs(texts.get(spec.code, "")) if spec.narrative else [],
            children=[block(child) for child in spec.children],
        )

    return [block(spec) for spec in sections_for(report_format)]


def render_document(
    *,
    organ_name: str,
    year: int,
    report_format: str,
    stats: Mapping[str, Any],
    texts: Mapping[str, str],
    signature: str,
    signed_on: str,
    link: LinkBuilder | None = None,
    table3_split: int | None = None,
) -> str:
    """The report as an HTML fragment (<article>), from the frozen statistics and the texts.

    ``table3_split`` (the PDF only, see pdf.render_report_pdf) breaks table 3 after that many
    body rows into two tables, the second starting a page with the header repeated."""
    link = link or _no_link
    table3 = table3_context(stats, report_format, link)
    table3_parts = [table3] if table3_split is None else split_table3(table3, table3_split)
    context = {
        "organ_name": organ_name,
        "year": year,
        "title": f"{year}年政府信息公开工作年度报告",
        "format": report_format,
        "blocks": build_blocks(report_format, texts, next_year=year + 1),
        "table2": table2_context(stats, report_format),
        "table3_parts": table3_parts,
        "table3_note": TABLE3_NOTE,
        "applicant_columns": APPLICANT_COLUMNS,
        "table4": table4_context(stats, link),
        "table4_groups": TABLE4_GROUPS,
        "table4_measures": TABLE4_MEASURES,
        "charts": charts_context(stats),
        "signature": signature,
        "signed_on": signed_on,
    }
    return render_to_string("reports/document.html", context).strip()


def render_pdf_html(*, document: str, title: str) -> str:
    return render_to_string("reports/pdf.html", {"document": document, "title": title})


def render_standalone_html(*, document: str, title: str) -> str:
    """The report as one self-contained HTML file, styled as on the portal's report page (the
    styles are inside: the file opens without the site, e.g. sent by e-mail or archived)."""
    report_css = Path(finders.find("css/reports.css")).read_text(encoding="utf-8")
    return render_to_string(
        "reports/standalone.html", {"document": document, "title": title, "report_css": report_css}
    )
