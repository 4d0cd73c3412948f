"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against live_server.

Playwright never downloads a browser here: it is given Chromium's executable path.
Every test module here sets pytestmark = pytest.mark.e2e; tests/conftest.py skips them (or, with
REQUIRE_E2E=1 as in CI, fails the run) when Chromium is not installed.
"""

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server():
    """The live server speaks plain HTTP: no redirect to HTTPS.

    SecurityMiddleware reads SECURE_SSL_REDIRECT once, when the live server's handler is built at
    the start of the session, before any function-scoped ``settings`` fixture could turn it off.
    Autouse at session scope, this runs before ``live_server`` starts.
    """
    from django.conf import settings

    saved = settings.SECURE_SSL_REDIRECT
    settings.SECURE_SSL_REDIRECT = False
    yield
    settings.SECURE_SSL_REDIRECT = saved


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()
