from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProactiveConfig(AppConfig):
    name = "apps.proactive"
    verbose_name = _("主动公开")
