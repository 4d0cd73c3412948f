"""The public pages of the 政府信息公开 column that combine several apps: the home page and the
pages of each organ (its home, 指南, 制度 and 法定主动公开内容, 国办公开办函〔2019〕61号)."""

import logging

from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from apps.catalog.selectors import disclosure_overview, latest_entries
from apps.organs.models import Organ, OrganPage
from apps.organs.selectors import organ_page as organ_page_of
from apps.organs.selectors import organ_pages, organ_tree, public_organs
from apps.portal.selectors import published_report_years
from disclosure_portal.caching import public_page

logger = logging.getLogger(__name__)

HOME_LATEST = 10
# The city-wide lists behind the main navigation: ?part=guide lists every organ's 指南, and so on.
LIST_PARTS = {"guide", "rules", "disclosures"}
DETAIL_ENTRIES_PER_ITEM = 3
DISCLOSURE_ENTRIES_PER_ITEM = 10


@require_safe
@public_page
def home(request: HttpRequest) -> HttpResponse:
    latest = latest_entries(limit=HOME_LATEST)
    return render(
        request,
        "portal/home.html",
        {
            "latest": latest,
            # The latest list's fragment key: the same entries show the same (per content generation).
            "latest_ids": ",".join(str(entry.pk) for entry in latest),
            "organ_tree": organ_tree(),
        },
    )


def _public_organ(slug: str) -> Organ:
    return get_object_or_404(public_organs(), slug=slug)


def _organ_context(organ: Organ) -> dict:
    """What every organ page shows around its content: the organ nav and the organ's contacts."""
    return {"organ": organ, "footer_organ": organ}


@require_safe
@public_page
def organ_list(request: HttpRequest) -> HttpResponse:
    part = request.GET.get("part", "")
    if part not in LIST_PARTS:
        part = ""
    return render(
        request,
        "portal/organ_list.html",
        {"part": part, "organ_tree": organ_tree(with_pages=part in {"guide", "rules"})},
    )


@require_safe
@public_page
def organ_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organ = _public_organ(slug)
    context = _organ_context(organ) | {
        "pages": organ_pages(organ=organ),
        "overview": disclosure_overview(organ=organ, per_item=DETAIL_ENTRIES_PER_ITEM),
        "departments": public_organs().filter(parent=organ).order_by("sort_order", "name"),
        "report_years": published_report_years(organ=organ),
    }
    return render(request, "portal/organ_detail.html", context)


@require_safe
@public_page
def organ_page(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """指南 or 制度. A page not yet written answers 200 with a notice: the column keeps its structure."""
    organ = _public_organ(slug)
    context = _organ_context(organ) | {
        "kind": kind,
        "kind_label": OrganPage.Kind(kind).label,
        "page": organ_page_of(organ=organ, kind=kind),
    }
    return render(request, "portal/organ_page.html", context)


@require_safe
@public_page
def organ_disclosures(request: HttpRequest, slug: str) -> HttpResponse:
    organ = _public_organ(slug)
    context = _organ_context(organ) | {
        "overview": disclosure_overview(organ=organ, per_item=DISCLOSURE_ENTRIES_PER_ITEM),
    }
    return render(request, "portal/organ_disclosures.html", context)


# Without a CSRF token, so that no public page has to set a CSRF cookie for its language buttons (and
# every page can be cached and shared). What a forged switch could do is change a visitor's language;
# Django's view still checks that `next` stays on this site.
set_language = csrf_exempt(require_POST(i18n.set_language))


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when this app server can reach its database, else 503.

    The cache is reported but not required: without it the pages are rendered uncached.
    """
    status = {"database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        logger.exception("Health check: database unreachable")
        status["database"] = "error"
    try:
        caches["default"].get("portal:healthz")
    except Exception:
        logger.exception("Health check: cache unreachable")
        status["cache"] = "error"
    return JsonResponse(status, status=200 if status["database"] == "ok" else 503)
