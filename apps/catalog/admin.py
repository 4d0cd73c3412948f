"""The clerks' back office for the 政府信息公开目录.

Everything is scoped to the clerk's organ by OrganScopedAdmin, and every write goes
through apps.catalog.services (索引号, search vectors, publication state).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Q
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm
from import_export.results import RowResult

from apps.catalog import services
from apps.catalog.enums import Status
from apps.catalog.forms import (
    AttachmentInlineForm,
    CatalogEntryAdminForm,
    EntryConfirmImportForm,
    EntryImportForm,
    themes_in_tree_order,
)
from apps.catalog.models import Attachment, CatalogEntry, Genre, ThemeCategory
from apps.catalog.resources import FORMATS, CatalogEntryResource
from apps.organs.admin import form_values
from apps.organs.admin_scoping import OrganScopedAdmin
from apps.organs.models import Organ
from apps.organs.selectors import organ_for_user


class ThemeTopLevelFilter(admin.SimpleListFilter):
    title = _("主题分类（一级）")
    parameter_name = "theme_top"

    def lookups(self, request, model_admin):
        return [(str(t.pk), t.name) for t in ThemeCategory.objects.filter(parent__isnull=True)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(Q(theme_id=self.value()) | Q(theme__parent_id=self.value()))
        return queryset


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentInlineForm
    extra = 1
    fields = ("file", "original_name", "size_display", "content_type", "sort_order", "download")
    readonly_fields = ("original_name", "size_display", "content_type", "download")

    @admin.display(description=_("大小"))
    def size_display(self, obj: Attachment) -> str:
        return filesizeformat(obj.size) if obj.pk else "-"

    @admin.display(description=_("下载"))
    def download(self, obj: Attachment):
        if not obj.pk:
            return "-"
        try:
            url = obj.get_absolute_url()
        except NoReverseMatch:  # the public attachment view is not installed yet
            return "-"
        return format_html('<a href="{}">{}</a>', url, _("下载"))


@admin.register(CatalogEntry)
class CatalogEntryAdmin(ImportExportMixin, OrganScopedAdmin):
    form = CatalogEntryAdminForm
    inlines = [AttachmentInline]
    list_display = ("index_number", "title", "publish_date", "status", "validity", "theme_path", "genre")
    list_display_links = ("index_number", "title")
    list_select_related = ("organ", "theme", "theme__parent", "genre")
    list_filter = (
        "status",
        "validity",
        ThemeTopLevelFilter,
        "genre",
        "article_item",
    )
    search_fields = ("index_number", "title", "doc_number")
    search_help_text = _("按索引号、名称或发文字号查找")
    date_hierarchy = "publish_date"
    list_per_page = 50
    actions = ["publish_selected", "withdraw_selected"]
    readonly_fields = (
        "index_number_display",
        "status",
        "published_at",
        "withdrawn_at",
        "created_by",
        "created_at",
        "updated_at",
    )

    # import-export
    resource_classes = [CatalogEntryResource]
    import_form_class = EntryImportForm
    confirm_form_class = EntryConfirmImportForm
    export_form_class = ExportForm  # the selectable-fields form uses inline JS/CSS (CSP)
    import_template_name = "admin/catalog/catalogentry/import.html"

    @property
    def formats(self):
        return FORMATS

    # -- list -------------------------------------------------------------------------

    def get_queryset(self, request):
        # The tsvectors are large and never shown here; services rebuild them on save.
        return super().get_queryset(request).defer("search_words", "search_grams")

    @admin.display(description=_("主题分类"), ordering="theme__parent__name")
    def theme_path(self, obj: CatalogEntry) -> str:
        return obj.theme.path

    @admin.display(description=_("索引号"))
    def index_number_display(self, obj: CatalogEntry) -> str:
        return obj.index_number if obj.pk else _("保存后自动生成")

    def get_list_display(self, request):
        if request.user.is_superuser:
            return (*self.list_display, "organ")
        return self.list_display

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return (*self.list_filter, "organ")
        return self.list_filter

    # -- form -------------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        state = ["status", "published_at", "withdrawn_at", "withdrawn_reason"]
        if self._may_publish_now(request, obj):
            state.insert(0, "publish_now")
        return [
            (None, {"fields": ["organ", "index_number_display", "title", "doc_number", "publisher"]}),
            (
                _("日期与有效性"),
                {"fields": ["written_date", "publish_date", "effective_date", "expiry_date", "validity"]},
            ),
            (
                _("分类"),
                {
                    "fields": [
                        "theme",
                        "genre",
                        "article_item",
                        "document_kind",
                        "disclosure_mode",
                        "keywords",
                    ]
                },
            ),
            (_("内容"), {"fields": ["summary", "body"]}),
            (_("状态"), {"fields": state}),
            (_("记录"), {"fields": ["created_by", "created_at", "updated_at"], "classes": ["collapse"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            # The 索引号 carries the organ's code: an entry never moves to another organ.
            return (*self.readonly_fields, "organ")
        return self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.can_publish = self._may_publish_now(request, obj)
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "theme":
            kwargs["queryset"] = themes_in_tree_order()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _may_publish_now(self, request, obj) -> bool:
        return self.has_publish_permission(request) and (obj is None or obj.status != Status.PUBLISHED)

    def save_model(self, request, obj, form, change):
        self.check_organ(request, obj)
        publish = bool(form.cleaned_data.get("publish_now")) and self._may_publish_now(request, obj)
        if change:
            services.entry_update(entry=obj, **form_values(form))
            if publish:
                services.entry_publish(entry=obj)
        else:
            obj.created_by = request.user
            services.entry_insert(entry=obj, publish=publish)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Attachment:
            return super().save_formset(request, form, formset, change)
        entry = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.deleted_forms:
            if inline_form.instance.pk:
                services.attachment_delete(attachment=inline_form.instance)
                formset.deleted_objects.append(inline_form.instance)
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            if inline_form.instance.pk:
                services.attachment_update(
                    attachment=inline_form.instance, sort_order=inline_form.cleaned_data["sort_order"]
                )
                formset.changed_objects.append((inline_form.instance, inline_form.changed_data))
            elif upload := inline_form.cleaned_data.get("file"):
                attachment = services.attachment_add(
                    entry=entry, uploaded_file=upload, sort_order=inline_form.cleaned_data.get("sort_order")
                )
                formset.new_objects.append(attachment)

    # -- delete: drafts only ------------------------------------------------------------

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.status == Status.DRAFT)

    def delete_model(self, request, obj):
        self.check_organ(request, obj)
        services.entry_delete(entry=obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        # Bulk delete would bypass the drafts-only rule; delete drafts one by one.
        actions.pop("delete_selected", None)
        return actions

    # -- publish / withdraw ---------------------------------------------------------------

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("catalog.publish_catalogentry") and (
            request.user.is_superuser or organ_for_user(request.user) is not None
        )

    def _refuse_foreign_rows(self, request, queryset) -> bool:
        """True (and an error shown) when a posted id is not one of this user's rows.

        The action queryset is already scoped, so another organ's ids silently drop out;
        we refuse the whole action instead, so the clerk knows nothing happened.
        """
        if request.POST.get("select_across") == "1":
            return False
        posted = {str(pk) for pk in request.POST.getlist(ACTION_CHECKBOX_NAME)}
        visible = {
            str(pk) for pk in self.get_queryset(request).filter(pk__in=posted).values_list("pk", flat=True)
        }
        if posted - visible:
            self.message_user(
                request, _("所选条目中有不属于本机关的条目，操作已取消，没有任何更改。"), messages.ERROR
            )
            return True
        return False

    @admin.action(
        description=_("发布"),
        description_plural=_("发布所选条目"),
        permissions=["publish"],
        location=[ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM],
    )
    def publish_selected(self, request, queryset):
        done = self._apply(
            request, queryset, queryset.exclude(status=Status.PUBLISHED), services.entry_publish
        )
        if done is not None:
            self.message_user(
                request,
                ngettext("已发布 %(count)d 个条目。", "已发布 %(count)d 个条目。", done) % {"count": done},
            )

    @admin.action(
        description=_("撤回（保留记录和索引号）"),
        description_plural=_("撤回所选条目（保留记录和索引号）"),
        permissions=["publish"],
        location=[ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM],
    )
    def withdraw_selected(self, request, queryset):
        done = self._apply(
            request, queryset, queryset.filter(status=Status.PUBLISHED), services.entry_withdraw
        )
        if done is not None:
            self.message_user(
                request,
                ngettext(
                    "已撤回 %(count)d 个条目，记录仍保留。", "已撤回 %(count)d 个条目，记录仍保留。", done
                )
                % {"count": done},
            )

    def _apply(self, request, queryset, rows, service) -> int | None:
        """Run a state-change service on each row; None when foreign rows were posted."""
        if self._refuse_foreign_rows(request, queryset):
            return None
        done = 0
        for entry in rows.select_related("organ"):
            self.check_organ(request, entry)
            service(entry=entry)
            done += 1
        return done

    # -- import / export ------------------------------------------------------------------

    def _import_organ(self, request, form=None) -> Organ | None:
        if not request.user.is_superuser:
            return organ_for_user(request.user)
        cleaned = getattr(form, "cleaned_data", None) or {}
        return cleaned.get("organ")

    def has_import_permission(self, request):
        user = request.user
        return (
            user.has_perm("catalog.add_catalogentry")
            and user.has_perm("catalog.change_catalogentry")
            and (user.is_superuser or organ_for_user(user) is not None)
        )

    def has_export_permission(self, request):
        return self.has_view_permission(request) and (
            request.user.is_superuser or organ_for_user(request.user) is not None
        )

    def get_import_form_kwargs(self, request):
        kwargs = super().get_import_form_kwargs(request)
        kwargs["organs"] = Organ.objects.all() if request.user.is_superuser else None
        return kwargs

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None and "organ" in import_form.cleaned_data:
            initial["organ"] = import_form.cleaned_data["organ"].pk
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"organ": self._import_organ(request, kwargs.get("form")), "user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {}

    def get_export_filename(self, request, queryset, file_format):
        return f"catalog-{timezone.localdate():%Y%m%d}.{file_format.get_extension()}"

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        if context is not None and context.get("result") is not None:
            resource = CatalogEntryResource(organ=self._import_organ(request, context.get("form")))
            context["import_messages"] = resource.error_messages(context["result"])
        return response

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The data changed between the preview and the confirmation; the transaction
            # was rolled back, so nothing was written.
            for line in CatalogEntryResource().error_messages(result)[:20]:
                self.message_user(request, line, messages.ERROR)
            self.message_user(request, _("导入未完成，没有任何数据被更改。"), messages.ERROR)
            return redirect("admin:catalog_catalogentry_import")
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        self.message_user(
            request,
            _("导入完成：新增 %(new)d 条，更新 %(update)d 条。")
            % {"new": totals[RowResult.IMPORT_TYPE_NEW], "update": totals[RowResult.IMPORT_TYPE_UPDATE]},
            messages.SUCCESS,
        )


@admin.register(ThemeCategory)
class ThemeCategoryAdmin(admin.ModelAdmin):
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
class GenreAdmin(admin.ModelAdmin):
    list_display = ("name", "sort_order")
    search_fields = ("name",)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
