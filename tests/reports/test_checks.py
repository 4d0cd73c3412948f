"""The pre-publication checks, fed numbers directly (docs/domain/annual-report.md#checks-before-publishing)."""

from apps.applications.enums import TABLE3_COLUMNS, TABLE3_ROW_CODES
from apps.reports.checks import (
    RecordRef,
    check_carry_in,
    check_not_negative,
    check_proposal_rates,
    check_row_membership,
    check_table2_entered,
    check_table4_totals,
    run_checks,
)
from apps.reports.enums import ReportFormat

NATIONAL_2021 = ReportFormat.NATIONAL_2021


def empty_table3():
    return {row: dict.fromkeys(TABLE3_COLUMNS, 0) for row in TABLE3_ROW_CODES}


def put(table3, row, col, n):
    table3[row][col] = n
    table3[row]["total"] = sum(v for c, v in table3[row].items() if c != "total")


def consistent_table3():
    t = empty_table3()
    put(t, "new", "natural", 4)
    put(t, "carried_in", "natural", 1)
    put(t, "r1", "natural", 3)
    put(t, "r4_1", "natural", 1)
    put(t, "r7", "natural", 4)
    put(t, "carried_out", "natural", 1)
    return t


def entered_table2():
    """The 2021 format's table 2 with every figure entered (fees not applicable)."""
    return {
        "rule": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative": {"issued": 1, "repealed": 0, "in_force": 5},
        "licensing": 12,
        "punishment": 0,
        "enforcement": 0,
        "fees_wan_yuan": None,
        "not_entered": {},
    }


def stats_with(table3):
    return {"table2": entered_table2(), "table3": table3, "table4": {}, "proposals": {}}


def test_consistent_numbers_pass_every_check():
    assert run_checks(stats_with(consistent_table3()), report_format=NATIONAL_2021) == []


def test_balance_failure_names_the_cell_and_both_sums():
    t = consistent_table3()
    put(t, "new", "natural", 5)  # one application received but neither closed nor carried out
    messages = [f.message for f in run_checks(stats_with(t), report_format=NATIONAL_2021)]
    assert "表三「（七）总计」×「自然人」: 一+二=6, （七）+四=5" in messages
    assert "表三「（七）总计」×「总计」: 一+二=6, （七）+四=5" in messages


def test_row_total_failure_names_the_row():
    t = consistent_table3()
    t["r1"]["total"] = 2
    messages = [f.message for f in run_checks(stats_with(t), report_format=NATIONAL_2021)]
    assert "表三「（一）予以公开」×「总计」: 总计=2, 六类申请人之和=3" in messages


def test_result_total_failure_when_seven_is_not_the_sum():
    t = consistent_table3()
    put(t, "r7", "natural", 5)
    messages = [f.message for f in run_checks(stats_with(t), report_format=NATIONAL_2021)]
    assert "表三「（七）总计」×「自然人」: （七）总计=5, （一）至（六）之和=4" in messages


def test_carry_in_must_equal_last_published_carry_out():
    t = consistent_table3()
    previous = {"source": "published", "version": 2, "carried_out": {"natural": 3, "total": 3}}
    messages = [f.message for f in check_carry_in(t, previous)]
    assert messages == [
        "表三「二、上年结转政府信息公开申请数量」×「自然人」: 本年=1, 上年度已发布报告（第2版）「四、结转下年度继续办理」=3",
        "表三「二、上年结转政府信息公开申请数量」×「总计」: 本年=1, 上年度已发布报告（第2版）「四、结转下年度继续办理」=3",
    ]


def test_table4_total_must_be_the_sum_of_four():
    failures = check_table4_totals({"review": {"upheld": 1, "corrected": 1, "total": 1}})
    assert [f.message for f in failures] == ["表四「行政复议」×「总计」: 总计=1, 四项之和=2"]


def test_proposal_rates_within_0_and_100():
    failures = check_proposal_rates({"all": {"total": 1, "answered": 2, "completion_rate": "200.00"}})
    assert [f.message for f in failures] == [
        "建议提案合计「办结率」=200.00%，应在0–100%之间",
        "建议提案合计: 已办结2件，多于承办总数1件",
    ]


def test_membership_finds_applications_counted_twice_or_not_at_all():
    problems = [
        {"id": 1, "rows": ["new", "r1", "r2"]},
        {"id": 2, "rows": ["new"]},
        {"id": 3, "rows": ["new"]},
        {"id": 9, "rows": ["carried_out"]},
    ]
    failures = check_row_membership(problems, record_ref=lambda pk: RecordRef(f"#{pk}", f"/admin/x/{pk}/"))
    by_code = {f.code: f for f in failures}
    assert (
        by_code["counted_twice"].message
        == "表三: 申请#1 同时计入 「（一）予以公开」「（二）部分公开（区分处理的，只计这一情形，不计其他情形）」".replace(
            "」「", "」、「"
        )
    )
    assert [r.url for r in by_code["not_counted"].records] == ["/admin/x/2/", "/admin/x/3/"]
    assert [r.label for r in by_code["not_received"].records] == ["#9"]


def test_row_membership_problems_become_failures_with_links():
    problems = [
        {"id": 7, "rows": ["new", "r1", "r2"]},
        {"id": 3, "rows": ["carried_in"]},
        {"id": 9, "rows": ["carried_out"]},
        {"id": 4, "rows": ["new", "carried_in", "r1"]},
    ]
    failures = check_row_membership(problems, record_ref=lambda pk: RecordRef(f"#{pk}", f"/admin/x/{pk}/"))
    assert [(f.code, [r.url for r in f.records]) for f in failures] == [
        ("counted_twice", ["/admin/x/4/"]),
        ("counted_twice", ["/admin/x/7/"]),
        ("not_counted", ["/admin/x/3/"]),
        ("not_received", ["/admin/x/9/"]),
    ]
    assert (
        failures[0].message
        == "表三: 申请#4 同时计入 「一、本年新收政府信息公开申请数量」、「二、上年结转政府信息公开申请数量」"
    )
    assert failures[2].message.startswith("表三: 1件申请计入「一」或「二」")
    # Fed through run_checks like the report does.
    assert [
        f.code
        for f in run_checks(
            stats_with(consistent_table3()), report_format=NATIONAL_2021, membership_problems=problems
        )
    ] == [
        "counted_twice",
        "counted_twice",
        "not_counted",
        "not_received",
    ]
    assert (
        run_checks(stats_with(consistent_table3()), report_format=NATIONAL_2021, membership_problems=[]) == []
    )


def test_empty_required_section_blocks():
    failures = run_checks(
        stats_with(consistent_table3()),
        report_format=NATIONAL_2021,
        required_sections=[("problems", "五、存在的主要问题及改进情况", " ")],
    )
    assert [f.message for f in failures] == ["「五、存在的主要问题及改进情况」尚未填写"]


# --- Table 2: entered or not applicable, per format; no negative figure anywhere -------------------


def test_a_figure_nobody_entered_blocks_and_the_message_names_the_cell_and_the_organs():
    table2 = entered_table2() | {"licensing": "-", "fees_wan_yuan": "-"}
    table2["not_entered"] = {"licensing": [3], "fees_wan_yuan": [3, 5]}
    names = {3: "市统计局", 5: "市审计局"}
    failures = check_table2_entered(
        table2,
        NATIONAL_2021,
        organ_name=names.__getitem__,
        tally_ref=lambda pk: RecordRef(names[pk], f"/admin/t/{pk}/"),
    )
    assert [f.message for f in failures] == [
        "表二「第二十条第（五）项」「行政许可」×「本年处理决定数量」尚未填报：请填写数字（没有的填0），"
        "本机关无此项职权的勾选“不适用”。未填报的机关：市统计局。",
        "表二「第二十条第（八）项」「行政事业性收费」×「本年收费金额（单位：万元）」尚未填报：请填写数字（没有的填0），"
        "本机关无此项职权的勾选“不适用”。未填报的机关：市统计局、市审计局。",
    ]
    assert [[r.url for r in f.records] for f in failures] == [["/admin/t/3/"], ["/admin/t/3/", "/admin/t/5/"]]


def test_a_figure_missing_from_the_statistics_counts_as_not_entered():
    table2 = entered_table2()
    del table2["punishment"]
    failures = check_table2_entered(table2, NATIONAL_2021)
    assert [f.code for f in failures] == ["table2_not_entered"]
    assert "「行政处罚」×「本年处理决定数量」尚未填报" in failures[0].message


def test_not_applicable_and_zero_both_pass():
    table2 = entered_table2() | {"licensing": None, "punishment": 0, "enforcement": None}
    assert check_table2_entered(table2, NATIONAL_2021) == []
    assert check_not_negative({"table2": table2}, NATIONAL_2021) == []


def test_the_2019_format_requires_its_own_cells_and_not_the_2021_amount():
    table2 = entered_table2() | {"fees_wan_yuan": "-"}  # not printed by the 2019 format
    failures = check_table2_entered(table2, ReportFormat.TRIAL_2019)
    cells = [f.message.split("尚未填报")[0] for f in failures]
    assert "表二「第二十条第（八）项」「行政事业性收费」×「本年收费金额（单位：万元）」" not in cells
    assert cells == [
        "表二「第二十条第（五）项」「行政许可」×「上一年项目数量」",
        "表二「第二十条第（五）项」「行政许可」×「本年增/减」",
        "表二「第二十条第（五）项」「其他对外管理服务事项」×「上一年项目数量」",
        "表二「第二十条第（五）项」「其他对外管理服务事项」×「本年增/减」",
        "表二「第二十条第（五）项」「其他对外管理服务事项」×「处理决定数量」",
        "表二「第二十条第（六）项」「行政处罚」×「上一年项目数量」",
        "表二「第二十条第（六）项」「行政处罚」×「本年增/减」",
        "表二「第二十条第（六）项」「行政强制」×「上一年项目数量」",
        "表二「第二十条第（六）项」「行政强制」×「本年增/减」",
        "表二「第二十条第（八）项」「行政事业性收费」×「上一年项目数量」",
        "表二「第二十条第（八）项」「行政事业性收费」×「本年增/减」",
        "表二「第二十条第（九）项」「政府集中采购」×「采购项目数量」",
        "表二「第二十条第（九）项」「政府集中采购」×「采购总金额」",
    ]


def test_the_pre_2019_layout_has_no_table2_to_enter():
    stats = {"table2": {"licensing": "-", "fees_wan_yuan": -1}, "table3": consistent_table3()}
    assert run_checks(stats, report_format=ReportFormat.PRE_2019) == []


def test_a_negative_table2_figure_blocks_but_a_negative_change_does_not():
    table2 = entered_table2() | {"licensing": -3, "fees_wan_yuan": "-0.5000"}
    messages = [f.message for f in check_not_negative({"table2": table2}, NATIONAL_2021)]
    assert messages == [
        "表二「第二十条第（五）项」「行政许可」×「本年处理决定数量」=-3，不能为负数",
        "表二「第二十条第（八）项」「行政事业性收费」×「本年收费金额（单位：万元）」=-0.5000，不能为负数",
    ]
    trial = {"licensing_items_change": -4, "fees_items_change": "x", "procurement_wan_yuan": "-1"}
    messages = [f.message for f in check_not_negative({"table2": trial}, ReportFormat.TRIAL_2019)]
    assert messages == [
        "表二「第二十条第（八）项」「行政事业性收费」×「本年增/减」=x，不是数字",
        "表二「第二十条第（九）项」「政府集中采购」×「采购总金额」=-1，不能为负数",
    ]


def test_every_cell_of_tables_3_and_4_and_the_proposals_is_checked_for_sign():
    t = consistent_table3()
    t["r3_2"]["legal_services"] = -1
    stats = {
        "table3": t,
        "table4": {"litigation_after_review": {"pending": -2}},
        "proposals": {"npc": {"dissatisfied": -1, "by_result": {"B": -1}}, "all": {"total": "abc"}},
        "channels": {"website": -1},
        "printed": {"items": [{"title": "招商指南", "copies": -5}], "total": -5},
        "fees": {"count": 0, "amount": "-10.00"},
    }
    messages = [f.message for f in check_not_negative(stats, ReportFormat.PRE_2019)]
    assert messages == [
        "表三「（三）不予公开 2.其他法律行政法规禁止公开」×「法律服务机构」=-1，不能为负数",
        "表四「复议后起诉」×「尚未审结」=-2，不能为负数",
        "人大代表建议「不满意」=-1，不能为负数",
        "人大代表建议「办理结果B类」=-1，不能为负数",
        "建议提案合计「承办总数」=abc，不是数字",
        "主动公开「门户网站」=-1，不能为负数",
        "印发资料「招商指南」册数=-5，不能为负数",
        "印发资料合计册数=-5，不能为负数",
        "收取信息处理费金额=-10.00，不能为负数",
    ]
    # run_checks includes it, whatever the format.
    assert "table3_negative" in [f.code for f in run_checks(stats, report_format=ReportFormat.PRE_2019)]
