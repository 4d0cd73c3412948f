"""Every public page type passes axe-core at WCAG 2.2 AA, in both languages and in 关怀模式.

GB/T 37668-2019 and the MIIT rules for 适老化与无障碍 websites ask for WCAG 2.x AA; axe-core checks what
a machine can check. Each page type is visited in Chinese and in English, in the normal and the care
mode (and in Chinese on a 375 px phone), and must have no violation at all: home, the catalog list with filters, search results, detail
pages (a policy and its 解读), the organ pages, the reports, the proposals, and an application: the
form, the form with errors, the receipt and the status page (with a 补正 request).
"""

from __future__ import annotations

from django.utils import timezone

import pytest

from apps.applications import services as application_services
from apps.applications.models import Application
from tests.e2e.a11y_site import build_site, fill_application, new_context, violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    return build_site()


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
@pytest.mark.parametrize(("language", "width"), [("zh", 1280), ("en", 1280), ("zh", 375)])
def test_every_public_page_type_has_no_wcag_22_aa_violation(
    browser, live_server, site, language, width, care
):
    context = new_context(browser, live_server, language=language, care=care, width=width)
    page = context.new_page()
    found: dict[str, list[str]] = {}

    def check(name: str) -> None:
        assert page.evaluate("document.documentElement.classList.contains('care-mode')") is care, name
        assert page.locator("html").get_attribute("lang") == ("zh-CN" if language == "zh" else "en"), name
        if result := violations(page):
            found[name] = result

    for name, url in site.urls().items():
        page.goto(url)
        check(name)

    page.goto("/apply/")
    check("apply")
    page.click("button[data-submit-once]")
    page.wait_for_selector(".form-error-summary")
    check("apply-with-errors")
    fill_application(page)
    with page.expect_navigation():
        page.click("button[data-submit-once]")
    assert "/apply/receipt/" in page.url, page.inner_text("main")
    check("receipt")
    page.click("a.button[href*='/apply/status/']")
    page.wait_for_selector("[data-status]")
    check("status")
    application = application_services.application_confirm_receipt(
        application=Application.objects.get(), actor=None, received_on=timezone.localdate()
    )
    application_services.application_request_correction(
        application=application, actor=None, items="请说明所需信息涉及的道路名称。", on=timezone.localdate()
    )
    page.reload()
    page.wait_for_selector(".correction-request")
    check("status-with-correction-request")
    context.close()
    assert not found, "\n".join(f"{name}: {line}" for name, lines in found.items() for line in lines)


def test_the_check_finds_a_violation_when_there_is_one(browser, live_server, site):
    """The harness itself: an image without a text alternative and a low-contrast line are caught."""
    context = new_context(browser, live_server)
    page = context.new_page()
    page.goto("/")
    assert violations(page) == []
    page.evaluate(
        """() => {
            const main = document.getElementById('main');
            main.insertAdjacentHTML('beforeend', '<img src="/static/none.png" width="40" height="40">');
            const faint = document.createElement('p');
            faint.textContent = '浅灰色的文字';
            faint.style.color = '#bbb';
            main.append(faint);
        }"""
    )
    found = " ".join(violations(page))
    assert "image-alt" in found
    assert "color-contrast" in found
    context.close()
