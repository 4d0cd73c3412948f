from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from apps.portal.selectors import latest_entries, organ_tree

HOME_LATEST = 10


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {"latest": latest_entries(limit=HOME_LATEST), "organ_tree": organ_tree()},
    )
