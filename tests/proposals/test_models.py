import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

import pytest

from apps.proposals import services
from apps.proposals.enums import Feedback, ProposalKind, PublishMode, ResultCode, result_label
from apps.proposals.models import Proposal
from tests.factories.records import ProposalFactory

pytestmark = pytest.mark.django_db


def test_due_date_is_computed_and_stored(organ_a):
    proposal = ProposalFactory(organ=organ_a, assigned_date=dt.date(2024, 3, 15))
    assert Proposal.objects.get().due_date == dt.date(2024, 6, 15)
    services.proposal_update(proposal=proposal, difficult=True)
    assert Proposal.objects.get().due_date == dt.date(2024, 9, 15)


def test_reply_needs_a_result_code(organ_a):
    proposal = ProposalFactory(organ=organ_a)
    with pytest.raises(ValidationError) as exc:
        services.proposal_reply(proposal=proposal, reply_date=dt.date(2024, 5, 1), result_code="")
    assert exc.value.message_dict["result_code"] == ["答复后须选择办理结果。"]
    assert Proposal.objects.get().reply_date is None


def test_database_refuses_a_result_without_reply(organ_a):
    proposal = ProposalFactory(organ=organ_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(result_code=ResultCode.A)


def test_reply_cannot_precede_assignment(organ_a):
    proposal = ProposalFactory(organ=organ_a, assigned_date=dt.date(2024, 3, 15))
    with pytest.raises(ValidationError) as exc:
        services.proposal_reply(proposal=proposal, reply_date=dt.date(2024, 3, 1), result_code=ResultCode.B)
    assert exc.value.message_dict["reply_date"] == ["答复日期不能早于交办日期。"]


def test_not_publishing_a_reply_needs_a_reason(organ_a):
    proposal = ProposalFactory(organ=organ_a)
    services.proposal_reply(proposal=proposal, reply_date=dt.date(2024, 5, 1), result_code=ResultCode.C)
    with pytest.raises(ValidationError) as exc:
        services.proposal_publish(proposal=proposal, mode=PublishMode.NOT_PUBLISHED, reason=" ")
    assert exc.value.message_dict["publish_reason"] == ["不公开的须说明理由。"]
    services.proposal_publish(proposal=proposal, mode=PublishMode.NOT_PUBLISHED, reason="涉及国家秘密")
    assert Proposal.objects.get().publish_reason == "涉及国家秘密"


def test_publishing_before_the_reply_is_refused(organ_a):
    proposal = ProposalFactory(organ=organ_a)
    with pytest.raises(ValidationError) as exc:
        services.proposal_publish(proposal=proposal, mode=PublishMode.FULL, publish_date=dt.date(2024, 5, 1))
    assert "publish_mode" in exc.value.message_dict


def test_published_reply_keeps_its_date_and_drops_a_stale_reason(organ_a):
    proposal = ProposalFactory(organ=organ_a)
    services.proposal_reply(proposal=proposal, reply_date=dt.date(2024, 5, 1), result_code=ResultCode.A)
    services.proposal_publish(proposal=proposal, mode=PublishMode.NOT_PUBLISHED, reason="暂缓")
    services.proposal_publish(
        proposal=proposal, mode=PublishMode.SUMMARY, publish_date=dt.date(2024, 5, 20), summary="已解决。"
    )
    proposal.refresh_from_db()
    assert (proposal.publish_mode, proposal.publish_date, proposal.publish_reason) == (
        PublishMode.SUMMARY,
        dt.date(2024, 5, 20),
        "",
    )


def test_feedback_needs_a_reply_and_a_date(organ_a):
    proposal = ProposalFactory(organ=organ_a)
    with pytest.raises(ValidationError) as exc:
        services.proposal_feedback_record(
            proposal=proposal, feedback=Feedback.SATISFIED, feedback_date=dt.date(2024, 5, 1)
        )
    assert exc.value.message_dict["feedback"] == ["答复后才能登记反馈意见。"]
    services.proposal_reply(proposal=proposal, reply_date=dt.date(2024, 5, 1), result_code=ResultCode.A)
    with pytest.raises(ValidationError) as exc:
        services.proposal_feedback_record(proposal=proposal, feedback=Feedback.SATISFIED, feedback_date=None)
    assert "feedback_date" in exc.value.message_dict


def test_dissatisfied_feedback_sets_a_redo_deadline(organ_a):
    proposal = ProposalFactory(organ=organ_a)
    services.proposal_reply(proposal=proposal, reply_date=dt.date(2024, 5, 1), result_code=ResultCode.D)
    services.proposal_feedback_record(
        proposal=proposal, feedback=Feedback.DISSATISFIED, feedback_date=dt.date(2024, 5, 20)
    )
    assert Proposal.objects.get().redo_due_date == dt.date(2024, 8, 20)
    services.proposal_feedback_record(
        proposal=proposal, feedback=Feedback.BASICALLY_SATISFIED, feedback_date=dt.date(2024, 9, 1)
    )
    assert Proposal.objects.get().redo_due_date is None


def test_number_is_unique_per_organ_kind_and_session(organ_a, organ_b):
    ProposalFactory(organ=organ_a, number="第0001号")
    ProposalFactory(organ=organ_b, number="第0001号")  # the same proposal handled by a 协办单位
    ProposalFactory(organ=organ_a, number="第0001号", kind=ProposalKind.NPC)
    with pytest.raises(ValidationError):
        ProposalFactory(organ=organ_a, number="第0001号")
    assert Proposal.objects.count() == 3


def test_result_labels_follow_the_reference_and_can_be_reworded(settings):
    assert result_label("A") == "A类：所提问题已经解决或基本解决"
    settings.PROPOSAL_RESULT_LABELS = {"A": "A类：已经解决或基本解决，或已通过其他途径解决的"}
    assert result_label("A") == "A类：已经解决或基本解决，或已通过其他途径解决的"
    assert result_label("B") == "B类：所提问题正在解决或列入规划逐步解决"


def test_summary_publication_needs_a_summary_and_full_needs_the_document(organ_a):
    proposal = ProposalFactory(organ=organ_a)
    services.proposal_reply(proposal=proposal, reply_date=dt.date(2024, 5, 1), result_code=ResultCode.A)
    with pytest.raises(ValidationError) as exc:
        services.proposal_publish(
            proposal=proposal, mode=PublishMode.SUMMARY, publish_date=dt.date(2024, 5, 9)
        )
    assert exc.value.message_dict["reply_summary"] == ["摘要公开的须填写答复摘要。"]
    with pytest.raises(ValidationError) as exc:
        services.proposal_publish(proposal=proposal, mode=PublishMode.FULL, publish_date=dt.date(2024, 5, 9))
    assert exc.value.message_dict["reply_document"] == ["全文公开须上传答复文件。"]
    # Deciding on the mode before the summary or the document is there is fine; publishing is not.
    services.proposal_publish(proposal=proposal, mode=PublishMode.SUMMARY)
    services.proposal_publish(proposal=proposal, mode=PublishMode.FULL)
    assert Proposal.objects.get().publish_mode == PublishMode.FULL
