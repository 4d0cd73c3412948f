import datetime as dt
import io
import random
from decimal import Decimal

import pytest

from apps.devtools.demo import proposals as demo
from apps.proposals import selectors
from apps.proposals.enums import Feedback, ProposalKind, ResultCode, Role
from apps.proposals.models import Proposal
from tests.factories import OrganFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organs(organ_a):
    return {"jhj": organ_a, "busy": OrganFactory(name="牡丹江市自然资源局", slug="zrzyj")}


def _build(organs):
    demo.build(organs=organs, rng=random.Random(5), stdout=io.StringIO())


def test_seed_organ_answered_one_cppcc_proposal_with_full_satisfaction(organs):
    _build(organs)
    stats = selectors.proposal_stats(organ_ids=[organs["jhj"].pk], year=2018)
    assert stats["npc"]["total"] == 0
    cppcc = stats["cppcc"]
    assert (cppcc["total"], cppcc["answered"], cppcc["satisfied"]) == (1, 1, 1)
    assert cppcc["completion_rate"] == cppcc["satisfaction_rate"] == Decimal("100.00")
    assert cppcc["by_result"] == {"A": 1, "B": 0, "C": 0, "D": 0}
    # The report's own words on how it was handled, without the rates it computes itself.
    assert selectors.proposal_handlings(organ_ids=[organs["jhj"].pk], year=2018) == [
        "局领导高度重视提案办理工作，抽调骨干人员，认真予以办理，并积极主动与政协委员见面，当面送交答复文件。"
    ]


def test_busy_organ_has_both_kinds_every_feedback_result_and_role(organs):
    _build(organs)
    busy = Proposal.objects.filter(organ=organs["busy"])
    assert 12 <= busy.count() <= 16
    assert set(busy.values_list("kind", flat=True)) == set(ProposalKind.values)
    assert set(busy.exclude(feedback="").values_list("feedback", flat=True)) == set(Feedback.values)
    assert set(busy.exclude(result_code="").values_list("result_code", flat=True)) == set(ResultCode.values)
    assert set(busy.values_list("role", flat=True)) == set(Role.values)
    assert busy.overdue(dt.date(2026, 11, 20)).count() == 1
    assert busy.filter(redo_due_date__isnull=False).count() == 2


def test_demo_is_idempotent(organs):
    _build(organs)
    first = sorted(Proposal.objects.values_list("organ_id", "number", "due_date"))
    _build(organs)
    assert sorted(Proposal.objects.values_list("organ_id", "number", "due_date")) == first
