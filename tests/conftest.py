"""Shared fixtures and personas.

Personas (as in healthchecks): Alice is a clerk of organ A, Bob a clerk of organ B,
Charlie a staff user with no organ, and the superuser Root sees everything.
"""

import os
import shutil

import pytest

from tests.factories import MembershipFactory, OrganFactory, UserFactory

E2E_REQUIRED = os.environ.get("REQUIRE_E2E") == "1"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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
