"""The page a locked-out login gets (settings.AXES_LOCKOUT_CALLABLE)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from axes.helpers import get_cool_off


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    cool_off = get_cool_off(request)
    context = {
        **admin.site.each_context(request),
        "minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    response = TemplateResponse(
        request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
    return response.render()
