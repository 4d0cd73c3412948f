"""Reads of the 政策解读 links: what a detail page shows, and the clerk's warning list."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from apps.catalog.enums import DocumentKind, Status
from apps.catalog.models import CatalogEntry, CatalogEntryQuerySet, Interpretation
from apps.organs.models import Organ


@dataclass
class InterpretationLinks:
    """The published entries that interpret an entry, and the published documents it interprets."""

    interpretations: list[Interpretation] = field(default_factory=list)
    policies: list[Interpretation] = field(default_factory=list)


def interpretation_links(entry: CatalogEntry) -> InterpretationLinks:
    """Both directions of an entry's 解读 links, other ends published only (one query)."""
    published = Status.PUBLISHED
    links = (
        Interpretation.objects.filter(
            Q(policy=entry, interpretation__status=published)
            | Q(interpretation=entry, policy__status=published)
        )
        .select_related("policy", "interpretation")
        .only(
            "kind",
            "sort_order",
            "policy_id",
            "interpretation_id",
            *(
                f"{end}__{name}"
                for end in ("policy", "interpretation")
                for name in ("index_number", "title", "publish_date", "doc_number")
            ),
        )
        .order_by("sort_order", "pk")
    )
    result = InterpretationLinks()
    for link in links:
        if link.policy_id == entry.pk:
            result.interpretations.append(link)
        else:
            result.policies.append(link)
    return result


def normative_without_interpretation(
    queryset: CatalogEntryQuerySet | None = None, *, organ: Organ | None = None
) -> CatalogEntryQuerySet:
    """Published 行政规范性文件 that no published 解读 is linked to: a warning, not a block.

    The 国办 rules ask that a normative document and its 解读 be published together; the clerk
    sees this list in the back office (未关联解读的规范性文件) and may still publish without one.
    """
    qs = CatalogEntry.objects.all() if queryset is None else queryset
    if organ is not None:
        qs = qs.filter(organ=organ)
    interpreted = Interpretation.objects.filter(
        policy=OuterRef("pk"), interpretation__status=Status.PUBLISHED
    )
    return qs.filter(status=Status.PUBLISHED, document_kind=DocumentKind.NORMATIVE).exclude(
        Exists(interpreted)
    )
