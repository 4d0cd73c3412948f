"""A citizen applies online; a clerk confirms, asks for a 补正 and replies; the citizen follows it all."""

from django.utils import timezone

import pytest

from apps.applications.models import Application
from tests.factories.applications import resident_id

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/shots"


def _clerk_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    clerk = context.new_page()
    clerk.goto("/admin/login/")
    clerk.fill("#id_username", "alice")
    clerk.fill("#id_password", "pass-word-123")
    clerk.click("input[type=submit]")
    clerk.wait_for_url("**/admin/")
    return context, clerk


def test_citizen_applies_clerk_handles_citizen_sees_reply(
    page, browser, live_server, alice, organ_a, tmp_path
):
    # The citizen fills the online form.
    page.goto("/apply/")
    page.select_option("#id_organ", label=organ_a.name)
    page.check("input[name=applicant_type][value=natural]")
    assert page.is_hidden("#id_credit_code")  # organisation fields hidden for a natural person
    page.fill("#id_applicant_name", "王小明")
    page.select_option("#id_id_type", "resident_id")
    page.fill("#id_id_number", resident_id(serial=77))
    page.fill("#id_phone", "13812345678")
    page.fill("#id_email", "wxm@example.com")
    page.fill("#id_address", "黑龙江省牡丹江市东安区太平路88号")
    page.fill("#id_postal_code", "157000")
    page.fill("#id_info_title", "2023年道路维修计划")
    page.fill("#id_info_description", "请公开2023年城市道路维修计划及预算。")
    page.select_option("#id_delivery_form", "electronic")
    page.select_option("#id_delivery_way", "email")
    page.check("#id_accept")
    page.screenshot(path=f"{SHOTS}/applications_form.png", full_page=True)
    with page.expect_navigation():
        page.click("button[data-submit-once]")
    if "/receipt/" not in page.url:
        page.screenshot(path=f"{SHOTS}/applications_form_error.png", full_page=True)
        raise AssertionError(page.inner_text("main"))
    code = page.inner_text("[data-tracking-code]").strip()
    assert len(code) == 12
    application = Application.objects.get(tracking_code=code)
    assert Application.objects.count() == 1

    # The clerk confirms receipt and asks for a 补正.
    context, clerk = _clerk_page(browser, live_server)
    clerk.goto(f"/admin/applications/application/{application.pk}/change/")
    clerk.click("[data-transition=confirm]")
    clerk.click("input[type=submit].default")
    clerk.wait_for_url(f"**/application/{application.pk}/change/")
    assert "已完成：确认收到申请" in clerk.content()
    clerk.click("[data-transition=correction]")
    clerk.fill("#id_items", "请说明所需信息涉及的道路名称。")
    clerk.click("input[type=submit].default")
    clerk.wait_for_url(f"**/application/{application.pk}/change/")

    # The citizen sees the request and submits the correction on the status page.
    page.goto(f"/apply/status/{code}/")
    assert "请说明所需信息涉及的道路名称。" in page.content()
    page.fill("#id_text", "太平路、光华街。")
    page.click(".correction-request button[type=submit]")
    page.wait_for_url(f"**/apply/status/{code}/")
    assert page.inner_text("[data-status]") == "办理中"

    # The clerk replies with a document.
    reply = tmp_path / "答复书.pdf"
    reply.write_bytes(b"%PDF-1.4 demo reply")
    clerk.goto(f"/admin/applications/application/{application.pk}/change/")
    clerk.click("[data-transition=reply]")
    clerk.select_option("#id_outcome", "disclosed")
    clerk.fill("#id_text", "现将太平路、光华街2023年维修计划提供给您。")
    clerk.set_input_files("#id_document", str(reply))
    clerk.click("input[type=submit].default")
    clerk.wait_for_url(f"**/application/{application.pk}/change/")
    context.close()

    # The citizen sees the reply and downloads the document.
    page.goto(f"/apply/status/{code}/")
    assert page.inner_text("[data-status]") == "已答复"
    assert "现将太平路、光华街2023年维修计划提供给您。" in page.content()
    assert "13812345678" not in page.content()
    page.screenshot(path=f"{SHOTS}/applications_status.png", full_page=True)
    with page.expect_download() as download:
        page.click("text=下载答复书")
    assert download.value.suggested_filename.endswith(".pdf")
    application.refresh_from_db()
    assert application.closed_on == timezone.localdate()
