"""What invalidates the cached public pages: every write to a model of the apps the public pages show.

Signal receivers, not calls in each service, because this is cache bookkeeping rather than business
logic, and it must not depend on every writer remembering it: the clerks' admin, the services, the
import, ``loaddata`` and the shell all save through the ORM. A whole app is watched rather than a list
of models, so that a model added to it later is covered too; over-invalidating (a clerk's membership)
costs only a re-render. Queryset ``update()``/``bulk_update()`` and raw SQL send no signal: code that
uses them on public rows calls ``disclosure_portal.caching.content_changed()`` itself (the catalog's
facet rebuild does not change what a page shows; the report sections it bulk-updates belong to drafts,
which are published through ``ReportVersion.save()``).
"""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from disclosure_portal.caching import content_changed

# The apps whose records the public pages show (organs and their pages, the catalog and its
# taxonomies, the annual reports, the published replies to proposals).
PUBLIC_APPS = ("organs", "catalog", "reports", "proposals")


def _changed(sender, **kwargs) -> None:
    content_changed()


def connect() -> None:
    for label in PUBLIC_APPS:
        for model in apps.get_app_config(label).get_models():
            uid = f"portal-cache-{model._meta.label_lower}"
            post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}-m2m")
    # An upgrade runs migrate: data migrations and new templates must not meet pages of the old release.
    post_migrate.connect(_changed, dispatch_uid="portal-cache-migrate")
