"""The clerks' back office for the 政府信息公开目录.

Everything is scoped to the clerk's organ by OrganScopedAdmin, and every write goes
through apps.catalog.services (索引号, search vectors, the review chain and its history).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.db.models.functions import Length
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.catalog import services
from apps.catalog.admin.interpretations import InterpretationInline, InterpretedPolicyInline
from apps.catalog.admin.transfer import EntryImportExportMixin
from apps.catalog.enums import AttachmentTextStatus, Status
from apps.catalog.forms import AttachmentInlineForm, CatalogEntryAdminForm, themes_in_tree_order
from apps.catalog.models import Attachment, CatalogEntry, ThemeCategory
from apps.organs.admin import form_values
from apps.organs.admin_review import ReviewAdminMixin
from apps.organs.admin_scoping import OrganScopedAdmin
from apps.organs.locking import VersionedAdminMixin


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
    fields = (
        "file",
        "original_name",
        "size_display",
        "content_type",
        "text_display",
        "sort_order",
        "download",
    )
    readonly_fields = ("original_name", "size_display", "content_type", "text_display", "download")

    def get_queryset(self, request):
        # The form only needs the length of the extracted text, not up to 200,000 characters.
        return super().get_queryset(request).defer("text").annotate(text_length=Length("text"))

    @admin.display(description=_("大小"))
    def size_display(self, obj: Attachment) -> str:
        return filesizeformat(obj.size) if obj.pk else "-"

    @admin.display(description=_("文字提取"))
    def text_display(self, obj: Attachment) -> str:
        """已提取 1,234 字 / 扫描件，无文字层 / 无法读取：<why>, so the clerk sees what search finds."""
        if not obj.pk:
            return "-"
        if obj.text_status == AttachmentTextStatus.UNREADABLE:
            return _("无法读取：%(reason)s") % {"reason": obj.text_note or "-"}
        if obj.text_status == AttachmentTextStatus.EXTRACTED:
            length = getattr(obj, "text_length", None)
            if length is None:
                length = len(obj.text)
            shown = ngettext("已提取 %(count)s 字", "已提取 %(count)s 字", length) % {"count": f"{length:,}"}
        else:
            shown = obj.get_text_status_display()
        return f"{shown}（{obj.text_note}）" if obj.text_note else shown

    @admin.display(description=_("下载"))
    def download(self, obj: Attachment):
        if not obj.pk:
            return "-"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("下载"))

    # A published entry's attachments are public content: withdraw the entry to change them.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not _published(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _published(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _published(obj)


def _published(entry: CatalogEntry | None) -> bool:
    return entry is not None and entry.status == Status.PUBLISHED


@admin.register(CatalogEntry)
class CatalogEntryAdmin(ReviewAdminMixin, VersionedAdminMixin, EntryImportExportMixin, OrganScopedAdmin):
    review_chain = services.CHAIN
    form = CatalogEntryAdminForm
    inlines = [AttachmentInline, InterpretationInline, InterpretedPolicyInline]
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
    actions = ["approve_selected", "publish_selected", "withdraw_selected"]
    readonly_fields = (
        "index_number_display",
        "review_status",
        "review_history",
        "status",
        "published_at",
        "withdrawn_at",
        "withdrawn_reason",
        "created_by",
        "created_at",
        "updated_at",
    )

    # -- list -------------------------------------------------------------------------

    @admin.display(description=_("主题分类"), ordering="theme__parent__name")
    def theme_path(self, obj: CatalogEntry) -> str:
        return obj.theme.path

    @admin.display(description=_("索引号"))
    def index_number_display(self, obj: CatalogEntry) -> str:
        return obj.index_number if obj.pk else _("保存后自动生成")

    def get_list_display(self, request):
        if self._sees_all(request):
            return (*self.list_display, "organ")
        return self.list_display

    def get_list_filter(self, request):
        if self._sees_all(request):
            return (*self.list_filter, "organ")
        return self.list_filter

    # -- form -------------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        return [
            (
                None,
                {"fields": ["organ", "index_number_display", "title", "doc_number", "publisher", "version"]},
            ),
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
            (
                _("审核与发布"),
                {"fields": ["review_status", "published_at", "withdrawn_at", "withdrawn_reason"]},
            ),
            (_("记录"), {"fields": ["created_by", "created_at", "updated_at"], "classes": ["collapse"]}),
            *([(_("审核与修改记录"), {"fields": ["review_history"]})] if obj is not None else []),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        # The 索引号 carries the organ's code: an entry never moves to another organ.
        readonly = [*self.readonly_fields, "organ"]
        if obj.status == Status.PUBLISHED:
            # What the public sees changes only through withdraw → edit → review → publish.
            readonly += [f for f in services.CONTENT_FIELDS if f not in services.CHANGEABLE_WHILE_PUBLISHED]
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "theme":
            kwargs["queryset"] = themes_in_tree_order()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        self.check_organ(request, obj)
        if change:
            services.entry_update(entry=obj, actor=request.user, **form_values(form))
        else:
            obj.created_by = request.user
            services.entry_insert(entry=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Attachment:
            return super().save_formset(request, form, formset, change)
        entry = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.deleted_forms:
            if inline_form.instance.pk:
                services.attachment_delete(attachment=inline_form.instance, actor=request.user)
                formset.deleted_objects.append(inline_form.instance)
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            if inline_form.instance.pk:
                services.attachment_update(
                    attachment=inline_form.instance,
                    sort_order=inline_form.cleaned_data["sort_order"],
                    actor=request.user,
                )
                formset.changed_objects.append((inline_form.instance, inline_form.changed_data))
            elif upload := inline_form.cleaned_data.get("file"):
                attachment = services.attachment_add(
                    entry=entry,
                    uploaded_file=upload,
                    sort_order=inline_form.cleaned_data.get("sort_order"),
                    actor=request.user,
                )
                formset.new_objects.append(attachment)

    # -- delete: drafts never published only ----------------------------------------------

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or services.entry_is_deletable(obj))

    def delete_model(self, request, obj):
        self.check_organ(request, obj)
        services.entry_delete(entry=obj, actor=request.user)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        # Bulk delete would bypass the drafts-only rule; delete drafts one by one.
        actions.pop("delete_selected", None)
        return actions

    # -- review, publish, withdraw (the 审核与发布 page: apps/organs/admin_review.py) ------------

    def review_approve(self, request, obj, text):
        services.entry_approve(entry=obj, actor=request.user, opinion=text)

    def review_return(self, request, obj, text):
        services.entry_return(entry=obj, actor=request.user, opinion=text)

    def review_publish(self, request, obj, text):
        services.entry_publish(entry=obj, actor=request.user)

    def review_withdraw(self, request, obj, text):
        services.entry_withdraw(entry=obj, actor=request.user, reason=text)

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

    @admin.action(description=_("审核通过"), description_plural=_("审核通过所选条目"), permissions=["review"])
    def approve_selected(self, request, queryset):
        done = self._apply(
            request,
            queryset,
            queryset.filter(status__in=[Status.DRAFT, Status.WITHDRAWN]),
            lambda entry: services.entry_approve(entry=entry, actor=request.user),
        )
        if done is not None:
            self.message_user(
                request,
                ngettext("已审核通过 %(count)d 个条目。", "已审核通过 %(count)d 个条目。", done)
                % {"count": done},
            )

    @admin.action(description=_("发布"), description_plural=_("发布所选条目"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        waiting = queryset.filter(status__in=[Status.DRAFT, Status.RETURNED]).count()
        done = self._apply(
            request,
            queryset,
            queryset.filter(status=Status.REVIEWED),
            lambda entry: services.entry_publish(entry=entry, actor=request.user),
        )
        if done is None:
            return
        self.message_user(
            request,
            ngettext("已发布 %(count)d 个条目。", "已发布 %(count)d 个条目。", done) % {"count": done},
        )
        if waiting:
            self.message_user(
                request,
                ngettext(
                    "%(count)d 个条目尚未审核通过，未发布。",
                    "%(count)d 个条目尚未审核通过，未发布。",
                    waiting,
                )
                % {"count": waiting},
                messages.WARNING,
            )

    @admin.action(
        description=_("撤回（保留记录和索引号）"),
        description_plural=_("撤回所选条目（保留记录和索引号）"),
        permissions=["publish"],
    )
    def withdraw_selected(self, request, queryset):
        reason = request.POST.get("reason", "").strip()
        if not reason:
            # Ask for the reason first (the confirmation page posts the same action back).
            if request.POST.get("confirm") and not self._refuse_foreign_rows(request, queryset):
                self.message_user(request, _("撤回须说明原因。"), messages.ERROR)
            return TemplateResponse(
                request,
                "admin/review/withdraw_selected.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "title": _("撤回所选条目"),
                    "entries": queryset.filter(status=Status.PUBLISHED),
                    "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
                    "action": "withdraw_selected",
                },
            )
        done = self._apply(
            request,
            queryset,
            queryset.filter(status=Status.PUBLISHED),
            lambda entry: services.entry_withdraw(entry=entry, actor=request.user, reason=reason),
        )
        if done is not None:
            self.message_user(
                request,
                ngettext(
                    "已撤回 %(count)d 个条目，记录仍保留。", "已撤回 %(count)d 个条目，记录仍保留。", done
                )
                % {"count": done},
            )

    def _apply(self, request, queryset, rows, step) -> int | None:
        """Take a review step on each row; None when foreign rows were posted. A row the user may
        not take the step on (their own draft, no role) is reported and skipped."""
        if self._refuse_foreign_rows(request, queryset):
            return None
        done = 0
        for entry in rows.select_related("organ"):
            self.check_organ(request, entry)
            try:
                step(entry)
            except (ValidationError, PermissionDenied) as exc:
                reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                self.message_user(request, f"{entry.index_number}：{reason}", messages.ERROR)
            else:
                done += 1
        return done
