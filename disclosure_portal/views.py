"""Project-wide error pages that no single app owns."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults

# Seconds a client (or a crawler) is asked to wait before retrying while the database is away.
RETRY_AFTER = 60


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database that cannot be reached answers 503, anything else the usual 500.

    Django calls this inside the ``except`` block of the failed request, so ``sys.exc_info()``
    names the cause wherever it was raised (a view, a middleware, a template, another error page).
    The 503 page renders without a request, hence without context processors: nothing on it may
    touch the database it is apologising for.
    """
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return defaults.server_error(request)
