"""The free layout of the reports before the 2019 条例, as in the seed report (牡丹江市经济合作促进局
《2018年政府信息公开工作年度报告》): narrative sections only, no table and no chart
(docs/domain/annual-report.md#the-pre-2019-free-layout-and-the-seed-report).

Section 二 tells the figures in sentences, generated from the same statistics as the tables of
the national formats.
"""

from __future__ import annotations

from apps.reports import narrative
from apps.reports.enums import ReportFormat
from apps.reports.formats.base import PREAMBLE, Facts, ReportFormatSpec, SectionSpec


def _sub(code: str, heading: str) -> SectionSpec:
    return SectionSpec(code, heading, level=3, required=True)


SECTIONS = (
    PREAMBLE,
    SectionSpec("overview", "一、概述", required=True),
    SectionSpec(
        "disclosure",
        "二、政府信息公开情况",
        narrative=False,
        children=(
            _sub("proactive", "（一）主动公开情况"),
            _sub("requests", "（二）依申请公开情况"),
            _sub("review", "（三）因政府信息公开申请行政复议、提出行政诉讼情况"),
            _sub("proposals", "（四）人大代表建议和政协委员提案办理结果情况"),
            _sub("fees", "（五）政府信息公开相关费用情况"),
        ),
    ),
    SectionSpec("problems", "三、存在的主要问题", required=True),
    SectionSpec("improvements", "四、改进情况", required=True),
    SectionSpec("plans", "五、{next_year}年工作思路", required=True),
)


def preamble(facts: Facts) -> str:
    return (
        f"按照《中华人民共和国政府信息公开条例》和有关要求，现将{facts.organ_name}{facts.year}年度"
        f"政府信息公开工作情况报告如下："
    )


def proactive(facts: Facts) -> str:
    # Each channel in the clerk's own words where the records carry them, as the seed does.
    return narrative.proactive_sentences(facts.stats, year=facts.year, details=True)


def requests(facts: Facts) -> str:
    return narrative.applications_summary(facts.stats, year=facts.year, organ_name=facts.organ_name)


def review(facts: Facts) -> str:
    return narrative.review_sentences(facts.stats, year=facts.year, organ_name=facts.organ_name)


def proposals(facts: Facts) -> str:
    return narrative.proposal_sentences(
        facts.stats,
        year=facts.year,
        organ_name=facts.organ_name,
        handlings=facts.stats.get("proposal_handlings") or (),
    )


def fees(facts: Facts) -> str:
    return narrative.expenditure_sentences(
        facts.stats,
        year=facts.year,
        organ_name=facts.organ_name,
        amount=facts.dedicated_expenditure,
        note=facts.dedicated_expenditure_note,
    )


FORMAT = ReportFormatSpec(
    code=ReportFormat.PRE_2019,
    sections=SECTIONS,
    preamble=preamble,
    narrative={
        "proactive": proactive,
        "requests": requests,
        "review": review,
        "proposals": proposals,
        "fees": fees,
    },
    # The published free-layout reports had no charts.
    charts=(),
)
