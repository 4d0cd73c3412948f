"""The 2019 trial format, 《中华人民共和国政府信息公开工作年度报告格式（试行）》 (国办公开办函〔2019〕60号),
for the 2019 and 2020 reports (docs/domain/annual-report.md#the-2019-trial-format).

It differs from the 2021 format in table 2 and in table 3, where （六）其他处理 is one row.
"""

from __future__ import annotations

from apps.reports.enums import ReportFormat
from apps.reports.formats import national_2021
from apps.reports.formats.base import ReportFormatSpec, Table2Block

#: The one column whose cells may be negative: a change in the number of items.
CHANGE_HEADER = "本年增/减"

# 🔧 本年新制作数量 = 本年新公开数量 = documents issued in the year; 对外公开总数量 = documents in force at
# the year's end. The other cells are the organ's YearTally figures (entered per year like the 2021 ones).
TABLE2 = (
    Table2Block(
        "第二十条第（一）项",
        ("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"),
        (
            ("规章", ("rule.issued", "rule.issued", "rule.in_force")),
            ("规范性文件", ("normative.issued", "normative.issued", "normative.in_force")),
        ),
    ),
    Table2Block(
        "第二十条第（五）项",
        ("信息内容", "上一年项目数量", CHANGE_HEADER, "处理决定数量"),
        (
            ("行政许可", ("licensing_items_last_year", "licensing_items_change", "licensing")),
            (
                "其他对外管理服务事项",
                ("other_services_items_last_year", "other_services_items_change", "other_services"),
            ),
        ),
    ),
    Table2Block(
        "第二十条第（六）项",
        ("信息内容", "上一年项目数量", CHANGE_HEADER, "处理决定数量"),
        (
            ("行政处罚", ("punishment_items_last_year", "punishment_items_change", "punishment")),
            ("行政强制", ("enforcement_items_last_year", "enforcement_items_change", "enforcement")),
        ),
    ),
    Table2Block(
        "第二十条第（八）项",
        ("信息内容", "上一年项目数量", CHANGE_HEADER),
        (("行政事业性收费", ("fees_items_last_year", "fees_items_change")),),
    ),
    Table2Block(
        "第二十条第（九）项",
        ("信息内容", "采购项目数量", "采购总金额"),
        (("政府集中采购", ("procurement_items", "procurement_wan_yuan")),),
    ),
)

FORMAT = ReportFormatSpec(
    code=ReportFormat.TRIAL_2019,
    # 🧠 The same six headings as 2021: the retrieved sources confirm only the 2019 tables.
    sections=national_2021.SIX_SECTIONS,
    preamble=national_2021.preamble,
    narrative=national_2021.FORMAT.narrative,
    table2=TABLE2,
    # The header 采购总金额 names no unit; the amount is kept in 万元 and the cell says so.
    table2_units={"procurement_wan_yuan": "万元"},
    table2_signed_headers=frozenset({CHANGE_HEADER}),
    merged_result_groups=("r6",),  # （六）其他处理 = r6_1 + r6_2 + r6_3
    charts=national_2021.FORMAT.charts,
)
