"""Project-wide request guards that no single app owns."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template import loader
from django.utils.translation import gettext as _


class RejectNulBytesMiddleware:
    """Answer 400 to a path or query string carrying a NUL byte.

    PostgreSQL text cannot hold NUL, so such a value reaching a query raises deep inside a view
    (a 500). No legitimate link contains one; form fields already refuse NUL in POST data
    (Django's ProhibitNullCharactersValidator).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            body = loader.render_to_string(
                "400.html", {"message": _("网址中含有无效字符（空字符），请检查后重试。")}, request=request
            )
            return HttpResponseBadRequest(body)
        return self.get_response(request)
