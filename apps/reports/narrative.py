"""Sentences generated from the numbers, which the formats (apps/reports/formats/) assemble into
the sections they pre-fill.

Staff edit the text afterwards; a refresh replaces a section only while its text is still the one
generated last time (services.report_compile), so generation never overwrites staff's wording.
Each function takes the frozen statistics dict (Decimals as strings) and returns paragraphs joined by
newlines: the renderer makes one <p> per line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from apps.applications.enums import RESULT_GROUPS
from apps.proactive.enums import Approximation, Channel, format_quantity
from apps.reports.vocabulary import channels as channel_labels
from apps.reports.vocabulary import table4_results

ORDINALS = "一二三四五六七八九十"
_SENTENCE_END = "。；，、：！？;,:!?"


def _n(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _dec(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def format_rate(value: Any) -> str:
    """100 -> "100%", 92.50 -> "92.5%"."""
    rate = _dec(value)
    if rate is None:
        return "—"
    text = f"{rate.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return f"{text}%"


def format_amount(value: Any) -> str:
    amount = _dec(value)
    if amount is None:
        return "0"
    text = f"{amount:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def join_titles(titles: list[str]) -> str:
    """《招商指南》和《项目册》; three or more: 《甲》、《乙》和《丙》."""
    quoted = [t if t.startswith("《") else f"《{t}》" for t in titles]
    if len(quoted) <= 1:
        return "".join(quoted)
    return "、".join(quoted[:-1]) + "和" + quoted[-1]


def combined_approximation(qualifiers: Iterable[str]) -> str:
    """The qualifier of a sum, from the qualifiers of its parts (Approximation values).

    A sum is exact only when every part is. Any 约 part makes the sum 约: the truth may be
    below the stated sum, so 余 would claim too much. Otherwise any 余 part makes it 余 (a little
    more than the sum, whatever the 以上 parts add); otherwise any 以上 part makes it 以上 (at
    least the sum). 1500余册 + 1000册 = 2500余册; 1500余册 + 约1000册 = 约2500册.
    """
    present = set(qualifiers)
    for qualifier in (Approximation.ABOUT, Approximation.MORE, Approximation.AT_LEAST):
        if qualifier in present:
            return qualifier
    return Approximation.EXACT


def _sentence(text: str) -> str:
    """A clerk's sentence without its final punctuation, ready to be joined into a longer one."""
    return text.strip().rstrip(_SENTENCE_END).strip()


def _points(points: Sequence[str]) -> str:
    """一是…；二是…；三是… (a single point is printed alone), ending with 。."""
    if len(points) == 1:
        return f"{points[0]}。"
    return "；".join(f"{ORDINALS[i]}是{point}" for i, point in enumerate(points)) + "。"


def proactive_figures(stats: Mapping[str, Any]) -> dict[str, Any]:
    """The 主动公开 figures as printed, qualifiers included: "12条", "2500余册"."""
    channels = stats.get("channels") or {}
    notes = stats.get("proactive_notes") or {}
    counts = notes.get("counts") or {}
    by_channel = {
        code: format_quantity(_n(channels.get(code)), "条", combined_approximation(counts.get(code) or []))
        for code in Channel.itemised()
    }
    itemised = [code for code in by_channel if _n(channels.get(code))]
    total = format_quantity(
        _n(channels.get("total")),
        "条",
        combined_approximation(q for code in itemised for q in counts.get(code) or []),
    )
    printed = stats.get("printed") or {}
    items = [item for item in printed.get("items") or [] if _n(item.get("copies"))]
    copies = notes.get("copies") or {}
    printed_total = _n(printed.get("total"))
    return {
        "total": total,
        "channels": by_channel,
        "printed_titles": join_titles([item["title"] for item in items]),
        "printed": format_quantity(
            printed_total,
            "册",
            combined_approximation(q for item in items for q in copies.get(item["title"]) or []),
        )
        if printed_total
        else "",
    }


def result_group_totals(table3: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, int]]:
    """(name, applications) of each result group of table 3: 予以公开, 部分公开, 不予公开, …"""
    return [
        (group.name, sum(_n((table3.get(row) or {}).get("total")) for row in group.row_codes))
        for group in RESULT_GROUPS
    ]


def proactive_sentences(stats: Mapping[str, Any], *, year: int, details: bool = False) -> str:
    """The 主动公开 paragraph. With ``details`` (the free-layout report), a channel whose records
    carry the clerk's own sentences is told in those words, one point per channel
    (一是…；二是…), as the 2018 seed report does; the figures stay computed from the records."""
    channels = stats.get("channels") or {}
    figures = proactive_figures(stats)
    first = f"{year}年，共主动公开政府信息{figures['total']}。"
    sentences = ((stats.get("proactive_notes") or {}).get("details") or {}) if details else {}
    used = [code for code in Channel.itemised() if _n(channels.get(code))]
    printed = Channel.PRINTED if figures["printed"] else None
    if any(sentences.get(code) for code in [*used, printed] if code):
        points = []
        for code, label in channel_labels():
            if sentences.get(code) and (code in used or code == printed):
                points.append(_sentence("".join(_sentence(s) + "。" for s in sentences[code])))
            elif code in used:
                points.append(f"通过{label}公开{figures['channels'][code]}")
            elif code == printed:
                points.append(f"印发{figures['printed_titles'] or '资料'}{figures['printed']}")
        return first + _points(points)
    lines = []
    parts = [
        f"通过{label}公开{figures['channels'][code]}" for code, label in channel_labels() if code in used
    ]
    if parts and _n(channels.get("total")):
        first += "其中，" + "，".join(parts) + "。"
    lines.append(first)
    if figures["printed"]:
        lines.append(f"印发{figures['printed_titles'] or '资料'}共{figures['printed']}。")
    return "\n".join(line for line in lines if line)


def applications_summary(stats: Mapping[str, Any], *, year: int, organ_name: str) -> str:
    table3 = stats.get("table3") or {}
    new = _n((table3.get("new") or {}).get("total"))
    carried_in = _n((table3.get("carried_in") or {}).get("total"))
    if not new and not carried_in:
        return f"{year}年度，没有公民、法人和其他组织向{organ_name}提出政府信息公开申请。"
    groups = "，".join(f"{name}{n}件" for name, n in result_group_totals(table3))
    closed = _n((table3.get("r7") or {}).get("total"))
    carried_out = _n((table3.get("carried_out") or {}).get("total"))
    return (
        f"{year}年度，{organ_name}新收政府信息公开申请{new}件，上年结转{carried_in}件；"
        f"本年度办结{closed}件，其中{groups}；结转下年度继续办理{carried_out}件。"
    )


def fee_sentence(stats: Mapping[str, Any], *, year: int, organ_name: str) -> str:
    fees = stats.get("fees") or {}
    if _n(fees.get("count")):
        return (
            f"{year}年度，{organ_name}依据《政府信息公开信息处理费管理办法》对{_n(fees.get('count'))}件"
            f"申请收取信息处理费共{format_amount(fees.get('amount'))}元。"
        )
    return f"{year}年度，{organ_name}未收取信息处理费。"


def _measures(group: Mapping[str, Any]) -> str:
    return "，".join(f"{label}{_n(group.get(code))}件" for code, label in table4_results())


def review_sentences(stats: Mapping[str, Any], *, year: int, organ_name: str) -> str:
    table4 = stats.get("table4") or {}
    review = table4.get("review") or {}
    direct = table4.get("litigation_direct") or {}
    after = table4.get("litigation_after_review") or {}
    if not (_n(review.get("total")) or _n(direct.get("total")) or _n(after.get("total"))):
        return (
            f"{year}年度，没有公民、法人和其他组织因{organ_name}政府信息公开工作申请行政复议、提起行政诉讼。"
        )
    return (
        f"{year}年度，因政府信息公开工作，{organ_name}被申请行政复议{_n(review.get('total'))}件"
        f"（{_measures(review)}）；被提起行政诉讼{_n(direct.get('total')) + _n(after.get('total'))}件，"
        f"其中未经复议直接起诉{_n(direct.get('total'))}件（{_measures(direct)}），"
        f"复议后起诉{_n(after.get('total'))}件（{_measures(after)}）。"
    )


def proposal_sentences(
    stats: Mapping[str, Any], *, year: int, organ_name: str, handlings: Sequence[str] = ()
) -> str:
    """The 建议提案 sentence; ``handlings`` (the clerks' 办理情况, free-layout report) are told
    between the count and the rates, in the clerks' words."""
    proposals = stats.get("proposals") or {}
    npc = _n((proposals.get("npc") or {}).get("total"))
    cppcc = _n((proposals.get("cppcc") or {}).get("total"))
    everything = proposals.get("all") or {}
    total = _n(everything.get("total")) or npc + cppcc
    if not total:
        return f"{year}年度，{organ_name}未承办人大代表建议和政协委员提案。"
    parts = []
    if npc:
        parts.append(f"人大代表建议{npc}件")
    if cppcc:
        parts.append(f"政协委员提案{cppcc}件")
    answered = _n(everything.get("answered"))
    done = "已全部办结" if answered >= total else f"已办结{answered}件"
    completion = format_rate(everything.get("completion_rate"))
    satisfaction = everything.get("satisfaction_rate")
    if satisfaction is None:
        rates = f"办结率为{completion}"
    elif format_rate(satisfaction) == completion:
        rates = f"办结率和满意率均为{completion}"
    else:
        rates = f"办结率为{completion}，满意率为{format_rate(satisfaction)}"
    how = "；".join(_sentence(text) for text in handlings if _sentence(text))
    how = f"{how}，" if how else ""
    return f"{year}年，{organ_name}承办{'、'.join(parts)}，{how}{done}，{rates}。"


def expenditure_sentences(
    stats: Mapping[str, Any], *, year: int, organ_name: str, amount: Decimal | None, note: str
) -> str:
    if amount is None:
        lines = [f"{organ_name}没有用于政府信息公开工作的专项费用。"]
    else:
        lines = [f"{year}年度，{organ_name}用于政府信息公开工作的专项费用为{format_amount(amount)}万元。"]
    if note.strip():
        lines.append(note.strip())
    if _n((stats.get("fees") or {}).get("count")):
        lines.append(fee_sentence(stats, year=year, organ_name=organ_name))
    return "\n".join(lines)
