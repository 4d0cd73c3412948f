"""The report document as HTML: one fragment used by the public page, the staff preview and the PDF."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from apps.applications.enums import ApplicantType
from apps.proactive.enums import Channel
from apps.reports import charts
from apps.reports.compile import table2_value
from apps.reports.formats import Chart, ReportFormatSpec, SectionSpec, format_of
from apps.reports.narrative import format_amount, proactive_figures, result_group_totals
from apps.reports.tables import TABLE3_NOTE, table3_values
from apps.reports.vocabulary import (
    applicant_columns,
    channel_label,
    litigation_label,
    table3_columns,
    table4_groups,
    table4_measures,
)

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


def table2_context(stats: Mapping[str, Any], fmt: ReportFormatSpec) -> list[dict[str, Any]]:
    table2 = stats.get("table2") or {}
    blocks = []
    for block in fmt.table2:
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
                    _with_unit(display(table2_value(table2, path)), fmt.table2_units.get(path, "")),
                    colspan=(4 - len(paths) if i == len(paths) - 1 else 1),
                )
                for i, path in enumerate(paths)
            ]
            rows.append({"label": label, "cells": cells})
        blocks.append({"caption": block.caption, "header": header, "rows": rows})
    return blocks


def table3_context(
    stats: Mapping[str, Any], fmt: ReportFormatSpec, link: LinkBuilder
) -> list[dict[str, Any]]:
    table3 = table3_values(stats, fmt.merged_result_groups)
    rows = []
    for row in fmt.table3_rows():
        values = table3.get(row.code) or {}
        cells = [
            Cell(
                str(int(values.get(col) or 0)),
                # A merged row (the 2019 （六）) has no single selector row to drill into.
                url=None
                if row.code in fmt.merged_result_groups
                else link("table3", row=row.code, column=col),
            )
            for col, _label in table3_columns()
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
        for group, _g in table4_groups()
        for measure, _m in table4_measures()
    ]


def _informative(items: list[tuple[str, int, str]]) -> bool:
    """At least two non-zero bars: an all-zero chart, or one bar repeating a sentence of the text,
    says nothing."""
    return sum(1 for _label, value, _text in items if value) >= 2


def _outcome_bars(stats: Mapping[str, Any]) -> list[tuple[str, int, str]]:
    carried_out = int(((stats.get("table3") or {}).get("carried_out") or {}).get("total") or 0)
    totals = [*result_group_totals(stats.get("table3") or {}), ("结转下年度", carried_out)]
    return [(name, value, f"{value}件") for name, value in totals]


def _channel_bars(stats: Mapping[str, Any]) -> list[tuple[str, int, str]]:
    """Items (条) per channel; printed materials are copies (册), not items: they stay out."""
    channels = stats.get("channels") or {}
    printed_as = proactive_figures(stats)["channels"]
    return [
        (channel_label(code), int(channels.get(code) or 0), printed_as[code]) for code in Channel.itemised()
    ]


def _trend_points(stats: Mapping[str, Any]) -> list[tuple[int, int, int]]:
    """The years on record: leading years without any activity are left out."""
    trend = list(stats.get("trend") or [])
    while trend and not (trend[0].get("applications") or trend[0].get("proactive")):
        trend = trend[1:]
    return [(int(p["year"]), int(p.get("applications") or 0), int(p.get("proactive") or 0)) for p in trend]


def charts_context(stats: Mapping[str, Any], fmt: ReportFormatSpec) -> list[str]:
    """The charts the format declares that carry information: a bar chart with at least two
    non-zero bars, a trend of at least two years. Numbered in the order drawn."""
    svgs: list[str] = []
    for chart in fmt.charts:
        number = len(svgs) + 1
        if chart == Chart.OUTCOMES and _informative(bars := _outcome_bars(stats)):
            svgs.append(charts.bar_chart(f"图{number} 政府信息公开申请办理结果", bars))
        elif chart == Chart.CHANNELS and _informative(bars := _channel_bars(stats)):
            svgs.append(charts.bar_chart(f"图{number} 主动公开政府信息渠道", bars))
        elif chart == Chart.TREND and len(points := _trend_points(stats)) >= 2:
            svgs.append(charts.trend_chart(f"图{number} 历年新收申请与主动公开数量", points))
    return svgs


def build_blocks(fmt: ReportFormatSpec, texts: Mapping[str, str], *, next_year: int) -> list[Block]:
    def block(spec: SectionSpec) -> Block:
        return Block(
            spec=spec,
            heading=spec.heading.format(next_year=next_year),
            paragraphs=paragraphs(texts.get(spec.code, "")) if spec.narrative else [],
            children=[block(child) for child in spec.children],
        )

    return [block(spec) for spec in fmt.sections]


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
    fmt = format_of(report_format)
    table3 = table3_context(stats, fmt, link)
    table3_parts = [table3] if table3_split is None else split_table3(table3, table3_split)
    context = {
        "organ_name": organ_name,
        "year": year,
        "title": f"{year}年政府信息公开工作年度报告",
        "format": report_format,
        "blocks": build_blocks(fmt, texts, next_year=year + 1),
        "table2": table2_context(stats, fmt),
        "table3_parts": table3_parts,
        "table3_note": TABLE3_NOTE,
        "natural_person_column": dict(applicant_columns())[ApplicantType.NATURAL],
        "organisation_columns": [
            (code, label) for code, label in applicant_columns() if code != ApplicantType.NATURAL
        ],
        "table4": table4_context(stats, link),
        # 行政复议, then 行政诉讼 over its two routes, each with every measure.
        "table4_review_group": table4_groups()[0][1],
        "table4_lawsuit_groups": table4_groups()[1:],
        "litigation_label": litigation_label(),
        "litigation_colspan": len(table4_groups()[1:]) * len(table4_measures()),
        "table4_measures": table4_measures(),
        "charts": charts_context(stats, fmt),
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
