"""A version's tables as data (apps/reports/tabular.py), as each format prints them."""

from decimal import Decimal

from apps.reports.enums import ReportFormat
from apps.reports.tabular import report_tables

STATS = {
    "table2": {
        "rule": {"issued": 1, "repealed": 0, "in_force": 4},
        "normative": {"issued": 2, "repealed": 1, "in_force": 9},
        "licensing": 12,
        "punishment": None,  # not applicable: printed "/"
        "enforcement": 0,
        "fees_wan_yuan": "3.50",
        "licensing_items_last_year": 5,
        "licensing_items_change": -1,
    },
    "table3": {
        "new": {"natural": 3, "commercial": 1, "total": 4},
        "r6_1": {"total": 1},
        "r6_3": {"total": 2},
    },
    "table4": {"review": {"upheld": 1, "total": 1}},
    "organ_ids": [1, 2],
    "proactive_notes": {"website": "内部说明"},
}


def _block(tables, code, index=0):
    return next(t for t in tables if t.code == code).blocks[index]


def test_2021_tables_have_the_printed_cells():
    tables = report_tables(statistics=STATS, report_format=ReportFormat.NATIONAL_2021)

    assert [t.code for t in tables] == ["table2", "table3", "table4"]
    assert tables[1].title == "三、收到和处理政府信息公开申请情况"
    rules = _block(tables, "table2", 0)
    assert rules.caption == "第二十条第（一）项"
    assert [c.label for c in rules.columns] == ["本年制发件数", "本年废止件数", "现行有效件数"]
    assert [(r.code, r.label, r.values) for r in rules.rows] == [
        ("rule", "规章", (1, 0, 4)),
        ("normative", "行政规范性文件", (2, 1, 9)),
    ]
    assert [(r.code, r.values) for r in _block(tables, "table2", 2).rows] == [
        ("punishment", (None,)),
        ("enforcement", (0,)),
    ]
    assert _block(tables, "table2", 3).rows[0].values == (Decimal("3.50"),)
    table3 = _block(tables, "table3")
    assert [c.code for c in table3.columns][-1] == "total" and len(table3.columns) == 7
    assert len(table3.rows) == 25
    assert table3.rows[0].code == "new" and table3.rows[0].values == (3, 1, 0, 0, 0, 0, 4)
    assert [r.code for r in table3.rows if r.code.startswith("r6")] == ["r6_1", "r6_2", "r6_3"]
    table4 = _block(tables, "table4")
    assert len(table4.columns) == 15
    assert table4.columns[0].code == "review.upheld"
    assert table4.rows[0].values[:5] == (1, 0, 0, 0, 1)


def test_2019_tables_merge_the_other_results_and_keep_signed_changes():
    tables = report_tables(statistics=STATS, report_format=ReportFormat.TRIAL_2019)

    table3 = _block(tables, "table3")
    r6 = next(r for r in table3.rows if r.code.startswith("r6"))
    assert (r6.code, r6.label, r6.values[-1]) == ("r6", "（六）其他处理", 3)
    licensing = _block(tables, "table2", 1).rows[0]
    assert (licensing.code, licensing.values) == ("licensing", (5, -1, 12))


def test_the_free_layout_has_no_tables_and_no_table_leaks_working_figures():
    assert report_tables(statistics=STATS, report_format=ReportFormat.PRE_2019) == []
    tables = report_tables(statistics=STATS, report_format=ReportFormat.NATIONAL_2021)
    assert "内部说明" not in repr(tables) and "organ_ids" not in repr(tables)
