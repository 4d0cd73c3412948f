"""The document layout of each format: exact labels and merged cells (REFERENCE.md §1.3–1.6)."""

import re

from apps.reports.enums import ReportFormat
from apps.reports.layout import table3_rows
from apps.reports.rendering import render_document


def _render(report_format, stats=None, texts=None):
    return render_document(
        organ_name="牡丹江市统计局",
        year=2020,
        report_format=report_format,
        stats=stats or {},
        texts=texts or {},
        signature="市统计局",
        signed_on="2021年1月",
    )


def test_2021_table3_has_the_official_merged_cells():
    rows = table3_rows(ReportFormat.NATIONAL_2021)
    assert len(rows) == 25
    first_result = rows[2]
    assert [(c.text, c.rowspan, c.colspan) for c in first_result.label_cells] == [
        ("三、本年度办理结果", 22, 1),
        ("（一）予以公开", 1, 2),
    ]
    groups = {
        c.text: c.rowspan
        for row in rows
        for c in row.label_cells
        if c.text.startswith("（") and c.rowspan > 1
    }
    assert groups == {"（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5, "（六）其他处理": 3}
    assert [c.colspan for c in rows[0].label_cells] == [3]


def test_2019_format_has_a_single_other_row_and_its_table2():
    rows = table3_rows(ReportFormat.TRIAL_2019)
    assert [r.code for r in rows if r.code.startswith("r6")] == ["r6"]
    assert rows[2].label_cells[0].rowspan == 20
    stats = {"table3": {"r6_1": {"total": 1, "natural": 1}, "r6_3": {"total": 2, "natural": 2}}}
    html = _render(ReportFormat.TRIAL_2019, stats)
    row = re.search(r'<tr class="row-r6">(.*?)</tr>', html, re.S).group(1)
    assert "（六）其他处理" in row and "<td>3</td>" in row
    for label in [
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "规范性文件",
        "其他对外管理服务事项",
        "第二十条第（九）项",
        "政府集中采购",
    ]:
        assert label in html
    assert "行政规范性文件" not in html


def test_2021_document_has_the_six_sections_and_table_labels():
    html = _render(
        ReportFormat.NATIONAL_2021, {"table2": {"rule": {"issued": None}, "fees_wan_yuan": "1.5000"}}
    )
    for heading in [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
        "本年收费金额（单位：万元）",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "3.危及“三安全一稳定”",
        '<th colspan="5" scope="colgroup">未经复议直接起诉</th>',
        '<th colspan="10" scope="colgroup">行政诉讼</th>',
    ]:
        assert heading in html, heading
    assert '<td colspan="3">1.5</td>' in html  # 万元, exact decimal
    assert "<td>/</td>" in html  # not applicable, distinct from 0
    assert "<svg" in html and "图3 历年新收申请与主动公开数量" in html
    assert "style=" not in html and "<script" not in html  # the CSP holds


def test_pre2019_document_names_the_next_year_plans():
    html = _render(ReportFormat.PRE_2019, texts={"plans": "继续推进。"})
    assert "五、2021年工作思路" in html and "<p>继续推进。</p>" in html
    assert "<table" not in html  # free layout: no tables
