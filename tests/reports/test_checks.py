"""The pre-publication checks, fed numbers directly (REFERENCE.md §1.4 rules)."""

from apps.reports.checks import (
    RecordRef,
    check_carry_in,
    check_membership,
    check_proposal_rates,
    check_row_membership,
    check_table4_totals,
    run_checks,
)
from apps.reports.layout import ALL_TABLE3_ROWS, TABLE3_COLUMNS


def empty_table3():
    return {row: {col: 0 for col, _l in TABLE3_COLUMNS} for row in ALL_TABLE3_ROWS}


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


def test_consistent_numbers_pass_every_check():
    stats = {"table3": consistent_table3(), "table4": {}, "proposals": {}}
    assert run_checks(stats) == []


def test_balance_failure_names_the_cell_and_both_sums():
    t = consistent_table3()
    put(t, "new", "natural", 5)  # one application received but neither closed nor carried out
    messages = [f.message for f in run_checks({"table3": t})]
    assert "表三「（七）总计」×「自然人」: 一+二=6, （七）+四=5" in messages
    assert "表三「（七）总计」×「总计」: 一+二=6, （七）+四=5" in messages


def test_row_total_failure_names_the_row():
    t = consistent_table3()
    t["r1"]["total"] = 2
    messages = [f.message for f in run_checks({"table3": t})]
    assert "表三「（一）予以公开」×「总计」: 总计=2, 六类申请人之和=3" in messages


def test_result_total_failure_when_seven_is_not_the_sum():
    t = consistent_table3()
    put(t, "r7", "natural", 5)
    messages = [f.message for f in run_checks({"table3": t})]
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
    membership = {"new": [1, 2, 3], "carried_in": [], "r1": [1], "r2": [1], "carried_out": [9]}
    failures = check_membership(membership, record_ref=lambda pk: RecordRef(f"#{pk}", f"/admin/x/{pk}/"))
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
    assert [f.code for f in run_checks({"table3": consistent_table3()}, membership_problems=problems)] == [
        "counted_twice",
        "counted_twice",
        "not_counted",
        "not_received",
    ]
    assert run_checks({"table3": consistent_table3()}, membership_problems=[]) == []


def test_empty_required_section_blocks():
    failures = run_checks(
        {"table3": consistent_table3()}, required_sections=[("problems", "五、存在的主要问题及改进情况", " ")]
    )
    assert [f.message for f in failures] == ["「五、存在的主要问题及改进情况」尚未填写"]
