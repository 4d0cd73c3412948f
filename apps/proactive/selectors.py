"""Reads for report table 2 and the 主动公开 part of 一、总体情况, which the annual report calls.

Every function takes the organs to cover (one organ, or a government and its
departments for a city-wide roll-up) and a calendar year, runs a fixed number of
queries and returns plain data that the report can freeze as JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Min, Sum

from apps.catalog.selectors import normative_document_counts
from apps.proactive.enums import Channel, NormativeKind
from apps.proactive.models import NOT_ENTERED, Publication, PublicationQuerySet, Table2Override, YearTally


def channel_counts(*, organ_ids: Sequence[int], year: int) -> dict[str, int]:
    """Items of information disclosed per channel in the year, plus "total". One query.

    A record counts for its ``count`` (one record may stand for several items).
    "printed" counts 印发资料 records (a reprint counts again); "total" leaves them out,
    because the seed report counts "共主动公开政府信息12条" as 8 website items + 4 newspaper
    articles and reports the 2,500 printed copies separately (see printed_copies;
    docs/domain/catalog.md#proactive-disclosure-records-outside-the-catalog).
    """
    rows = (
        Publication.objects.in_year(organ_ids, year)
        .values("channel")
        .annotate(items=Sum("count"))
        .order_by("channel")
    )
    counts = dict.fromkeys(Channel.values, 0)
    for row in rows:
        counts[row["channel"]] = row["items"]
    counts["total"] = sum(counts[c] for c in Channel.itemised())
    return counts


def printed_copies(*, organ_ids: Sequence[int], year: int) -> list[dict]:
    """印发资料 of the year by title: [{"title": "招商指南", "copies": 1500}, ...]. One query.

    Records with the same title (reprints in the year) are added up; titles come in
    the order they were first printed. There is no total row: the total is
    ``sum(row["copies"] for row in rows)``.
    """
    rows = (
        Publication.objects.in_year(organ_ids, year)
        .filter(channel=Channel.PRINTED)
        .values("title")
        .annotate(copies=Sum("copies"), first=Min("date"))
        .order_by("first", "title")
    )
    return [{"title": row["title"], "copies": row["copies"]} for row in rows]


def publications_in(
    *, organ_ids: Sequence[int], year: int, channel: str | None = None
) -> PublicationQuerySet:
    """The records behind channel_counts / printed_copies, for drill-down lists."""
    if channel is not None and channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    qs = Publication.objects.in_year(organ_ids, year).select_related("organ", "catalog_entry")
    if channel is not None:
        qs = qs.filter(channel=channel)
    return qs.order_by("date", "id")


def table2(*, organ_ids: Sequence[int], year: int) -> dict:
    """Report table 2, the cells of both the 2021 and the 2019 trial format. At most 4 queries.

    Returns {"rule": {"issued", "repealed", "in_force"}, "normative": {...}, "licensing",
    "punishment", "enforcement", "fees_wan_yuan", … (every YearTally.MEASURES name),
    "not_entered": {figure: [organ ids]}, "tally_ids": {organ id: tally id},
    "tally_missing_organ_ids": [...]}.

    - 规章 / 行政规范性文件 come from the catalog (apps.catalog.selectors.normative_document_counts),
      except for organs that set a Table2Override for that row and year: their hand counts
      replace their catalog counts.
    - The other figures (行政许可/处罚/强制, 行政事业性收费 万元, and the 2019 trial format's
      项目数量, 本年增/减, 其他对外管理服务事项, 政府集中采购) come from YearTally, one key per
      YearTally.MEASURES name. Each is a number, None for "not applicable" (printed "/",
      distinct from 0) or NOT_ENTERED ("-") while any organ covered has not entered it (an
      organ without a tally for the year has entered nothing). Over several organs the numbers
      are added up and the organs without the power add nothing; the figure is None only when
      no organ has the power. "not_entered" maps each figure not entered to the organs that
      still owe it, "tally_ids" each organ to its tally (for links), and
      "tally_missing_organ_ids" lists the organs with no tally at all.
    """
    organ_ids = list(organ_ids)
    return {**_normative_rows(organ_ids, year), **_tally_figures(organ_ids, year)}


def _normative_rows(organ_ids: list[int], year: int) -> dict[str, dict]:
    """规章 and 行政规范性文件: catalog counts, replaced by the hand counts of Table2Override."""
    overrides = list(Table2Override.objects.filter(organ_id__in=organ_ids, year=year))
    overridden = {kind: {o.organ_id for o in overrides if o.kind == kind} for kind in NormativeKind.values}

    # One catalog query per distinct set of organs still counted from the catalog: one in the
    # usual case (no override), two when 规章 and 行政规范性文件 are overridden for different organs.
    catalog: dict[str, dict] = {}
    by_organs: dict[frozenset, dict] = {}
    for kind in NormativeKind.values:
        from_catalog = frozenset(set(organ_ids) - overridden[kind])
        if from_catalog not in by_organs:
            by_organs[from_catalog] = (
                normative_document_counts(organ_ids=sorted(from_catalog), year=year) if from_catalog else {}
            )
        catalog[kind] = by_organs[from_catalog].get(kind, {"issued": 0, "repealed": 0, "in_force": 0})

    result: dict = {}
    for kind in NormativeKind.values:
        row = dict(catalog[kind])
        hand = [o for o in overrides if o.kind == kind]
        for measure in ("issued", "repealed", "in_force"):
            values = [o.counts()[measure] for o in hand]
            if not values:
                continue
            if all(v is None for v in values) and not (set(organ_ids) - overridden[kind]):
                row[measure] = None  # every organ said "not applicable"
            else:
                row[measure] = (row[measure] or 0) + sum(v for v in values if v is not None)
        result[kind] = row
    return result


def _tally_figures(organ_ids: list[int], year: int) -> dict:
    """The YearTally figures added up over the organs, with who has not entered which."""
    tallies = {t.organ_id: t for t in YearTally.objects.filter(organ_id__in=organ_ids, year=year)}
    result: dict = {"not_entered": {}}
    for measure in YearTally.MEASURES:
        states = [tallies[pk].state(measure) if pk in tallies else NOT_ENTERED for pk in organ_ids]
        numbers = [v for v in states if v is not None and v != NOT_ENTERED]
        owing = [pk for pk, v in zip(organ_ids, states, strict=True) if v == NOT_ENTERED]
        if owing:
            result[measure] = NOT_ENTERED
            result["not_entered"][measure] = owing
        elif not numbers:
            result[measure] = None
        elif measure in YearTally.AMOUNTS:
            result[measure] = sum(numbers, Decimal("0.0000"))
        else:
            result[measure] = sum(numbers)
    result["tally_ids"] = {pk: tally.pk for pk, tally in tallies.items()}
    result["tally_missing_organ_ids"] = [pk for pk in organ_ids if pk not in tallies]
    return result


def report_notes(*, organ_ids: Sequence[int], year: int) -> dict:
    """What the report says with channel_counts and printed_copies besides the numbers. One query.

    Returns {"counts": {channel: [qualifiers]}, "copies": {title: [qualifiers]},
    "details": {channel: [sentences]}}:

    - the qualifiers (Approximation values other than exact) of the records behind each
      channel's item count, and behind each printed title's copies (by title, as
      printed_copies groups them), each once; a channel or title without any is left out.
      The report combines them into the qualifier of each figure it prints ("2500余册").
    - the clerks' detail sentences of each channel's records, in date order, each once.
    """
    rows = (
        Publication.objects.in_year(organ_ids, year)
        .exclude(approximation="", detail="")
        .order_by("date", "id")
        .values_list("channel", "title", "approximation", "detail")
    )
    counts: dict[str, list[str]] = {}
    copies: dict[str, list[str]] = {}
    details: dict[str, list[str]] = {}
    for channel, title, approximation, detail in rows:
        # The qualifier is that of the record's quantity: copies for 印发资料, items otherwise.
        qualifiers = (
            copies.setdefault(title, []) if channel == Channel.PRINTED else counts.setdefault(channel, [])
        )
        if approximation and approximation not in qualifiers:
            qualifiers.append(approximation)
        sentences = details.setdefault(channel, [])
        if detail.strip() and detail.strip() not in sentences:
            sentences.append(detail.strip())
    return {
        "counts": {k: v for k, v in counts.items() if v},
        "copies": {k: v for k, v in copies.items() if v},
        "details": {k: v for k, v in details.items() if v},
    }
