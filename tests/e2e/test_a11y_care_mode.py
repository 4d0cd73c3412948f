"""关怀模式: a switch on every page for larger type, higher contrast, wider spacing and one column.

It is a real toggle button (aria-pressed), reachable and operable by keyboard, remembered across pages
in localStorage (no cookie, nothing sent to the server, so the cached pages stay the same for everyone),
and hidden when JavaScript is off. Print styles leave the site's chrome out of detail, status and
report pages.
"""

from __future__ import annotations

import pytest

from tests.e2e.a11y_site import CARE_KEY, build_site, fill_application, new_context

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Every element with its own text, visible, in the page's body: the smallest computed font size.
SMALLEST_TEXT = """() => {
    let smallest = [1000, ''];
    for (const el of document.body.querySelectorAll('*')) {
        if (el.closest('svg, .visually-hidden, [hidden]') || !el.getClientRects().length) continue;
        const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
        if (!own) continue;
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || style.display === 'none') continue;
        const size = parseFloat(style.fontSize);
        if (size < smallest[0]) smallest = [size, el.tagName + '.' + el.className + ': ' + el.textContent.trim().slice(0, 30)];
    }
    return smallest;
}"""


@pytest.fixture
def site(settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    return build_site()


def _is_care(page) -> bool:
    return page.evaluate("document.documentElement.classList.contains('care-mode')")


def test_the_switch_turns_care_mode_on_and_it_is_remembered_without_a_cookie(browser, live_server, site):
    context = new_context(browser, live_server)
    page = context.new_page()
    page.goto("/")
    switch = page.get_by_role("button", name="关怀模式")
    assert switch.is_visible()
    assert switch.get_attribute("aria-pressed") == "false"
    assert not _is_care(page)
    body_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body_size == 16

    switch.click()
    assert switch.get_attribute("aria-pressed") == "true"
    assert _is_care(page)
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 18
    assert page.evaluate(f"localStorage.getItem('{CARE_KEY}')") == "on"

    # Other pages open in care mode at once, with the switch showing it.
    page.goto(site.policy.get_absolute_url())
    assert _is_care(page)
    assert page.get_by_role("button", name="关怀模式").get_attribute("aria-pressed") == "true"
    page.goto("/apply/")
    assert _is_care(page)
    # No cookie carries it: the server sends everyone the same page.
    assert [c["name"] for c in context.cookies() if "care" in c["name"].lower()] == []
    assert page.evaluate("document.cookie").find("care") == -1

    page.get_by_role("button", name="关怀模式").click()
    assert not _is_care(page)
    page.goto("/")
    assert not _is_care(page)
    assert page.evaluate(f"localStorage.getItem('{CARE_KEY}')") is None
    context.close()


def test_the_switch_works_by_keyboard(browser, live_server, site):
    context = new_context(browser, live_server)
    page = context.new_page()
    page.goto("/")
    # The second stop after the skip link.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.careToggle") == ""
    page.keyboard.press("Enter")
    assert _is_care(page)
    page.keyboard.press("Space")
    assert not _is_care(page)
    # The focus ring is visible on it.
    page.keyboard.press("Space")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    context.close()


def test_without_javascript_the_switch_is_hidden(browser, live_server, site):
    context = new_context(browser, live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    assert page.locator("[data-care-toggle]").count() == 1
    assert not page.locator("[data-care-toggle]").is_visible()
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_care_mode_sets_all_text_at_18px_or_more_with_higher_contrast(browser, live_server, site, width):
    context = new_context(browser, live_server, care=True, width=width)
    page = context.new_page()
    for url in [*site.urls().values(), "/apply/"]:
        page.goto(url)
        size, where = page.evaluate(SMALLEST_TEXT)
        assert size >= 18, (url, size, where)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (url, width)
    # Muted text is near-black, links are underlined, the two columns of the catalog become one.
    page.goto("/catalog/")
    assert page.evaluate("getComputedStyle(document.querySelector('.entry-meta, .result-meta')).color") in (
        "rgb(47, 50, 56)",
        "rgb(0, 0, 0)",
    )
    assert "underline" in page.evaluate(
        "getComputedStyle(document.querySelector('.result-title a')).textDecorationLine"
    )
    columns = page.evaluate("getComputedStyle(document.querySelector('.catalog-layout')).gridTemplateColumns")
    assert len(columns.split()) == 1, columns
    context.close()


@pytest.mark.parametrize("page_name", ["detail", "status", "report"])
def test_print_leaves_out_the_sites_navigation(browser, live_server, site, page_name):
    context = new_context(browser, live_server)
    page = context.new_page()
    if page_name == "status":
        page.goto("/apply/")
        fill_application(page)
        with page.expect_navigation():
            page.click("button[data-submit-once]")
        page.click("a.button[href*='/apply/status/']")
        page.wait_for_selector("[data-status]")
    else:
        page.goto(site.policy.get_absolute_url() if page_name == "detail" else "/reports/jhj/2024/")
    page.emulate_media(media="print")
    for hidden in (
        ".topbar",
        ".site-nav",
        ".header-search",
        ".breadcrumbs",
        ".footer-links",
        "[data-care-toggle]",
    ):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator("main h1").first.is_visible()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") in (
        "rgb(255, 255, 255)",
        "rgba(0, 0, 0, 0)",
    )
    if page_name == "status":
        assert page.locator("[data-status]").is_visible()
        assert not page.locator(".withdraw").is_visible()
    if page_name == "report":
        assert not page.locator(".report-actions").is_visible()
        assert page.locator(".annual-report").is_visible()
    page.pdf(path=f"/tmp/shots/a11y/print-{page_name}.pdf")
    context.close()
