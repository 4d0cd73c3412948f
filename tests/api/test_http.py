"""The API over HTTP: a valid OpenAPI schema, read-only methods, CORS for reads, limits per address."""

import re

from django.utils.translation import gettext

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from tests.api.conftest import entries

pytestmark = pytest.mark.django_db

READ_URLS = ["/api/", "/api/organs/", "/api/catalog/entries/", "/api/reports/", "/api/statistics/"]


def test_the_openapi_schema_validates_and_lists_every_endpoint(client):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document

    assert sorted(schema["paths"]) == [
        "/api/catalog/entries.csv",
        "/api/catalog/entries.xlsx",
        "/api/catalog/entries/",
        "/api/catalog/entries/{index_number}/",
        "/api/organs/",
        "/api/organs/{slug}/",
        "/api/reports/",
        "/api/reports/{organ_slug}/{year}/",
        "/api/reports/{organ_slug}/{year}/v{number}/",
        "/api/reports/{organ_slug}/{year}/v{number}/tables.{file_format}",
        "/api/statistics.{file_format}",
        "/api/statistics/",
        "/api/statistics/{year}/",
    ]
    assert all(list(operations) == ["get"] for operations in schema["paths"].values())
    served = client.get("/api/schema/", {"format": "json"})
    assert served.status_code == 200 and served.json()["openapi"].startswith("3.")


def test_docs_page_runs_swagger_ui_without_inline_script_or_style(client):
    response = client.get("/api/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert 'data-schema-url="/api/schema/?format=json"' in html
    assert "swagger-ui-bundle.js" in html and "js/api-docs.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # every script is a file
    assert "<style" not in html and "style=" not in html


def test_a_browser_gets_json_and_django_keeps_its_own_chinese_messages(client, organ_a):
    entries(organ_a, 1)
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/api/catalog/entries/", HTTP_ACCEPT=browser)
    assert response["Content-Type"] == "application/json"
    # DRF's translations are not installed: they would replace Django's wording everywhere.
    assert gettext("Enter a valid email address.") == "输入一个有效的 Email 地址。"


@pytest.mark.parametrize("url", READ_URLS)
def test_reads_are_open_to_any_origin(client, url):
    response = client.get(url, HTTP_ORIGIN="https://example.org")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_a_preflight_is_answered_for_reads_only(client):
    response = client.options(
        "/api/catalog/entries/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ["/api/catalog/entries/", "/api/organs/", "/api/catalog/entries.csv"])
def test_unsafe_methods_are_405_without_cors_headers(client, method, url):
    response = getattr(client, method)(url, HTTP_ORIGIN="https://example.org")
    assert response.status_code == 405
    assert "GET" in response["Allow"] and "POST" not in response["Allow"]
    assert "Access-Control-Allow-Origin" not in response


def test_too_many_requests_from_one_address_get_429_with_a_clear_message(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "3/minute", "downloads": "1/hour"},
    }
    for _ in range(3):
        assert client.get("/api/organs/", REMOTE_ADDR="203.0.113.7").status_code == 200

    refused = client.get("/api/organs/", REMOTE_ADDR="203.0.113.7", HTTP_ORIGIN="https://example.org")

    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("请求过于频繁")
    wait = int(refused["Retry-After"])
    assert 1 <= wait <= 60
    assert refused.json()["detail"].endswith(f"请在 {wait} 秒后再试。")
    assert refused["Access-Control-Allow-Origin"] == "*"  # a script elsewhere can read why
    # Another address has its own budget; a forged X-Forwarded-For does not buy a new one.
    assert client.get("/api/organs/", REMOTE_ADDR="203.0.113.8").status_code == 200
    forged = client.get("/api/organs/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert forged.status_code == 429
    # Downloads have their own, smaller budget.
    assert client.get("/api/catalog/entries.csv", REMOTE_ADDR="203.0.113.9").status_code == 200
    assert client.get("/api/catalog/entries.csv", REMOTE_ADDR="203.0.113.9").status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "1/minute", "downloads": "1/hour"},
    }
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    assert (
        client.get("/api/organs/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 200
    )
    assert (
        client.get("/api/organs/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200
    )
    assert (
        client.get("/api/organs/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    )
