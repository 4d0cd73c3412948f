"""Every write to 建议提案 records (admin, demo data, tests)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from apps.organs.models import Organ
from apps.proposals.deadlines import redo_due_date, reply_due_date
from apps.proposals.enums import Feedback, PublishMode, Role
from apps.proposals.models import Proposal


@transaction.atomic
def proposal_save(*, proposal: Proposal) -> Proposal:
    """The one write path: computes the stored due dates, validates, saves."""
    if errors := proposal.dates_beyond_the_calendar():
        raise ValidationError(errors)
    if proposal.assigned_date:
        proposal.due_date = reply_due_date(assigned_date=proposal.assigned_date, difficult=proposal.difficult)
    proposal.redo_due_date = (
        redo_due_date(feedback_date=proposal.feedback_date)
        if proposal.feedback == Feedback.DISSATISFIED and proposal.feedback_date
        else None
    )
    proposal.publish_reason = proposal.publish_reason.strip()
    if proposal.publish_mode != PublishMode.NOT_PUBLISHED:
        proposal.publish_reason = ""  # a stale reason would contradict a published reply
    proposal.full_clean()
    proposal.save()
    return proposal


def proposal_create(
    *,
    organ: Organ,
    kind: str,
    session: str,
    number: str,
    title: str,
    proposers: str,
    assigned_date: dt.date,
    role: str = Role.LEAD,
    difficult: bool = False,
    note: str = "",
) -> Proposal:
    return proposal_save(
        proposal=Proposal(
            organ=organ,
            kind=kind,
            session=session,
            number=number,
            title=title,
            proposers=proposers,
            assigned_date=assigned_date,
            role=role,
            difficult=difficult,
            note=note,
        )
    )


def proposal_update(*, proposal: Proposal, **fields) -> Proposal:
    for name, value in fields.items():
        setattr(proposal, name, value)
    return proposal_save(proposal=proposal)


def proposal_reply(
    *,
    proposal: Proposal,
    reply_date: dt.date,
    result_code: str,
    reply_document: File | None = None,
    handling: str | None = None,
) -> Proposal:
    """Record the reply; ``handling`` is the clerk's account of how it was handled (办理情况),
    which the free-layout annual report prints as written."""
    fields = {"reply_date": reply_date, "result_code": result_code}
    if reply_document is not None:
        fields["reply_document"] = reply_document
    if handling is not None:
        fields["handling"] = handling.strip()
    return proposal_update(proposal=proposal, **fields)


def proposal_publish(
    *,
    proposal: Proposal,
    mode: str,
    publish_date: dt.date | None = None,
    reason: str = "",
    summary: str | None = None,
) -> Proposal:
    """Record how the reply is made public: 全文公开 (the reply document) or 摘要公开 (``summary``)
    from ``publish_date``, or 不公开 with a reason. Public on the portal from publish_date on."""
    fields = {"publish_mode": mode, "publish_date": publish_date, "publish_reason": reason}
    if summary is not None:
        fields["reply_summary"] = summary
    return proposal_update(proposal=proposal, **fields)


def proposal_feedback_record(*, proposal: Proposal, feedback: str, feedback_date: dt.date) -> Proposal:
    """The proposer's 反馈意见表; 不满意 sets a new 3-month reply deadline (重新办理)."""
    return proposal_update(proposal=proposal, feedback=feedback, feedback_date=feedback_date)


@transaction.atomic
def proposal_delete(*, proposal: Proposal) -> None:
    if proposal.reply_document:
        proposal.reply_document.delete(save=False)
    proposal.delete()
