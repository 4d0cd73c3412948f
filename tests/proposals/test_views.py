"""The public column of published replies."""

import datetime as dt

from django.core.files.base import ContentFile
from django.urls import reverse

import pytest
import time_machine

from apps.proposals import services
from apps.proposals.enums import ProposalKind, PublishMode, ResultCode
from tests.factories.records import ProposalFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.proposals.urls")]
TODAY = dt.datetime(2024, 8, 1, 9, 0, tzinfo=dt.UTC)


def _replied(organ, title, *, mode, publish_date=dt.date(2024, 6, 1), kind=ProposalKind.CPPCC, **publish):
    proposal = ProposalFactory(organ=organ, title=title, kind=kind, assigned_date=dt.date(2024, 3, 1))
    services.proposal_reply(
        proposal=proposal,
        reply_date=dt.date(2024, 5, 20),
        result_code=ResultCode.A,
        reply_document=ContentFile(b"%PDF full reply", name="r.pdf"),
    )
    return services.proposal_publish(proposal=proposal, mode=mode, publish_date=publish_date, **publish)


@pytest.fixture
def replies(organ_a, organ_b):
    return {
        "full": _replied(organ_a, "全文公开的提案", mode=PublishMode.FULL),
        "summary": _replied(
            organ_b,
            "摘要公开的建议",
            mode=PublishMode.SUMMARY,
            kind=ProposalKind.NPC,
            summary="已列入年度计划。",
        ),
        "secret": _replied(
            organ_a, "不公开的提案", mode=PublishMode.NOT_PUBLISHED, publish_date=None, reason="涉密"
        ),
        "later": _replied(
            organ_a, "下月才公开的提案", mode=PublishMode.FULL, publish_date=dt.date(2024, 9, 1)
        ),
    }


@time_machine.travel(TODAY, tick=False)
def test_list_shows_only_replies_already_published(client, replies):
    response = client.get(reverse("proposals:list"))
    assert response.status_code == 200
    assert "全文公开的提案" in response.text
    assert "摘要公开的建议" in response.text
    assert "不公开的提案" not in response.text
    assert "下月才公开的提案" not in response.text


@time_machine.travel(TODAY, tick=False)
def test_list_filters_by_organ_kind_and_year_and_ignores_bad_input(client, organ_a, replies):
    url = reverse("proposals:list")
    titles = lambda params: {p.title for p in client.get(url, params).context["page"].object_list}  # noqa: E731
    assert titles({"organ": organ_a.slug}) == {"全文公开的提案"}
    assert titles({"kind": "npc"}) == {"摘要公开的建议"}
    assert titles({"year": "2023"}) == set()
    assert titles({"year": "abc", "kind": "petition", "organ": "nope", "page": "x"}) == {
        "全文公开的提案",
        "摘要公开的建议",
    }


@time_machine.travel(TODAY, tick=False)
def test_summary_reply_shows_the_summary_and_no_document(client, replies):
    proposal = replies["summary"]
    response = client.get(reverse("proposals:detail", args=[proposal.pk]))
    assert "已列入年度计划。" in response.text
    assert reverse("proposals:document", args=[proposal.pk]) not in response.text
    assert client.get(reverse("proposals:document", args=[proposal.pk])).status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_full_reply_offers_the_document(client, replies):
    proposal = replies["full"]
    response = client.get(reverse("proposals:detail", args=[proposal.pk]))
    assert "A类：所提问题已经解决或基本解决" in response.text
    document = client.get(reverse("proposals:document", args=[proposal.pk]))
    assert b"".join(document.streaming_content) == b"%PDF full reply"


@time_machine.travel(TODAY, tick=False)
def test_unpublished_replies_are_not_found(client, replies):
    for key in ("secret", "later"):
        assert client.get(reverse("proposals:detail", args=[replies[key].pk])).status_code == 404
        assert client.get(reverse("proposals:document", args=[replies[key].pk])).status_code == 404


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("n", [1, 3])
def test_list_query_count_does_not_grow(client, organ_a, n, django_assert_num_queries):
    for i in range(n):
        _replied(organ_a, f"提案{i}", mode=PublishMode.FULL)
    with django_assert_num_queries(4):  # organs for the filter, the portal footer's organs, count, page
        response = client.get(reverse("proposals:list"))
    assert len(response.context["page"].object_list) == n
