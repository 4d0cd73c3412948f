"""Rate limits per client address, kept in the default cache (shared by every worker)."""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from disclosure_portal.client_ip import client_ip


class AddressRateThrottle(SimpleRateThrottle):
    """Requests per client address, told as the login lockout tells it (disclosure_portal/client_ip.py:
    REMOTE_ADDR, or X-Forwarded-For behind TRUSTED_PROXY_COUNT proxies)."""

    scope = "api"

    def get_rate(self) -> str | None:
        # Read at each request, not frozen at import as SimpleRateThrottle does, so that the
        # settings (and a test's override of them) always apply.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class DownloadRateThrottle(AddressRateThrottle):
    """Downloads cost more than a page of JSON: a separate, smaller budget."""

    scope = "downloads"
