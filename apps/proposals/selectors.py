"""建议提案办理 figures for the annual report (一、总体情况 or 六、其他需要报告的事项)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from apps.proposals.enums import Feedback, ProposalKind, ResultCode
from apps.proposals.models import Proposal, ProposalQuerySet

_COUNTS = ("total", "answered", "feedback_received", "satisfied", "basically_satisfied", "dissatisfied")


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def proposal_stats(*, organ_ids: Sequence[int], year: int) -> dict[str, dict]:
    """{"npc": {...}, "cppcc": {...}, "all": {...}} for the proposals assigned (交办) in ``year``.

    Each: total, answered, completion_rate, feedback_received, satisfied,
    basically_satisfied, dissatisfied, satisfaction_rate, by_result {"A".."D"}.

    - The year of a proposal is the year of its 交办日期; every role (主办/协办/分办) counts,
      as 承办总件数 does.
    - State at 31 December of the year, so that a frozen report is reproducible: answered =
      replied by then; feedback = received by then; by_result counts the answered ones.
    - 办结率 (completion_rate) = answered / total (docs/domain/casework.md#rates).
    - 满意率 (satisfaction_rate) = (满意 + 基本满意) / feedback received. Some places divide by
      the total instead; the parts are all returned so the report can show either.
    Rates are percentages as Decimal with 2 places, None when the divisor is 0. One query.
    """
    end = dt.date(year, 12, 31)
    answered = Q(reply_date__lte=end)
    with_feedback = Q(feedback_date__lte=end)
    aggregates = {
        "total": Count("pk"),
        "answered": Count("pk", filter=answered),
        "feedback_received": Count("pk", filter=with_feedback),
        "satisfied": Count("pk", filter=with_feedback & Q(feedback=Feedback.SATISFIED)),
        "basically_satisfied": Count("pk", filter=with_feedback & Q(feedback=Feedback.BASICALLY_SATISFIED)),
        "dissatisfied": Count("pk", filter=with_feedback & Q(feedback=Feedback.DISSATISFIED)),
        **{
            f"result_{code}": Count("pk", filter=answered & Q(result_code=code)) for code in ResultCode.values
        },
    }
    rows = Proposal.objects.in_year(organ_ids, year).values("kind").annotate(**aggregates).order_by()
    raw = {kind: dict.fromkeys(aggregates, 0) for kind in ProposalKind.values}
    for row in rows:
        raw[row["kind"]] = {name: row[name] for name in aggregates}
    raw["all"] = {name: sum(raw[kind][name] for kind in ProposalKind.values) for name in aggregates}

    stats = {}
    for key, values in raw.items():
        block = {name: values[name] for name in _COUNTS}
        block["completion_rate"] = _rate(values["answered"], values["total"])
        block["satisfaction_rate"] = _rate(
            values["satisfied"] + values["basically_satisfied"], values["feedback_received"]
        )
        block["by_result"] = {code: values[f"result_{code}"] for code in ResultCode.values}
        stats[key] = block
    return stats


def proposal_handlings(*, organ_ids: Sequence[int], year: int) -> list[str]:
    """The clerks' 办理情况 sentences of the proposals proposal_stats counts, in 交办 order,
    each once (two proposals handled alike say it once). One query."""
    texts = (
        Proposal.objects.in_year(organ_ids, year)
        .exclude(handling="")
        .order_by("assigned_date", "kind", "number", "id")
        .values_list("handling", flat=True)
    )
    return list(dict.fromkeys(text.strip() for text in texts if text.strip()))


def proposals_in(*, organ_ids: Sequence[int], year: int, kind: str | None = None) -> ProposalQuerySet:
    """The proposals that proposal_stats counts, for drill-down lists."""
    if kind is not None and kind not in ProposalKind.values:
        raise ValueError(f"unknown proposal kind {kind!r}")
    qs = Proposal.objects.in_year(organ_ids, year).select_related("organ")
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs.order_by("assigned_date", "kind", "number", "id")


def published_replies(
    *, today: dt.date, organ_id: int | None = None, year: int | None = None, kind: str | None = None
) -> ProposalQuerySet:
    """The public 建议提案办理结果 column (国办发〔2014〕46号): replies published by ``today``,
    newest first; ``year`` is the year of publication."""
    qs = Proposal.objects.published(today).select_related("organ")
    if organ_id is not None:
        qs = qs.filter(organ_id=organ_id)
    if year is not None:
        qs = qs.filter(publish_date__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs.defer("note", "publish_reason", "handling").order_by("-publish_date", "-id")
