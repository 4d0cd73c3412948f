"""Checks a report must pass before it is published (docs/domain/annual-report.md#checks-before-publishing).

Pure functions over the statistics dict (plus the membership problems the caller looked up), so they are
tested by feeding them numbers. Each failure names the cells, e.g.
表三「（七）总计」×「自然人」: 一+二=5, （七）+四=4, and the records involved when known.

Which checks apply to which format is asked of the format object (apps.reports.formats):
- table 2 (every figure entered or recorded as not applicable; never negative except 本年增/减):
  the cells the format's table2_cells() prints: the 2021 format's 行政许可/处罚/强制 decisions and
  收费金额, the 2019 trial format's 项目数量, 本年增/减, decisions and 政府集中采购 figures (国办公开办函
  〔2019〕60号); none for the pre-2019 free layout, which has no table 2;
- table 3 and table 4 consistency, the carry-in, the proposals' rates, and "no figure is negative"
  for tables 3 and 4, the proposals, the channels, the printed copies and the fees: every format
  (the pre-2019 layout prints the same figures as sentences in its section 二).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from apps.applications.enums import INCOMING_ROWS, OUTGOING_ROWS, RESULT_ROW_CODES
from apps.reports.compile import NOT_ENTERED, table2_value
from apps.reports.formats import format_of
from apps.reports.vocabulary import (
    applicant_columns,
    channel_label,
    table3_column_label,
    table3_columns,
    table3_row_label,
    table4_groups,
    table4_measures,
    table4_results,
)


@dataclass(frozen=True)
class RecordRef:
    label: str
    url: str | None = None


@dataclass(frozen=True)
class CheckFailure:
    code: str
    message: str
    records: tuple[RecordRef, ...] = field(default_factory=tuple)


def _n(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _cell(table3: Mapping[str, Any], row: str, col: str) -> int:
    return _n((table3.get(row) or {}).get(col))


def _t3(row: str, col: str) -> str:
    return f"表三「{table3_row_label(row)}」×「{table3_column_label(col)}」"


def check_table3_balance(table3: Mapping[str, Any]) -> list[CheckFailure]:
    """Rule 1: in every column 一 + 二 = （七）总计 + 四."""
    failures = []
    for col, _label in table3_columns():
        left = _cell(table3, "new", col) + _cell(table3, "carried_in", col)
        right = _cell(table3, "r7", col) + _cell(table3, "carried_out", col)
        if left != right:
            failures.append(
                CheckFailure("table3_balance", f"{_t3('r7', col)}: 一+二={left}, （七）+四={right}")
            )
    return failures


def check_table3_row_totals(table3: Mapping[str, Any]) -> list[CheckFailure]:
    """Rule 2: in every row 总计 = the sum of the six applicant columns."""
    failures = []
    for row in table3:
        parts = sum(_cell(table3, row, col) for col, _label in applicant_columns())
        total = _cell(table3, row, "total")
        if parts != total:
            failures.append(
                CheckFailure(
                    "table3_row_total",
                    f"{_t3(row, 'total')}: 总计={total}, 六类申请人之和={parts}",
                )
            )
    return failures


def check_table3_result_total(table3: Mapping[str, Any]) -> list[CheckFailure]:
    """Rule 3: （七）总计 = the sum of the result rows （一）…（六）, in every column."""
    failures = []
    for col, _label in table3_columns():
        parts = sum(_cell(table3, row, col) for row in RESULT_ROW_CODES)
        total = _cell(table3, "r7", col)
        if parts != total:
            failures.append(
                CheckFailure(
                    "table3_result_total",
                    f"{_t3('r7', col)}: （七）总计={total}, （一）至（六）之和={parts}",
                )
            )
    return failures


def check_carry_in(table3: Mapping[str, Any], previous: Mapping[str, Any] | None) -> list[CheckFailure]:
    """Rule 5: this year's 二、上年结转 = last year's 四、结转下年度继续办理 (the last published
    report of the organ when there is one, else last year's numbers as compiled now)."""
    if not previous or previous.get("carried_out") is None:
        return []
    carried_out = previous["carried_out"]
    if previous.get("source") == "published":
        origin = f"上年度已发布报告（第{previous.get('version')}版）"
    else:
        origin = "上年度统计"
    failures = []
    for col, _label in table3_columns():
        this_year = _cell(table3, "carried_in", col)
        last_year = _n(carried_out.get(col))
        if this_year != last_year:
            failures.append(
                CheckFailure(
                    "carry_in",
                    f"{_t3('carried_in', col)}: 本年={this_year}, {origin}「四、结转下年度继续办理」={last_year}",
                )
            )
    return failures


def check_table4_totals(table4: Mapping[str, Any]) -> list[CheckFailure]:
    """Table 4: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结 in each group."""
    failures = []
    for group, label in table4_groups():
        values = table4.get(group) or {}
        parts = sum(_n(values.get(code)) for code, _l in table4_results())
        total = _n(values.get("total"))
        if parts != total:
            failures.append(
                CheckFailure("table4_total", f"表四「{label}」×「总计」: 总计={total}, 四项之和={parts}")
            )
    return failures


def _rate(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal("-1")


PROPOSAL_KINDS = {"npc": "人大代表建议", "cppcc": "政协委员提案", "all": "建议提案合计"}
RATES = {"completion_rate": "办结率", "satisfaction_rate": "满意率"}


def check_proposal_rates(proposals: Mapping[str, Any]) -> list[CheckFailure]:
    """Rates are percentages: within 0–100 %, and answered never above the total."""
    failures = []
    for kind, kind_label in PROPOSAL_KINDS.items():
        values = proposals.get(kind) or {}
        for key, rate_label in RATES.items():
            rate = _rate(values.get(key))
            if rate is not None and not (Decimal(0) <= rate <= Decimal(100)):
                failures.append(
                    CheckFailure(
                        "proposal_rate", f"{kind_label}「{rate_label}」={values.get(key)}%，应在0–100%之间"
                    )
                )
        if _n(values.get("answered")) > _n(values.get("total")):
            failures.append(
                CheckFailure(
                    "proposal_rate",
                    f"{kind_label}: 已办结{_n(values.get('answered'))}件，多于承办总数{_n(values.get('total'))}件",
                )
            )
    return failures


def _number(value: Any) -> Decimal | None:
    """A figure as a number, or None when it is not one (bools and garbage included)."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _t2(caption: str, label: str, header: str) -> str:
    return f"表二「{caption}」「{label}」×「{header}」"


def check_table2_entered(
    table2: Mapping[str, Any],
    report_format: str,
    *,
    organ_name: Callable[[int], str] | None = None,
    tally_ref: Callable[[int], RecordRef] | None = None,
) -> list[CheckFailure]:
    """Every table-2 cell the format prints holds a number or "not applicable" (None, "/").

    NOT_ENTERED (also what a figure missing from the statistics reads as) refuses publication: a
    blank is never printed as 0 or "/". The failure names the organs that have not entered it.
    """
    owing_of = table2.get("not_entered") or {}
    failures, seen = [], set()
    for caption, label, header, path in format_of(report_format).table2_cells():
        if path in seen:
            continue
        seen.add(path)
        if table2_value(table2, path) != NOT_ENTERED:
            continue
        owing = [int(pk) for pk in owing_of.get(path) or ()]
        message = _("%(cell)s尚未填报：请填写数字（没有的填0），本机关无此项职权的勾选“不适用”。") % {
            "cell": _t2(caption, label, header)
        }
        if owing and organ_name is not None:
            message += _("未填报的机关：%(organs)s。") % {"organs": "、".join(organ_name(pk) for pk in owing)}
        refs = tuple(tally_ref(pk) for pk in owing) if tally_ref is not None else ()
        failures.append(CheckFailure("table2_not_entered", message, refs))
    return failures


def _sign_failure(code: str, cell: str, value: Any, *, signed: bool = False) -> CheckFailure | None:
    number = _number(value)
    if number is None:
        return CheckFailure(code, _("%(cell)s=%(value)s，不是数字") % {"cell": cell, "value": value})
    if number < 0 and not signed:
        return CheckFailure(code, _("%(cell)s=%(value)s，不能为负数") % {"cell": cell, "value": value})
    return None


PROPOSAL_FIGURES = {
    "total": "承办总数",
    "answered": "已办结",
    "feedback_received": "收到反馈",
    "satisfied": "满意",
    "basically_satisfied": "基本满意",
    "dissatisfied": "不满意",
}


def check_not_negative(stats: Mapping[str, Any], report_format: str) -> list[CheckFailure]:
    """No figure of the report is negative (or not a number): every cell of tables 2, 3 and 4,
    the proposals' figures, the channels, the printed copies and the fees.

    Table 2: the cells the format prints, except 本年增/减, a change; "/" (None) and not entered
    are left to check_table2_entered. Tables 3 and 4: every cell, whatever the format.
    """
    failures: list[CheckFailure | None] = []
    table2 = stats.get("table2") or {}
    fmt = format_of(report_format)
    for caption, label, header, path in fmt.table2_cells():
        value = table2_value(table2, path)
        if value is not None and value != NOT_ENTERED:
            cell = _t2(caption, label, header)
            signed = header in fmt.table2_signed_headers
            failures.append(_sign_failure("table2_negative", cell, value, signed=signed))
    cells: list[tuple[str, str, Any]] = []
    for row, values in (stats.get("table3") or {}).items():
        for col, value in (values or {}).items():
            cells.append(("table3_negative", _t3(row, col), value))
    group_labels, measure_labels = dict(table4_groups()), dict(table4_measures())
    for group, values in (stats.get("table4") or {}).items():
        for measure, value in (values or {}).items():
            cell = f"表四「{group_labels.get(group, group)}」×「{measure_labels.get(measure, measure)}」"
            cells.append(("table4_negative", cell, value))
    for kind, values in (stats.get("proposals") or {}).items():
        kind_label = PROPOSAL_KINDS.get(kind, kind)
        for key, label in PROPOSAL_FIGURES.items():
            if key in (values or {}):
                cells.append(("proposal_negative", f"{kind_label}「{label}」", values[key]))
        for code, value in ((values or {}).get("by_result") or {}).items():
            cells.append(("proposal_negative", f"{kind_label}「办理结果{code}类」", value))
    for code, value in (stats.get("channels") or {}).items():
        label = "合计" if code == "total" else channel_label(code)
        cells.append(("channel_negative", f"主动公开「{label}」", value))
    printed = stats.get("printed") or {}
    for item in printed.get("items") or []:
        cells.append(("printed_negative", f"印发资料「{item.get('title')}」册数", item.get("copies")))
    if "total" in printed:
        cells.append(("printed_negative", "印发资料合计册数", printed["total"]))
    fees = stats.get("fees") or {}
    for key, label in (("count", "收取信息处理费件数"), ("amount", "收取信息处理费金额")):
        if key in fees:
            cells.append(("fees_negative", label, fees[key]))
    failures += [_sign_failure(code, cell, value) for code, cell, value in cells]
    return [f for f in failures if f is not None]


def check_row_membership(
    problems: Iterable[Mapping[str, Any]],
    *,
    record_ref: Callable[[int], RecordRef] = lambda pk: RecordRef(f"#{pk}"),
) -> list[CheckFailure]:
    """Rule 4: each application is counted in exactly one of 一/二 and exactly one of the result rows
    and 四 (so in exactly one result row at most).

    problems: [{"id": pk, "rows": [row codes]}] of the applications breaking the rule only (see
    applications.selectors.row_membership_problems): the database finds them, so the check costs the
    same however many applications the report counts.
    """
    failures = []
    missing, extra = [], []
    for problem in sorted(problems, key=lambda p: p["id"]):
        pk, rows = problem["id"], list(problem["rows"])
        incoming = [r for r in rows if r in INCOMING_ROWS]
        outgoing = [r for r in rows if r in OUTGOING_ROWS]
        if len(incoming) > 1 or len(outgoing) > 1:
            twice = [*(incoming if len(incoming) > 1 else ()), *(outgoing if len(outgoing) > 1 else ())]
            names = "、".join(f"「{table3_row_label(r)}」" for r in twice)
            failures.append(
                CheckFailure("counted_twice", f"表三: 申请#{pk} 同时计入 {names}", (record_ref(pk),))
            )
        if incoming and not outgoing:
            missing.append(pk)
        if outgoing and not incoming:
            extra.append(pk)
    if missing:
        failures.append(
            CheckFailure(
                "not_counted",
                f"表三: {len(missing)}件申请计入「一」或「二」，但未计入任何办理结果行，也未计入「四、结转下年度继续办理」",
                tuple(record_ref(pk) for pk in missing[:50]),
            )
        )
    if extra:
        failures.append(
            CheckFailure(
                "not_received",
                f"表三: {len(extra)}件申请计入办理结果或「四」，但未计入「一、本年新收」或「二、上年结转」",
                tuple(record_ref(pk) for pk in extra[:50]),
            )
        )
    return failures


def check_sections(sections: Iterable[tuple[str, str, str]]) -> list[CheckFailure]:
    """Required narrative sections must not be empty: (code, heading, text) of each required one."""
    return [
        CheckFailure("empty_section", f"「{heading or '导语'}」尚未填写")
        for _code, heading, text in sections
        if not text.strip()
    ]


def run_checks(
    stats: Mapping[str, Any],
    *,
    report_format: str,
    membership_problems: Iterable[Mapping[str, Any]] | None = None,
    record_ref: Callable[[int], RecordRef] | None = None,
    organ_name: Callable[[int], str] | None = None,
    tally_ref: Callable[[int], RecordRef] | None = None,
    required_sections: Iterable[tuple[str, str, str]] = (),
) -> list[CheckFailure]:
    """Every check, for a report of ``report_format`` (the format decides the table-2 cells)."""
    table3 = stats.get("table3") or {}
    failures = [
        *check_table2_entered(
            stats.get("table2") or {}, report_format, organ_name=organ_name, tally_ref=tally_ref
        ),
        *check_not_negative(stats, report_format),
        *check_table3_row_totals(table3),
        *check_table3_result_total(table3),
        *check_table3_balance(table3),
        *check_carry_in(table3, stats.get("previous")),
        *check_table4_totals(stats.get("table4") or {}),
        *check_proposal_rates(stats.get("proposals") or {}),
    ]
    ref_kwargs = {"record_ref": record_ref} if record_ref else {}
    if membership_problems is not None:
        failures += check_row_membership(membership_problems, **ref_kwargs)
    failures += check_sections(required_sections)
    return failures
