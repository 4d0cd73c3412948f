from __future__ import annotations

import os

from django import forms
from django.contrib import admin
from django.db import models
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.applications.identity import mask_name, may_see_personal_data
from apps.applications.models import Application
from apps.litigation import services
from apps.litigation.models import Case, CaseDocument
from apps.organs.admin_scoping import OrganScopedAdmin
from apps.organs.locking import VersionedAdminMixin
from apps.organs.selectors import organ_for_user


class CaseDocumentInline(admin.TabularInline):
    model = CaseDocument
    extra = 1
    fields = ["title", "file", "download", "uploaded_at"]
    readonly_fields = ["download", "uploaded_at"]
    # No "currently: <link>" to the media URL: documents name private persons and are
    # served only through the scoped download view below.
    formfield_overrides = {models.FileField: {"widget": forms.FileInput}}

    @admin.display(description=_("下载"))
    def download(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("admin:litigation_case_document", args=[obj.case_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("下载"))


@admin.register(Case)
class CaseAdmin(VersionedAdminMixin, OrganScopedAdmin):
    inlines = [CaseDocumentInline]
    list_display = [
        "filed_date",
        "kind",
        "route",
        "case_number",
        "applicant",
        "result",
        "decided_date",
        "organ",
    ]
    list_filter = ["kind", "route", "result"]
    list_select_related = ["organ"]
    date_hierarchy = "filed_date"
    search_fields = ["case_number", "applicant", "application_reference", "note"]
    raw_id_fields = ["application"]

    # --- the applicant's name: masked without the personal-data permission ------------------

    @admin.display(description=_("申请人/原告"))
    def masked_applicant(self, obj: Case) -> str:
        return mask_name(obj.applicant)

    def get_list_display(self, request):
        if may_see_personal_data(request.user):
            return self.list_display
        # Not sortable either: ordering by the name would tell its first characters.
        return ["masked_applicant" if f == "applicant" else f for f in self.list_display]

    def get_search_fields(self, request):
        if may_see_personal_data(request.user):
            return self.search_fields
        return [f for f in self.search_fields if f != "applicant"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or may_see_personal_data(request.user):
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": ["masked_applicant" if f == "applicant" else f for f in options["fields"]],
                },
            )
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not may_see_personal_data(request.user):
            readonly.append("masked_applicant")
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "application" and not self._is_global(request):
            organ = organ_for_user(request.user)
            kwargs["queryset"] = (
                Application.objects.filter(organ=organ) if organ else Application.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "organ",
                    "kind",
                    "route",
                    "case_number",
                    "applicant",
                    "application",
                    "application_reference",
                ]
            },
        ),
        (_("办理情况"), {"fields": ["filed_date", "result", "decided_date", "note"]}),
    ]

    def get_urls(self):
        return [
            path(
                "<int:case_id>/documents/<int:document_id>/",
                self.admin_site.admin_view(self.download_document),
                name="litigation_case_document",
            ),
            *super().get_urls(),
        ]

    def download_document(self, request, case_id: int, document_id: int):
        case = self.get_queryset(request).filter(pk=case_id).first()
        if case is None or not self.has_view_permission(request, case):
            raise Http404
        document = CaseDocument.objects.filter(case=case, pk=document_id).first()
        if document is None or not document.file:
            raise Http404
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        ext = os.path.splitext(document.file.name)[1]
        return FileResponse(handle, as_attachment=True, filename=f"{document.title}{ext}")

    def save_model(self, request, obj, form, change):
        self.check_organ(request, obj)
        services.case_save(case=obj)

    def save_formset(self, request, form, formset, change):
        documents = formset.save(commit=False)
        for document in formset.deleted_objects:
            services.case_document_delete(document=document)
        for document in documents:
            services.case_document_save(document=document)

    def delete_model(self, request, obj):
        services.case_delete(case=obj)

    def delete_queryset(self, request, queryset):
        for case in queryset:
            services.case_delete(case=case)
