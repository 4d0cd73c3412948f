from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseKind(models.TextChoices):
    REVIEW = "review", _("行政复议")
    LITIGATION = "litigation", _("行政诉讼")


class Route(models.TextChoices):
    """How a lawsuit reached the court: the two 行政诉讼 column groups of table 4."""

    DIRECT = "direct", _("未经复议直接起诉")
    AFTER_REVIEW = "after_review", _("复议后起诉")


class Result(models.TextChoices):
    """Table 4's measures (docs/domain/annual-report.md#table-4-review-and-litigation); 总计 is their sum."""

    UPHELD = "upheld", _("结果维持")
    CORRECTED = "corrected", _("结果纠正")
    OTHER = "other", _("其他结果")
    PENDING = "pending", _("尚未审结")


class Group(models.TextChoices):
    """Table 4's three column groups."""

    REVIEW = "review", _("行政复议")
    LITIGATION_DIRECT = "litigation_direct", _("未经复议直接起诉")
    LITIGATION_AFTER_REVIEW = "litigation_after_review", _("复议后起诉")


MEASURES = ("upheld", "corrected", "other", "pending", "total")
