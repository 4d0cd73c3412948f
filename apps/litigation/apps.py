from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LitigationConfig(AppConfig):
    name = "apps.litigation"
    verbose_name = _("行政复议和行政诉讼")
