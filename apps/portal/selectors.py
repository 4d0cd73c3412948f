"""Reads of the column pages that no single domain app answers."""

from __future__ import annotations

from apps.organs.models import Organ
from apps.reports.selectors import published_reports


def published_report_years(*, organ: Organ) -> list[int]:
    """Years of the organ's published 政府信息公开工作年度报告, newest first (one query)."""
    return sorted(set(published_reports().filter(organ=organ).values_list("year", flat=True)), reverse=True)
