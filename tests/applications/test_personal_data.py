"""No applicant's identity number, phone or address appears on any public page of the site."""

import datetime as dt
import re

from django.urls import URLPattern, URLResolver, get_resolver, reverse

import pytest

from apps.applications import services
from apps.applications.enums import ApplicantType, Outcome
from tests.factories.applications import ApplicationFactory

D = dt.date


def _public_routes(resolver=None, prefix=""):
    """(route, pattern) for every URL pattern outside the admin, with its converters."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith("admin/"):
            continue
        if isinstance(entry, URLResolver):
            yield from _public_routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def _fill(route: str, values: dict[str, str]) -> str | None:
    def replace(match):
        name = match.group(2)
        for key, value in values.items():
            if key in name:
                return value
        return "1" if match.group(1) in ("int", None) else "x"

    if route.startswith("^"):
        return None  # regex routes (i18n, static) are not pages
    path = re.sub(r"<(?:(\w+):)?(\w+)>", replace, route)
    return "/" + path


@pytest.fixture
def applicants(organ_a, alice):
    person = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 4))
    services.application_reply(
        application=person, actor=alice, outcome=Outcome.DISCLOSED, reply_date=D(2024, 3, 8), text="已公开。"
    )
    company = ApplicationFactory(
        organ=organ_a, actor=alice, received_on=D(2024, 3, 5), applicant_type=ApplicantType.COMMERCIAL
    )
    return [person, company]


def test_no_personal_data_on_any_public_page(client, organ_a, applicants):
    values = {"code": applicants[0].tracking_code, "slug": organ_a.slug, "year": "2024", "pk": "1", "id": "1"}
    secrets = []
    for a in applicants:
        secrets += [v for v in (a.id_number, a.phone, a.address, a.credit_code) if v]
    # Also walk the applicant's own status page: it is public too, and masks everything.
    client.post(
        reverse("applications:lookup"), {"code": applicants[0].tracking_code, "contact": applicants[0].phone}
    )
    visited = 0
    for route in _public_routes():
        url = _fill(route, values)
        if url is None:
            continue
        response = client.get(url, follow=True)
        if getattr(response, "streaming", False):
            continue
        body = response.content.decode("utf-8", errors="replace")
        visited += 1
        for secret in secrets:
            assert secret not in body, f"{secret} leaked on {url}"
    assert visited >= 5
    own = client.get(reverse("applications:status", args=[applicants[0].tracking_code])).content.decode()
    assert "已公开。" in own  # the walk did reach the applicant's own page
