from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgansConfig(AppConfig):
    name = "apps.organs"
    verbose_name = _("行政机关")
