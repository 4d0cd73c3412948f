"""Reads for the public 政府信息公开 column: the organ tree, the latest disclosures, the 条例第二十条 sections.

Every function runs a fixed number of queries whatever the number of organs or entries, so that the home
page and the organ pages stay cheap at a million catalog entries (pinned by query-count tests).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Subquery, Window
from django.db.models.functions import RowNumber

from apps.catalog.enums import ArticleTwentyItem
from apps.catalog.models import CatalogEntry
from apps.organs.models import Organ, OrganPage
from apps.organs.selectors import public_organs
from apps.reports.selectors import published_reports


@dataclass
class OrganNode:
    """An organ and its departments, for the grouped organ lists (Organ.parent)."""

    organ: Organ
    children: list[OrganNode] = field(default_factory=list)


@dataclass
class ArticleItemSection:
    """One item of 条例第二十条 for one organ: how many published entries, and the latest of them."""

    item: int
    label: str
    count: int
    entries: list[CatalogEntry]


def organ_tree(*, with_pages: bool = False) -> list[OrganNode]:
    """Active organs as a forest: governments (and organs without an active parent) with their departments.

    One query. With with_pages, each organ carries guide_updated_at / rules_updated_at (None when the
    organ has not published that page), for the city-wide 指南 and 制度 lists.
    """
    organs = public_organs().order_by("sort_order", "name")
    if with_pages:
        pages = OrganPage.objects.filter(organ=OuterRef("pk"))
        organs = organs.annotate(
            guide_updated_at=Subquery(pages.filter(kind=OrganPage.Kind.GUIDE).values("updated_at")[:1]),
            rules_updated_at=Subquery(pages.filter(kind=OrganPage.Kind.RULES).values("updated_at")[:1]),
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


def portal_organ() -> Organ | None:
    """The organ whose contacts the site footer shows: the first active top-level 人民政府 (one query)."""
    return (
        Organ.objects.active()
        .filter(parent__isnull=True, kind=Organ.Kind.GOVERNMENT)
        .order_by("sort_order", "name")
        .first()
    )


def latest_entries(*, organ: Organ | None = None, limit: int = 10) -> list[CatalogEntry]:
    """The latest published catalog entries, city-wide or of one organ (one query)."""
    entries = CatalogEntry.objects.published().for_list()
    if organ is not None:
        entries = entries.for_organ(organ)
    return list(entries.order_by("-publish_date", "-id")[:limit])


@dataclass
class DisclosureOverview:
    """法定主动公开内容 of one organ: the 15 sections, plus entries not tagged with an item."""

    sections: list[ArticleItemSection]
    untagged: int
    total: int


def disclosure_overview(*, organ: Organ, per_item: int = 10) -> DisclosureOverview:
    """The 15 items of 条例第二十条 for one organ, each with its count and latest `per_item` entries.

    Two queries: the counts per item, and the latest entries of every item at once (a window function
    numbers each item's entries newest first). Items without entries are kept: the column structure of
    国办公开办函〔2019〕61号 is fixed, and an empty item says so rather than disappearing.
    """
    published = CatalogEntry.objects.published().for_organ(organ)
    counts: dict[int | None, int] = dict(
        published.order_by().values("article_item").annotate(n=Count("pk")).values_list("article_item", "n")
    )
    latest: dict[int, list[CatalogEntry]] = {}
    if any(item is not None for item in counts) and per_item > 0:
        ranked = (
            published.filter(article_item__isnull=False)
            .for_list()
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("article_item")],
                    order_by=[F("publish_date").desc(), F("id").desc()],
                )
            )
        )
        for entry in ranked.filter(rank__lte=per_item).order_by("article_item", "rank"):
            latest.setdefault(entry.article_item, []).append(entry)
    sections = [
        ArticleItemSection(
            item=item.value,
            label=item.label,
            count=counts.get(item.value, 0),
            entries=latest.get(item.value, []),
        )
        for item in ArticleTwentyItem
    ]
    return DisclosureOverview(sections=sections, untagged=counts.get(None, 0), total=sum(counts.values()))


def organ_pages(*, organ: Organ) -> dict[str, OrganPage]:
    """The organ's 指南 and 制度 pages by kind (one query); a kind not yet published is absent."""
    return {page.kind: page for page in OrganPage.objects.filter(organ=organ)}


def organ_page(*, organ: Organ, kind: str) -> OrganPage | None:
    return OrganPage.objects.filter(organ=organ, kind=kind).first()


def published_report_years(*, organ: Organ) -> list[int]:
    """Years of the organ's published 政府信息公开工作年度报告, newest first (one query)."""
    return sorted(set(published_reports().filter(organ=organ).values_list("year", flat=True)), reverse=True)
