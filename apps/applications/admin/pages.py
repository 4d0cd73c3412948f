"""The back office's own pages next to the change form: registering an application received
off-line, one page per workflow transition, and the reply document."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.applications import forms as app_forms
from apps.applications import services, workflow
from apps.applications.models import Application
from apps.organs.selectors import organs_visible_to

#: The form and the service of each back-office transition (workflow.BACK_OFFICE), by its slug.
TRANSITION_PAGES: dict[str, tuple[type[app_forms.TransitionForm], Any]] = {
    "confirm": (app_forms.ConfirmReceiptForm, services.application_confirm_receipt),
    "correction": (app_forms.RequestCorrectionForm, services.application_request_correction),
    "extend": (app_forms.ExtendForm, services.application_extend),
    "consult": (app_forms.StartConsultationForm, services.application_start_consultation),
    "opinion": (app_forms.EndConsultationForm, services.application_end_consultation),
    "fee": (app_forms.FeeNoticeForm, services.application_send_fee_notice),
    "payment": (app_forms.RecordPaymentForm, services.application_record_payment),
    "reply": (app_forms.ReplyForm, services.application_reply),
    "no-correction": (app_forms.CloseForm, services.application_close_for_no_correction),
    "no-payment": (app_forms.CloseForm, services.application_close_for_no_payment),
    "withdraw": (app_forms.WithdrawByClerkForm, services.application_withdraw),
    "note": (app_forms.NoteForm, services.application_add_note),
}


def transition_links(application: Application) -> list[tuple[str, str, str]]:
    """(slug, label, url) of the transitions the application's status allows, for its buttons."""
    return [
        (slug, t.label, reverse("admin:applications_application_transition", args=[application.pk, slug]))
        for slug, t in workflow.BACK_OFFICE.items()
        if t.allows(application.status)
    ]


class BackOfficePages:
    """Mixed into ApplicationAdmin: its extra URLs and views."""

    def get_urls(self):
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
        return extra + super().get_urls()

    def reply_document_view(self, request: HttpRequest, pk: int) -> FileResponse:
        application = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_or_change_permission(request, application) or not application.reply_document:
            raise Http404
        filename = application.reply_document.name.rsplit("/", 1)[-1]
        try:
            handle = application.reply_document.open("rb")
        except FileNotFoundError as exc:  # the stored document went missing (storage moved or restored)
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, filename=filename)

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
        transition = workflow.BACK_OFFICE.get(action)
        if transition is None:
            raise PermissionDenied
        form_class, service = TRANSITION_PAGES[action]
        application = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, application):
            raise PermissionDenied
        change_url = reverse("admin:applications_application_change", args=[application.pk])
        if not transition.allows(application.status):
            messages.error(
                request,
                _("当前状态为“%(status)s”，不能进行“%(action)s”。")
                % {"status": application.get_status_display(), "action": transition.label},
            )
            return HttpResponseRedirect(change_url)
        form = form_class(
            request.POST or None, request.FILES or None, initial={"version": application.version}
        )
        if request.method == "POST" and form.is_valid():
            try:
                service(
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
