"""No input answers 5xx: every URL pattern of the resolver, fuzzed with Hypothesis.

Each pattern (public pages, feeds, sitemaps, attachments, the apply form, the API, every admin
changelist, add, change, history and delete view and every custom admin view) gets generated path
segments, query strings and bodies: NUL bytes, huge and non-numeric values where numbers are
expected, far dates, unicode, broken percent-escapes, odd and unknown charsets, the methods
GET/POST/HEAD/PUT/DELETE/OPTIONS, as an anonymous visitor, an applicant, a clerk (Alice) and the
superuser (Root). Every page with a POST form is also posted back with some of its own fields
replaced by hostile values, which is how validation and the services behind it are reached.

The run is derandomized, so CI sends the same requests every time. ``FUZZ_EXAMPLES`` (examples per
pattern, default 5) makes a longer local run: ``FUZZ_EXAMPLES=200 make test PYTEST_ARGS=tests/test_fuzz.py``.
The totals are printed at the end of the module (requests, patterns, answers by class, 5xx).
"""

from __future__ import annotations

import collections
import os

from django.db import transaction
from django.test import override_settings

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from tests import fuzz

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
ROUTES = fuzz.walk()
TOTALS: collections.Counter = collections.Counter()

FUZZ_SETTINGS = hypothesis_settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for the module (publishing the report's PDF alone takes seconds), rolled back after it."""
    media = tmp_path_factory.mktemp("fuzz-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        world = fuzz.build_world()
        yield world, media
        transaction.set_rollback(True)


@pytest.fixture
def world(seeded, db, settings, _print_totals) -> fuzz.World:
    world, media = seeded
    settings.MEDIA_ROOT = media
    world.clients.clear()  # fresh cookies for each pattern
    return world


@pytest.fixture(scope="module")
def _print_totals(request):
    yield
    line = (
        f"fuzz: {TOTALS['requests']} requests over {TOTALS['patterns']} URL patterns and "
        f"{TOTALS['forms']} forms ({EXAMPLES} examples each): 2xx {TOTALS['2xx']}, 3xx {TOTALS['3xx']}, "
        f"4xx {TOTALS['4xx']}, 5xx = {TOTALS['5xx']}"
    )
    # Past pytest's output capture, so that CI's log shows the totals when every test passed too.
    with request.config.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
        print(f"\n{line}")


def _check(world: fuzz.World, request: dict) -> None:
    url, response = fuzz.send(world, request)
    TOTALS["requests"] += 1
    TOTALS[f"{response.status_code // 100}xx"] += 1
    assert response.status_code < 500, fuzz.explain(url, request, response)


# Public pages are read as the applicant, admin pages as the superuser: each sees every form there.
HARVEST_PERSONA = {True: "superuser", False: "applicant"}
FORM_PERSONAS = {True: ("clerk", "superuser"), False: ("anonymous", "applicant")}
_inputs: dict[str, fuzz.PageInputs] = {}


def _page_inputs(route: fuzz.Route, world: fuzz.World) -> fuzz.PageInputs:
    if route.label not in _inputs:
        admin = route.label.startswith("admin/")
        path = fuzz.canonical_path(route, world)
        _inputs[route.label] = fuzz.page_inputs(path, world, persona=HARVEST_PERSONA[admin])
    return _inputs[route.label]


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.label)
def test_no_request_answers_5xx(route: fuzz.Route, world: fuzz.World):
    keys = sorted(set(fuzz.COMMON_KEYS) | _page_inputs(route, world).names)
    TOTALS["patterns"] += 1

    @FUZZ_SETTINGS
    @given(request=fuzz.requests(route, world, keys))
    def run(request):
        _check(world, request)

    run()


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.label)
def test_no_form_posted_back_with_hostile_fields_answers_5xx(route: fuzz.Route, world: fuzz.World):
    fields = _page_inputs(route, world).fields
    if not fields:
        return  # no POST form on this page
    TOTALS["forms"] += 1
    personas = FORM_PERSONAS[route.label.startswith("admin/")]

    @FUZZ_SETTINGS
    @given(request=fuzz.form_edits(fuzz.canonical_path(route, world), fields, personas))
    def run(request):
        _check(world, request)

    run()


def test_every_kind_of_page_is_walked():
    """The walk reaches the public pages, the API, and each admin view of each registered model."""
    from django.contrib import admin

    labels = {route.label for route in ROUTES}
    assert {"catalog/", "catalog/<index_number>/", "apply/", "apply/status/<code>/", "sitemap.xml"} <= labels
    for model in admin.site._registry:
        prefix = f"admin/{model._meta.app_label}/{model._meta.model_name}/"
        for suffix in ("", "add/", "<object_id>/change/", "<object_id>/history/", "<object_id>/delete/"):
            assert prefix + suffix in labels
    assert any(label.startswith("api/") for label in labels)
