"""What every public API view shares: read-only, anonymous, rate-limited, readable from any origin."""

from __future__ import annotations

import math

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from rest_framework import exceptions
from rest_framework.views import APIView

from apps.api.throttling import AddressRateThrottle, DownloadRateThrottle

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
#: Response headers a cross-origin script may read besides the CORS-safelisted ones.
EXPOSED_HEADERS = "Content-Disposition, Retry-After, X-Row-Limit"


class PublicAPIView(APIView):
    """A read-only view of published data.

    Only GET, HEAD and OPTIONS exist (anything else is 405, without CORS headers); every answer to
    those carries ``Access-Control-Allow-Origin: *``, errors and 429 included, so that a page on any
    site can read the data and the reason it was refused. No credentials are involved: the API has
    no session or login, so the wildcard exposes nothing private.
    """

    http_method_names = ["get", "head", "options"]
    throttle_classes = [AddressRateThrottle]

    def throttled(self, request, wait):
        seconds = max(1, math.ceil(wait or 1))
        message = ngettext(
            "请求过于频繁：同一地址在限定时间内的请求次数已达上限，请在 %(n)d 秒后再试。",
            "请求过于频繁：同一地址在限定时间内的请求次数已达上限，请在 %(n)d 秒后再试。",
            seconds,
        ) % {"n": seconds}
        exc = exceptions.Throttled(detail=message)  # without DRF's own "Expected available in …"
        exc.wait = seconds  # answered as Retry-After
        raise exc

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in SAFE_METHODS:
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
            if request.method == "OPTIONS":
                response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
                response["Access-Control-Max-Age"] = "86400"
                if wanted := request.headers.get("Access-Control-Request-Headers"):
                    response["Access-Control-Allow-Headers"] = wanted
        return response


class DownloadView(PublicAPIView):
    throttle_classes = [DownloadRateThrottle]


def bad_request(errors: dict) -> exceptions.ValidationError:
    """400 naming each invalid parameter (the list pages ignore one; an API says so)."""
    return exceptions.ValidationError({name: [str(e) for e in errs] for name, errs in errors.items()})


def not_found() -> exceptions.NotFound:
    return exceptions.NotFound(_("没有找到，或尚未公开。"))


class SearchTimedOut(exceptions.APIException):
    """A search stopped by the statement timeout: 400, because only a narrower request can succeed.

    Not a 5xx: the server is fine and nothing is wrong with it; the question was too broad for the
    time a public query may take (apps/catalog/selectors/listing.py, STATEMENT_TIMEOUT_MS).
    """

    status_code = 400
    default_detail = gettext_lazy(
        "检索用时过长，已经停止。请增加检索词、使用更长的检索词或按分类筛选缩小范围后再试。"
    )
    default_code = "search_timeout"
