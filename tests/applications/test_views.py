import datetime as dt
import uuid

from django.core.files.base import ContentFile
from django.urls import reverse

import pytest

from apps.applications import services
from apps.applications.enums import Outcome, Status
from apps.applications.models import Application, LookupFailure
from tests.factories.applications import ApplicationFactory, resident_id

D = dt.date


def form_data(organ, **overrides):
    data = {
        "organ": organ.pk,
        "token": str(uuid.uuid4()),
        "applicant_type": "natural",
        "applicant_name": "王小明",
        "id_type": "resident_id",
        "id_number": resident_id(serial=123),
        "phone": "13812345678",
        "email": "wxm@example.com",
        "address": "黑龙江省牡丹江市东安区太平路88号",
        "postal_code": "157000",
        "info_title": "2023年道路维修计划",
        "info_doc_number": "",
        "info_description": "请公开2023年道路维修计划。",
        "delivery_form": "electronic",
        "delivery_way": "email",
        "accept": "on",
    }
    data.update(overrides)
    return data


def test_apply_form_has_a_token_and_active_organs(client, organ_a):
    response = client.get(reverse("applications:apply"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="token"' in content
    assert organ_a.name in content
    assert "在线申请政府信息公开" in content


def test_apply_creates_one_application_and_shows_the_receipt(client, organ_a):
    data = form_data(organ_a)
    response = client.post(reverse("applications:apply"), data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.status == Status.PENDING_CONFIRMATION
    receipt = client.get(response["Location"])
    assert application.tracking_code in receipt.content.decode()


def test_apply_double_submit_creates_one_application(client, organ_a):
    data = form_data(organ_a)
    first = client.post(reverse("applications:apply"), data)
    second = client.post(reverse("applications:apply"), data)
    assert first.status_code == second.status_code == 302
    assert Application.objects.count() == 1


def test_apply_keeps_input_and_explains_errors_in_chinese(client, organ_a):
    data = form_data(organ_a, id_number="230102199001011235", email="not-an-email")
    response = client.post(reverse("applications:apply"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "居民身份证号码校验位不正确" in content
    assert "请输入有效的电子邮箱地址" in content
    assert 'value="王小明"' in content
    assert data["token"] in content  # the same token: a corrected resubmission still deduplicates
    assert not Application.objects.exists()


def test_apply_organisation_needs_credit_code_and_contact(client, organ_a):
    data = form_data(organ_a, applicant_type="commercial", id_type="", id_number="", credit_code="")
    response = client.post(reverse("applications:apply"), data)
    content = response.content.decode()
    assert "请填写统一社会信用代码" in content
    assert "请填写联系人" in content


def test_apply_requires_consent(client, organ_a):
    data = form_data(organ_a)
    del data["accept"]
    response = client.post(reverse("applications:apply"), data)
    assert "请阅读并勾选承诺" in response.content.decode()


def _lookup(client, code, contact):
    return client.post(reverse("applications:lookup"), {"code": code, "contact": contact})


@pytest.fixture
def mine(organ_a, alice):
    return ApplicationFactory(
        organ=organ_a,
        actor=alice,
        received_on=D(2024, 3, 4),
        phone="13812345678",
        email="me@example.com",
        id_number="11010519491231002X",
    )


def test_lookup_with_phone_or_email_opens_the_status_page(client, mine):
    response = _lookup(client, mine.tracking_code.lower(), "138-1234-5678")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "申请办理进度" in page
    assert "1101**********002X" in page
    assert "11010519491231002X" not in page
    assert "13812345678" not in page
    other = client.__class__()
    assert _lookup(other, mine.tracking_code, "ME@example.com").status_code == 302


def test_lookup_does_not_reveal_whether_a_code_exists(client, mine):
    wrong_contact = _lookup(client, mine.tracking_code, "13900000000")
    wrong_code = _lookup(client, "ABCDEFGHJKMN", "13812345678")
    assert wrong_contact.status_code == wrong_code.status_code == 200
    assert "查询码或联系方式不正确" in wrong_contact.content.decode()
    body = lambda r: r.content.decode().split('name="csrfmiddlewaretoken"')[0]  # noqa: E731
    assert body(wrong_contact).replace(mine.tracking_code, "X") == body(wrong_code).replace(
        "ABCDEFGHJKMN", "X"
    )


def test_lookup_is_throttled_after_five_failures(client, mine):
    for _ in range(5):
        assert _lookup(client, mine.tracking_code, "13900000000").status_code == 200
    response = _lookup(client, mine.tracking_code, "13812345678")  # even the right contact now
    assert response.status_code == 429
    assert "尝试次数过多，请稍后再试" in response.content.decode()
    assert LookupFailure.objects.count() == 5


def test_guesses_from_elsewhere_do_not_lock_the_applicant_out(client, mine):
    for k in range(10):
        _lookup(client.__class__(REMOTE_ADDR=f"10.0.0.{k}"), mine.tracking_code, "13900000000")
    response = _lookup(client, mine.tracking_code, "13812345678")
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:status", args=[mine.tracking_code])


def test_behind_a_proxy_the_guesser_is_throttled_and_the_applicant_is_not(client, mine, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    guesser = client.__class__(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(5):
        _lookup(guesser, mine.tracking_code, "13900000000")
    assert _lookup(guesser, mine.tracking_code, "13812345678").status_code == 429
    applicant = client.__class__(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.8")
    assert _lookup(applicant, mine.tracking_code, "13812345678").status_code == 302
    assert set(LookupFailure.objects.values_list("ip", flat=True)) == {"203.0.113.66"}


def test_status_page_needs_the_lookup(client, mine):
    response = client.get(reverse("applications:status", args=[mine.tracking_code]))
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:lookup")


def test_status_page_shows_due_date_and_steps(client, mine):
    _lookup(client, mine.tracking_code, "13812345678")
    page = client.get(reverse("applications:status", args=[mine.tracking_code])).content.decode()
    assert "2024年4月1日" in page
    assert "法定答复期限" in page


def test_correction_is_submitted_on_the_status_page(client, mine, alice):
    services.application_request_correction(
        application=mine, actor=alice, items="请说明年份。", on=D(2024, 3, 5)
    )
    _lookup(client, mine.tracking_code, "13812345678")
    url = reverse("applications:status", args=[mine.tracking_code])
    assert "请说明年份。" in client.get(url).content.decode()
    empty = client.post(reverse("applications:correction", args=[mine.tracking_code]), {"text": ""})
    assert empty.status_code == 400
    assert "请填写补正内容" in empty.content.decode()
    response = client.post(
        reverse("applications:correction", args=[mine.tracking_code]), {"text": "2023年。"}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Status.IN_PROGRESS
    assert mine.correction_text == "2023年。"


def test_withdraw_on_the_status_page(client, mine):
    _lookup(client, mine.tracking_code, "13812345678")
    url = reverse("applications:withdraw", args=[mine.tracking_code])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "不需要了", "confirm": "on"}).status_code == 302
    mine.refresh_from_db()
    assert mine.status == Status.WITHDRAWN


def test_correction_and_withdraw_need_the_lookup(client, mine):
    client.post(reverse("applications:withdraw", args=[mine.tracking_code]), {"confirm": "on"})
    mine.refresh_from_db()
    assert mine.status == Status.IN_PROGRESS


def test_reply_and_document_are_shown(client, mine, alice):
    services.application_reply(
        application=mine,
        actor=alice,
        outcome=Outcome.DISCLOSED,
        reply_date=D(2024, 3, 20),
        text="现将信息提供如下。",
        document=ContentFile(b"reply-bytes", name="reply.pdf"),
    )
    download = reverse("applications:reply_document", args=[mine.tracking_code])
    assert client.get(download).status_code == 404  # not without the lookup
    _lookup(client, mine.tracking_code, "13812345678")
    page = client.get(reverse("applications:status", args=[mine.tracking_code])).content.decode()
    assert "现将信息提供如下。" in page
    assert "予以公开" in page
    response = client.get(download)
    assert b"".join(response.streaming_content) == b"reply-bytes"
