"""Which address a request comes from, directly and behind reverse proxies (TRUSTED_PROXY_COUNT)."""

from __future__ import annotations

from django.test import RequestFactory

import pytest

from disclosure_portal.client_ip import client_ip


def request(remote="198.51.100.7", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_proxies_the_header_is_not_believed(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(forwarded="1.2.3.4")) == "198.51.100.7"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the client wrote 6.6.6.6 itself
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.3", "203.0.113.5"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
        (2, "203.0.113.5", "198.51.100.7"),  # fewer hops than proxies: not through them
        (1, "", "198.51.100.7"),
        (1, "not-an-address", "198.51.100.7"),
    ],
)
def test_behind_proxies_the_client_is_counted_from_the_right(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(request(forwarded=forwarded)) == expected


def test_a_missing_address_is_a_fixed_placeholder(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(remote="")) == "0.0.0.0"
