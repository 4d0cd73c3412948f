"""ApplicationAdmin: the lists by urgency and the change form (the register and the deadline)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.applications import services
from apps.applications.admin.pages import BackOfficePages, transition_links
from apps.applications.admin.parts import (
    ApplicationAdminForm,
    ApplicationEventInline,
    DueFilter,
    csv_response,
)
from apps.applications.forms import APPLICANT_FIELDS
from apps.applications.identity import mask_address, mask_email, mask_id_number, mask_name, mask_phone
from apps.applications.models import Application
from apps.organs.admin_scoping import OrganScopedAdmin
from apps.organs.selectors import organs_visible_to

PERSONAL_FIELDS = ["id_number", "phone", "email", "address", "postal_code"]
PERSONAL_PERMISSION = "applications.view_personal_data"


@admin.register(Application)
class ApplicationAdmin(BackOfficePages, OrganScopedAdmin):
    organ_field = "organ"
    form = ApplicationAdminForm
    list_display = [
        "tracking_code",
        "masked_applicant",
        "organ",
        "channel",
        "status",
        "received_on",
        "due_date",
        "days_left",
        "overdue_flag",
    ]
    list_filter = [DueFilter, "status", "channel", "applicant_type", "outcome", "organ"]
    list_select_related = ["organ"]
    search_fields = ["tracking_code"]
    date_hierarchy = "received_on"
    inlines = [ApplicationEventInline]
    actions = ["export_csv"]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).defer("reply_text", "info_description", "correction_text")

    # --- list -----------------------------------------------------------------------------

    @admin.display(description=_("申请人"))
    def masked_applicant(self, obj: Application) -> str:
        return mask_name(obj.applicant_name)

    @admin.display(description=_("剩余天数"))
    def days_left(self, obj: Application) -> str:
        if not obj.is_open or obj.due_date is None:
            return "—"
        if obj.clock_paused():
            return _("暂停至 %(date)s") % {"date": obj.paused_until.isoformat()}
        days = (obj.due_date - timezone.localdate()).days
        return ngettext("%(n)d 天", "%(n)d 天", days) % {"n": days}

    @admin.display(description=_("逾期"), boolean=True)
    def overdue_flag(self, obj: Application) -> bool | None:
        if not obj.is_open or obj.due_date is None or obj.clock_paused():
            return None
        return obj.due_date < timezone.localdate()

    # --- change form ----------------------------------------------------------------------

    def _can_see_personal(self, request) -> bool:
        return request.user.has_perm(PERSONAL_PERMISSION)

    def get_fields(self, request, obj=None):
        editable = list(APPLICANT_FIELDS)
        if not self._can_see_personal(request):
            editable = [f for f in editable if f not in PERSONAL_FIELDS]
            editable += ["masked_id_number", "masked_phone", "masked_email", "masked_address"]
        return [
            "tracking_code",
            "organ",
            "channel",
            "status",
            "outcome",
            "submitted_at",
            "received_on",
            "due_date",
            "correction_due",
            "fee_summary",
            "reply_date",
            "reply_document_link",
            "closed_on",
            *editable,
            "version",
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = [
            "tracking_code",
            "organ",
            "channel",
            "status",
            "outcome",
            "submitted_at",
            "received_on",
            "due_date",
            "correction_due",
            "fee_summary",
            "reply_date",
            "reply_document_link",
            "closed_on",
            "masked_id_number",
            "masked_phone",
            "masked_email",
            "masked_address",
        ]
        if obj is not None and not obj.is_open:
            fields += list(APPLICANT_FIELDS)
        return fields

    @admin.display(description=_("答复书"))
    def reply_document_link(self, obj: Application) -> str:
        # Served by a scoped view: MEDIA_URL is not public in production.
        if not obj.reply_document:
            return "—"
        url = reverse("admin:applications_application_reply_document", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.reply_document.name.rsplit("/", 1)[-1])

    @admin.display(description=_("身份证件号码"))
    def masked_id_number(self, obj):
        return mask_id_number(obj.id_number)

    @admin.display(description=_("联系电话"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)

    @admin.display(description=_("电子邮箱"))
    def masked_email(self, obj):
        return mask_email(obj.email)

    @admin.display(description=_("通信地址"))
    def masked_address(self, obj):
        return mask_address(obj.address)

    @admin.display(description=_("信息处理费"))
    def fee_summary(self, obj: Application) -> str:
        if not obj.fee_amount:
            return "—"
        paid = (
            _("已缴 %(date)s 票据 %(no)s") % {"date": obj.fee_paid_on, "no": obj.fee_receipt_number}
            if obj.fee_paid_on
            else _("未缴")
        )
        return _("%(amount)s 元，通知 %(notice)s，期限 %(due)s，%(paid)s") % {
            "amount": obj.fee_amount,
            "notice": obj.fee_notice_date,
            "due": obj.fee_due,
            "paid": paid,
        }

    def has_add_permission(self, request):
        return super().has_add_permission(request) and organs_visible_to(request.user).exists()

    def has_delete_permission(self, request, obj=None):
        # The register is evidence (复议/诉讼): applications are closed, never deleted.
        return False

    def save_model(self, request, obj, form, change):
        self.check_organ(request, obj)
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in APPLICANT_FIELDS}
        try:
            services.application_update(
                application=obj, actor=request.user, expected_version=form.cleaned_data["version"], **fields
            )
        except ValidationError as error:
            request._application_save_failed = True
            messages.error(request, " ".join(error.messages))

    def response_change(self, request, obj):
        if getattr(request, "_application_save_failed", False):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context["deadline"] = services.application_deadline(application=obj)
            extra_context["transitions"] = transition_links(obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:applications_application_register"))

    # --- export ---------------------------------------------------------------------------

    @admin.action(description=_("导出所选申请（CSV）"))
    def export_csv(self, request, queryset):
        return csv_response(queryset, personal=self._can_see_personal(request))
