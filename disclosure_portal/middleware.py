"""Project-wide request guards that no single app owns."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template import loader
from django.utils.translation import gettext as _


class RejectNulBytesMiddleware:
    """Answer 400 to a path, query string or posted form field carrying a NUL byte, and to a form
    posted in another charset than UTF-8, each with a page that says what is wrong.

    PostgreSQL text cannot hold NUL, so such a value reaching a query raises deep inside a view
    (a 500). No legitimate link or form field contains one. Django's forms already refuse NUL
    (ProhibitNullCharactersValidator), but admin actions, list filters and custom admin views read
    request.POST directly. Uploaded files are not fields and may hold any byte.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return self._bad_request(request, _("网址中含有无效字符（空字符），请检查后重试。"))
        if request.method != "POST":
            return self.get_response(request)
        if _unsupported_form_charset(request):
            # Django refuses such a body with an English BadRequest; browsers always send UTF-8.
            return self._bad_request(request, _("表单的字符编码不受支持，请使用 UTF-8 编码提交。"))
        if _has_nul(request.POST.lists()):
            return self._bad_request(request, _("提交的内容中含有无效字符（空字符），请检查后重试。"))
        return self.get_response(request)

    @staticmethod
    def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
        body = loader.render_to_string("400.html", {"message": message}, request=request)
        return HttpResponseBadRequest(body)


def _has_nul(fields) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in fields)


def _unsupported_form_charset(request: HttpRequest) -> bool:
    charset = request.content_params.get("charset", "utf-8").strip().lower()
    return request.content_type == "application/x-www-form-urlencoded" and charset not in {"utf-8", "utf8"}
