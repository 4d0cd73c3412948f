"""The review chain (条例第十七条 保密审查) shared by the records that are published after review:
catalog entries, the organs' 指南/制度 pages, the published replies to proposals and the annual
reports.

    draft ──approve──▶ reviewed ──publish──▶ published ──withdraw (reason)──▶ withdrawn
      ▲  └──return (opinion)──▶ returned        │
      └───────── any change of the content ─────┘ (reviewed, returned or withdrawn → draft)

Each app keeps its own services (``entry_approve``, ``organ_page_publish``, ...): they lock the row,
call the checks here, change their own fields and append the event here. The checks:

- the step is allowed from the record's state (publishing needs the review);
- the user holds the role for the record's organ (apps/organs/roles.py); ``actor=None`` is the
  system (management commands, demo data), never a request;
- the 审核人 did not write what they approve, unless the organ lets one person hold several roles,
  in which case the event says so.

Every step appends a RecordEvent (apps/organs/models.py): the record's history, append-only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from apps.organs.enums import RecordAction, ReviewState
from apps.organs.models import Organ, RecordEvent
from apps.organs.roles import is_city_office
from apps.organs.selectors import organ_for_user

SYSTEM_LABEL = "系统"
#: The states a changed content sends back to draft.
REOPENED_BY_CHANGE = {ReviewState.REVIEWED, ReviewState.RETURNED, ReviewState.WITHDRAWN}
RETURNABLE = {ReviewState.DRAFT, ReviewState.REVIEWED}


@dataclass(frozen=True)
class Chain:
    """How one model goes through the review chain."""

    #: The field that holds the ReviewState value.
    state_field: str
    #: Permission names, e.g. "catalog.review_catalogentry".
    review_permission: str
    publish_permission: str
    #: The states a 审核人 may approve from. A working copy with published versions (an annual
    #: report) is approved again from "published" before its correction is published.
    reviewable: frozenset[str] = frozenset({ReviewState.DRAFT, ReviewState.WITHDRAWN})

    def state(self, record: models.Model) -> str:
        return getattr(record, self.state_field)

    def state_label(self, record: models.Model) -> str:
        return str(ReviewState(self.state(record)).label)


def chain_permissions(model: type[models.Model]) -> Chain:
    """The chain of a model with the permissions review_<model> and publish_<model>."""
    opts = model._meta
    return Chain(
        state_field="status",
        review_permission=f"{opts.app_label}.review_{opts.model_name}",
        publish_permission=f"{opts.app_label}.publish_{opts.model_name}",
    )


# -- who may -------------------------------------------------------------------------------------


def holds(user, record: models.Model, permission: str) -> bool:
    """Whether the user holds the role that carries ``permission`` in the record's organ."""
    if user is None:
        return True  # the system
    if not user.is_active or is_city_office(user):
        return False
    if user.is_superuser:
        return True
    organ = organ_for_user(user)
    return organ is not None and organ.pk == record.organ_id and user.has_perm(permission)


def may_review(user, record: models.Model, chain: Chain) -> bool:
    return holds(user, record, chain.review_permission)


def may_publish(user, record: models.Model, chain: Chain) -> bool:
    return holds(user, record, chain.publish_permission)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("您在本机关没有这一步的角色。"))


def _require_state(record: models.Model, chain: Chain, allowed: Iterable[str], message: str) -> None:
    if chain.state(record) not in allowed:
        raise ValidationError(message % {"state": chain.state_label(record)}, code="state")


# -- history -------------------------------------------------------------------------------------


def actor_label(actor) -> str:
    if actor is None:
        return SYSTEM_LABEL
    return actor.get_full_name() or actor.get_username()


def record_event(
    record: models.Model,
    *,
    action: str,
    actor,
    state: str = "",
    changes: list[dict] | None = None,
    opinion: str = "",
    note: str = "",
) -> RecordEvent:
    event = RecordEvent(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        record_label=str(record)[:300],
        organ_id=getattr(record, "organ_id", None),
        action=action,
        state=state,
        actor=actor,
        actor_label=actor_label(actor),
        changes=changes or [],
        opinion=opinion,
        note=note[:300],
    )
    event.save()
    return event


def history(record: models.Model):
    return RecordEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).order_by("at", "pk")


def _text(record: models.Model, field: models.Field) -> str:
    value = getattr(record, field.attname)
    if isinstance(field, models.FileField):
        return (getattr(value, "name", None) or "").rsplit("/", 1)[-1]
    if value in (None, ""):
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    return str(value)


def changes_between(before: models.Model, after: models.Model, fields: Iterable[str]) -> list[dict]:
    """The fields whose value differs, as text: [{"field", "label", "old", "new"}]."""
    changed = []
    for name in fields:
        field = after._meta.get_field(name)
        if getattr(before, field.attname) == getattr(after, field.attname):
            continue
        changed.append(
            {
                "field": name,
                "label": str(field.verbose_name),
                "old": _text(before, field),
                "new": _text(after, field),
            }
        )
    return changed


def save_state(record: models.Model, chain: Chain, *fields: str) -> None:
    """Save the state (and ``fields``) only: the rest of the row is the clerks' and may have moved."""
    names = [chain.state_field, *fields]
    if any(getattr(f, "auto_now", False) and f.name == "updated_at" for f in record._meta.concrete_fields):
        names.append("updated_at")
    record.save(update_fields=names)


def reopen_on_change(record: models.Model, chain: Chain) -> bool:
    """A change of the content goes back to draft: what was approved is not what is there now."""
    if chain.state(record) in REOPENED_BY_CHANGE:
        setattr(record, chain.state_field, ReviewState.DRAFT)
        return True
    return False


# -- the steps -------------------------------------------------------------------------------------


def _authors_since_approval(record: models.Model) -> set[int | None]:
    """Who created or changed the content since it was last approved."""
    events = list(history(record).values_list("action", "actor_id"))
    authors: set[int | None] = set()
    for action, actor_id in events:
        if action in (RecordAction.APPROVED, RecordAction.PUBLISHED):
            authors = set()
        elif action in (RecordAction.CREATED, RecordAction.CHANGED):
            authors.add(actor_id)
    return authors


def _organ_of(record: models.Model) -> Organ:
    return Organ.objects.only("combined_roles_allowed").get(pk=record.organ_id)


def check_approve(record: models.Model, chain: Chain, *, actor) -> str:
    """Refuse an approval the actor may not give; returns the note the event should carry."""
    _require(may_review(actor, record, chain))
    _require_state(record, chain, chain.reviewable, _("“%(state)s”状态的记录不能审核通过。"))
    if actor is None or actor.pk not in _authors_since_approval(record):
        return ""
    if actor.is_superuser:
        return _("审核人同时是本稿的起草或修改人（超级管理员）。")
    if not _organ_of(record).combined_roles_allowed:
        raise ValidationError(
            _("您起草或修改了这份稿件，不能审核自己的稿件；请由本机关其他审核人审核。"), code="own_draft"
        )
    return _("审核人同时是本稿的起草或修改人（本机关允许一人兼任多个角色）。")


def check_return(record: models.Model, chain: Chain, *, actor, opinion: str) -> str:
    _require(may_review(actor, record, chain))
    _require_state(record, chain, RETURNABLE, _("“%(state)s”状态的记录不能退回。"))
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationError(_("退回修改须填写审核意见。"), code="opinion")
    return opinion


def check_publish(record: models.Model, chain: Chain, *, actor) -> str:
    _require(may_publish(actor, record, chain))
    _require_state(
        record, chain, {ReviewState.REVIEWED}, _("“%(state)s”状态的记录不能发布：发布前须经审核人审核通过。")
    )
    if actor is None:
        return ""
    approver = (
        history(record)
        .filter(action=RecordAction.APPROVED)
        .order_by("-at", "-pk")
        .values_list("actor_id", flat=True)
    ).first()
    if approver == actor.pk:
        return _("发布人同时是审核人。")
    return ""


def check_withdraw(record: models.Model, chain: Chain, *, actor, reason: str) -> str:
    _require(may_publish(actor, record, chain))
    _require_state(record, chain, {ReviewState.PUBLISHED}, _("“%(state)s”状态的记录不能撤回。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("撤回须说明原因。"), code="reason")
    return reason


def check_register_published(record: models.Model, chain: Chain, *, actor) -> str:
    """A document that is already public (an import of an old catalog) enters as published: only
    someone who holds both the review and the publish role may vouch for it, and the event says so."""
    if actor is None:
        return _("登记已公开的文件（系统导入）。")
    _require(may_review(actor, record, chain) and may_publish(actor, record, chain))
    return _("登记已公开的文件：审核和发布由录入人确认。")


def approve(record: models.Model, chain: Chain, *, actor, opinion: str = "") -> RecordEvent:
    """The 审核人 approves: checks, state, save, event (the caller locked the row and took its state)."""
    note = check_approve(record, chain, actor=actor)
    setattr(record, chain.state_field, ReviewState.REVIEWED)
    save_state(record, chain)
    return record_event(
        record,
        action=RecordAction.APPROVED,
        actor=actor,
        state=ReviewState.REVIEWED,
        opinion=(opinion or "").strip(),
        note=note,
    )


def send_back(record: models.Model, chain: Chain, *, actor, opinion: str) -> RecordEvent:
    """The 审核人 returns the draft with an opinion."""
    opinion = check_return(record, chain, actor=actor, opinion=opinion)
    setattr(record, chain.state_field, ReviewState.RETURNED)
    save_state(record, chain)
    return record_event(
        record, action=RecordAction.RETURNED, actor=actor, state=ReviewState.RETURNED, opinion=opinion
    )
