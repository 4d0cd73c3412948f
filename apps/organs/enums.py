from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewState(models.TextChoices):
    """Where a record stands in the review chain (apps/organs/review.py): 起草 → 审核 → 发布.

    The catalog's entry status uses the same values (apps/catalog/enums.py Status).
    """

    DRAFT = "draft", _("草稿")
    RETURNED = "returned", _("退回修改")
    REVIEWED = "reviewed", _("审核通过")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class RecordAction(models.TextChoices):
    """One step in a record's history (RecordEvent)."""

    CREATED = "created", _("新建")
    CHANGED = "changed", _("修改")
    APPROVED = "approved", _("审核通过")
    RETURNED = "returned", _("退回修改")
    PUBLISHED = "published", _("发布")
    WITHDRAWN = "withdrawn", _("撤回")
    DELETED = "deleted", _("删除")
