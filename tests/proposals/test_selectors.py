"""proposal_stats on hand-built proposals; expected figures worked out by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from apps.proposals import selectors, services
from apps.proposals.enums import Feedback, ProposalKind, ResultCode, Role
from tests.factories.records import ProposalFactory

pytestmark = pytest.mark.django_db
d = dt.date
MARCH_2024, MAY_2024 = d(2024, 3, 1), d(2024, 5, 1)


def _answered(organ, kind, result, feedback=None, *, assigned=MARCH_2024, replied=MAY_2024, **kw):
    proposal = ProposalFactory(organ=organ, kind=kind, assigned_date=assigned, **kw)
    services.proposal_reply(proposal=proposal, reply_date=replied, result_code=result)
    if feedback:
        when = kw.get("feedback_date", replied + dt.timedelta(days=10))
        services.proposal_feedback_record(proposal=proposal, feedback=feedback, feedback_date=when)
    return proposal


@pytest.fixture
def proposals(organ_a, organ_b):
    npc, cppcc = ProposalKind.NPC, ProposalKind.CPPCC
    # NPC: 4 assigned in 2024; 3 answered in 2024, 1 open -> 办结率 75%; feedback 2 satisfied + 1 dissatisfied.
    _answered(organ_a, npc, ResultCode.A, Feedback.SATISFIED)
    _answered(organ_a, npc, ResultCode.A, Feedback.SATISFIED)
    _answered(organ_a, npc, ResultCode.C, Feedback.DISSATISFIED, role=Role.ASSIST)
    ProposalFactory(organ=organ_a, kind=npc, assigned_date=d(2024, 10, 1))
    # CPPCC: 3 assigned in 2024; one answered only in January 2025 (open at year end);
    # one answered in December with its feedback in January (not received at year end).
    _answered(organ_a, cppcc, ResultCode.B, Feedback.BASICALLY_SATISFIED)
    _answered(organ_a, cppcc, ResultCode.D, assigned=d(2024, 11, 1), replied=d(2025, 1, 10))
    p = _answered(organ_a, cppcc, ResultCode.A, assigned=d(2024, 9, 1), replied=d(2024, 12, 20))
    services.proposal_feedback_record(proposal=p, feedback=Feedback.SATISFIED, feedback_date=d(2025, 1, 5))
    # Other year and other organ.
    _answered(organ_a, cppcc, ResultCode.A, Feedback.SATISFIED, assigned=d(2023, 3, 1), replied=d(2023, 4, 1))
    _answered(organ_b, cppcc, ResultCode.A, Feedback.SATISFIED)


def test_proposal_stats_per_kind_and_overall(organ_a, proposals):
    stats = selectors.proposal_stats(organ_ids=[organ_a.pk], year=2024)
    assert stats["npc"] == {
        "total": 4,
        "answered": 3,
        "completion_rate": Decimal("75.00"),
        "feedback_received": 3,
        "satisfied": 2,
        "basically_satisfied": 0,
        "dissatisfied": 1,
        "satisfaction_rate": Decimal("66.67"),
        "by_result": {"A": 2, "B": 0, "C": 1, "D": 0},
    }
    assert stats["cppcc"] == {
        "total": 3,
        "answered": 2,
        "completion_rate": Decimal("66.67"),
        "feedback_received": 1,
        "satisfied": 0,
        "basically_satisfied": 1,
        "dissatisfied": 0,
        "satisfaction_rate": Decimal("100.00"),
        "by_result": {"A": 1, "B": 1, "C": 0, "D": 0},
    }
    assert stats["all"]["total"] == 7
    assert stats["all"]["answered"] == 5
    assert stats["all"]["completion_rate"] == Decimal("71.43")
    assert stats["all"]["satisfaction_rate"] == Decimal("75.00")  # (2 + 1) / 4
    assert stats["all"]["by_result"] == {"A": 3, "B": 1, "C": 1, "D": 0}


def test_rates_are_none_without_proposals(organ_a):
    stats = selectors.proposal_stats(organ_ids=[organ_a.pk], year=2030)
    assert stats["all"]["total"] == 0
    assert stats["all"]["completion_rate"] is None
    assert stats["all"]["satisfaction_rate"] is None
    assert stats["npc"]["by_result"] == {"A": 0, "B": 0, "C": 0, "D": 0}


def test_proposal_stats_rolls_up_organs(organ_a, organ_b, proposals):
    stats = selectors.proposal_stats(organ_ids=[organ_a.pk, organ_b.pk], year=2024)
    assert (stats["cppcc"]["total"], stats["cppcc"]["satisfied"]) == (4, 1)


def test_proposals_in_lists_what_the_stats_count(organ_a, proposals):
    assert selectors.proposals_in(organ_ids=[organ_a.pk], year=2024).count() == 7
    assert selectors.proposals_in(organ_ids=[organ_a.pk], year=2024, kind="npc").count() == 4
    with pytest.raises(ValueError):
        selectors.proposals_in(organ_ids=[organ_a.pk], year=2024, kind="petition")


@pytest.mark.parametrize("years", [[2024], [2022, 2023, 2024]])
def test_proposal_selectors_run_in_one_query(organ_a, years, django_assert_num_queries):
    for year in years:
        _answered(
            organ_a,
            ProposalKind.NPC,
            ResultCode.A,
            Feedback.SATISFIED,
            assigned=d(year, 3, 1),
            replied=d(year, 5, 1),
        )
        ProposalFactory(organ=organ_a, kind=ProposalKind.CPPCC, assigned_date=d(year, 3, 2))
    with django_assert_num_queries(1):
        stats = selectors.proposal_stats(organ_ids=[organ_a.pk], year=2024)
    assert stats["all"]["total"] == 2
    with django_assert_num_queries(1):
        list(selectors.proposals_in(organ_ids=[organ_a.pk], year=2024))
    with django_assert_num_queries(1):
        selectors.proposal_handlings(organ_ids=[organ_a.pk], year=2024)


def test_proposal_handlings_are_the_clerks_sentences_of_the_year_in_assignment_order(organ_a, organ_b):
    later = _answered(organ_a, ProposalKind.NPC, ResultCode.A, assigned=d(2024, 6, 1), replied=d(2024, 7, 1))
    first = _answered(organ_a, ProposalKind.CPPCC, ResultCode.B)
    alike = _answered(
        organ_a, ProposalKind.CPPCC, ResultCode.A, assigned=d(2024, 8, 1), replied=d(2024, 9, 1)
    )
    _answered(organ_a, ProposalKind.NPC, ResultCode.A)  # no 办理情况 written
    other_year = _answered(
        organ_a, ProposalKind.NPC, ResultCode.A, assigned=d(2023, 3, 1), replied=d(2023, 4, 1)
    )
    other_organ = _answered(organ_b, ProposalKind.NPC, ResultCode.A)
    for proposal, text in [
        (later, "召开座谈会听取代表意见。"),
        (first, " 局领导当面送交答复文件。 "),
        (alike, "召开座谈会听取代表意见。"),
        (other_year, "上一年的办理情况。"),
        (other_organ, "乙机关的办理情况。"),
    ]:
        services.proposal_update(proposal=proposal, handling=text)

    assert selectors.proposal_handlings(organ_ids=[organ_a.pk], year=2024) == [
        "局领导当面送交答复文件。",
        "召开座谈会听取代表意见。",
    ]
    assert selectors.proposal_handlings(organ_ids=[organ_a.pk], year=2025) == []
