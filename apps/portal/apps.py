from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "apps.portal"
    verbose_name = _("门户")

    def ready(self) -> None:
        from apps.portal import invalidation

        invalidation.connect()
