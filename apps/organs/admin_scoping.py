"""One place that scopes every back-office model to the clerk's organ.

Every ModelAdmin of a record that belongs to an organ inherits OrganScopedAdmin
and names the path to the organ (``organ_field``). Querysets, foreign-key
choices and saves are all scoped, so a clerk of organ A cannot see, change or
create a record of organ B through any admin URL. Superusers see everything.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from apps.organs.models import Organ
from apps.organs.selectors import organ_for_user, organs_visible_to


class OrganScopedAdmin(admin.ModelAdmin):
    #: Lookup path from the model to its Organ, e.g. "organ" or "application__organ".
    organ_field: str = "organ"

    def _is_global(self, request) -> bool:
        return request.user.is_superuser

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self._is_global(request):
            return qs
        organ = organ_for_user(request.user)
        if organ is None:
            return qs.none()
        return qs.filter(**{self.organ_field: organ})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Organ:
            kwargs["queryset"] = organs_visible_to(request.user)
            organ = organ_for_user(request.user)
            if organ is not None and not self._is_global(request):
                kwargs.setdefault("initial", organ.pk)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return self._is_global(request) or (
            organ_for_user(request.user) is not None and super().has_module_permission(request)
        )

    def save_model(self, request, obj, form, change):
        self.check_organ(request, obj)
        super().save_model(request, obj, form, change)

    def check_organ(self, request, obj) -> None:
        """Refuse a save that would put a record under another organ."""
        if self._is_global(request):
            return
        organ = organ_for_user(request.user)
        target = obj
        for part in self.organ_field.split("__"):
            target = getattr(target, part, None)
            if target is None:
                break
        if organ is None or target is None or target.pk != organ.pk:
            raise PermissionDenied(_("只能处理本机关的记录。"))
