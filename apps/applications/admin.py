"""The clerks' back office for applications: lists by urgency, the register, every transition.

The admin never writes an application itself: each form calls the matching service, which
locks the row, checks the version the clerk saw, appends the event and recomputes the due date.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.applications import forms as app_forms
from apps.applications import services
from apps.applications.enums import OPEN_STATUSES, Status
from apps.applications.identity import mask_address, mask_email, mask_id_number, mask_name, mask_phone
from apps.applications.models import Application, ApplicationEvent
from apps.applications.selectors import due_soon_limit
from apps.organs.admin_scoping import OrganScopedAdmin
from apps.organs.selectors import organs_visible_to

PERSONAL_FIELDS = ["id_number", "phone", "email", "address", "postal_code"]
PERSONAL_PERMISSION = "applications.view_personal_data"


@dataclass(frozen=True)
class Transition:
    label: str
    form: type[app_forms.TransitionForm]
    service: Any
    statuses: tuple[str, ...]


TRANSITIONS: dict[str, Transition] = {
    "confirm": Transition(
        _("确认收到申请"),
        app_forms.ConfirmReceiptForm,
        services.application_confirm_receipt,
        (Status.PENDING_CONFIRMATION,),
    ),
    "correction": Transition(
        _("告知补正"),
        app_forms.RequestCorrectionForm,
        services.application_request_correction,
        (Status.IN_PROGRESS,),
    ),
    "extend": Transition(
        _("延期答复"),
        app_forms.ExtendForm,
        services.application_extend,
        (Status.IN_PROGRESS, Status.CONSULTING),
    ),
    "consult": Transition(
        _("征求意见"),
        app_forms.StartConsultationForm,
        services.application_start_consultation,
        (Status.IN_PROGRESS,),
    ),
    "opinion": Transition(
        _("记录意见返回"),
        app_forms.EndConsultationForm,
        services.application_end_consultation,
        (Status.CONSULTING,),
    ),
    "fee": Transition(
        _("发出收费通知"),
        app_forms.FeeNoticeForm,
        services.application_send_fee_notice,
        (Status.IN_PROGRESS,),
    ),
    "payment": Transition(
        _("记录缴费"),
        app_forms.RecordPaymentForm,
        services.application_record_payment,
        (Status.AWAITING_PAYMENT,),
    ),
    "reply": Transition(_("答复"), app_forms.ReplyForm, services.application_reply, (Status.IN_PROGRESS,)),
    "no-correction": Transition(
        _("逾期未补正终止"),
        app_forms.CloseForm,
        services.application_close_for_no_correction,
        (Status.AWAITING_CORRECTION,),
    ),
    "no-payment": Transition(
        _("逾期未缴费终止"),
        app_forms.CloseForm,
        services.application_close_for_no_payment,
        (Status.AWAITING_PAYMENT,),
    ),
    "withdraw": Transition(
        _("记录撤回"), app_forms.WithdrawByClerkForm, services.application_withdraw, tuple(OPEN_STATUSES)
    ),
    "note": Transition(
        _("添加备注"),
        app_forms.NoteForm,
        services.application_add_note,
        tuple(Status.values),
    ),
}


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


class ApplicationAdminForm(app_forms.ApplicantFieldsMixin, app_forms.forms.ModelForm):
    version = app_forms.forms.IntegerField(widget=app_forms.forms.HiddenInput)

    class Meta:
        model = Application
        fields = app_forms.APPLICANT_FIELDS

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


@admin.register(Application)
class ApplicationAdmin(OrganScopedAdmin):
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
        editable = list(app_forms.APPLICANT_FIELDS)
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
            fields += list(app_forms.APPLICANT_FIELDS)
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
        fields = {
            name: form.cleaned_data[name] for name in form.changed_data if name in app_forms.APPLICANT_FIELDS
        }
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
            extra_context["transitions"] = [
                (key, t.label, reverse("admin:applications_application_transition", args=[obj.pk, key]))
                for key, t in TRANSITIONS.items()
                if obj.status in t.statuses
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:applications_application_register"))

    # --- extra views ------------------------------------------------------------------------

    def get_urls(self):
        urls = super().get_urls()
        extra = [
            path(
                "register/",
                self.admin_site.admin_view(self.register_view),
                name="applications_application_register",
            ),
            path(
                "<int:pk>/reply-document/",
                self.admin_site.admin_view(self.reply_document_view),
                name="applications_application_reply_document",
            ),
            path(
                "<int:pk>/transition/<slug:action>/",
                self.admin_site.admin_view(self.transition_view),
                name="applications_application_transition",
            ),
        ]
        return extra + urls

    def reply_document_view(self, request: HttpRequest, pk: int) -> FileResponse:
        application = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_or_change_permission(request, application) or not application.reply_document:
            raise Http404
        filename = application.reply_document.name.rsplit("/", 1)[-1]
        return FileResponse(application.reply_document.open("rb"), as_attachment=True, filename=filename)

    def register_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        organs = organs_visible_to(request.user)
        form = app_forms.RegisterForm(request.POST or None, organs=organs)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            organ = data.pop("organ")
            try:
                application = services.application_register(
                    organ=organ,
                    actor=request.user,
                    channel=data.pop("channel"),
                    submitted_on=data.pop("submitted_on"),
                    received_on=data.pop("received_on"),
                    note=data.pop("note"),
                    **data,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("已登记申请，查询码 %(code)s。") % {"code": application.tracking_code}
                )
                return HttpResponseRedirect(
                    reverse("admin:applications_application_change", args=[application.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("登记申请（当面、邮寄、传真、电子邮件）"),
            "form": form,
        }
        return TemplateResponse(request, "admin/applications/application/register.html", context)

    def transition_view(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        transition = TRANSITIONS.get(action)
        if transition is None:
            raise PermissionDenied
        application = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, application):
            raise PermissionDenied
        change_url = reverse("admin:applications_application_change", args=[application.pk])
        if application.status not in transition.statuses:
            messages.error(
                request,
                _("当前状态为“%(status)s”，不能进行“%(action)s”。")
                % {"status": application.get_status_display(), "action": transition.label},
            )
            return HttpResponseRedirect(change_url)
        form = transition.form(
            request.POST or None, request.FILES or None, initial={"version": application.version}
        )
        if request.method == "POST" and form.is_valid():
            try:
                transition.service(
                    application=application,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    **form.service_kwargs(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("已完成：%(action)s。") % {"action": transition.label})
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": application,
            "title": format_html("{} · {}", transition.label, application.tracking_code),
            "form": form,
            "transition": transition,
            "change_url": change_url,
            "deadline": services.application_deadline(application=application),
        }
        return TemplateResponse(request, "admin/applications/application/transition.html", context)

    # --- export ---------------------------------------------------------------------------

    @admin.action(description=_("导出所选申请（CSV）"))
    def export_csv(self, request, queryset):
        personal = self._can_see_personal(request)
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
        return response
