"""The admin login is throttled per account and per address (django-axes), and a superuser
sees the lockouts and lifts them (登录失败与锁定)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

import pytest
import time_machine

from apps.accounts.models import LoginAttempt

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
LOCKOUTS = reverse("admin:accounts_loginattempt_changelist")
PASSWORD = "pass-word-123"  # tests/factories/organs.py
LIMIT = 10


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=30)


def login(client, username, password, ip="198.51.100.1", **headers):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip, **headers
    )


def logged_in_as(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_a_right_password_logs_in(client, alice):
    response = login(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert logged_in_as(client) == str(alice.pk)


def test_the_account_is_locked_after_the_limit_from_any_address(client, alice, bob):
    for n in range(LIMIT - 1):
        assert login(client, "alice", "wrong", ip=f"203.0.113.{n}").status_code == 200
    assert login(client, "alice", "wrong", ip="203.0.113.99").status_code == 429  # the last straw
    response = login(client, "alice", PASSWORD, ip="192.0.2.77")
    assert response.status_code == 429
    assert "登录已暂时锁定" in response.text
    assert "请在 30 分钟后再试" in response.text
    assert logged_in_as(client) is None
    # Another account from that new address is not affected.
    assert login(client, "bob", PASSWORD, ip="192.0.2.77").status_code == 302


def test_the_address_is_locked_after_the_limit_for_any_account(client, alice, bob):
    for n in range(LIMIT):
        login(client, f"guess{n}", "wrong", ip="203.0.113.9")
    assert login(client, "bob", PASSWORD, ip="203.0.113.9").status_code == 429
    assert logged_in_as(client) is None
    assert login(client, "bob", PASSWORD, ip="192.0.2.10").status_code == 302


def test_fewer_failures_than_the_limit_do_not_lock(client, alice):
    for _ in range(LIMIT - 1):
        login(client, "alice", "wrong")
    assert login(client, "alice", PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, alice):
    with time_machine.travel(dt.datetime(2024, 3, 4, 9, 0, tzinfo=dt.UTC), tick=False):
        for _ in range(LIMIT):
            login(client, "alice", "wrong")
        assert login(client, "alice", PASSWORD).status_code == 429
    with time_machine.travel(dt.datetime(2024, 3, 4, 9, 20, tzinfo=dt.UTC), tick=False):
        # Hammering during the lockout does not prolong it.
        assert login(client, "alice", "wrong").status_code == 429
    with time_machine.travel(dt.datetime(2024, 3, 4, 9, 31, tzinfo=dt.UTC), tick=False):
        assert login(client, "alice", PASSWORD).status_code == 302


def test_behind_a_proxy_the_client_address_counts(client, alice, bob, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for n in range(LIMIT):
        login(client, f"guess{n}", "wrong", ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert login(client, "bob", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    # Everybody else comes through the same proxy and is not locked out.
    assert login(client, "bob", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="192.0.2.10").status_code == 302
    assert set(LoginAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


# The lockout list ----------------------------------------------------------------------------------


@pytest.fixture
def alice_locked_out(client, alice):
    for n in range(LIMIT):
        login(client, "alice", "wrong", ip=f"203.0.113.{n % 2}")
    assert login(client, "alice", PASSWORD, ip="192.0.2.1").status_code == 429
    client.logout()


def test_the_superuser_sees_who_is_locked_out(client, root, alice_locked_out):
    client.force_login(root)
    page = client.get(LOCKOUTS, {"locked": "yes"})
    assert page.status_code == 200
    assert page.context["cl"].result_count == 2  # alice from two addresses
    assert "alice" in page.text and "203.0.113.1" in page.text
    assert "登录失败与锁定" in page.text
    assert client.get(LOCKOUTS, {"locked": "no"}).context["cl"].result_count == 0
    assert client.get(LOCKOUTS, {"username__startswith": "a"}).status_code == 400


def test_clerks_cannot_see_the_lockouts(client, bob, charlie, alice_locked_out):
    for persona in (bob, charlie):
        client.force_login(persona)
        assert client.get(LOCKOUTS).status_code == 403
    assert "登录失败与锁定" not in client.get(reverse("admin:index")).text


def test_the_superuser_unlocks_an_account(client, root, alice, alice_locked_out):
    client.force_login(root)
    row = LoginAttempt.objects.filter(username="alice").first()
    response = client.post(LOCKOUTS, {"action": "unlock_accounts", "_selected_action": [row.pk]}, follow=True)
    assert "已解除 1 项锁定：alice。" in response.text
    assert not LoginAttempt.objects.filter(username="alice").exists()
    client.logout()
    assert login(client, "alice", PASSWORD, ip="192.0.2.1").status_code == 302


def test_the_superuser_unlocks_an_address(client, root, bob):
    for n in range(LIMIT):
        login(client, f"guess{n}", "wrong", ip="203.0.113.9")
    client.force_login(root)
    row = LoginAttempt.objects.first()
    client.post(LOCKOUTS, {"action": "unlock_addresses", "_selected_action": [row.pk]})
    assert not LoginAttempt.objects.exists()
    client.logout()
    assert login(client, "bob", PASSWORD, ip="203.0.113.9").status_code == 302


def test_the_lockout_list_runs_a_fixed_number_of_queries(
    client, root, alice_locked_out, django_assert_num_queries
):
    client.force_login(root)
    with django_assert_num_queries(6):
        assert client.get(LOCKOUTS).context["cl"].result_count == 2
    for n in range(3):
        login(client.__class__(), f"other{n}", "wrong", ip=f"198.51.100.{n}")
    with django_assert_num_queries(6):
        assert client.get(LOCKOUTS).context["cl"].result_count == 5
