"""Public pages of 依申请公开: the online form, the receipt, the status lookup and page.

Access to an application's page is granted to a browser session only after the tracking
code AND the contact given on the form match; the page never shows unmasked personal data.
"""

from __future__ import annotations

import datetime as dt
import hmac

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from apps.applications import services
from apps.applications.enums import EventKind, Status
from apps.applications.forms import ApplyForm, CorrectionForm, LookupForm, WithdrawForm
from apps.applications.identity import (
    mask_address,
    mask_email,
    mask_id_number,
    mask_phone,
    normalise_contact,
)
from apps.applications.models import Application, LookupFailure
from apps.organs.models import Organ
from disclosure_portal.client_ip import client_ip

SESSION_ACCESS = "applications_access"
SESSION_RECEIPT = "applications_receipt"
MAX_SESSION_CODES = 20
THROTTLE_FAILURES = 5
THROTTLE_WINDOW = dt.timedelta(minutes=15)


def _grant(request: HttpRequest, code: str) -> None:
    codes = [c for c in request.session.get(SESSION_ACCESS, []) if c != code]
    request.session[SESSION_ACCESS] = [*codes, code][-MAX_SESSION_CODES:]


def _granted(request: HttpRequest, code: str) -> Application | None:
    if code not in request.session.get(SESSION_ACCESS, []):
        return None
    return Application.objects.select_related("organ").filter(tracking_code=code).first()


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ApplyForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            organ, token = data.pop("organ"), data.pop("token")
            data.pop("accept")
            try:
                application, _created = services.application_submit_online(
                    organ=organ, idempotency_token=token, language=request.LANGUAGE_CODE, **data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session[SESSION_RECEIPT] = application.tracking_code
                _grant(request, application.tracking_code)
                return redirect("applications:receipt")
    else:
        initial = {"token": ApplyForm.fresh_token()}
        if slug := request.GET.get("organ"):
            initial["organ"] = Organ.objects.active().filter(slug=slug).values_list("pk", flat=True).first()
        form = ApplyForm(initial=initial)
    return render(request, "applications/apply.html", {"form": form})


@never_cache
def receipt(request: HttpRequest) -> HttpResponse:
    code = request.session.get(SESSION_RECEIPT)
    application = _granted(request, code) if code else None
    if application is None:
        return redirect("applications:apply")
    return render(request, "applications/receipt.html", {"application": application})


def _throttled(ip: str) -> bool:
    """Too many wrong lookups from this address lately.

    Counted per address only: a count per tracking code would let anyone who knows (or
    guesses) a code lock its applicant out with a few wrong contacts. The contact is the
    secret, and guessing it needs many tries, which this stops at each address.
    """
    since = timezone.now() - THROTTLE_WINDOW
    return LookupFailure.objects.filter(at__gte=since, ip=ip).count() >= THROTTLE_FAILURES


def _record_failure(ip: str, code: str) -> None:
    LookupFailure.objects.create(ip=ip, code=code[:40])
    LookupFailure.objects.filter(at__lt=timezone.now() - dt.timedelta(days=1)).delete()


_DUMMY_CONTACTS = ("00000000000", "nobody@invalid")


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """Tracking code + contact. A wrong code and a wrong contact look exactly the same."""
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip, code = client_ip(request), form.cleaned_data["code"]
        if _throttled(ip):
            return render(request, "applications/lookup.html", {"form": form, "throttled": True}, status=429)
        given = normalise_contact(form.cleaned_data["contact"])
        application = (
            Application.objects.filter(tracking_code=code).only("phone", "email", "tracking_code").first()
        )
        contacts = (
            (normalise_contact(application.phone), normalise_contact(application.email))
            if application is not None
            else _DUMMY_CONTACTS
        )
        # Compare against both contacts every time, existing code or not: one path, one timing.
        matches = [hmac.compare_digest(given.encode(), c.encode()) for c in contacts]
        if application is not None and given and any(m and c for m, c in zip(matches, contacts, strict=True)):
            _grant(request, application.tracking_code)
            return redirect("applications:status", code=application.tracking_code)
        _record_failure(ip, code)
        form.add_error(None, _("查询码或联系方式不正确，请核对后重试。"))
    return render(request, "applications/lookup.html", {"form": form})


def _status_context(application: Application) -> dict:
    events = list(application.events.public().order_by("at", "pk"))
    deadline = services.application_deadline(application=application) if application.is_open else None
    return {
        "application": application,
        "events": events,
        "deadline": deadline,
        "masked": {
            "id_number": mask_id_number(application.id_number),
            "credit_code": application.credit_code,
            "phone": mask_phone(application.phone),
            "email": mask_email(application.email),
            "address": mask_address(application.address),
        },
        "correction_form": CorrectionForm() if application.status == Status.AWAITING_CORRECTION else None,
        "withdraw_form": WithdrawForm() if application.is_open else None,
        "EventKind": EventKind,
    }


@never_cache
def status(request: HttpRequest, code: str) -> HttpResponse:
    application = _granted(request, code)
    if application is None:
        messages.info(request, _("请输入查询码和申请时填写的联系方式查询办理进度。"))
        return redirect("applications:lookup")
    return render(request, "applications/status.html", _status_context(application))


def _applicant_action(request, code, *, form_class, form_key, act, done) -> HttpResponse:
    """An applicant's POST on the status page: validate, call the service, or show the page again."""
    application = _granted(request, code)
    if application is None:
        return redirect("applications:lookup")
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(application, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect("applications:status", code=code)
    context = _status_context(application)
    context[form_key] = form
    return render(request, "applications/status.html", context, status=400)


@never_cache
@require_POST
def correction(request: HttpRequest, code: str) -> HttpResponse:
    return _applicant_action(
        request,
        code,
        form_class=CorrectionForm,
        form_key="correction_form",
        act=lambda application, data: services.application_submit_correction(
            application=application, text=data["text"]
        ),
        done=_("补正已提交，答复期限自收到补正之日起重新计算。"),
    )


@never_cache
@require_POST
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    return _applicant_action(
        request,
        code,
        form_class=WithdrawForm,
        form_key="withdraw_form",
        act=lambda application, data: services.application_withdraw(
            application=application, reason=data["reason"]
        ),
        done=_("申请已撤回。"),
    )


@never_cache
def reply_document(request: HttpRequest, code: str) -> FileResponse:
    application = _granted(request, code)
    if application is None or not application.reply_document:
        raise Http404
    filename = application.reply_document.name.rsplit("/", 1)[-1]
    try:
        handle = application.reply_document.open("rb")
    except FileNotFoundError as exc:  # the stored document went missing (storage moved or restored)
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=filename)
