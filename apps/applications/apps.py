from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "apps.applications"
    verbose_name = _("依申请公开")

    def ready(self):
        # The stored due dates follow the working-day calendar. workdays cannot call this app
        # (imports go the other way), so it announces its changes by a signal
        # (apps/workdays/signals.py says why); this is its only receiver.
        from apps.applications.services.refresh import refresh_on_calendar_change
        from apps.workdays.signals import calendar_changed

        calendar_changed.connect(refresh_on_calendar_change, dispatch_uid="applications_refresh_deadlines")
