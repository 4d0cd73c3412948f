"""The address of the client behind a request, for the login lockout (django-axes) and the
tracking-code throttle.

Behind a reverse proxy every request comes from the proxy's address, so counting failures
by REMOTE_ADDR would lock the whole public out at once. With TRUSTED_PROXY_COUNT = n, the n
proxies in front of the portal each append the address they received the request from to
X-Forwarded-For, so the client is the n-th entry from the right; anything further left was
written by the client itself and is not believed. With 0 (the default: gunicorn faces the
clients) the header is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "0.0.0.0"


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count > 0:
        hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count and (address := _address(hops[-count])):
            return address
    return _address(request.META.get("REMOTE_ADDR") or "") or UNKNOWN
