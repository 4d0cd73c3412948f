"""政策解读: links between a policy document and the entries that interpret it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.catalog.enums import Status
from apps.catalog.models import CatalogEntry, Interpretation
from apps.organs.models import Organ


def _check_interpretation_link(*, policy: CatalogEntry, interpretation: CatalogEntry, organ: Organ) -> None:
    """One end is the linking organ's own entry; an end of another organ must be published.

    解读 is usually written by the organ that issued the document, but a 图解 or a 问答 by another
    organ (the city government's office, a department) may be linked once it is public. A draft of
    another organ is refused with the same words as an unknown entry: it must not be revealed.
    """
    if policy.pk == interpretation.pk:
        raise ValidationError(_("一个条目不能解读它自己。"))
    if organ.pk not in (policy.organ_id, interpretation.organ_id):
        raise ValidationError(_("只能为本机关的条目关联政策解读。"))
    for end in (policy, interpretation):
        if end.organ_id != organ.pk and end.status != Status.PUBLISHED:
            raise ValidationError(_("没有找到这个索引号的本机关条目或已发布条目。"))


@transaction.atomic
def interpretation_link(
    *,
    policy: CatalogEntry,
    interpretation: CatalogEntry,
    kind: str,
    organ: Organ,
    sort_order: int = 0,
) -> Interpretation:
    """Link ``interpretation`` (文字解读, 图解, 视频解读 or 问答) to the ``policy`` it interprets.

    ``organ`` is the organ whose clerk makes the link, from either end's page.
    """
    _check_interpretation_link(policy=policy, interpretation=interpretation, organ=organ)
    if Interpretation.objects.filter(policy=policy, interpretation=interpretation).exists():
        raise ValidationError(_("这两个条目已经关联。"))
    link = Interpretation(policy=policy, interpretation=interpretation, kind=kind, sort_order=sort_order)
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def interpretation_update(*, link: Interpretation, kind: str, sort_order: int) -> Interpretation:
    link.kind, link.sort_order = kind, sort_order
    link.full_clean()
    link.save(update_fields=["kind", "sort_order"])
    return link


@transaction.atomic
def interpretation_unlink(*, link: Interpretation) -> None:
    link.delete()
