"""Choices of the annual report app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportFormat(models.TextChoices):
    # 国办公开办函〔2021〕30号: six sections, tables 2/3/4 (REFERENCE.md §1.2–1.5).
    NATIONAL_2021 = "2021", _("2021年格式（国办公开办函〔2021〕30号）")
    # 国办公开办函〔2019〕60号 trial format, for the 2019 and 2020 reports (REFERENCE.md §1.6).
    TRIAL_2019 = "2019", _("2019年试行格式（国办公开办函〔2019〕60号）")
    # Free layout used before the 2019 条例, as in the seed report (REFERENCE.md §0).
    PRE_2019 = "pre2019", _("2019年以前的自由格式")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
