"""Back office for organs: superusers manage organs and clerks; clerks keep their own
organ's 条例第十二条 contacts and its 指南/制度 pages current."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.organs import services
from apps.organs.admin_review import ReviewAdminMixin
from apps.organs.admin_scoping import DeclaredFiltersOnly, OrganScopedAdmin
from apps.organs.forms import MembershipForm
from apps.organs.locking import VersionedAdminMixin
from apps.organs.models import Membership, Organ, OrganPage
from apps.organs.roles import GROUP_NAMES, Role, is_city_office, sees_all_organs
from apps.organs.selectors import organ_for_user


def adopt(obj, saved) -> None:
    """Make the admin's form-built instance the row a service just saved.

    The admin keeps using its own ``obj`` after save_model (log entry, inlines,
    redirect), so it must carry the primary key and state of the saved row.
    """
    for field in saved._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db


def form_values(form, *, only=None) -> dict:
    """Cleaned values of the model fields the form actually edits."""
    names = [name for name in form.cleaned_data if name in {f.name for f in form._meta.model._meta.fields}]
    if only is not None:
        names = [name for name in names if name in only]
    return {name: form.cleaned_data[name] for name in names}


@admin.register(Organ)
class OrganAdmin(VersionedAdminMixin, DeclaredFiltersOnly, admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "code", "parent", "phone", "is_active", "sort_order")
    list_select_related = ("parent",)
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "code")
    ordering = ("sort_order", "name")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "short_name",
                    "slug",
                    "kind",
                    "code",
                    "parent",
                    "is_active",
                    "sort_order",
                    "combined_roles_allowed",
                )
            },
        ),
        (_("政府信息公开工作机构（条例第十二条，在公开指南中显示）"), {"fields": services.CONTACT_FIELDS}),
    )

    def _own_organ(self, request):
        return organ_for_user(request.user)

    def _may_touch(self, request, obj) -> bool:
        if request.user.is_superuser:
            return True
        organ = self._own_organ(request)
        return organ is not None and (obj is None or obj.pk == organ.pk)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if sees_all_organs(request.user):
            return qs
        organ = self._own_organ(request)
        return qs.filter(pk=organ.pk) if organ is not None else qs.none()

    def has_module_permission(self, request):
        return sees_all_organs(request.user) or (
            self._own_organ(request) is not None and super().has_module_permission(request)
        )

    def has_view_permission(self, request, obj=None):
        return (
            is_city_office(request.user) or self._may_touch(request, obj)
        ) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (
            not is_city_office(request.user)
            and self._may_touch(request, obj)
            and super().has_change_permission(request, obj)
        )

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ()
        return tuple(
            f.name
            for f in Organ._meta.fields
            if f.editable and f.name not in (*services.CONTACT_FIELDS, "version") and not f.primary_key
        )

    def save_model(self, request, obj, form, change):
        if request.user.is_superuser:
            if change:
                services.organ_update(organ=obj, **form_values(form))
            else:
                adopt(obj, services.organ_create(**form_values(form)))
            return
        if not change or not self._may_touch(request, obj):
            raise PermissionDenied(_("只能修改本机关的联系方式。"))
        services.organ_contacts_update(organ=obj, **form_values(form, only=services.CONTACT_FIELDS))


@admin.register(OrganPage)
class OrganPageAdmin(ReviewAdminMixin, VersionedAdminMixin, OrganScopedAdmin):
    """Clerks edit the working copy; the public copy changes on publication after review."""

    review_chain = services.PAGE_CHAIN
    list_display = ("title", "organ", "kind", "status", "published_at", "updated_at")
    list_select_related = ("organ",)
    list_filter = ("kind", "status")
    search_fields = ("title", "organ__name")
    readonly_fields = ("updated_at", "review_status", "published_version", "review_history")

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": ["organ", "kind", "title", "body", "updated_at"]})]
        if obj is not None:
            fieldsets[0][1]["fields"].append("version")
            fieldsets += [
                (_("审核与发布"), {"fields": ["review_status", "published_version"]}),
                (_("审核与修改记录"), {"fields": ["review_history"]}),
            ]
        return fieldsets

    @admin.display(description=_("公开的版本"))
    def published_version(self, obj: OrganPage) -> str:
        if obj.published_at is None:
            return _("尚未发布")
        return format_html(
            "{}（{}）<br>{}…",
            obj.published_title,
            obj.published_at.strftime("%Y-%m-%d %H:%M"),
            obj.published_body[:120],
        )

    def get_list_filter(self, request):
        if sees_all_organs(request.user):
            return (*self.list_filter, "organ")
        return self.list_filter

    def get_readonly_fields(self, request, obj=None):
        # A page stays with its organ and kind; make a new one rather than moving it.
        if obj is not None:
            return ("organ", "kind", *self.readonly_fields)
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        self.check_organ(request, obj)
        if change:
            services.organ_page_update(
                page=obj, actor=request.user, **form_values(form, only=("title", "body"))
            )
        else:
            adopt(obj, services.organ_page_create(actor=request.user, **form_values(form)))

    # -- the steps of the 审核与发布 page (a 指南 is never withdrawn: 条例第十二条) --------------

    def review_approve(self, request, obj, text):
        services.organ_page_approve(page=obj, actor=request.user, opinion=text)

    def review_return(self, request, obj, text):
        services.organ_page_return(page=obj, actor=request.user, opinion=text)

    def review_publish(self, request, obj, text):
        services.organ_page_publish(page=obj, actor=request.user)


class KeyCheckedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete looks the posted value up as it is: a value that is no key (" ", "abc")
    raised ValueError while the form was shown again with its errors (a 500 instead of the error)."""

    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field.model._meta.get_field(self.field.remote_field.field_name)
        keys = []
        for item in value:
            try:
                target.to_python(item)
            except ValidationError:
                continue
            keys.append(item)
        return super().optgroups(name, keys, attr)


@admin.register(Membership)
class MembershipAdmin(VersionedAdminMixin, DeclaredFiltersOnly, admin.ModelAdmin):
    """Who is a clerk of which organ: superusers only (it decides what a clerk can see)."""

    form = MembershipForm
    fields = ("user", "organ", "roles")
    list_display = ("user", "organ", "roles_display")
    list_select_related = ("user", "organ")
    list_filter = ("organ",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "organ__name")
    autocomplete_fields = ("user", "organ")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("user__groups")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyCheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("角色"))
    def roles_display(self, obj: Membership) -> str:
        names = {group.name for group in obj.user.groups.all()}
        return "、".join(str(role.label) for role in Role if GROUP_NAMES[role] in names) or "—"

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def save_model(self, request, obj, form, change):
        roles = form.cleaned_data.get("roles", [])
        if change:
            services.membership_update(membership=obj, roles=roles, **form_values(form))
        else:
            adopt(obj, services.membership_create(roles=roles, **form_values(form)))
