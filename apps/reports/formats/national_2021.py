"""The 2021 format, 《中华人民共和国政府信息公开工作年度报告格式》 (国办公开办函〔2021〕30号): six sections
with tables 2, 3 and 4, for the reports of 2021 onwards (docs/domain/annual-report.md#formats).
"""

from __future__ import annotations

from apps.reports import narrative
from apps.reports.enums import ReportFormat
from apps.reports.formats.base import PREAMBLE, Chart, Facts, ReportFormatSpec, SectionSpec, Table2Block

# Exact headings: docs/domain/annual-report.md#section-headings.
SIX_SECTIONS = (
    PREAMBLE,
    SectionSpec("overall", "一、总体情况", required=True),
    SectionSpec("table2", "二、主动公开政府信息情况", narrative=False, table="table2"),
    SectionSpec("table3", "三、收到和处理政府信息公开申请情况", narrative=False, table="table3"),
    SectionSpec("table4", "四、政府信息公开行政复议、行政诉讼情况", narrative=False, table="table4"),
    SectionSpec("problems", "五、存在的主要问题及改进情况", required=True),
    SectionSpec("other", "六、其他需要报告的事项", required=True),
)

# docs/domain/annual-report.md#table-2-proactive-disclosure
TABLE2 = (
    Table2Block(
        "第二十条第（一）项",
        ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
        (
            ("规章", ("rule.issued", "rule.repealed", "rule.in_force")),
            ("行政规范性文件", ("normative.issued", "normative.repealed", "normative.in_force")),
        ),
    ),
    Table2Block("第二十条第（五）项", ("信息内容", "本年处理决定数量"), (("行政许可", ("licensing",)),)),
    Table2Block(
        "第二十条第（六）项",
        ("信息内容", "本年处理决定数量"),
        (("行政处罚", ("punishment",)), ("行政强制", ("enforcement",))),
    ),
    Table2Block(
        "第二十条第（八）项",
        ("信息内容", "本年收费金额（单位：万元）"),
        (("行政事业性收费", ("fees_wan_yuan",)),),
    ),
)


def preamble(facts: Facts) -> str:
    return (
        f"本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》"
        f"要求编制，由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议"
        f"和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分组成。"
        f"报告中所列数据的统计期限自{facts.year}年1月1日起至{facts.year}年12月31日止。"
    )


def overall(facts: Facts) -> str:
    """一、总体情况: its （一） and （二） from the numbers; staff write the rest."""
    proactive = narrative.proactive_sentences(facts.stats, year=facts.year)
    requests = narrative.applications_summary(facts.stats, year=facts.year, organ_name=facts.organ_name)
    return "\n".join(
        ["（一）主动公开政府信息情况。" + proactive.replace("\n", ""), "（二）依申请公开情况。" + requests]
    )


def other(facts: Facts) -> str:
    """六、其他需要报告的事项: the 信息处理费 collected and the 建议提案 handled."""
    return "\n".join(
        [
            narrative.fee_sentence(facts.stats, year=facts.year, organ_name=facts.organ_name),
            narrative.proposal_sentences(facts.stats, year=facts.year, organ_name=facts.organ_name),
        ]
    )


FORMAT = ReportFormatSpec(
    code=ReportFormat.NATIONAL_2021,
    sections=SIX_SECTIONS,
    preamble=preamble,
    narrative={"overall": overall, "other": other},
    table2=TABLE2,
    charts=(Chart.OUTCOMES, Chart.CHANNELS, Chart.TREND),
)
