"""The fixed structure of each report format: section headings, table labels and merged-cell layouts.

Labels are copied exactly from REFERENCE.md §0 (seed report), §1.2.1 (six sections), §1.3 (table 2),
§1.4 (table 3), §1.5 (table 4) and §1.6 (2019 trial format). Full-width brackets and the Chinese
quotation marks are part of the labels. This module holds no data: only what the formats look like.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from apps.reports.enums import ReportFormat


@dataclass(frozen=True)
class SectionSpec:
    code: str
    heading: str  # may contain {next_year}
    level: int = 2  # 0 = untitled preamble, 2 = 一、…, 3 = （一）…
    narrative: bool = True  # an editable text field
    generated: bool = False  # pre-filled with sentences generated from the numbers
    required: bool = False  # publishing is refused while it is empty
    table: str | None = None  # "table2" / "table3" / "table4": a table generated from the numbers
    children: tuple[SectionSpec, ...] = field(default_factory=tuple)


PREAMBLE = SectionSpec("preamble", "", level=0, generated=True, required=True)

# REFERENCE.md §1.2.1. 🧠 MEMORY: the 2019 trial format (60号) used the same six headings; the
# retrieved sources confirm only its tables (§1.6), so the headings are shared here.
SIX_SECTIONS = (
    PREAMBLE,
    SectionSpec("overall", "一、总体情况", generated=True, required=True),
    SectionSpec("table2", "二、主动公开政府信息情况", narrative=False, table="table2"),
    SectionSpec("table3", "三、收到和处理政府信息公开申请情况", narrative=False, table="table3"),
    SectionSpec("table4", "四、政府信息公开行政复议、行政诉讼情况", narrative=False, table="table4"),
    SectionSpec("problems", "五、存在的主要问题及改进情况", required=True),
    SectionSpec("other", "六、其他需要报告的事项", generated=True, required=True),
)

# REFERENCE.md §0: the seed report's free layout, kept for reports of years before 2019.
PRE_2019_SECTIONS = (
    PREAMBLE,
    SectionSpec("overview", "一、概述", required=True),
    SectionSpec(
        "disclosure",
        "二、政府信息公开情况",
        narrative=False,
        children=(
            SectionSpec("proactive", "（一）主动公开情况", level=3, generated=True, required=True),
            SectionSpec("requests", "（二）依申请公开情况", level=3, generated=True, required=True),
            SectionSpec(
                "review",
                "（三）因政府信息公开申请行政复议、提出行政诉讼情况",
                level=3,
                generated=True,
                required=True,
            ),
            SectionSpec(
                "proposals",
                "（四）人大代表建议和政协委员提案办理结果情况",
                level=3,
                generated=True,
                required=True,
            ),
            SectionSpec("fees", "（五）政府信息公开相关费用情况", level=3, generated=True, required=True),
        ),
    ),
    SectionSpec("problems", "三、存在的主要问题", required=True),
    SectionSpec("improvements", "四、改进情况", required=True),
    SectionSpec("plans", "五、{next_year}年工作思路", required=True),
)


def sections_for(report_format: str) -> tuple[SectionSpec, ...]:
    if report_format == ReportFormat.PRE_2019:
        return PRE_2019_SECTIONS
    return SIX_SECTIONS


def flat_sections(report_format: str) -> list[SectionSpec]:
    """Every section in document order, sub-sections after their parent."""
    out: list[SectionSpec] = []
    for spec in sections_for(report_format):
        out.append(spec)
        out.extend(spec.children)
    return out


def narrative_sections(report_format: str) -> list[SectionSpec]:
    return [spec for spec in flat_sections(report_format) if spec.narrative]


# --- Table 3: 收到和处理政府信息公开申请情况 (REFERENCE.md §1.4) -----------------------------------

APPLICANT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("natural", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("public_interest", "社会公益组织"),
    ("legal_services", "法律服务机构"),
    ("other", "其他"),
)
TABLE3_COLUMNS: tuple[tuple[str, str], ...] = (*APPLICANT_COLUMNS, ("total", "总计"))
TABLE3_COLUMN_LABELS = dict(TABLE3_COLUMNS)
TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

RESULTS_HEADING = "三、本年度办理结果"

# (code, group label or "", own label). A group label heads a vertical cell spanning its rows.
_RESULT_ROWS_2021: tuple[tuple[str, str, str], ...] = (
    ("r1", "", "（一）予以公开"),
    ("r2", "", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("r3_1", "（三）不予公开", "1.属于国家秘密"),
    ("r3_2", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("r3_3", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("r3_4", "（三）不予公开", "4.保护第三方合法权益"),
    ("r3_5", "（三）不予公开", "5.属于三类内部事务信息"),
    ("r3_6", "（三）不予公开", "6.属于四类过程性信息"),
    ("r3_7", "（三）不予公开", "7.属于行政执法案卷"),
    ("r3_8", "（三）不予公开", "8.属于行政查询事项"),
    ("r4_1", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("r4_2", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("r4_3", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("r5_1", "（五）不予处理", "1.信访举报投诉类申请"),
    ("r5_2", "（五）不予处理", "2.重复申请"),
    ("r5_3", "（五）不予处理", "3.要求提供公开出版物"),
    ("r5_4", "（五）不予处理", "4.无正当理由大量反复申请"),
    ("r5_5", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    (
        "r6_1",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        "r6_2",
        "（六）其他处理",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("r6_3", "（六）其他处理", "3.其他"),
    ("r7", "", "（七）总计"),
)
# 2019 trial format: （六）其他处理 is one row (REFERENCE.md §1.6); "r6" = r6_1 + r6_2 + r6_3.
_RESULT_ROWS_2019 = tuple(row for row in _RESULT_ROWS_2021 if not row[0].startswith("r6_"))
_RESULT_ROWS_2019 = (*_RESULT_ROWS_2019[:-1], ("r6", "", "（六）其他处理"), _RESULT_ROWS_2019[-1])

TABLE3_TOP_ROWS = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried_in": "二、上年结转政府信息公开申请数量",
    "carried_out": "四、结转下年度继续办理",
}

#: The result rows whose sum is （七）总计 (consistency rule 3), 2021 codes.
RESULT_ROW_CODES: tuple[str, ...] = tuple(code for code, _g, _l in _RESULT_ROWS_2021 if code != "r7")
ALL_TABLE3_ROWS: tuple[str, ...] = ("new", "carried_in", *RESULT_ROW_CODES, "r7", "carried_out")


def table3_row_label(code: str) -> str:
    """The label a check message names a row by, e.g. （三）不予公开 1.属于国家秘密."""
    if code in TABLE3_TOP_ROWS:
        return TABLE3_TOP_ROWS[code]
    for row_code, group, label in (*_RESULT_ROWS_2021, *_RESULT_ROWS_2019):
        if row_code == code:
            return f"{group} {label}" if group else label
    return code


@dataclass(frozen=True)
class LabelCell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class TableRow:
    code: str
    label_cells: tuple[LabelCell, ...]


def table3_rows(report_format: str) -> list[TableRow]:
    """Table 3's rows with their label cells, merged as in the official template."""
    results = _RESULT_ROWS_2019 if report_format == ReportFormat.TRIAL_2019 else _RESULT_ROWS_2021
    rows = [
        TableRow("new", (LabelCell(TABLE3_TOP_ROWS["new"], colspan=3),)),
        TableRow("carried_in", (LabelCell(TABLE3_TOP_ROWS["carried_in"], colspan=3),)),
    ]
    group_sizes: dict[str, int] = {}
    for _code, group, _label in results:
        if group:
            group_sizes[group] = group_sizes.get(group, 0) + 1
    seen_groups: set[str] = set()
    for index, (code, group, label) in enumerate(results):
        cells: list[LabelCell] = []
        if index == 0:
            cells.append(LabelCell(RESULTS_HEADING, rowspan=len(results)))
        if group:
            if group not in seen_groups:
                seen_groups.add(group)
                cells.append(LabelCell(group, rowspan=group_sizes[group]))
            cells.append(LabelCell(label))
        else:
            cells.append(LabelCell(label, colspan=2))
        rows.append(TableRow(code, tuple(cells)))
    rows.append(TableRow("carried_out", (LabelCell(TABLE3_TOP_ROWS["carried_out"], colspan=3),)))
    return rows


# --- Table 4: 政府信息公开行政复议、行政诉讼情况 (REFERENCE.md §1.5) ----------------------------------

TABLE4_GROUPS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_review", "复议后起诉"),
)
TABLE4_MEASURES: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
TABLE4_GROUP_LABELS = dict(TABLE4_GROUPS)
TABLE4_MEASURE_LABELS = dict(TABLE4_MEASURES)

# --- Table 2: 主动公开政府信息情况 (REFERENCE.md §1.3, §1.6) -------------------------------------------


@dataclass(frozen=True)
class Table2Block:
    caption: str
    header: tuple[str, ...]  # the first is 信息内容; one value header spans the rest when alone
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (label, value paths into the table2 stats)


TABLE2_2021 = (
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

# 2019 trial format (国办公开办函〔2019〕60号). 🔧 DERIVED: 本年新制作数量 = 本年新公开数量 = documents
# issued in the year; 对外公开总数量 = documents in force at the year's end. The other cells are the
# organ's YearTally figures (entered per year like the 2021 ones).
TABLE2_CHANGE_HEADER = "本年增/减"  # the one column whose cells may be negative
TABLE2_2019 = (
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
        ("信息内容", "上一年项目数量", TABLE2_CHANGE_HEADER, "处理决定数量"),
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
        ("信息内容", "上一年项目数量", TABLE2_CHANGE_HEADER, "处理决定数量"),
        (
            ("行政处罚", ("punishment_items_last_year", "punishment_items_change", "punishment")),
            ("行政强制", ("enforcement_items_last_year", "enforcement_items_change", "enforcement")),
        ),
    ),
    Table2Block(
        "第二十条第（八）项",
        ("信息内容", "上一年项目数量", TABLE2_CHANGE_HEADER),
        (("行政事业性收费", ("fees_items_last_year", "fees_items_change")),),
    ),
    Table2Block(
        "第二十条第（九）项",
        ("信息内容", "采购项目数量", "采购总金额"),
        (("政府集中采购", ("procurement_items", "procurement_wan_yuan")),),
    ),
)

#: The 2019 header "采购总金额" names no unit; the amount is kept in 万元 and the cell says so.
TABLE2_CELL_UNITS = {"procurement_wan_yuan": "万元"}


def table2_cells(report_format: str) -> list[tuple[str, str, str, str]]:
    """(caption, row label, column header, value path) of every table-2 cell the format prints.

    The checks ask this which figures must be entered and which may be negative: the pre-2019
    free layout prints no table 2, so none of its figures is required.
    """
    return [
        (block.caption, label, block.header[1 + i], path)
        for block in table2_blocks(report_format)
        for label, paths in block.rows
        for i, path in enumerate(paths)
    ]


def table2_blocks(report_format: str) -> tuple[Table2Block, ...]:
    """The format's table 2; none for a format without a table-2 section (pre-2019)."""
    if not any(spec.table == "table2" for spec in flat_sections(report_format)):
        return ()
    return TABLE2_2019 if report_format == ReportFormat.TRIAL_2019 else TABLE2_2021


CHANNEL_LABELS: tuple[tuple[str, str], ...] = (
    ("website", "门户网站"),
    ("new_media", "政务新媒体"),
    ("newspaper", "报纸"),
    ("broadcast", "广播电视"),
    ("press_conference", "新闻发布会"),
    ("reading_point", "公开查阅点"),
    ("printed", "印发资料"),
)
