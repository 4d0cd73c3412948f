"""A citizen applies with the keyboard alone: no mouse from the home page to the status page.

Every stop of the Tab key on the way must show where the focus is. The form is first sent empty (the
errors must be reachable and say what to fix), then filled and sent, the receipt leads to the status
page, and the tracking code with the phone number opens it again in a new browser.
"""

from __future__ import annotations

import pytest

from apps.applications.models import Application
from tests.e2e.a11y_site import ORGAN_NAME, new_context
from tests.factories import OrganFactory
from tests.factories.applications import resident_id

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Where the focus is, and whether it can be seen: an outline or a ring (box-shadow) on the element.
FOCUS = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    return {
        tag: el.tagName, id: el.id, name: el.name || '', text: (el.textContent || '').trim().slice(0, 20),
        visible: rect.width > 0 && rect.height > 0 && style.visibility !== 'hidden',
        ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none',
    };
}"""


@pytest.fixture
def organ(settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    return OrganFactory(name=ORGAN_NAME, short_name="市经合局", slug="jhj")


class Keyboard:
    """Moves only with the keys, and checks that each stop of the focus is visible."""

    def __init__(self, page):
        self.page = page
        self.stops: list[dict] = []

    def tab_to(self, selector: str, *, limit: int = 60) -> None:
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            focus = self.page.evaluate(FOCUS)
            self.stops.append(focus)
            assert focus["visible"] and focus["ring"], f"focus not visible on {focus}"
            if self.page.evaluate("s => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}; stops: {self.stops[-limit:]}")

    def type_into(self, selector: str, text: str) -> None:
        self.tab_to(selector)
        self.page.keyboard.type(text)

    def choose(self, selector: str, value: str) -> None:
        """A closed <select>: the arrow keys move its choice."""
        self.tab_to(selector)
        self.page.keyboard.press("Home")
        for _ in range(20):
            if self.page.evaluate("s => document.querySelector(s).value", selector) == value:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"{selector} never took {value}")

    def activate(self, selector: str) -> None:
        self.tab_to(selector)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")


def test_a_citizen_applies_and_follows_the_application_by_keyboard_alone(browser, live_server, organ):
    context = new_context(browser, live_server)
    page = context.new_page()
    keys = Keyboard(page)
    page.goto("/")

    keys.activate("#site-nav-list a[href='/apply/']")
    assert page.url.endswith("/apply/")

    # Sent empty: the errors are announced and each field says what is wrong.
    keys.activate("button[data-submit-once]")
    assert page.get_by_role("alert").first.is_visible()
    assert "表单有" in page.locator(".form-error-summary").inner_text()
    name = page.locator("#id_applicant_name")
    assert name.get_attribute("aria-invalid") == "true"
    described = name.get_attribute("aria-describedby") or ""
    assert "请填写申请人姓名或名称。" in " ".join(
        page.locator(f"#{ref}").inner_text() for ref in described.split() if page.locator(f"#{ref}").count()
    )

    # Filled in with the keys.
    organ_value = str(organ.pk)
    keys.choose("#id_organ", organ_value)
    keys.tab_to("input[name=applicant_type]")
    for _ in range(8):  # the arrow keys move within the radio group, Space picks
        if page.evaluate("document.activeElement.value") == "natural":
            break
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    assert page.is_checked("input[name=applicant_type][value=natural]")
    # The organisation's fields are hidden for a natural person, so Tab passes them by.
    assert page.locator("#id_credit_code").is_hidden()
    keys.type_into("#id_applicant_name", "王小明")
    keys.choose("#id_id_type", "resident_id")
    keys.type_into("#id_id_number", resident_id(serial=91))
    keys.type_into("#id_phone", "13812345678")
    keys.type_into("#id_address", "黑龙江省牡丹江市东安区太平路88号")
    keys.type_into("#id_info_title", "2023年道路维修计划")
    keys.type_into("#id_info_description", "请公开2023年城市道路维修计划及预算。")
    keys.choose("#id_delivery_form", "electronic")
    keys.choose("#id_delivery_way", "pick_up")
    keys.tab_to("#id_accept")
    page.keyboard.press("Space")
    assert page.is_checked("#id_accept")
    keys.activate("button[data-submit-once]")
    assert "/apply/receipt/" in page.url, page.inner_text("main")

    code = page.inner_text("[data-tracking-code]").strip()
    application = Application.objects.get(tracking_code=code)
    assert (application.applicant_name, application.delivery_way) == ("王小明", "pick_up")

    keys.activate(f"a[href$='/apply/status/{code}/']")
    assert page.inner_text("[data-status]") == "待确认"
    assert not [s for s in keys.stops if not s["ring"]]
    context.close()

    # Another day, another browser: the tracking code and the phone number open the status page.
    context = new_context(browser, live_server)
    page = context.new_page()
    keys = Keyboard(page)
    page.goto("/apply/")
    keys.activate("a[href='/apply/status/']")
    keys.type_into("#id_code", code)
    keys.type_into("#id_contact", "13812345678")
    keys.activate(".lookup-form button[type=submit]")
    assert page.url.endswith(f"/apply/status/{code}/")
    assert page.inner_text("[data-status]") == "待确认"
    context.close()
