"""Shared fixtures and personas.

Personas (as in healthchecks): Alice is a clerk of organ A, Bob a clerk of organ B,
Charlie a staff user with no organ, and the superuser Root sees everything.
"""

import os
import shutil

import pytest

from apps.organs.roles import Role
from tests.factories import MembershipFactory, OrganFactory, UserFactory
from tests.roles import clerk_with_roles

E2E_REQUIRED = os.environ.get("REQUIRE_E2E") == "1"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # A persona costs ~1 s with PBKDF2; tests do not need strong hashes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Production redirects plain HTTP to HTTPS; the test client speaks plain HTTP.
    settings.SECURE_SSL_REDIRECT = False
    # No collectstatic before tests: the manifest storage would fail on every page.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The page cache in this process's memory, empty for each test: test runs on one machine must not
    # share pages through the file cache of settings.CACHES.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _language_reset():
    """A test that switched to English must not leak it into the next one."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _working_day_calendar(request):
    """The calendar is seeded by a data migration; transactional tests flush it, so re-seed."""
    from apps.workdays.calendar import calendar_cache_clear

    calendar_cache_clear()
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        from apps.workdays.models import CalendarYear
        from apps.workdays.services import calendar_seed

        request.getfixturevalue("transactional_db")
        if not CalendarYear.objects.exists():
            calendar_seed()
    yield
    calendar_cache_clear()


@pytest.fixture
def organ_a(db):
    return OrganFactory(
        name="牡丹江市经济合作促进局", short_name="市经合局", slug="jhj", code="11231000MB0000001X"
    )


@pytest.fixture
def organ_b(db):
    return OrganFactory(name="牡丹江市统计局", short_name="市统计局", slug="tjj", code="11231000MB0000002X")


def _clerk(username, organ):
    from django.contrib.auth.models import Permission

    user = UserFactory(username=username, is_staff=True)
    MembershipFactory(user=user, organ=organ)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=[
                "organs",
                "catalog",
                "applications",
                "proactive",
                "litigation",
                "proposals",
                "reports",
                "workdays",
            ]
        ).exclude(
            codename__in=[
                "add_organ",
                "delete_organ",
                "change_membership",
                "add_membership",
                "delete_membership",
            ]
        )
    )
    return user


# The review chain's three roles in organ A (信息员, 审核人, 发布人).
@pytest.fixture
def drafter(organ_a):
    return clerk_with_roles("xinxiyuan", organ_a, Role.DRAFTER)


@pytest.fixture
def reviewer(organ_a):
    return clerk_with_roles("shenheren", organ_a, Role.REVIEWER)


@pytest.fixture
def publisher(organ_a):
    return clerk_with_roles("fabuer", organ_a, Role.PUBLISHER)


@pytest.fixture
def alice(organ_a):
    return _clerk("alice", organ_a)


@pytest.fixture
def bob(organ_b):
    return _clerk("bob", organ_b)


@pytest.fixture
def charlie(db):
    return UserFactory(username="charlie", is_staff=True)


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def pytest_collection_modifyitems(config, items):
    e2e = [item for item in items if item.get_closest_marker("e2e")]
    if not e2e:
        return
    if shutil.which("chromium") is None:
        if E2E_REQUIRED:
            raise pytest.UsageError(
                "REQUIRE_E2E=1 but Chromium is not installed: the end-to-end tests cannot run."
            )
        skip = pytest.mark.skip(reason="Chromium is not installed (make e2e-deps installs it)")
        for item in e2e:
            item.add_marker(skip)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session, exitstatus):
    """With REQUIRE_E2E=1 (CI), a run in which no end-to-end test passed is a failure."""
    if not E2E_REQUIRED or exitstatus != 0:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    passed = [r for r in reporter.stats.get("passed", []) if "e2e" in r.keywords] if reporter else []
    if not passed:
        if reporter:
            reporter.write_line("REQUIRE_E2E=1 but no end-to-end test passed.", red=True)
        session.exitstatus = 1
