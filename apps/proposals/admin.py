from __future__ import annotations

import os

from django import forms
from django.contrib import admin
from django.db import models
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.organs.admin_review import ReviewAdminMixin
from apps.organs.admin_scoping import OrganScopedAdmin
from apps.organs.enums import ReviewState
from apps.organs.locking import VersionedAdminMixin
from apps.proposals import services
from apps.proposals.models import Proposal

DUE_SOON_DAYS = 15


class DeadlineFilter(admin.SimpleListFilter):
    title = _("办理期限")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("逾期未答复")),
            ("due_soon", _("%(days)d日内到期") % {"days": DUE_SOON_DAYS}),
            ("open", _("未答复")),
            ("late", _("逾期答复")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        match self.value():
            case "overdue":
                return queryset.overdue(today)
            case "due_soon":
                return queryset.due_within(today, DUE_SOON_DAYS)
            case "open":
                return queryset.unanswered()
            case "late":
                return queryset.answered_late()
        return queryset


@admin.register(Proposal)
class ProposalAdmin(ReviewAdminMixin, VersionedAdminMixin, OrganScopedAdmin):
    review_chain = services.CHAIN
    list_display = [
        "number",
        "kind",
        "session",
        "title",
        "role",
        "assigned_date",
        "due_date",
        "reply_date",
        "result_code",
        "feedback",
        "publication_status",
        "overdue",
    ]
    list_filter = [
        DeadlineFilter,
        "kind",
        "role",
        "result_code",
        "feedback",
        "publish_mode",
        "publication_status",
        "session",
    ]
    list_select_related = ["organ"]
    date_hierarchy = "assigned_date"
    search_fields = ["number", "title", "proposers", "session"]
    readonly_fields = [
        "due_date",
        "redo_due_date",
        "reply_document_download",
        "review_status",
        "review_history",
    ]
    formfield_overrides = {models.FileField: {"widget": forms.FileInput}}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "organ",
                    "kind",
                    "session",
                    "number",
                    "title",
                    "proposers",
                    "role",
                    "assigned_date",
                    "difficult",
                    "due_date",
                ]
            },
        ),
        (
            _("答复"),
            {
                "fields": [
                    "reply_date",
                    "result_code",
                    "reply_document",
                    "reply_document_download",
                    "handling",
                ]
            },
        ),
        (
            _("答复公开"),
            {"fields": ["publish_mode", "publish_date", "reply_summary", "publish_reason", "review_status"]},
        ),
        (_("反馈"), {"fields": ["feedback", "feedback_date", "redo_due_date", "note"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [*fieldsets, (_("审核与修改记录"), {"fields": ["review_history"]})]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.publication_status == ReviewState.PUBLISHED:
            # What the public reads changes only through withdraw → edit → review → publish.
            readonly += [*services.PUBLICATION_FIELDS, "publish_reason"]
        return readonly

    @admin.display(description=_("逾期"), boolean=True)
    def overdue(self, obj):
        return obj.is_overdue(timezone.localdate())

    @admin.display(description=_("下载答复文件"))
    def reply_document_download(self, obj):
        if obj is None or not obj.pk or not obj.reply_document:
            return "—"
        url = reverse("admin:proposals_proposal_reply_document", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("下载"))

    def get_urls(self):
        return [
            path(
                "<int:proposal_id>/reply-document/",
                self.admin_site.admin_view(self.download_reply_document),
                name="proposals_proposal_reply_document",
            ),
            *super().get_urls(),
        ]

    def download_reply_document(self, request, proposal_id: int):
        proposal = self.get_queryset(request).filter(pk=proposal_id).first()
        if proposal is None or not self.has_view_permission(request, proposal) or not proposal.reply_document:
            raise Http404
        try:
            handle = proposal.reply_document.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        ext = os.path.splitext(proposal.reply_document.name)[1]
        return FileResponse(handle, as_attachment=True, filename=f"{proposal.number}答复{ext}")

    def save_model(self, request, obj, form, change):
        self.check_organ(request, obj)
        services.proposal_save(proposal=obj, actor=request.user)

    # -- the steps of the 审核与发布 page -------------------------------------------------------

    def review_approve(self, request, obj, text):
        services.proposal_reply_approve(proposal=obj, actor=request.user, opinion=text)

    def review_return(self, request, obj, text):
        services.proposal_reply_return(proposal=obj, actor=request.user, opinion=text)

    def review_publish(self, request, obj, text):
        services.proposal_reply_publish(proposal=obj, actor=request.user)

    def review_withdraw(self, request, obj, text):
        services.proposal_reply_withdraw(proposal=obj, actor=request.user, reason=text)

    def delete_model(self, request, obj):
        services.proposal_delete(proposal=obj)

    def delete_queryset(self, request, queryset):
        for proposal in queryset:
            services.proposal_delete(proposal=proposal)
