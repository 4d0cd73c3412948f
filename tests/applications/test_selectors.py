import datetime as dt
from decimal import Decimal

import pytest

from apps.applications import services
from apps.applications.enums import (
    OUTCOME_ROWS,
    RESULT_ROW_CODES,
    TABLE3_COLUMNS,
    TABLE3_ROW_CODES,
    TABLE3_ROWS,
    ApplicantType,
    Outcome,
)
from apps.applications.fees import FeeMethod
from apps.applications.selectors import applications_in_cell, due_soon, fee_totals, outcome_counts, overdue
from tests.factories.applications import ApplicationFactory

D = dt.date


def test_every_outcome_maps_to_exactly_one_result_row():
    assert set(OUTCOME_ROWS) == set(Outcome)
    for outcome in Outcome:
        assert Outcome.report_row(outcome) in RESULT_ROW_CODES
    assert Outcome.report_row(Outcome.WITHDRAWN) == "r6_3"
    assert Outcome.report_row(Outcome.NO_CORRECTION) == "r6_1"
    assert Outcome.report_row(Outcome.FEE_UNPAID) == "r6_2"
    # Every result row of table 3 can be reached by some outcome.
    assert set(OUTCOME_ROWS.values()) == set(RESULT_ROW_CODES)


def test_table3_rows_have_the_template_labels():
    assert TABLE3_ROW_CODES[0] == "new" and TABLE3_ROW_CODES[-1] == "carried_out"
    labels = {code: (l1, l2, l3) for code, l1, l2, l3 in TABLE3_ROWS}
    assert labels["r2"][1] == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert labels["r3_3"][2] == "3.危及“三安全一稳定”"
    assert labels["r6_2"][2] == "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    assert labels["carried_out"][0] == "四、结转下年度继续办理"
    assert TABLE3_COLUMNS == [
        "natural",
        "commercial",
        "research",
        "public_interest",
        "legal_services",
        "other",
        "total",
    ]


def _year_of_data(organ, actor, year):
    """Four applications received in `year`: answered, withdrawn, crossing into next year, open."""
    answered = ApplicationFactory(organ=organ, actor=actor, received_on=D(year, 3, 4))
    services.application_reply(
        application=answered, actor=actor, outcome=Outcome.DISCLOSED, reply_date=D(year, 3, 20), text="a"
    )
    company = ApplicationFactory(
        organ=organ, actor=actor, received_on=D(year, 5, 6), applicant_type=ApplicantType.LEGAL_SERVICES
    )
    services.application_withdraw(application=company, on=D(year, 5, 8))
    crossing = ApplicationFactory(organ=organ, actor=actor, received_on=D(year, 12, 23))
    services.application_reply(
        application=crossing, actor=actor, outcome=Outcome.NOT_HELD, reply_date=D(year + 1, 1, 6), text="a"
    )
    fee = ApplicationFactory(organ=organ, actor=actor, received_on=D(year, 6, 3))
    fee = services.application_send_fee_notice(
        application=fee, actor=actor, method=FeeMethod.PER_PAGE, quantity=40, on=D(year, 6, 4)
    )
    services.application_record_payment(
        application=fee, actor=actor, paid_on=D(year, 6, 6), receipt_number="1"
    )


def test_outcome_counts_follow_the_definitions(organ_a, alice):
    _year_of_data(organ_a, alice, 2022)
    table = outcome_counts(organ_ids=[organ_a.pk], year=2022)
    assert table["new"]["natural"] == 3
    assert table["new"]["legal_services"] == 1
    assert table["new"]["total"] == 4
    assert table["r1"]["natural"] == 1
    assert table["r6_3"]["legal_services"] == 1
    assert table["r7"]["total"] == 2
    assert table["carried_out"]["total"] == 2  # the December one and the fee one still open
    next_year = outcome_counts(organ_ids=[organ_a.pk], year=2023)
    assert next_year["carried_in"]["total"] == 2
    assert next_year["r4_1"]["natural"] == 1
    assert next_year["carried_out"]["total"] == 1
    for t in (table, next_year):
        for column in TABLE3_COLUMNS:
            assert t["new"][column] + t["carried_in"][column] == t["r7"][column] + t["carried_out"][column]


def test_outcome_counts_runs_in_fixed_queries(organ_a, alice, django_assert_num_queries):
    _year_of_data(organ_a, alice, 2022)
    with django_assert_num_queries(1):  # one pass: every row is a FILTER of one grouped scan
        outcome_counts(organ_ids=[organ_a.pk], year=2022)
    _year_of_data(organ_a, alice, 2023)
    _year_of_data(organ_a, alice, 2024)
    with django_assert_num_queries(1):
        outcome_counts(organ_ids=[organ_a.pk], year=2023)
    with django_assert_num_queries(1):
        fee_totals(organ_ids=[organ_a.pk], year=2023)


def test_outcome_counts_rolls_up_several_organs_and_ignores_others(organ_a, organ_b, alice, bob):
    _year_of_data(organ_a, alice, 2022)
    _year_of_data(organ_b, bob, 2022)
    assert outcome_counts(organ_ids=[organ_a.pk, organ_b.pk], year=2022)["new"]["total"] == 8
    assert outcome_counts(organ_ids=[organ_b.pk], year=2022)["new"]["total"] == 4


def test_applications_in_cell_matches_the_count(organ_a, alice):
    _year_of_data(organ_a, alice, 2022)
    table = outcome_counts(organ_ids=[organ_a.pk], year=2022)
    for row in TABLE3_ROW_CODES:
        for column in TABLE3_COLUMNS:
            cell = applications_in_cell(organ_ids=[organ_a.pk], year=2022, row=row, column=column)
            assert cell.count() == table[row][column], (row, column)


def test_applications_in_cell_refuses_unknown_codes(organ_a):
    with pytest.raises(ValueError):
        applications_in_cell(organ_ids=[organ_a.pk], year=2022, row="r9", column="total")
    with pytest.raises(ValueError):
        applications_in_cell(organ_ids=[organ_a.pk], year=2022, row="new", column="aliens")


def test_fee_totals_counts_payments_of_the_year(organ_a, alice):
    _year_of_data(organ_a, alice, 2022)
    assert fee_totals(organ_ids=[organ_a.pk], year=2022) == {"count": 1, "amount": Decimal("100.00")}
    assert fee_totals(organ_ids=[organ_a.pk], year=2021) == {"count": 0, "amount": Decimal("0.00")}


def test_due_soon_and_overdue(organ_a, alice):
    import time_machine

    with time_machine.travel(dt.datetime(2024, 3, 27, 10, 0, tzinfo=dt.UTC)):
        soon = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 4))  # due 04-01
        late = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 2, 1))  # due 03-01
        later = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 25))
        assert list(due_soon(organ_a)) == [soon]
        assert list(overdue(organ_a)) == [late]
        assert later not in overdue(None)
