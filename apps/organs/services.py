"""Every write to organs, their 指南/制度 pages and clerk memberships."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction
from django.utils import timezone

from apps.organs import review
from apps.organs.enums import RecordAction, ReviewState
from apps.organs.locking import lock
from apps.organs.models import Membership, Organ, OrganPage
from apps.organs.roles import GROUP_NAMES, Role

# 条例第十二条: the 指南 gives the disclosure office's name, address, hours, phone,
# fax and internet contacts. A clerk may keep these current for their own organ;
# everything else (name, code = 索引号前段码, hierarchy) belongs to the superusers.
CONTACT_FIELDS: tuple[str, ...] = (
    "office_name",
    "office_address",
    "postal_code",
    "office_hours",
    "phone",
    "fax",
    "email",
    "website",
)


def _apply(instance, fields: dict) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)


@transaction.atomic
def organ_create(**fields) -> Organ:
    organ = Organ(**fields)
    organ.full_clean()
    organ.save()
    return organ


@transaction.atomic
def organ_update(*, organ: Organ, **fields) -> Organ:
    _apply(organ, fields)
    organ.full_clean()
    organ.save()
    return organ


@transaction.atomic
def organ_contacts_update(*, organ: Organ, **contacts) -> Organ:
    """Change only the 条例第十二条 contact fields (what a clerk may edit)."""
    unknown = set(contacts) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"Not contact fields: {', '.join(sorted(unknown))}")
    if not contacts:
        return organ
    _apply(organ, contacts)
    organ.full_clean()
    organ.save(update_fields=list(contacts))
    return organ


# -- 指南 and 制度: drafted, reviewed, then published (apps/organs/review.py) ---------------------

PAGE_CHAIN = review.Chain(
    state_field="status",
    review_permission="organs.review_organpage",
    publish_permission="organs.publish_organpage",
)
PAGE_CONTENT = ("title", "body")


@transaction.atomic
def organ_page_create(*, organ: Organ, kind: str, title: str, body: str, actor=None) -> OrganPage:
    """A new draft; the public sees nothing until it is reviewed and published."""
    page = OrganPage(organ=organ, kind=kind, title=title, body=body, status=ReviewState.DRAFT)
    page.full_clean()
    page.save()
    review.record_event(page, action=RecordAction.CREATED, actor=actor, state=page.status)
    return page


@transaction.atomic
def organ_page_update(
    *, page: OrganPage, actor=None, expected_version: int | None = None, **fields
) -> OrganPage:
    """Change the working copy. Whatever its state, a change makes it a draft to review again;
    the published copy stays online meanwhile."""
    stored = lock(page, expected_version)
    page.status = stored.status
    _apply(page, fields)
    changes = review.changes_between(stored, page, PAGE_CONTENT)
    if changes:
        page.status = ReviewState.DRAFT
    page.full_clean()
    page.save()
    if changes:
        review.record_event(
            page, action=RecordAction.CHANGED, actor=actor, state=page.status, changes=changes
        )
    return page


@transaction.atomic
def organ_page_approve(*, page: OrganPage, actor, opinion: str = "") -> OrganPage:
    page.status = lock(page).status
    review.approve(page, PAGE_CHAIN, actor=actor, opinion=opinion)
    return page


@transaction.atomic
def organ_page_return(*, page: OrganPage, actor, opinion: str) -> OrganPage:
    page.status = lock(page).status
    review.send_back(page, PAGE_CHAIN, actor=actor, opinion=opinion)
    return page


@transaction.atomic
def organ_page_publish(*, page: OrganPage, actor=None) -> OrganPage:
    """The approved working copy becomes what the public reads."""
    stored = lock(page)
    page.status, page.title, page.body = stored.status, stored.title, stored.body
    note = review.check_publish(page, PAGE_CHAIN, actor=actor)
    page.published_title, page.published_body = page.title, page.body
    page.published_at = timezone.now()
    page.status = ReviewState.PUBLISHED
    review.save_state(page, PAGE_CHAIN, "published_title", "published_body", "published_at")
    review.record_event(page, action=RecordAction.PUBLISHED, actor=actor, state=page.status, note=note)
    return page


@transaction.atomic
def membership_create(*, user: AbstractBaseUser, organ: Organ, roles: Iterable[str] = ()) -> Membership:
    membership = Membership(user=user, organ=organ)
    membership.full_clean()
    membership.save()
    membership_set_roles(membership=membership, roles=roles)
    return membership


@transaction.atomic
def membership_update(*, membership: Membership, roles: Iterable[str] | None = None, **fields) -> Membership:
    _apply(membership, fields)
    membership.full_clean()
    membership.save()
    if roles is not None:
        membership_set_roles(membership=membership, roles=roles)
    return membership


@transaction.atomic
def membership_set_roles(*, membership: Membership, roles: Iterable[str]) -> None:
    """The clerk's roles in their organ: exactly these role groups; other groups are kept."""
    wanted = {GROUP_NAMES[Role(role)] for role in roles}
    user = membership.user
    role_groups = Group.objects.filter(name__in=GROUP_NAMES.values())
    missing = wanted - set(role_groups.values_list("name", flat=True))
    if missing:
        raise ValueError(f"Role groups missing (run migrate): {', '.join(sorted(missing))}")
    user.groups.remove(*role_groups.exclude(name__in=wanted))
    user.groups.add(*role_groups.filter(name__in=wanted))
