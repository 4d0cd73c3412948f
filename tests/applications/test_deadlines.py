"""The deadline engine against the official 2026 calendar (国务院办公厅关于2026年部分节假日安排的通知):
off 1/1–3, 2/15–23, 4/4–6, 5/1–5, 6/19–21, 9/25–27, 10/1–7; worked Sat/Sun 1/4, 2/14, 2/28, 5/9,
9/20, 10/10. Every expected date was counted by hand on a printed calendar; the count starts the
day after the starting day. Pauses exclude the working days in (start, end].
"""

import datetime as dt

import pytest
import time_machine

from apps.applications.deadlines import (
    ClockEvent,
    ClockEventKind,
    compute_deadline,
    consultation_due,
    correction_due,
    fee_payment_due,
)
from apps.workdays.calendar import WorkdayResult, calendar_cache_clear

pytestmark = pytest.mark.django_db

d = dt.date
K = ClockEventKind
E = ClockEvent
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    calendar_cache_clear()
    yield
    calendar_cache_clear()


def received(day):
    return E(K.RECEIVED, day)


@pytest.mark.parametrize(
    ("events", "due", "notice_due"),
    [
        pytest.param(
            # 13(1) 14六(2) [2/15–23] 24–27(3–6) 28六(7) 3/2–6(8–12) 9–13(13–17) 16 17 18(20)
            [received(d(2026, 2, 12))],
            d(2026, 3, 18),
            d(2026, 2, 28),  # 13 14六 24 25 26 27 28六
            id="across the Spring Festival with both make-up Saturdays",
        ),
        pytest.param(
            # [9/25–27] 28 29 30 | [10/1–7] 8 9 10六(6) 12–16(11) 19–23(16) 26 27 28 29(20)
            [received(d(2026, 9, 24))],
            d(2026, 10, 29),
            d(2026, 10, 12),  # 28 29 30 8 9 10六 12
            id="across Mid-Autumn and National Day with the make-up Saturday",
        ),
        pytest.param(
            # 9/2–4(3) 7–11(8) 14–18(13) 20日(14) 21–24(18) [25–27] 28 29(20)
            [received(d(2026, 9, 1))],
            d(2026, 9, 29),
            d(2026, 9, 10),  # 2 3 4 7 8 9 10
            id="the make-up Sunday 2026-09-20 counts",
        ),
        pytest.param(
            # Saturday receipt: 3/9–13(5) 16–20(10) 23–27(15) 30 31 4/1 2 3(20)
            [received(d(2026, 3, 7))],
            d(2026, 4, 3),
            d(2026, 3, 17),  # 9 10 11 12 13 16 17
            id="received on a weekend",
        ),
        pytest.param(
            # Received online during the break: 10/8 9 10六(3) 12–16(8) 19–23(13) 26–30(18) 11/2 3(20)
            [received(d(2026, 10, 3))],
            d(2026, 11, 3),
            d(2026, 10, 15),  # 8 9 10六 12 13 14 15
            id="received on a holiday",
        ),
    ],
)
def test_reply_due_is_twenty_working_days_after_receipt(events, due, notice_due):
    result = compute_deadline(events=events, today=d(2026, 1, 5))
    assert result.due_date == due
    assert result.correction_notice_due == notice_due
    assert result.provisional is False
    assert result.paused is False
    assert result.received_on == events[0].day


def test_steps_explain_the_count_in_chinese():
    result = compute_deadline(events=[received(d(2026, 2, 12))], today=d(2026, 2, 12))
    lines = [step.text for step in result.steps]
    assert lines[0].startswith("收到申请 2026-02-12")
    assert any(line.startswith("补正告知期限 7 个工作日 → 2026-02-28") for line in lines)
    assert any(line.startswith("法定答复期限 20 个工作日 → 2026-03-18") for line in lines)
    assert result.steps[-1].label == "答复期限 → 2026-03-18"


def test_correction_request_stops_the_clock_and_gives_the_correction_due_date():
    events = [received(d(2026, 2, 12)), E(K.CORRECTION_REQUESTED, d(2026, 2, 26))]
    result = compute_deadline(events=events, today=d(2026, 3, 1))
    assert result.due_date is None
    # Default 补正期限 15 working days: 27 28六 3/2–6(7) 9–13(12) 16 17 18(15)
    assert result.correction_due == d(2026, 3, 18)
    assert result.correction_notice_due == d(2026, 2, 28)
    assert any(step.label == "通知补正" and "2026-03-18" in step.detail for step in result.steps)


def test_correction_period_given_in_the_notice_runs_from_delivery():
    events = [
        received(d(2026, 2, 12)),
        E(K.CORRECTION_REQUESTED, d(2026, 2, 26), days=10, delivered_on=d(2026, 2, 27)),
    ]
    # 28六(1) 3/2–6(6) 9 10 11 12(10)
    assert compute_deadline(events=events, today=d(2026, 3, 1)).correction_due == d(2026, 3, 12)


def test_correction_received_restarts_the_full_twenty_days():
    events = [
        received(d(2026, 2, 12)),
        E(K.CORRECTION_REQUESTED, d(2026, 2, 26)),
        E(K.CORRECTION_RECEIVED, d(2026, 3, 5)),
    ]
    result = compute_deadline(events=events, today=d(2026, 3, 5))
    # 6(1) 9–13(6) 16–20(11) 23–27(16) 30 31 4/1 4/2(20)
    assert result.due_date == d(2026, 4, 2)
    assert result.correction_due is None
    assert any(step.text.startswith("重新计算的答复期限 20 个工作日 → 2026-04-02") for step in result.steps)


def test_correction_notice_after_seven_working_days_is_flagged():
    events = [received(d(2026, 2, 12)), E(K.CORRECTION_REQUESTED, d(2026, 3, 2))]
    result = compute_deadline(events=events, today=d(2026, 3, 2))
    step = next(step for step in result.steps if step.label == "通知补正")
    assert "已超过收到申请后 7 个工作日的告知期限（2026-02-28）" in step.detail


def test_extension_adds_its_working_days():
    events = [received(d(2026, 2, 12)), E(K.EXTENSION, d(2026, 3, 16), days=20, approved_by="张三")]
    result = compute_deadline(events=events, today=d(2026, 3, 16))
    # From 3/18: 19 20 23–27(7) 30 31 4/1 2 3(12) [4/4–6] 7–10(16) 13–16(20)
    assert result.due_date == d(2026, 4, 16)
    assert result.extension_days == 20
    assert any(
        step.label == "延期 20 个工作日（负责人 张三 批准，2026-03-16 告知申请人）" for step in result.steps
    )


@pytest.mark.parametrize(
    ("events", "message"),
    [
        pytest.param(
            [received(d(2026, 2, 12)), E(K.EXTENSION, d(2026, 3, 10), days=21)],
            "延长答复期限最长不得超过 20 个工作日",
            id="longer than 20 days",
        ),
        pytest.param(
            [
                received(d(2026, 2, 12)),
                E(K.EXTENSION, d(2026, 3, 10), days=10),
                E(K.EXTENSION, d(2026, 3, 20), days=10),
            ],
            "答复期限只能延长一次",
            id="second extension",
        ),
        pytest.param(
            [received(d(2026, 2, 12)), E(K.EXTENSION, d(2026, 3, 19), days=5)],
            "答复期限已于2026-03-18届满，不能再延期",
            id="after the period ran out",
        ),
        pytest.param(
            [received(d(2026, 2, 12)), E(K.EXTENSION, d(2026, 3, 10))],
            "请填写延长的工作日数",
            id="without a number of days",
        ),
        pytest.param(
            [
                received(d(2026, 2, 12)),
                E(K.CORRECTION_REQUESTED, d(2026, 2, 13)),
                E(K.EXTENSION, d(2026, 2, 24), days=5),
            ],
            "补正期间答复期限停止计算",
            id="while a correction is pending",
        ),
        pytest.param(
            [
                received(d(2026, 2, 12)),
                E(K.CORRECTION_REQUESTED, d(2026, 2, 13)),
                E(K.CORRECTION_RECEIVED, d(2026, 2, 24)),
                E(K.CORRECTION_REQUESTED, d(2026, 2, 25)),
            ],
            "补正只能一次性告知",
            id="second correction notice",
        ),
        pytest.param(
            [received(d(2026, 2, 12)), E(K.CORRECTION_RECEIVED, d(2026, 2, 24))],
            "没有待补正的通知",
            id="correction received without a notice",
        ),
        pytest.param(
            [received(d(2026, 2, 12)), E(K.FEE_PAID, d(2026, 2, 24))],
            "没有未缴费的收费通知",
            id="payment without a fee notice",
        ),
        pytest.param(
            [received(d(2026, 2, 12)), E(K.CONSULTATION_ENDED, d(2026, 2, 24))],
            "没有进行中的征求意见",
            id="consultation ended without a start",
        ),
        pytest.param(
            [received(d(2026, 2, 12)), E(K.FEE_NOTICE, d(2026, 2, 24)), E(K.FEE_NOTICE, d(2026, 2, 25))],
            "已有未缴费的收费通知",
            id="second unpaid fee notice",
        ),
        pytest.param(
            [
                received(d(2026, 2, 12)),
                E(K.FEE_NOTICE, d(2026, 2, 24)),
                E(K.FEE_PAID, d(2026, 2, 25)),
                E(K.FEE_NOTICE, d(2026, 2, 26)),
            ],
            "不得按两种标准重复计费",
            id="second fee notice after payment (the workflow's once-only rule)",
        ),
        pytest.param(
            [
                received(d(2026, 2, 12)),
                E(K.EXTENSION, d(2026, 2, 13), days=5),
                E(K.CORRECTION_REQUESTED, d(2026, 2, 24)),
                E(K.CORRECTION_RECEIVED, d(2026, 2, 26)),
                E(K.EXTENSION, d(2026, 3, 2), days=5),
            ],
            "答复期限只能延长一次",
            id="second extension after the count restarted",
        ),
        pytest.param([E(K.EXTENSION, d(2026, 2, 12), days=5)], "第一项记录必须是收到申请", id="no receipt"),
        pytest.param(
            [received(d(2026, 2, 12)), E(K.CONSULTATION_STARTED, d(2026, 2, 11))],
            "第一项记录必须是收到申请",
            id="event before receipt",
        ),
        pytest.param(
            [received(d(2026, 2, 12)), received(d(2026, 2, 13))], "只能有一个收到申请日期", id="two receipts"
        ),
        pytest.param([], "缺少收到申请日期", id="no events"),
        pytest.param(
            [received(d(2026, 2, 12)), E(K.ON_THE_SPOT, d(2026, 2, 13))],
            "当场答复只能在收到申请当日",
            id="on the spot another day",
        ),
    ],
)
def test_sequences_the_regulation_does_not_allow_are_refused_in_chinese(events, message):
    with pytest.raises(ValueError, match=message):
        compute_deadline(events=events, today=d(2026, 3, 1))


def test_finished_consultation_pause_is_added_to_the_due_date():
    events = [
        received(d(2026, 2, 12)),
        E(K.CONSULTATION_STARTED, d(2026, 3, 2)),
        E(K.CONSULTATION_ENDED, d(2026, 3, 10)),
    ]
    result = compute_deadline(events=events, today=d(2026, 3, 20))
    # Paused (3/2, 3/10]: 3 4 5 6 9 10 = 6 working days; 3/18 + 6: 19 20 23 24 25 26
    assert result.due_date == d(2026, 3, 26)
    assert result.paused is False
    assert result.paused_working_days == 6
    assert any(
        step.label == "征求第三方意见 2026-03-02 至 2026-03-10，暂停 6 个工作日" for step in result.steps
    )


def test_consultation_of_another_organ_is_named():
    events = [
        received(d(2026, 2, 12)),
        E(K.CONSULTATION_STARTED, d(2026, 3, 2), party="市统计局"),
        E(K.CONSULTATION_ENDED, d(2026, 3, 2), party="市统计局"),
    ]
    result = compute_deadline(events=events, today=d(2026, 3, 20))
    assert result.due_date == d(2026, 3, 18)  # same-day answer: nothing excluded
    assert any(step.label.startswith("征求市统计局意见") for step in result.steps)


@time_machine.travel(dt.datetime(2026, 3, 5, 10, tzinfo=SHANGHAI), tick=False)
def test_running_consultation_pauses_the_clock_up_to_today():
    events = [received(d(2026, 2, 12)), E(K.CONSULTATION_STARTED, d(2026, 3, 2))]
    result = compute_deadline(events=events)
    assert result.paused is True
    # Paused so far (3/2, 3/5]: 3 4 5 = 3; 3/18 + 3: 19 20 23
    assert result.due_date == d(2026, 3, 23)
    assert result.paused_working_days == 3
    # The consulted party's 15 working days: 3–6(4) 9–13(9) 16–20(14) 23(15)
    assert result.consultation_due == d(2026, 3, 23)


def test_fee_notice_to_payment_is_not_counted():
    events = [received(d(2026, 9, 1)), E(K.FEE_NOTICE, d(2026, 9, 10)), E(K.FEE_PAID, d(2026, 9, 17))]
    result = compute_deadline(events=events, today=d(2026, 9, 30))
    # Unpaused due 9/29 (see above); paused (9/10, 9/17]: 11 14 15 16 17 = 5;
    # 9/29 + 5: 30 [10/1–7] 8 9 10六 12
    assert result.due_date == d(2026, 10, 12)
    assert result.fee_payment_due is None
    assert any(
        step.label == "缴纳信息处理费 2026-09-10 至 2026-09-17，暂停 5 个工作日" for step in result.steps
    )


@time_machine.travel(dt.datetime(2026, 9, 12, 10, tzinfo=SHANGHAI), tick=False)
def test_unpaid_fee_notice_shows_the_payment_due_date():
    events = [received(d(2026, 9, 1)), E(K.FEE_NOTICE, d(2026, 9, 10))]
    result = compute_deadline(events=events)
    assert result.paused is True
    # 20 working days after 9/10: 11 14–18(6) 20日(7) 21–24(11) 28 29 30(14) 10/8 9 10六 12 13 14(20)
    assert result.fee_payment_due == d(2026, 10, 14)
    # Paused so far (9/10, 9/12 Sat]: 11 = 1; 9/29 + 1 = 9/30
    assert result.due_date == d(2026, 9, 30)


def test_overlapping_pauses_are_counted_once():
    events = [
        received(d(2026, 3, 2)),
        E(K.CONSULTATION_STARTED, d(2026, 3, 5)),
        E(K.FEE_NOTICE, d(2026, 3, 10)),
        E(K.CONSULTATION_ENDED, d(2026, 3, 12)),
        E(K.FEE_PAID, d(2026, 3, 17)),
    ]
    result = compute_deadline(events=events, today=d(2026, 3, 20))
    # Unpaused: 3–6(4) 9–13(9) 16–20(14) 23–27(19) 30(20) → 3/30.
    # Paused (3/5, 3/17]: 6 9–13 16 17 = 8; 3/30 + 8: 31 4/1 2 3 [4/4–6] 7 8 9 10
    assert result.due_date == d(2026, 4, 10)
    assert result.paused_working_days == 8


def test_events_are_taken_in_date_order_whatever_the_input_order():
    events = [
        E(K.CONSULTATION_ENDED, d(2026, 3, 10)),
        received(d(2026, 2, 12)),
        E(K.CONSULTATION_STARTED, d(2026, 3, 2)),
    ]
    assert compute_deadline(events=events, today=d(2026, 3, 20)).due_date == d(2026, 3, 26)


def test_on_the_spot_reply_ends_the_clock():
    events = [received(d(2026, 2, 13)), E(K.ON_THE_SPOT, d(2026, 2, 13))]
    result = compute_deadline(events=events, today=d(2026, 2, 13))
    assert result.on_the_spot is True
    assert result.due_date is None
    assert result.steps[-1].label == "当场答复"


@pytest.mark.parametrize(
    ("events", "due"),
    [
        # No 2031 notice, no holiday in March: 3/4–7(4) 10–14(9) 17–21(14) 24–28(19) 31(20)
        ([received(d(2031, 3, 3))], d(2031, 3, 31)),
        # 11(1) 14–18(6) 21–25(11) 28–31(15) | 2027-01-01 元旦 (放假办法, provisional) | 4–8(20)
        ([received(d(2026, 12, 10))], d(2027, 1, 8)),
    ],
)
def test_a_count_into_a_year_without_confirmed_calendar_is_provisional(events, due):
    result = compute_deadline(events=events, today=d(2026, 12, 10))
    assert result.due_date == due
    assert result.provisional is True
    assert result.steps[-1].provisional is True
    assert "暂定" in result.steps[-1].text


@pytest.mark.parametrize(
    ("helper", "start", "expected"),
    [
        # [9/25–27] 28 29 30 [10/1–7] 8 9 10六(6) 12–16(11) 19 20 21 22(15)
        (consultation_due, d(2026, 9, 24), d(2026, 10, 22)),
        (fee_payment_due, d(2026, 2, 12), d(2026, 3, 18)),  # same count as the reply period
        (correction_due, d(2026, 2, 26), d(2026, 3, 18)),  # default 15 working days
    ],
)
def test_period_helpers(helper, start, expected):
    assert helper(start) == WorkdayResult(date=expected, provisional=False)


# --- pause limits (条例第三十二条、第三十三条、第三十四条; the fee notice's payment period) ----------
# Received 2026-02-12, due 2026-03-18 (see above). A consultation started 3/2 runs to its cap
# 3/23: 3–6(4) 9–13(9) 16–20(14) 23(15).

CONSULTED = [received(d(2026, 2, 12)), E(K.CONSULTATION_STARTED, d(2026, 3, 2))]


@pytest.mark.parametrize(
    ("events", "today", "due", "paused", "paused_until", "at_cap", "lapsed"),
    [
        pytest.param(
            # Paused so far (3/2, 3/20]: 14; 3/18 + 14: 19 20 23–27(7) 30 31 4/1 2 3(12) 7 8(14).
            # At the cap: 15 → 4/9.
            CONSULTED,
            d(2026, 3, 20),
            d(2026, 4, 8),
            True,
            d(2026, 3, 23),
            d(2026, 4, 9),
            False,
            id="running consultation: due as of today, at most the cap",
        ),
        pytest.param(
            CONSULTED,
            d(2026, 3, 23),
            d(2026, 4, 9),
            True,
            d(2026, 3, 23),
            d(2026, 4, 9),
            False,
            id="on the cap day",
        ),
        pytest.param(
            CONSULTED,
            d(2026, 3, 24),
            d(2026, 4, 9),
            False,
            d(2026, 3, 23),
            d(2026, 4, 9),
            False,
            id="unanswered after 15 working days: the clock runs again",
        ),
        pytest.param(
            [*CONSULTED, E(K.CONSULTATION_ENDED, d(2026, 4, 1))],
            d(2026, 4, 2),
            d(2026, 4, 9),
            False,
            None,
            d(2026, 4, 9),
            False,
            id="a late answer stops the pause at the cap, not at the answer",
        ),
        pytest.param(
            CONSULTED,
            d(2026, 4, 10),
            d(2026, 4, 9),
            False,
            d(2026, 3, 23),
            d(2026, 4, 9),
            True,
            id="capped and then overdue",
        ),
        pytest.param(
            # Fee notice 9/10, payment period to 10/14 (see above): 20 working days excluded;
            # 9/29 + 20: 30 [10/1–7] 8 9 10六(4) 12–16(9) 19–23(14) 26–30(19) 11/2(20).
            [received(d(2026, 9, 1)), E(K.FEE_NOTICE, d(2026, 9, 10))],
            d(2026, 10, 20),
            d(2026, 11, 2),
            False,
            d(2026, 10, 14),
            d(2026, 11, 2),
            False,
            id="unpaid fee notice after its payment period: the clock runs again",
        ),
        pytest.param(
            [received(d(2026, 9, 1)), E(K.FEE_NOTICE, d(2026, 9, 10)), E(K.FEE_PAID, d(2026, 10, 16))],
            d(2026, 10, 20),
            d(2026, 11, 2),
            False,
            None,
            d(2026, 11, 2),
            False,
            id="a payment after the payment period moves nothing",
        ),
        pytest.param(
            # Consultation 3/2 (cap 3/23) and fee notice 3/16 (cap 4/14: 17–20(4) 23–27(9) 30 31
            # 4/1 2 3(14) 7–10(18) 13 14(20)), neither answered: one span (3/2, 4/14] = 30 days;
            # 3/18 + 30: 19 20 23–27(7) 30 31 4/1–3(12) 7–10(16) 13–17(21) 20–24(26) 27–30(30).
            [*CONSULTED, E(K.FEE_NOTICE, d(2026, 3, 16))],
            d(2026, 4, 20),
            d(2026, 4, 30),
            False,
            d(2026, 4, 14),
            d(2026, 4, 30),
            False,
            id="overlapping capped pauses are counted once",
        ),
    ],
)
def test_pauses_stop_at_their_cap(events, today, due, paused, paused_until, at_cap, lapsed):
    result = compute_deadline(events=events, today=today)
    assert result.due_date == due
    assert result.paused is paused
    assert result.paused_until == paused_until
    assert result.due_date_at_cap == at_cap
    assert result.lapsed is lapsed


def test_capped_and_late_answered_consultation_is_explained():
    events = [*CONSULTED, E(K.CONSULTATION_ENDED, d(2026, 4, 1))]
    lines = [step.text for step in compute_deadline(events=events, today=d(2026, 4, 10)).steps]
    assert any(
        line.startswith("征求第三方意见 2026-03-02 至 2026-03-23，暂停 15 个工作日：期满未收到意见")
        for line in lines
    ), lines
    assert any(
        line.startswith("征求第三方意见结束（逾期） 2026-04-01：期限已于 2026-03-23 届满") for line in lines
    )
    # The lapsed deadline stays on the record.
    assert lines[-2].startswith("答复期限 → 2026-04-09")
    assert (
        lines[-1] == "已超过答复期限 2026-04-10：答复期限 2026-04-09 已届满，截至 2026-04-10 超过 1 个工作日"
    )


@pytest.mark.parametrize(
    ("events", "message"),
    [
        pytest.param(
            [received(d(2026, 2, 12)), E(K.CONSULTATION_STARTED, d(2026, 3, 19))],
            "答复期限已于2026-03-18届满，逾期后不能再因征求意见暂停计算",
            id="consultation the day after the due date",
        ),
        pytest.param(
            [received(d(2026, 2, 12)), E(K.FEE_NOTICE, d(2026, 3, 19))],
            "收费通知应当在答复期限内发出，答复期限已于2026-03-18届满",
            id="fee notice after the due date",
        ),
        pytest.param(
            [received(d(2026, 2, 12)), E(K.CORRECTION_REQUESTED, d(2026, 3, 19))],
            "答复期限已于2026-03-18届满，不能再通知补正",
            id="correction notice after the due date",
        ),
        pytest.param(
            [*CONSULTED, E(K.EXTENSION, d(2026, 4, 10), days=5)],
            "答复期限已于2026-04-09届满，不能再延期",
            id="extension after a capped pause ran out too",
        ),
        pytest.param(
            [*CONSULTED, E(K.CONSULTATION_STARTED, d(2026, 4, 10))],
            "答复期限已于2026-04-09届满",
            id="second consultation after a capped pause ran out too",
        ),
        pytest.param(
            [*CONSULTED, E(K.CORRECTION_REQUESTED, d(2026, 3, 5))],
            "征求意见或收费程序进行中，不能通知补正",
            id="correction notice during a consultation",
        ),
        pytest.param(
            [*CONSULTED, E(K.CONSULTATION_ENDED, d(2026, 3, 10)), E(K.CONSULTATION_ENDED, d(2026, 3, 11))],
            "没有进行中的征求意见",
            id="a consultation answered twice",
        ),
    ],
)
def test_late_pauses_are_refused_in_chinese(events, message):
    with pytest.raises(ValueError, match=message):
        compute_deadline(events=events, today=d(2026, 4, 20))


@pytest.mark.parametrize(
    ("kind", "day"), [(K.CONSULTATION_STARTED, d(2026, 3, 18)), (K.FEE_NOTICE, d(2026, 3, 18))]
)
def test_a_pause_may_start_on_the_due_date_itself(kind, day):
    result = compute_deadline(events=[received(d(2026, 2, 12)), E(kind, day)], today=day)
    assert result.paused is True
    assert result.due_date == d(2026, 3, 18)


def test_extension_after_a_capped_pause_counts_from_the_capped_due_date():
    events = [*CONSULTED, E(K.EXTENSION, d(2026, 4, 9), days=5)]
    # 4/9 + 5: 10 13 14 15 16
    assert compute_deadline(events=events, today=d(2026, 4, 10)).due_date == d(2026, 4, 16)
