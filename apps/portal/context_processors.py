import functools

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext

from apps.organs.selectors import portal_organ

ORGAN_PARTS = {"guide", "rules", "disclosures"}


def nav_hrefs() -> dict[str, str]:
    """The main navigation: the four parts of the 政府信息公开 column (国办公开办函〔2019〕61号) plus
    依申请公开. base.html renders the links; these hrefs only decide which link is the current page.

    Reversed once per URLconf and script prefix (every page asks): read-only."""
    return _nav_hrefs(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@functools.lru_cache(maxsize=8)
def _nav_hrefs(urlconf: str, script_prefix: str) -> dict[str, str]:
    organs = reverse("portal:organs")
    return {
        "home": reverse("portal:home"),
        "guide": f"{organs}?part=guide",
        "rules": f"{organs}?part=rules",
        "disclosures": reverse("catalog:list"),
        "reports": reverse("reports:index"),
        "apply": reverse("applications:apply"),
        "organs": organs,
    }


def nav_part(request: HttpRequest, hrefs: dict[str, str]) -> str:
    """Which part of the column a URL belongs to ("" when none)."""
    path = request.path
    if path == hrefs["home"]:
        return "home"
    if path.startswith(hrefs["organs"]):
        segments = path.removeprefix(hrefs["organs"]).strip("/").split("/")
        if segments == [""]:
            part = request.GET.get("part", "")
            return part if part in ORGAN_PARTS else "organs"
        if len(segments) >= 2 and segments[1] in ORGAN_PARTS:
            return segments[1]
        return "organs"
    for part in ("disclosures", "reports", "apply"):
        if path.startswith(hrefs[part]):
            return part
    return ""


def portal(request: HttpRequest) -> dict:
    hrefs = nav_hrefs()
    part = nav_part(request, hrefs)
    city = SimpleLazyObject(portal_organ)
    return {
        # The default name is translated (settings cannot call gettext); a deployment's own name has
        # no English catalog entry and is shown as configured.
        "PORTAL_NAME": gettext(settings.PORTAL_NAME),
        "nav_active": part,
        # aria-current="page" on the link to this very page, "true" on the link to its part.
        "nav_current": "page" if part and request.get_full_path() == hrefs[part] else "true",
        # The organ that runs the portal (the city government), named in the header; the footer shows
        # the contacts of the organ a page is about (views pass footer_organ) or else of this one.
        # Lazy: one query, and only when a page shows it.
        "portal_organ": city,
        "footer_organ": city,
    }
