"""Import and export of catalog entries in the clerks' back office (django-import-export).

Clerks import into their own organ only; a superuser picks the organ on the import form.
The library's pages stay (upload, dry-run preview, confirm); the resource (apps.catalog.resources)
hands the whole file to the batched import (apps.catalog.batch_import), which checks every row
and then writes them all at once. This mixin wires them into the admin.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm
from import_export.results import RowResult

from apps.catalog.forms import EntryConfirmImportForm, EntryImportForm
from apps.catalog.resources import FORMATS, CatalogEntryResource
from apps.organs.models import Organ
from apps.organs.roles import sees_all_organs
from apps.organs.selectors import organ_for_user


class EntryImportExportMixin(ImportExportMixin):
    resource_classes = [CatalogEntryResource]
    import_form_class = EntryImportForm
    confirm_form_class = EntryConfirmImportForm
    export_form_class = ExportForm  # the selectable-fields form uses inline JS/CSS (CSP)
    import_template_name = "admin/catalog/catalogentry/import.html"

    @property
    def formats(self):
        return FORMATS

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

    def get_export_queryset(self, request):
        # The export applies the changelist's filters from the query string; one Django cannot apply
        # (?organ=) raises here, where no changelist view turns it into its "invalid lookup" answer.
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters as exc:
            raise BadRequest(str(exc)) from exc

    def has_export_permission(self, request):
        return self.has_view_permission(request) and (
            sees_all_organs(request.user) or organ_for_user(request.user) is not None
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
