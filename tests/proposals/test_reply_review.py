"""A reply to a proposal goes public only after review: the clerk records how it is published, the
审核人 approves or returns it, the 发布人 publishes it and may withdraw it with a reason."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

import pytest
import time_machine

from apps.organs import review
from apps.organs.enums import ReviewState
from apps.proposals import services
from apps.proposals.enums import PublishMode, ResultCode
from apps.proposals.models import Proposal
from tests.admin_forms import change_form_data
from tests.factories.records import ProposalFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 8, 1)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2024, 8, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def replied(organ_a):
    proposal = ProposalFactory(
        organ=organ_a, title="关于优化营商环境的提案", assigned_date=dt.date(2024, 3, 1)
    )
    return services.proposal_reply(
        proposal=proposal,
        reply_date=dt.date(2024, 5, 20),
        result_code=ResultCode.A,
        reply_document=ContentFile(b"%PDF reply", name="r.pdf"),
    )


def public() -> list[str]:
    return list(Proposal.objects.published(TODAY).values_list("title", flat=True))


def test_a_reply_set_to_be_published_is_not_public_before_review(replied, drafter, reviewer, publisher):
    services.proposal_publish(
        proposal=replied, mode=PublishMode.FULL, publish_date=dt.date(2024, 6, 1), actor=drafter
    )
    assert replied.publication_status == ReviewState.DRAFT
    assert public() == []
    with pytest.raises(ValidationError, match="发布前须经审核人审核通过"):
        services.proposal_reply_publish(proposal=replied, actor=publisher)

    services.proposal_reply_return(proposal=replied, actor=reviewer, opinion="答复文件中有代表的手机号。")
    services.proposal_publish(
        proposal=replied, mode=PublishMode.SUMMARY, summary="已办理，纳入年度重点工作。", actor=drafter
    )
    services.proposal_reply_approve(proposal=replied, actor=reviewer)
    services.proposal_reply_publish(proposal=replied, actor=publisher)
    assert public() == ["关于优化营商环境的提案"]
    replied.refresh_from_db()
    assert replied.publish_date == TODAY  # published today, no date was set
    assert [e.action for e in review.history(replied)][-4:] == [
        "returned",
        "changed",
        "approved",
        "published",
    ]


def test_nothing_to_review_before_the_publication_is_decided(replied, reviewer):
    with pytest.raises(ValidationError, match="请先确定答复公开方式"):
        services.proposal_reply_approve(proposal=replied, actor=reviewer)


def test_a_public_reply_is_withdrawn_with_a_reason_before_it_changes(replied, drafter, reviewer, publisher):
    services.proposal_publish(proposal=replied, mode=PublishMode.FULL, publish_date=dt.date(2024, 6, 1))
    assert public() == ["关于优化营商环境的提案"]  # the system published it (demo data, tests)
    with pytest.raises(ValidationError, match="请先撤回公开"):
        services.proposal_update(
            proposal=replied, actor=drafter, publish_mode=PublishMode.SUMMARY, reply_summary="x"
        )
    replied.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.proposal_reply_withdraw(proposal=replied, actor=reviewer, reason="有误")
    with pytest.raises(ValidationError, match="撤回须说明原因"):
        services.proposal_reply_withdraw(proposal=replied, actor=publisher, reason="")
    services.proposal_reply_withdraw(proposal=replied, actor=publisher, reason="答复文件需要更正")
    assert public() == []
    assert review.history(replied).last().opinion == "答复文件需要更正"
    # Other fields (the proposer's feedback) never wait for a review.
    services.proposal_feedback_record(
        proposal=replied, feedback="satisfied", feedback_date=dt.date(2024, 7, 1), actor=drafter
    )


def test_the_review_page_of_a_proposal(client, replied, drafter, reviewer, publisher):
    services.proposal_publish(
        proposal=replied, mode=PublishMode.FULL, publish_date=dt.date(2024, 6, 1), actor=drafter
    )
    url = reverse("admin:proposals_proposal_review", args=[replied.pk])
    client.force_login(reviewer)
    assert client.post(url, {"step": "approve", "text": "可以公开"}).status_code == 302
    client.force_login(publisher)
    assert client.post(url, {"step": "publish"}).status_code == 302
    assert public() == ["关于优化营商环境的提案"]
    content = client.get(reverse("admin:proposals_proposal_change", args=[replied.pk])).content.decode()
    assert "可以公开" in content and 'class="review-history"' in content


def test_the_drafters_admin_edit_of_a_published_reply_keeps_its_publication(client, replied, drafter):
    services.proposal_publish(proposal=replied, mode=PublishMode.FULL, publish_date=dt.date(2024, 6, 1))
    client.force_login(drafter)
    url = reverse("admin:proposals_proposal_change", args=[replied.pk])
    page = client.get(url)
    assert 'name="publish_mode"' not in page.content.decode()  # read-only while public
    response = client.post(url, {**change_form_data(page), "note": "已电话回访"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    replied.refresh_from_db()
    assert (replied.note, replied.publication_status) == ("已电话回访", ReviewState.PUBLISHED)
