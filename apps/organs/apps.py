from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_role_groups(sender, using, **kwargs) -> None:
    """After every migrate (and flush), the role groups hold exactly the permissions the code gives
    them, like Django's own permissions: a group added by a data migration would miss every
    permission added after it."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from apps.organs.roles import role_groups_sync

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    role_groups_sync()


class OrgansConfig(AppConfig):
    name = "apps.organs"
    verbose_name = _("行政机关")

    def ready(self):
        post_migrate.connect(_sync_role_groups, sender=self, dispatch_uid="organs_role_groups")
