"""Gather a report's statistics from the other apps' selectors.

gather_statistics() runs a fixed number of queries whatever the amount of data: every selector it
calls is itself fixed-cost, it calls each a fixed number of times (the trend covers a fixed window
of TREND_YEARS years: the applications of the whole window come from one yearly_counts query, the
full table 3 only for the report's year), and the previous report is one lookup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from apps.applications import selectors as applications
from apps.applications.enums import TABLE3_COLUMNS, TABLE3_ROW_CODES
from apps.litigation import selectors as litigation
from apps.organs.models import Organ
from apps.proactive import selectors as proactive
from apps.proactive.enums import Channel
from apps.proposals import selectors as proposals

TREND_YEARS = 5
SCHEMA = 1


def organ_ids_for(organ: Organ) -> list[int]:
    """A government's report adds up the government and its departments (city-wide roll-up)."""
    if organ.kind == Organ.Kind.GOVERNMENT:
        return sorted(Organ.objects.with_children(organ).values_list("pk", flat=True))
    return [organ.pk]


def jsonable(value: Any) -> Any:
    """Statistics are frozen as JSON: Decimals become strings (exact), dates ISO strings."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _normalise_row(raw: Mapping[str, int] | None) -> dict[str, int]:
    return {col: int((raw or {}).get(col) or 0) for col in TABLE3_COLUMNS}


def _normalise_table3(raw: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    return {row: _normalise_row(raw.get(row)) for row in TABLE3_ROW_CODES}


def _printed(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """proactive.selectors.printed_copies with its total."""
    items = [{"title": str(row["title"]), "copies": int(row["copies"])} for row in rows]
    return {"items": items, "total": sum(item["copies"] for item in items)}


def gather_statistics(*, organ: Organ, year: int, organ_ids: Sequence[int] | None = None) -> dict[str, Any]:
    """Every number of the report of `organ` for `year`, as a JSON-ready dict."""
    from apps.reports.selectors import previous_published_carry_out

    ids = list(organ_ids) if organ_ids is not None else organ_ids_for(organ)
    trend_years = list(range(year - TREND_YEARS + 1, year + 1))
    # One query for the applications of the whole trend window (and last year's carry-out);
    # the full table 3 only for the report's year.
    yearly = applications.yearly_counts(organ_ids=ids, years=trend_years)
    table3 = _normalise_table3(applications.outcome_counts(organ_ids=ids, year=year))
    trend_channels: dict[int, Mapping[str, int]] = {
        y: proactive.channel_counts(organ_ids=ids, year=y) for y in trend_years
    }
    # TREND_YEARS >= 2, so last year's carry-out (for the cross-year check) is already at hand.
    previous_compiled = _normalise_row(yearly[year - 1]["carried_out"])
    channels = {code: int(trend_channels[year].get(code) or 0) for code in Channel.values}
    channels["total"] = int(trend_channels[year].get("total") or sum(channels.values()))
    published = previous_published_carry_out(organ=organ, year=year - 1)
    stats = {
        "schema": SCHEMA,
        "organ_ids": ids,
        "year": year,
        "table2": proactive.table2(organ_ids=ids, year=year),
        "channels": channels,
        "printed": _printed(proactive.printed_copies(organ_ids=ids, year=year)),
        # The qualifiers ("2500余册") and the clerks' own sentences that go with the figures.
        "proactive_notes": proactive.report_notes(organ_ids=ids, year=year),
        "table3": table3,
        "fees": applications.fee_totals(organ_ids=ids, year=year),
        "table4": litigation.table4(organ_ids=ids, year=year),
        "proposals": proposals.proposal_stats(organ_ids=ids, year=year),
        "proposal_handlings": proposals.proposal_handlings(organ_ids=ids, year=year),
        "trend": [
            {
                "year": y,
                "applications": int(yearly[y]["new"].get("total") or 0),
                "proactive": int(trend_channels[y].get("total") or 0),
            }
            for y in trend_years
        ],
        "previous": (
            {"source": "published", "version": published[0], "carried_out": published[1]}
            if published is not None
            else {"source": "compiled", "version": None, "carried_out": previous_compiled}
        ),
    }
    return jsonable(stats)


#: A table-2 figure nobody entered (apps.proactive.selectors.table2); printed "—", never published.
NOT_ENTERED = "-"


def table2_value(table2: Mapping[str, Any], path: str) -> Any:
    """A cell of table 2 by its path ("rule.issued", "licensing"): a number, None for not
    applicable, NOT_ENTERED. A path missing from the statistics is NOT_ENTERED too, so that an
    old or partial statistics dict never prints a blank as "/"."""
    value: Any = table2
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return NOT_ENTERED
        value = value[part]
    return value
