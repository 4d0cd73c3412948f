"""Every write to 建议提案 records (admin, demo data, tests).

Making a reply public goes through the review chain (apps/organs/review.py): the clerk records how
it is to be published (全文 or 摘要, from which date), the 审核人 approves or returns it, the 发布人
publishes it and may withdraw it with a reason. ``actor=None`` is the system (demo data, tests):
its ``proposal_publish`` approves and publishes at once, and the history says 系统.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.organs import review
from apps.organs.enums import RecordAction, ReviewState
from apps.organs.locking import lock
from apps.organs.models import Organ
from apps.proposals.deadlines import redo_due_date, reply_due_date
from apps.proposals.enums import Feedback, PublishMode, Role
from apps.proposals.models import Proposal

CHAIN = review.Chain(
    state_field="publication_status",
    review_permission="proposals.review_proposal",
    publish_permission="proposals.publish_proposal",
)
#: What the public sees of a published reply: a change needs a new review.
PUBLICATION_FIELDS = ("publish_mode", "publish_date", "reply_summary", "reply_document")
#: Every field a clerk edits, for the history.
TRACKED_FIELDS = (
    "kind",
    "session",
    "number",
    "title",
    "proposers",
    "role",
    "assigned_date",
    "difficult",
    "reply_date",
    "result_code",
    "reply_document",
    "handling",
    "publish_mode",
    "reply_summary",
    "publish_reason",
    "publish_date",
    "feedback",
    "feedback_date",
    "note",
)


@transaction.atomic
def proposal_save(*, proposal: Proposal, actor=None, expected_version: int | None = None) -> Proposal:
    """The one write path: computes the stored due dates, validates, saves, and keeps the history.

    A change of what a published reply shows waits for a withdrawal (by a clerk; the system may);
    any other change of the publication sends it back to review.
    """
    stored = lock(proposal, expected_version) if proposal.pk is not None else None
    if stored is not None:
        proposal.publication_status = stored.publication_status
    changes = review.changes_between(stored, proposal, TRACKED_FIELDS) if stored is not None else []
    publication_changed = [c for c in changes if c["field"] in PUBLICATION_FIELDS]
    if publication_changed and proposal.publication_status == ReviewState.PUBLISHED and actor is not None:
        raise ValidationError(
            _("答复已公开，不能修改“%(fields)s”；请先撤回公开，改好后重新审核。")
            % {"fields": "、".join(c["label"] for c in publication_changed)},
            code="published",
        )
    if publication_changed and proposal.publication_status != ReviewState.DRAFT:
        proposal.publication_status = ReviewState.DRAFT
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
    if stored is None:
        review.record_event(
            proposal, action=RecordAction.CREATED, actor=actor, state=proposal.publication_status
        )
    elif changes:
        review.record_event(
            proposal,
            action=RecordAction.CHANGED,
            actor=actor,
            state=proposal.publication_status,
            changes=changes,
        )
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


def proposal_update(*, proposal: Proposal, actor=None, **fields) -> Proposal:
    for name, value in fields.items():
        setattr(proposal, name, value)
    return proposal_save(proposal=proposal, actor=actor)


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
    actor=None,
) -> Proposal:
    """Record how the reply is made public: 全文公开 (the reply document) or 摘要公开 (``summary``)
    from ``publish_date``, or 不公开 with a reason. Public on the portal from publish_date on,
    once reviewed and published; the system (``actor=None``) does both steps at once."""
    fields = {"publish_mode": mode, "publish_date": publish_date, "publish_reason": reason}
    if summary is not None:
        fields["reply_summary"] = summary
    proposal = proposal_update(proposal=proposal, actor=actor, **fields)
    if actor is None and mode in (PublishMode.FULL, PublishMode.SUMMARY):
        if proposal.publication_status == ReviewState.DRAFT:
            proposal_reply_approve(proposal=proposal, actor=None)
        if proposal.publication_status == ReviewState.REVIEWED:
            proposal_reply_publish(proposal=proposal, actor=None)
    return proposal


def _take_state(proposal: Proposal) -> Proposal:
    stored = lock(proposal)
    proposal.publication_status = stored.publication_status
    return stored


@transaction.atomic
def proposal_reply_approve(*, proposal: Proposal, actor, opinion: str = "") -> Proposal:
    """保密审查 of what the reply's publication shows (the document or the summary)."""
    _take_state(proposal)
    if proposal.publish_mode not in (PublishMode.FULL, PublishMode.SUMMARY):
        raise ValidationError(_("请先确定答复公开方式（全文公开或摘要公开）。"), code="mode")
    review.approve(proposal, CHAIN, actor=actor, opinion=opinion)
    return proposal


@transaction.atomic
def proposal_reply_return(*, proposal: Proposal, actor, opinion: str) -> Proposal:
    _take_state(proposal)
    review.send_back(proposal, CHAIN, actor=actor, opinion=opinion)
    return proposal


@transaction.atomic
def proposal_reply_publish(*, proposal: Proposal, actor=None) -> Proposal:
    """The approved reply goes public from its publication date (today when none was set)."""
    _take_state(proposal)
    note = review.check_publish(proposal, CHAIN, actor=actor)
    proposal.publication_status = ReviewState.PUBLISHED
    fields = []
    if proposal.publish_date is None and actor is not None:
        proposal.publish_date = timezone.localdate()
        fields.append("publish_date")
    review.save_state(proposal, CHAIN, *fields)
    review.record_event(
        proposal, action=RecordAction.PUBLISHED, actor=actor, state=proposal.publication_status, note=note
    )
    return proposal


@transaction.atomic
def proposal_reply_withdraw(*, proposal: Proposal, reason: str, actor=None) -> Proposal:
    """The reply is no longer public; the reason stays in the history."""
    _take_state(proposal)
    reason = review.check_withdraw(proposal, CHAIN, actor=actor, reason=reason)
    proposal.publication_status = ReviewState.WITHDRAWN
    review.save_state(proposal, CHAIN)
    review.record_event(
        proposal,
        action=RecordAction.WITHDRAWN,
        actor=actor,
        state=proposal.publication_status,
        opinion=reason,
    )
    return proposal


def proposal_feedback_record(
    *, proposal: Proposal, feedback: str, feedback_date: dt.date, actor=None
) -> Proposal:
    """The proposer's 反馈意见表; 不满意 sets a new 3-month reply deadline (重新办理)."""
    return proposal_update(proposal=proposal, actor=actor, feedback=feedback, feedback_date=feedback_date)


@transaction.atomic
def proposal_delete(*, proposal: Proposal) -> None:
    if proposal.reply_document:
        proposal.reply_document.delete(save=False)
    proposal.delete()
