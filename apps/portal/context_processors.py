from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext

from apps.portal.selectors import portal_organ

# The main navigation: the four parts of the 政府信息公开 column (国办公开办函〔2019〕61号) plus
# 依申请公开. base.html renders the links; these hrefs only decide which link is the current page.
NAV_HREFS = {
    "home": "/",
    "guide": "/organs/?part=guide",
    "rules": "/organs/?part=rules",
    "disclosures": "/catalog/",
    "reports": "/reports/",
    "apply": "/apply/",
    "organs": "/organs/",
}
ORGAN_PARTS = {"guide", "rules", "disclosures"}


def nav_part(request: HttpRequest) -> str:
    """Which part of the column a URL belongs to ("" when none)."""
    path = request.path
    if path == "/":
        return "home"
    if path.startswith("/organs/"):
        segments = path.strip("/").split("/")
        if len(segments) == 1:
            part = request.GET.get("part", "")
            return part if part in ORGAN_PARTS else "organs"
        if len(segments) >= 3 and segments[2] in ORGAN_PARTS:
            return segments[2]
        return "organs"
    for part in ("disclosures", "reports", "apply"):
        if path.startswith(NAV_HREFS[part]):
            return part
    return ""


def portal(request: HttpRequest) -> dict:
    part = nav_part(request)
    city = SimpleLazyObject(portal_organ)
    return {
        # The default name is translated (settings cannot call gettext); a deployment's own name has
        # no English catalog entry and is shown as configured.
        "PORTAL_NAME": gettext(settings.PORTAL_NAME),
        "nav_active": part,
        # aria-current="page" on the link to this very page, "true" on the link to its part.
        "nav_current": "page" if part and request.get_full_path() == NAV_HREFS[part] else "true",
        # The organ that runs the portal (the city government), named in the header; the footer shows
        # the contacts of the organ a page is about (views pass footer_organ) or else of this one.
        # Lazy: one query, and only when a page shows it.
        "portal_organ": city,
        "footer_organ": city,
    }
