"""One place that scopes every back-office model to the clerk's organ, and closes the admin's
side doors.

Every ModelAdmin of a record that belongs to an organ inherits OrganScopedAdmin
and names the path to the organ (``organ_field``). Querysets, foreign-key
choices and saves are all scoped, so a clerk of organ A cannot see, change or
create a record of organ B through any admin URL. Superusers see everything; the city's
政务公开办 sees everything read-only (apps/organs/roles.py).

The doors around the change forms are closed here too:

- a changelist filters only by what its list_filter and date_hierarchy declare
  (DeclaredFiltersOnly): Django's own rule lets a query string filter on any
  field of the model, so ``?id_number__startswith=2301`` would read a masked
  identity number one digit at a time;
- the raw-id widget names only records the user may pick (ScopedRawIdWidget);
- the "view on site" redirect (``/admin/r/<content type>/<id>/``) answers only
  for a record the user may see in the back office (view_on_site).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import NotRelationField, get_fields_from_path, unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Field
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from apps.organs.models import Organ
from apps.organs.roles import is_city_office, sees_all_organs
from apps.organs.selectors import organ_for_user, organs_visible_to

#: The query parameters Django's own list filters read for a field (see admin/filters.py):
#: choices and booleans (__exact, __isnull), dates (__gte, __lt), all values (bare),
#: empty (__isempty); relations add "<field>__<target>__exact".
FIELD_FILTER_SUFFIXES = ("", "__exact", "__isnull", "__gte", "__lt", "__isempty")
DATE_HIERARCHY_SUFFIXES = ("__year", "__month", "__day")


class DeclaredFiltersOnly:
    """Changelists accept only the filters the admin declares.

    Any other lookup in the query string (``?phone__contains=``, ``?id_number__gt=``,
    ``?organ__name__startswith=``) answers 400 (DisallowedModelAdminLookup), so a
    clerk cannot probe a field the list does not show, nor another organ's names.
    """

    def declared_lookups(self, request: HttpRequest) -> set[str]:
        allowed: set[str] = set()
        for item in self.get_list_filter(request):
            if isinstance(item, type) and issubclass(item, admin.SimpleListFilter):
                allowed.add(item.parameter_name)
                continue
            path = item[0] if isinstance(item, (list, tuple)) else item
            if isinstance(path, Field):
                path = path.name
            allowed.update(path + suffix for suffix in FIELD_FILTER_SUFFIXES)
            try:
                field = get_fields_from_path(self.model, path)[-1]
            except (FieldDoesNotExist, NotRelationField):
                continue
            if field.is_relation and field.target_field is not None:
                allowed.add(f"{path}__{field.target_field.name}__exact")
        if self.date_hierarchy:
            allowed.update(self.date_hierarchy + suffix for suffix in DATE_HIERARCHY_SUFFIXES)
        return allowed

    def get_changelist(self, request, **kwargs):
        return BoundedChangeList

    def lookup_allowed(self, lookup, value, request):
        if lookup not in self.declared_lookups(request) and not self._raw_id_popup_lookup(lookup, value):
            return False
        return super().lookup_allowed(lookup, value, request)

    def _raw_id_popup_lookup(self, lookup: str, value: str) -> bool:
        """The limit_choices_to of a foreign key to this model, which its raw-id popup sends."""
        for fk_lookup in self.model._meta.related_fkey_lookups:
            if callable(fk_lookup):
                fk_lookup = fk_lookup()
            if (lookup, value) in widgets.url_params_from_lookup_dict(fk_lookup).items():
                return True
        return False


class BoundedChangeList(ChangeList):
    """Django answers a date-hierarchy year it cannot make a date of with its "invalid lookup"
    redirect (?e=1), except a year too large for a C long (?received_on__year=99999999999999999999),
    which raised OverflowError (a 500)."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as exc:
            raise IncorrectLookupParameters(exc) from exc


class ScopedRawIdWidget(widgets.ForeignKeyRawIdWidget):
    """The raw-id input names the chosen record only when it is one the form may take.

    Django's widget looks the typed id up among all rows, so posting another organ's id
    would print that record's name (an application's tracking code) next to the input.
    """

    def __init__(self, rel, admin_site, *, queryset, **kwargs):
        super().__init__(rel, admin_site, **kwargs)
        self.queryset = queryset

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            if not self.queryset.filter(**{key: value}).exists():
                return "", ""
        except (ValueError, TypeError, ValidationError):
            return "", ""
        return super().label_and_url_for_value(value)


class OrganScopedAdmin(DeclaredFiltersOnly, admin.ModelAdmin):
    #: Lookup path from the model to its Organ, e.g. "organ" or "application__organ".
    organ_field: str = "organ"

    def _is_global(self, request) -> bool:
        return request.user.is_superuser

    def _sees_all(self, request) -> bool:
        """Superusers, and the city's 政务公开办 (read-only), see every organ's records."""
        return sees_all_organs(request.user)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self._sees_all(request):
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
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, widgets.ForeignKeyRawIdWidget):
            formfield.widget = ScopedRawIdWidget(
                db_field.remote_field,
                self.admin_site,
                queryset=self._pickable(request, db_field, formfield.queryset),
                using=formfield.widget.db,
            )
        return formfield

    def _pickable(self, request, db_field, queryset):
        """The rows a raw-id field may name: its choices, as far as the user may see them."""
        related_admin = self.admin_site._registry.get(db_field.related_model)
        if related_admin is None or self._sees_all(request):
            return queryset
        return queryset.filter(pk__in=related_admin.get_queryset(request).values("pk"))

    def has_module_permission(self, request):
        return self._sees_all(request) or (
            organ_for_user(request.user) is not None and super().has_module_permission(request)
        )

    # The city office reads every organ and writes none, whatever else it was given.
    def has_add_permission(self, request, *args):
        return not is_city_office(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return not is_city_office(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not is_city_office(request.user) and super().has_delete_permission(request, obj)

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


def view_on_site(
    request: HttpRequest, content_type_id: int, object_id: str, *, site: admin.AdminSite | None = None
) -> HttpResponse:
    """The admin's "view on site" redirect, for records the user may see in the back office.

    Django's own (contenttypes' shortcut) redirects any staff user to any object's public
    URL, which for an application is its status page with the tracking code, and for a
    draft the address it will have. Here the object is looked up through its ModelAdmin
    (organ scoping, view permission); anything else is a 404, the same as a missing one.
    """
    site = site or admin.site
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist as exc:
        raise Http404 from exc
    model_admin = site._registry.get(model)
    if model_admin is None or not model_admin.view_on_site:
        raise Http404
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None or not model_admin.has_view_or_change_permission(request, obj):
        raise Http404
    return shortcut(request, content_type_id, object_id)
