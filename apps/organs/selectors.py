"""Reads about organs: the back-office scoping, the public organ tree and the organ pages.

The public reads run a fixed number of queries whatever the number of organs (pinned by
query-count tests).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import OuterRef, Subquery

from apps.organs.models import Organ, OrganPage, OrganQuerySet
from apps.organs.roles import sees_all_organs
from disclosure_portal.caching import per_generation


def organ_for_user(user: AbstractBaseUser | AnonymousUser) -> Organ | None:
    """The organ a clerk works for; None for superusers and users without one."""
    if not user.is_authenticated:
        return None
    membership = getattr(user, "membership", None)
    return membership.organ if membership is not None else None


def organs_visible_to(user) -> OrganQuerySet:
    """Organs whose records the user may see in the back office (deny by default)."""
    if sees_all_organs(user):
        return Organ.objects.all()
    organ = organ_for_user(user)
    if organ is None:
        return Organ.objects.none()
    return Organ.objects.filter(pk=organ.pk)


def public_organs() -> OrganQuerySet:
    return Organ.objects.active().select_related("parent")


@dataclass
class OrganNode:
    """An organ and its departments, for the grouped organ lists (Organ.parent)."""

    organ: Organ
    children: list[OrganNode] = field(default_factory=list)


@per_generation
def organ_tree(*, with_pages: bool = False) -> list[OrganNode]:
    """Active organs as a forest: governments (and organs without an active parent) with their departments.

    One query, once per content generation in each process (the tree is shared: read-only). With
    with_pages, each organ carries guide_updated_at / rules_updated_at (None when the
    organ has not published that page), for the city-wide 指南 and 制度 lists.
    """
    organs = public_organs().order_by("sort_order", "name")
    if with_pages:
        pages = OrganPage.objects.published().filter(organ=OuterRef("pk"))
        organs = organs.annotate(
            guide_updated_at=Subquery(pages.filter(kind=OrganPage.Kind.GUIDE).values("published_at")[:1]),
            rules_updated_at=Subquery(pages.filter(kind=OrganPage.Kind.RULES).values("published_at")[:1]),
        )
    nodes = {organ.pk: OrganNode(organ) for organ in organs}
    roots: list[OrganNode] = []
    for node in nodes.values():
        parent = nodes.get(node.organ.parent_id) if node.organ.parent_id else None
        # A department whose parent is inactive (or would close a cycle through bad data) is listed
        # at the top level rather than hidden: the public must still find it.
        if parent is not None and not _is_ancestor(node, parent, nodes):
            parent.children.append(node)
        else:
            roots.append(node)
    return roots


def _is_ancestor(node: OrganNode, candidate: OrganNode, nodes: dict[int, OrganNode]) -> bool:
    seen: set[int] = set()
    current: OrganNode | None = candidate
    while current is not None and current.organ.pk not in seen:
        if current.organ.pk == node.organ.pk:
            return True
        seen.add(current.organ.pk)
        current = nodes.get(current.organ.parent_id) if current.organ.parent_id else None
    return False


@per_generation
def portal_organ() -> Organ | None:
    """The organ that runs the portal, whose contacts the site footer shows: the first active
    top-level 人民政府 (one query, once per content generation in each process)."""
    return (
        Organ.objects.active()
        .filter(parent__isnull=True, kind=Organ.Kind.GOVERNMENT)
        .order_by("sort_order", "name")
        .first()
    )


def organ_pages(*, organ: Organ) -> dict[str, OrganPage]:
    """The organ's 指南 and 制度 pages by kind (one query); a kind not yet published is absent."""
    return {page.kind: page for page in OrganPage.objects.published().filter(organ=organ)}


def organ_page(*, organ: Organ, kind: str) -> OrganPage | None:
    return OrganPage.objects.published().filter(organ=organ, kind=kind).first()
