from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    """A day that departs from the Monday–Friday week (国务院办公厅 annual 节假日安排通知)."""

    HOLIDAY = "holiday", _("法定节假日")  # off, also when it falls on a weekend inside a 放假调休 run
    WORKDAY = "workday", _("调休上班日")  # a Saturday or Sunday worked in exchange
