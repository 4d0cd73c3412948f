"""The main pages at 1280 px and 375 px wide, normal and in 关怀模式: nothing wider than the screen.

The screenshots (/tmp/shots/a11y/<page>-<width>-<language>-<mode>.png) are for a person to look at; the test
checks what a machine can: no horizontal scrolling, and the navigation folded behind its button on a
phone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.a11y_site import build_site, new_context

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots/a11y")
# The innermost elements that reach past the right edge of the window, to say what made a page too wide.
TOO_WIDE = """() => [...document.body.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
    .filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
    .slice(0, 5)
    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
         + ' "' + (el.textContent || '').trim().slice(0, 30) + '" ' + Math.round(el.getBoundingClientRect().right))"""


@pytest.fixture
def site(settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    return build_site()


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
@pytest.mark.parametrize(("width", "language"), [(1280, "zh"), (375, "zh"), (375, "en")])
def test_main_pages_fit_the_screen(browser, live_server, site, width, language, care):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = new_context(browser, live_server, language=language, care=care, width=width)
    page = context.new_page()
    pages = {
        "home": "/",
        "list": "/catalog/?organ=jhj",
        "detail": site.policy.get_absolute_url(),
        "apply": "/apply/",
        "report": "/reports/jhj/2024/",
    }
    wide = []
    for name, url in pages.items():
        page.goto(url)
        if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
            wide.append((name, page.evaluate(TOO_WIDE)))
        mode = "care" if care else "normal"
        page.screenshot(path=str(SHOTS / f"{name}-{width}-{language}-{mode}.png"), full_page=True)
    if width == 375:
        assert page.locator(".nav-toggle").is_visible()
        assert not page.locator("#site-nav-list").is_visible()
    context.close()
    assert not wide, f"wider than {width}px: {wide}"
