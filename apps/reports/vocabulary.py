"""The report's words that other apps own, read from them and always in Chinese.

- table 3's applicant columns and rows: apps.applications.enums (ApplicantType, RESULT_GROUPS and
  the rows around them);
- the proactive channels: apps.proactive.enums.Channel;
- table 4's groups and results: apps.litigation.enums (Group, Result, MEASURES).

The report never spells these again, so a new outcome row, applicant type or channel reaches every
format, its checks, its sentences and its charts (tests/reports/test_vocabulary.py renders each one).
"""

from __future__ import annotations

import functools

from django.utils import translation

from apps.applications.enums import (
    RESULT_GROUPS,
    RESULT_TOTAL_ROW,
    TABLE3_OUTER_ROWS,
    ApplicantType,
)
from apps.litigation.enums import MEASURES, CaseKind, Group, Result
from apps.proactive.enums import Channel

TOTAL = "总计"


def chinese(label) -> str:
    """A choice label as the report prints it: in Chinese whatever the language of the page."""
    with translation.override("zh-hans"):
        return str(label)


@functools.cache
def applicant_columns() -> tuple[tuple[str, str], ...]:
    """Table 3's six applicant columns (code, label), 自然人 first."""
    return tuple((code, chinese(label)) for code, label in ApplicantType.choices)


@functools.cache
def table3_columns() -> tuple[tuple[str, str], ...]:
    """The applicant columns and 总计, their sum."""
    return (*applicant_columns(), ("total", TOTAL))


def table3_column_label(code: str) -> str:
    return dict(table3_columns()).get(code, code)


@functools.cache
def _row_labels() -> dict[str, str]:
    labels = dict(TABLE3_OUTER_ROWS)
    labels[RESULT_TOTAL_ROW[0]] = RESULT_TOTAL_ROW[1]
    for group in RESULT_GROUPS:
        labels[group.code] = group.label  # a group printed as one row (the 2019 （六）其他处理)
        for code, label in group.rows:
            labels[code] = f"{group.label} {label}" if len(group.rows) > 1 else label
    return labels


def table3_row_label(code: str) -> str:
    """The label a check message names a row by, e.g. （三）不予公开 1.属于国家秘密."""
    return _row_labels().get(code, code)


@functools.cache
def channels() -> tuple[tuple[str, str], ...]:
    """Every proactive channel (code, label), 印发资料 (counted in copies, not items) included."""
    return tuple((code, chinese(label)) for code, label in Channel.choices)


def channel_label(code: str) -> str:
    return dict(channels()).get(code, code)


@functools.cache
def table4_groups() -> tuple[tuple[str, str], ...]:
    """Table 4's column groups: 行政复议, then the two 行政诉讼 routes."""
    return tuple((code, chinese(label)) for code, label in Group.choices)


@functools.cache
def table4_measures() -> tuple[tuple[str, str], ...]:
    """Each group's columns: the four results, then 总计, their sum."""
    results = {code: chinese(label) for code, label in Result.choices}
    return tuple((code, results.get(code, TOTAL)) for code in MEASURES)


def table4_results() -> tuple[tuple[str, str], ...]:
    """The measures without 总计."""
    return tuple((code, label) for code, label in table4_measures() if code != "total")


def litigation_label() -> str:
    """行政诉讼, over table 4's two lawsuit groups."""
    return chinese(CaseKind.LITIGATION.label)
