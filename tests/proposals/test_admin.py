import datetime as dt

from django.core.files.base import ContentFile
from django.urls import reverse

import pytest
import time_machine

from apps.proposals import services
from apps.proposals.enums import ProposalKind, ResultCode, Role
from apps.proposals.models import Proposal
from tests.factories.records import ProposalFactory

pytestmark = pytest.mark.django_db


def _form(organ, **overrides):
    data = {
        "organ": organ.pk,
        "kind": ProposalKind.CPPCC,
        "session": "十三届二次会议",
        "number": "第0088号",
        "title": "关于加大招商引资力度的提案",
        "proposers": "张委员",
        "role": Role.LEAD,
        "assigned_date": "2018-03-20",
        "reply_date": "",
        "result_code": "",
        "publish_mode": "",
        "publish_date": "",
        "publish_reason": "",
        "feedback": "",
        "feedback_date": "",
        "note": "",
        "handling": "",
    }
    return data | overrides


def test_alice_adds_a_proposal_and_gets_the_due_date(client, alice, organ_a):
    client.force_login(alice)
    response = client.post(reverse("admin:proposals_proposal_add"), _form(organ_a, difficult="on"))
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.organ, proposal.due_date) == (organ_a, dt.date(2018, 9, 20))


def test_alice_writes_how_the_proposal_was_handled(client, alice, organ_a):
    client.force_login(alice)
    handling = "局领导高度重视，当面送交答复文件。"
    data = _form(organ_a, reply_date="2018-05-20", result_code=ResultCode.A, handling=handling)
    assert client.post(reverse("admin:proposals_proposal_add"), data).status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.handling == handling
    page = client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk])).text
    assert "办理情况" in page and handling in page


def test_alice_cannot_see_or_change_bobs_proposals(client, alice, organ_a, organ_b):
    theirs = ProposalFactory(organ=organ_b, title="乙机关的提案")
    ProposalFactory(organ=organ_a, title="甲机关的提案")
    client.force_login(alice)
    listing = client.get(reverse("admin:proposals_proposal_changelist")).text
    assert "甲机关的提案" in listing
    assert "乙机关的提案" not in listing
    client.post(reverse("admin:proposals_proposal_change", args=[theirs.pk]), _form(organ_a, title="改"))
    theirs.refresh_from_db()
    assert (theirs.title, theirs.organ) == ("乙机关的提案", organ_b)


def test_alice_cannot_download_bobs_reply(client, alice, bob, organ_b):
    theirs = ProposalFactory(organ=organ_b)
    services.proposal_reply(
        proposal=theirs,
        reply_date=dt.date(2024, 5, 1),
        result_code=ResultCode.A,
        reply_document=ContentFile(b"%PDF reply", name="reply.pdf"),
    )
    url = reverse("admin:proposals_proposal_reply_document", args=[theirs.pk])
    client.force_login(alice)
    assert client.get(url).status_code == 404
    client.force_login(bob)
    response = client.get(url)
    assert b"".join(response.streaming_content) == b"%PDF reply"


def test_a_reply_without_result_gets_a_clear_message(client, alice, organ_a):
    client.force_login(alice)
    response = client.post(reverse("admin:proposals_proposal_add"), _form(organ_a, reply_date="2018-05-01"))
    assert response.status_code == 200
    assert "答复后须选择办理结果。" in response.text
    assert not Proposal.objects.exists()


@time_machine.travel(dt.datetime(2024, 7, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_deadline_filter_finds_overdue_and_due_soon_proposals(client, alice, organ_a):
    ProposalFactory(organ=organ_a, title="逾期未答复的提案", assigned_date=dt.date(2024, 3, 1))  # due 1 Jun
    ProposalFactory(organ=organ_a, title="快到期的提案", assigned_date=dt.date(2024, 4, 10))  # due 10 Jul
    ProposalFactory(organ=organ_a, title="难度大的提案", assigned_date=dt.date(2024, 3, 1), difficult=True)
    late = ProposalFactory(organ=organ_a, title="逾期答复的提案", assigned_date=dt.date(2024, 1, 5))
    services.proposal_reply(proposal=late, reply_date=dt.date(2024, 4, 20), result_code=ResultCode.B)
    client.force_login(alice)
    url = reverse("admin:proposals_proposal_changelist")

    def titles(deadline):
        response = client.get(url, {"deadline": deadline})
        return {p.title for p in response.context["cl"].result_list}

    assert titles("overdue") == {"逾期未答复的提案"}
    assert titles("due_soon") == {"快到期的提案"}
    assert titles("open") == {"逾期未答复的提案", "快到期的提案", "难度大的提案"}
    assert titles("late") == {"逾期答复的提案"}


@pytest.mark.parametrize("n", [1, 3])
def test_proposal_changelist_query_count_does_not_grow(client, alice, organ_a, n, django_assert_num_queries):
    for _ in range(n):
        ProposalFactory(organ=organ_a)
    client.force_login(alice)
    url = reverse("admin:proposals_proposal_changelist")
    client.get(url)
    with django_assert_num_queries(13):  # one more than the others: the 届次 filter lists sessions
        response = client.get(url)
    assert response.text.count('class="action-select"') == n
