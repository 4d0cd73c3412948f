"""Reads of published catalog entries: lists, details, the organ pages' overview and report figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from apps.catalog.enums import ArticleTwentyItem, DocumentKind, Status, Validity
from apps.catalog.models import Attachment, CatalogEntry, CatalogEntryQuerySet
from apps.catalog.selectors.facets import facet_lookups
from apps.organs.models import Organ


def published_entries() -> CatalogEntryQuerySet:
    """Every public entry, newest first, ready for lists (no body)."""
    return CatalogEntry.objects.published().for_list().order_by("-publish_date", "-id")


def latest_entries(*, organ: Organ | None = None, limit: int = 10) -> list[CatalogEntry]:
    """The latest published entries, city-wide or of one organ (one query)."""
    qs = published_entries()
    if organ is not None:
        qs = qs.filter(organ=organ)
    return list(qs[:limit])


def published_entry(index_number: str) -> CatalogEntry:
    """The public detail of an entry; DoesNotExist for drafts, withdrawn or unknown."""
    return (
        CatalogEntry.objects.published()
        .select_related("organ", "theme", "theme__parent", "genre")
        .prefetch_related("attachments")
        .get(index_number=index_number)
    )


def published_entry_head(index_number: str) -> CatalogEntry:
    """What a detail page asks on every request: id, version, title and organ; DoesNotExist as above.

    The organ comes from the facet lookups (kept per content generation); an organ no longer
    active is read from the database.
    """
    entry = (
        CatalogEntry.objects.published()
        .only("id", "version", "title", "organ_id", "index_number")
        .get(index_number=index_number)
    )
    organ = facet_lookups().organs.get(entry.organ_id)
    if organ is not None:
        entry.organ = organ
    return entry


def published_attachment(token: str) -> Attachment:
    """An attachment of a published entry; DoesNotExist otherwise."""
    return Attachment.objects.select_related("entry").get(token=token, entry__status=Status.PUBLISHED)


@dataclass
class ArticleItemSection:
    """One item of 条例第二十条 for one organ: how many published entries, and the latest of them."""

    item: int
    label: str
    count: int
    entries: list[CatalogEntry]


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


def normative_document_counts(*, organ_ids: Sequence[int], year: int) -> dict[str, dict[str, int]]:
    """规章 and 行政规范性文件 for report table 2 (第二十条第（一）项), derived from the catalog.

    Returns {"rule": {"issued": n, "repealed": n, "in_force": n}, "normative": {...}}:
    - issued (本年制发件数): published entries whose 成文日期 (else 发布日期) falls in the year;
    - repealed (本年废止件数): entries whose 废止日期 falls in the year;
    - in_force (现行有效件数): issued by the year's end and not repealed or expired by then.
    One query whatever the number of entries.
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    base = CatalogEntry.objects.filter(
        organ_id__in=organ_ids,
        status=Status.PUBLISHED,
        document_kind__in=[DocumentKind.RULE, DocumentKind.NORMATIVE],
    )
    issued_on = Q(written_date__range=(start, end)) | Q(
        written_date__isnull=True, publish_date__range=(start, end)
    )
    issued_by_end = Q(written_date__lte=end) | Q(written_date__isnull=True, publish_date__lte=end)
    still_in_force = Q(expiry_date__isnull=True) | Q(expiry_date__gt=end)
    # Validity is the entry's current state; an entry marked 已失效/已废止 without a date
    # cannot be placed in time, so it counts as no longer in force.
    no_undated_end = ~Q(validity__in=list(Validity.no_longer_in_force()), expiry_date__isnull=True)
    rows = base.values("document_kind").annotate(
        issued=Count("pk", filter=issued_on),
        repealed=Count("pk", filter=Q(expiry_date__range=(start, end))),
        in_force=Count("pk", filter=issued_by_end & still_in_force & no_undated_end),
    )
    result = {
        kind: {"issued": 0, "repealed": 0, "in_force": 0}
        for kind in (DocumentKind.RULE, DocumentKind.NORMATIVE)
    }
    for row in rows:
        result[row["document_kind"]] = {k: row[k] for k in ("issued", "repealed", "in_force")}
    return {str(k): v for k, v in result.items()}
