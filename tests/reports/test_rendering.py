"""The document layout of each format: exact labels and merged cells
(docs/domain/annual-report.md#formats)."""

import re

from apps.reports.enums import ReportFormat
from apps.reports.formats import format_of
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
    rows = format_of(ReportFormat.NATIONAL_2021).table3_rows()
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
    rows = format_of(ReportFormat.TRIAL_2019).table3_rows()
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
    assert "<svg" not in html and "附图" not in html  # no figures to draw: no chart at all
    assert "style=" not in html and "<script" not in html  # the CSP holds


def test_pre2019_document_names_the_next_year_plans():
    html = _render(ReportFormat.PRE_2019, texts={"plans": "继续推进。"})
    assert "五、2021年工作思路" in html and "<p>继续推进。</p>" in html
    assert "<table" not in html  # free layout: no tables


def _bars(svg: str) -> list[str]:
    """The value labels a bar chart prints, in order."""
    return re.findall(r'font-size="12" fill="#222222">([^<]*)</text>', svg)


NATIONAL = format_of(ReportFormat.NATIONAL_2021)


def test_a_chart_is_drawn_only_where_it_carries_information():
    from apps.reports.rendering import charts_context

    assert charts_context({}, NATIONAL) == []
    # One channel, one outcome, one year on record: each would repeat one sentence of the text.
    one_each = {
        "channels": {"website": 8, "printed": 2, "total": 8},
        "table3": {"r1": {"total": 3}},
        "trend": [
            {"year": 2017, "applications": 0, "proactive": 0},
            {"year": 2018, "applications": 3, "proactive": 8},
        ],
    }
    assert charts_context(one_each, NATIONAL) == []
    two_years = dict(one_each, trend=[*one_each["trend"], {"year": 2019, "applications": 1, "proactive": 5}])
    (trend,) = charts_context(two_years, NATIONAL)
    assert "图1 历年新收申请与主动公开数量" in trend and "2017年" not in trend  # leading empty years left out


def test_the_channel_chart_counts_items_and_keeps_printed_copies_out():
    from apps.reports.rendering import charts_context

    stats = {
        "channels": {"website": 8, "newspaper": 4, "printed": 1, "total": 12},
        "printed": {"items": [{"title": "招商指南", "copies": 2500}], "total": 2500},
        "proactive_notes": {"counts": {"newspaper": ["about"]}, "copies": {"招商指南": ["more"]}},
    }
    (chart,) = charts_context(stats, NATIONAL)
    assert "图1 主动公开政府信息渠道" in chart
    assert "印发资料" not in chart and "2500" not in chart
    assert _bars(chart)[:3] == ["8条", "0条", "约4条"]  # the record's qualifier, as in the text


def test_each_format_draws_the_charts_it_declares_and_the_free_layout_none():
    from apps.reports.rendering import charts_context

    stats = {
        "channels": {"website": 8, "newspaper": 4, "total": 12},
        "table3": {"r1": {"total": 3}, "r2": {"total": 1}},
        "trend": [
            {"year": 2017, "applications": 2, "proactive": 9},
            {"year": 2018, "applications": 4, "proactive": 12},
        ],
    }
    titles = ["图1 政府信息公开申请办理结果", "图2 主动公开政府信息渠道", "图3 历年新收申请与主动公开数量"]
    for report_format in (ReportFormat.NATIONAL_2021, ReportFormat.TRIAL_2019):
        drawn = charts_context(stats, format_of(report_format))
        assert [title in svg for title, svg in zip(titles, drawn, strict=True)] == [True] * 3
    # The published free-layout reports had none.
    assert charts_context(stats, format_of(ReportFormat.PRE_2019)) == []
    assert "附图" not in _render(ReportFormat.PRE_2019, stats)


def test_split_table3_repeats_the_spanning_labels_at_the_head_of_the_second_part():
    from apps.reports.rendering import split_table3, table3_context

    rows = table3_context({}, NATIONAL, lambda *a, **k: None)
    codes = [row["code"] for row in rows]
    keep = codes.index("r3_4")  # inside （三）不予公开 (r3_1 … r3_8)
    first, rest = split_table3(rows, keep)
    assert [r["code"] for r in first + rest] == codes
    spans = {label.text: label.rowspan for row in first for label in row["labels"] if label.rowspan > 1}
    assert spans == {"三、本年度办理结果": keep - 2, "（三）不予公开": 3}
    head = [(label.text, label.rowspan) for label in rest[0]["labels"]]
    assert head == [
        ("三、本年度办理结果", 22 - (keep - 2)),
        ("（三）不予公开", 5),
        ("4.保护第三方合法权益", 1),
    ]
    # Every row of each part still has its three label columns.
    for part in (first, rest):
        open_spans: list[int] = []
        for row in part:
            width = sum(label.colspan for label in row["labels"]) + len(open_spans)
            assert width == 3, row["code"]
            open_spans = [n - 1 for n in open_spans if n > 1] + [
                label.rowspan - 1 for label in row["labels"] if label.rowspan > 1
            ]
    assert rows[2]["labels"][0].rowspan == 22  # the whole table is left as it was


def test_a_split_table3_is_two_tables_each_with_its_header():
    html = _render(ReportFormat.NATIONAL_2021)
    assert html.count("申请人情况") == 1 and "report-table3-split" not in html
    from apps.reports.rendering import render_document

    split = render_document(
        organ_name="牡丹江市统计局",
        year=2020,
        report_format=ReportFormat.NATIONAL_2021,
        stats={},
        texts={},
        signature="市统计局",
        signed_on="2021年1月",
        table3_split=10,
    )
    assert split.count("申请人情况") == 2 and split.count("三、本年度办理结果") == 2
    assert 'class="report-table report-table3 report-table3-continued"' in split
    assert "report-table3-split" in split
