"""Reads of the catalog that other apps (proactive records, reports) use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Q

from apps.catalog.enums import DocumentKind, Status, Validity
from apps.catalog.models import CatalogEntry


def normative_document_counts(*, organ_ids: Sequence[int], year: int) -> dict[str, dict[str, int]]:
    """规章 and 行政规范性文件 for report table 2 (第二十条第（一）项), derived from the catalog.

    Returns {"rule": {"issued": n, "repealed": n, "in_force": n}, "normative": {...}}:
    - issued (本年制发件数): published entries whose 成文日期 (else 发布日期) falls in the year;
    - repealed (本年废止件数): entries whose 废止日期 falls in the year;
    - in_force (现行有效件数): issued by the year's end and not repealed or expired by then.
    One query whatever the number of entries.
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    base = CatalogEntry.objects.filter(
        organ_id__in=organ_ids,
        status=Status.PUBLISHED,
        document_kind__in=[DocumentKind.RULE, DocumentKind.NORMATIVE],
    )
    issued_on = Q(written_date__range=(start, end)) | Q(
        written_date__isnull=True, publish_date__range=(start, end)
    )
    issued_by_end = Q(written_date__lte=end) | Q(written_date__isnull=True, publish_date__lte=end)
    still_in_force = Q(expiry_date__isnull=True) | Q(expiry_date__gt=end)
    # Validity is the entry's current state; an entry marked 已失效/已废止 without a date
    # cannot be placed in time, so it counts as no longer in force.
    no_undated_end = ~Q(validity__in=list(Validity.no_longer_in_force()), expiry_date__isnull=True)
    rows = base.values("document_kind").annotate(
        issued=Count("pk", filter=issued_on),
        repealed=Count("pk", filter=Q(expiry_date__range=(start, end))),
        in_force=Count("pk", filter=issued_by_end & still_in_force & no_undated_end),
    )
    result = {
        kind: {"issued": 0, "repealed": 0, "in_force": 0}
        for kind in (DocumentKind.RULE, DocumentKind.NORMATIVE)
    }
    for row in rows:
        result[row["document_kind"]] = {k: row[k] for k in ("issued", "repealed", "in_force")}
    return {str(k): v for k, v in result.items()}
