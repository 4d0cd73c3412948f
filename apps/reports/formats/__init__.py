"""Report formats as objects: one module per format declares its sections, its table layouts, its
merged rows, its preamble, its narrative and its charts as ``FORMAT``; the rest of the report app
asks ``format_of(report.format)`` instead of comparing format codes.

Adding a format: docs/domain/annual-report.md#adding-a-report-format.
"""

from __future__ import annotations

from apps.reports.formats import national_2021, pre_2019, trial_2019
from apps.reports.formats.base import Chart, Facts, ReportFormatSpec, SectionSpec, Table2Block

FORMATS: dict[str, ReportFormatSpec] = {
    spec.code: spec for spec in (national_2021.FORMAT, trial_2019.FORMAT, pre_2019.FORMAT)
}


def format_of(code: str) -> ReportFormatSpec:
    """The format object of a ReportFormat value."""
    return FORMATS[code]


__all__ = ["FORMATS", "Chart", "Facts", "ReportFormatSpec", "SectionSpec", "Table2Block", "format_of"]
