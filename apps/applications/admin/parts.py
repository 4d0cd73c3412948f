"""The pieces of the applications admin: the deadline filter, the read-only log, the register
form with its version check, and the CSV export."""

from __future__ import annotations

import csv

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.applications import services
from apps.applications.forms import APPLICANT_FIELDS, ApplicantFieldsMixin
from apps.applications.identity import mask_address, mask_id_number, mask_name, mask_phone
from apps.applications.models import Application, ApplicationEvent
from apps.applications.selectors import due_soon_limit
from apps.organs.spreadsheets import safe_row


class DueFilter(admin.SimpleListFilter):
    title = _("期限")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("soon", _("即将到期（5个工作日内）")), ("overdue", _("已逾期")), ("paused", _("计时暂停"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "soon":
            return queryset.with_running_clock(today).filter(
                due_date__gte=today, due_date__lte=due_soon_limit(today)
            )
        if self.value() == "overdue":
            return queryset.with_running_clock(today).filter(due_date__lt=today)
        if self.value() == "paused":
            return queryset.paused_on(today)
        return queryset


class ApplicationEventInline(admin.TabularInline):
    """The log is append-only: shown, never edited here."""

    model = ApplicationEvent
    extra = 0
    can_delete = False
    fields = ["day", "kind", "actor_label", "at", "summary"]
    readonly_fields = fields
    ordering = ["at", "pk"]
    verbose_name_plural = _("办理记录（只可追加，不可修改）")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True

    @admin.display(description=_("内容"))
    def summary(self, event: ApplicationEvent) -> str:
        hidden = {"text"} if event.kind == "corrected" else set()
        return "；".join(
            f"{k}: {v}" for k, v in event.data.items() if v not in ("", None) and k not in hidden
        )


class ApplicationAdminForm(ApplicantFieldsMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Application
        fields = APPLICANT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_version(self):
        version = self.cleaned_data["version"]
        current = Application.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
        if current is not None and current != version:
            raise ValidationError(services.stale_message())
        return version

    def clean(self):
        cleaned = super().clean()
        # The stale version is the whole form's problem, not a hidden field's.
        if "version" in self.errors:
            self.add_error(None, self.errors.pop("version"))
        return cleaned


def csv_response(queryset, *, personal: bool) -> HttpResponse:
    """The selected applications as CSV for Excel; personal data masked unless `personal`."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="applications.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM
    writer = csv.writer(response)
    writer.writerow(
        ["查询码", "受理机关", "申请渠道", "申请人类型", "申请人", "身份证件号码", "联系电话", "通信地址",
         "收到申请之日", "办理状态", "办理结果", "答复期限", "办结日期"]
    )  # fmt: skip
    for app in queryset.select_related("organ"):
        writer.writerow(
            safe_row(
                [
                    app.tracking_code,
                    app.organ.name,
                    app.get_channel_display(),
                    app.get_applicant_type_display(),
                    app.applicant_name if personal else mask_name(app.applicant_name),
                    app.id_number if personal else mask_id_number(app.id_number),
                    app.phone if personal else mask_phone(app.phone),
                    app.address if personal else mask_address(app.address),
                    app.received_on or "",
                    app.get_status_display(),
                    app.get_outcome_display() if app.outcome else "",
                    app.due_date or "",
                    app.closed_on or "",
                ]
            )
        )
    return response
