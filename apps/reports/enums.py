"""Choices of the annual report app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportFormat(models.TextChoices):
    """Each value has its format object in apps/reports/formats/ (docs/domain/annual-report.md#formats)."""

    NATIONAL_2021 = "2021", _("2021年格式（国办公开办函〔2021〕30号）")  # formats/national_2021.py
    TRIAL_2019 = "2019", _("2019年试行格式（国办公开办函〔2019〕60号）")  # formats/trial_2019.py
    PRE_2019 = "pre2019", _("2019年以前的自由格式")  # formats/pre_2019.py


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
