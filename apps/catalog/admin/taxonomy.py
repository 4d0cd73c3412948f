"""The 主题分类 tree and the 体裁 list: superusers maintain them, clerks may look them up."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.catalog.forms import themes_in_tree_order
from apps.catalog.models import Genre, ThemeCategory
from apps.organs.admin_scoping import DeclaredFiltersOnly


@admin.register(ThemeCategory)
class ThemeCategoryAdmin(DeclaredFiltersOnly, admin.ModelAdmin):
    """The gov.cn 主题分类 tree: superusers maintain it, clerks may look it up."""

    list_display = ("path_display", "sort_order")
    list_select_related = ("parent",)
    search_fields = ("name", "parent__name")
    ordering = ("parent__sort_order", "parent_id", "sort_order")

    @admin.display(description=_("主题分类"))
    def path_display(self, obj: ThemeCategory) -> str:
        return obj.path

    def get_queryset(self, request):
        return themes_in_tree_order()

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Genre)
class GenreAdmin(DeclaredFiltersOnly, admin.ModelAdmin):
    list_display = ("name", "sort_order")
    search_fields = ("name",)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
