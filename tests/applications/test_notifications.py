"""Messages to the applicant: one per step that concerns them, after the commit, retried, logged."""

import datetime as dt
import io
import smtplib
from urllib.parse import urlparse

from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.urls import resolve, reverse
from django.utils import timezone

import pytest

from apps.applications import notifications, services, sms, workflow
from apps.applications.enums import ConsultationKind, EventKind, Outcome
from apps.applications.fees import FeeMethod
from tests.applications.test_views import form_data
from tests.factories.applications import ApplicationFactory, applicant_fields

D = dt.date
BASE_URL = "https://xxgk.example.gov.cn"
FLAKY = "tests.applications.test_notifications.FlakyBackend"


class FlakyBackend(LocmemEmailBackend):
    """Fails `failures` times with `error`, then delivers to mail.outbox like locmem."""

    failures = 0
    error: Exception = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    calls = 0

    def send_messages(self, messages):
        FlakyBackend.calls += 1
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise FlakyBackend.error
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def _notifications(settings, monkeypatch):
    settings.PORTAL_BASE_URL = BASE_URL
    settings.SMS_BACKEND = ""  # e-mail only, unless a test plugs in an SMS backend
    settings.NOTIFICATIONS = {"ATTEMPTS": 3, "BACKOFF_SECONDS": 0.5, "RETRY_DAYS": 7}
    sms.outbox.clear()
    FlakyBackend.failures, FlakyBackend.calls = 0, 0
    FlakyBackend.error = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def waits(monkeypatch):
    """The pauses between attempts, recorded instead of slept."""
    recorded = []
    monkeypatch.setattr(notifications.time, "sleep", recorded.append)
    return recorded


@pytest.fixture
def flaky(settings):
    settings.MAILERS = {"default": {"BACKEND": FLAKY, "OPTIONS": {}}}
    return FlakyBackend


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks of the steps taken inside, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def html_of(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def log(application, kind=None):
    kinds = [kind] if kind else [EventKind.NOTIFIED, EventKind.NOTIFICATION_FAILED]
    return list(application.events.filter(kind__in=kinds).order_by("at", "pk"))


def _request_correction(application, actor):
    return services.application_request_correction(
        application=application, actor=actor, items="年份", on=D(2024, 3, 6)
    )


# One message per step ----------------------------------------------------------------------------


def _confirm(organ, actor, received):
    return received, D(2024, 4, 1)


def _correction(organ, actor, received):
    a = services.application_request_correction(
        application=received, actor=actor, items="请说明所需信息的年份。", on=D(2024, 3, 6)
    )
    return a, a.correction_due


def _extension(organ, actor, received):
    a = services.application_extend(
        application=received, actor=actor, approver="王主任", notice_date=D(2024, 3, 25), days=20
    )
    return a, D(2024, 4, 29)


def _consultation(organ, actor, received):
    a = services.application_start_consultation(
        application=received,
        actor=actor,
        kind=ConsultationKind.THIRD_PARTY,
        party="某某有限公司",
        on=D(2024, 3, 8),
    )
    return a, a.due_date


def _fee(organ, actor, received):
    a = services.application_send_fee_notice(
        application=received, actor=actor, method=FeeMethod.PER_PAGE, quantity=50, on=D(2024, 3, 6)
    )
    return a, a.fee_due


def _reply(organ, actor, received):
    a = services.application_reply(
        application=received,
        actor=actor,
        outcome=Outcome.DISCLOSED,
        reply_date=D(2024, 3, 20),
        text="见附件。",
    )
    return a, None


def _withdrawal(organ, actor, received):
    return services.application_withdraw(application=received, on=D(2024, 3, 8), reason="已获取"), None


STEPS = {
    # step: (act after the setup outside the commit, subject, words of the body)
    "receipt_confirmed": (_confirm, "已确认收到", "20个工作日内答复"),
    "correction_requested": (_correction, "请补正", "请说明所需信息的年份。"),
    "extended": (_extension, "答复期限已延长", "延长20个工作日"),
    "consultation": (_consultation, "正在征求意见", "征求第三方意见"),
    "fee_notice": (_fee, "信息处理费收费通知", "200.00 元"),
    "replied": (_reply, "已答复", "予以公开"),
    "withdrawn": (_withdrawal, "已撤回", "申请人撤回申请"),
}


@pytest.mark.parametrize("step", STEPS)
def test_each_step_sends_one_message_with_its_due_date_and_the_status_link(step, organ_a, alice, committed):
    act, subject, words = STEPS[step]
    if step == "receipt_confirmed":
        with committed():
            received = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 4))
        application, due = act(organ_a, alice, received)
    else:
        received = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 4))
        with committed():
            application, due = act(organ_a, alice, received)

    [message] = mail.outbox
    html = html_of(message)
    url = f"{BASE_URL}/apply/status/{application.tracking_code}/"
    assert message.to == [application.email] and message.cc == [] and message.bcc == []
    assert subject in message.subject and organ_a.display_name in message.subject
    assert words in message.body and words in html
    assert url in message.body and f'href="{url}"' in html
    assert application.tracking_code in message.body
    if due is not None:
        assert chinese_date(due) in message.body and chinese_date(due) in html
    [logged] = log(application)
    assert logged.kind == EventKind.NOTIFIED and logged.actor_label == "系统"
    assert logged.data["channel"] == "email" and logged.data["attempts"] == 1
    source = application.events.get(pk=logged.data["source"])
    assert workflow.NOTIFY_STEPS[source.kind] == logged.data["step"]


def test_the_link_opens_the_status_page_after_the_contact_is_given(received, alice, committed, client):
    with committed():
        _request_correction(received, alice)
    path = urlparse(next(w for w in mail.outbox[0].body.split() if w.startswith(BASE_URL))).path
    assert resolve(path).url_name == "status"
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].endswith("/apply/status/")


@pytest.mark.parametrize(
    ("close", "setup", "outcome"),
    [
        ("application_close_for_no_correction", _correction, "申请人无正当理由逾期不补正，不再处理"),
        ("application_close_for_no_payment", _fee, "申请人逾期未按收费通知要求缴纳费用，不再处理"),
    ],
)
def test_a_close_for_a_missed_period_says_so(close, setup, outcome, organ_a, alice, received, committed):
    application, due = setup(organ_a, alice, received)
    with committed():
        getattr(services, close)(application=application, actor=alice, on=due + dt.timedelta(days=1))
    [message] = mail.outbox
    assert "已终止办理" in message.subject
    assert outcome in message.body and outcome in html_of(message)


def test_steps_that_do_not_concern_the_applicant_send_nothing(received, alice, committed):
    with committed():
        services.application_add_note(application=received, actor=alice, text="内部备注")
        services.application_update(
            application=received, actor=alice, expected_version=None, postal_code="157001"
        )
    assert mail.outbox == []
    assert log(received) == []


def test_the_workflow_names_the_steps_that_notify():
    assert {t.event: t.notify for t in workflow.TRANSITIONS if t.notify} == {
        EventKind.RECEIPT_CONFIRMED: "receipt_confirmed",
        EventKind.CORRECTION_REQUESTED: "correction_requested",
        EventKind.EXTENDED: "extended",
        EventKind.THIRD_PARTY_CONSULTED: "consultation",
        EventKind.FEE_NOTICE: "fee_notice",
        EventKind.REPLIED: "replied",
        EventKind.CLOSED_NO_CORRECTION: "closed",
        EventKind.CLOSED_NO_PAYMENT: "closed",
        EventKind.WITHDRAWN: "closed",
    }
    assert workflow.NOTIFY_STEPS[EventKind.ORGAN_CONSULTED] == "consultation"


# After the commit only ---------------------------------------------------------------------------


def test_a_step_refused_by_validation_sends_nothing(received, alice, committed):
    with committed() as callbacks, pytest.raises(ValidationError):
        services.application_extend(
            application=received, actor=alice, approver="", notice_date=D(2024, 3, 25), days=5
        )
    assert callbacks == [] and mail.outbox == []


def test_a_step_whose_transaction_rolls_back_sends_nothing(received, alice, committed):
    with committed() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        _request_correction(received, alice)
        raise RuntimeError("a later write of the same request failed")
    assert callbacks == [] and mail.outbox == []
    assert not received.events.filter(kind=EventKind.CORRECTION_REQUESTED).exists()


def test_nothing_is_sent_before_the_commit(received, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _request_correction(received, alice)
        assert mail.outbox == []
    assert len(callbacks) == 1 and mail.outbox == []


def test_muted_steps_send_nothing(received, alice, committed):
    with committed() as callbacks, notifications.muted():
        _request_correction(received, alice)
    assert callbacks == [] and mail.outbox == []


# Retries and the log -----------------------------------------------------------------------------


def test_a_transient_smtp_error_is_retried_and_the_success_logged(received, alice, committed, flaky, waits):
    flaky.failures = 1
    with committed():
        _request_correction(received, alice)
    assert len(mail.outbox) == 1 and flaky.calls == 2
    assert waits == [0.5]
    [logged] = log(received)
    assert logged.kind == EventKind.NOTIFIED and logged.data["attempts"] == 2


def test_a_delivery_that_keeps_failing_is_logged_for_the_clerk_and_the_step_stays(
    received, alice, committed, flaky, waits
):
    flaky.failures = 99
    with committed():
        application = _request_correction(received, alice)
    assert mail.outbox == [] and flaky.calls == 3
    assert waits == [0.5, 1.0]  # doubling
    [logged] = log(application)
    assert logged.kind == EventKind.NOTIFICATION_FAILED
    assert logged.get_kind_display() == "通知发送失败"
    assert logged.data["error"] == "SMTPServerDisconnected" and logged.data["attempts"] == 3
    application.refresh_from_db()
    assert application.status == "awaiting_correction"


def test_a_permanent_error_is_not_retried(received, alice, committed, flaky, waits):
    flaky.failures = 1
    flaky.error = smtplib.SMTPRecipientsRefused({received.email: (550, b"No such user")})
    with committed():
        _request_correction(received, alice)
    assert flaky.calls == 1 and waits == []
    [logged] = log(received)
    assert logged.data == {**logged.data, "error": "SMTPRecipientsRefused", "attempts": 1}
    # The log names the error's class, not its text, which repeats the address.
    assert received.email not in str(logged.data)


@pytest.mark.parametrize("code", [421, 451])
def test_a_4xx_answer_is_transient(code):
    assert notifications.is_transient(smtplib.SMTPResponseException(code, b"try again later"))
    assert not notifications.is_transient(smtplib.SMTPResponseException(550, b"no"))


def test_a_failed_delivery_is_sent_again_by_the_daily_run(received, alice, committed, flaky, waits):
    flaky.failures = 99
    with committed():
        _request_correction(received, alice)
    flaky.failures = 0
    out = io.StringIO()
    call_command("send_deadline_reminders", stdout=out)
    assert "Failed notifications retried: 1 sent, 0 failed again." in out.getvalue()
    [message] = mail.outbox
    assert "请补正" in message.subject
    failed, sent = log(received)
    assert (failed.kind, sent.kind) == (EventKind.NOTIFICATION_FAILED, EventKind.NOTIFIED)
    assert sent.data["source"] == failed.data["source"]
    # Sent once: the next run has nothing to do.
    assert notifications.retry_failed() == notifications.RetryOutcome(sent=0, failed=0)


def test_a_failed_message_superseded_by_a_later_step_is_not_sent_again(
    received, alice, committed, flaky, waits
):
    flaky.failures = 99
    with committed():
        application = _request_correction(received, alice)
    flaky.failures = 0
    with committed():
        services.application_withdraw(application=application, on=D(2024, 3, 8))
    assert notifications.retry_failed() == notifications.RetryOutcome(sent=0, failed=0)
    assert ["已撤回" in m.subject for m in mail.outbox] == [True]


def test_a_failed_delivery_is_given_up_after_the_retry_days(received, alice, committed, flaky, waits):
    flaky.failures = 99
    with committed():
        _request_correction(received, alice)
    flaky.failures = 0
    later = timezone.now() + dt.timedelta(days=8)
    assert notifications.retry_failed(now=later) == notifications.RetryOutcome(sent=0, failed=0)
    call_command("retry_notifications", stdout=io.StringIO())  # within the days: sent
    assert len(mail.outbox) == 1


# Who gets what -----------------------------------------------------------------------------------


def test_an_applicant_without_email_gets_no_mail_and_no_sms_without_a_backend(organ_a, alice, committed):
    with committed():
        application = ApplicationFactory(organ=organ_a, actor=alice, email="")
    assert mail.outbox == [] and sms.outbox == []
    assert log(application) == []


def test_an_applicant_with_a_phone_gets_a_short_sms_when_a_backend_is_set(
    organ_a, alice, committed, settings
):
    settings.SMS_BACKEND = "apps.applications.sms.LocmemBackend"
    with committed():
        application = ApplicationFactory(organ=organ_a, actor=alice, email="", phone="13912345678")
    assert mail.outbox == []
    [text] = sms.outbox
    assert text.to == "13912345678"
    assert application.tracking_code in text.text and chinese_date(D(2024, 4, 1)) in text.text
    assert f"{BASE_URL}/apply/status/{application.tracking_code}/" in text.text
    assert len(text.text) < 160 and "\n" not in text.text
    [logged] = log(application)
    assert logged.data["channel"] == "sms" and logged.data["backend"] == "LocmemBackend"
    assert logged.data["to"] != "13912345678"  # masked in the log


def test_the_logging_sms_backend_writes_the_message_with_a_masked_number(caplog):
    with caplog.at_level("INFO", logger="apps.applications.sms"):
        sms.LoggingBackend().send_messages([sms.SmsMessage(to="13912345678", text="您的申请已答复")])
    assert "您的申请已答复" in caplog.text and "13912345678" not in caplog.text


def test_both_contacts_get_the_message_when_sms_is_on(organ_a, alice, committed, settings):
    settings.SMS_BACKEND = "apps.applications.sms.LocmemBackend"
    with committed():
        application = ApplicationFactory(organ=organ_a, actor=alice)
    assert len(mail.outbox) == 1 and len(sms.outbox) == 1
    assert sorted(e.data["channel"] for e in log(application)) == ["email", "sms"]


def test_no_personal_data_beyond_the_request_leaks_into_any_message(organ_a, alice, committed, settings):
    settings.SMS_BACKEND = "apps.applications.sms.LocmemBackend"
    with committed():
        application = ApplicationFactory(organ=organ_a, actor=alice, applicant_name="王小明")
        _request_correction(application, alice)
    assert len(mail.outbox) == 2 and len(sms.outbox) == 2
    parts = [p for m in mail.outbox for p in (m.subject, m.body, html_of(m))] + [t.text for t in sms.outbox]
    for part in parts:
        for private in (
            application.id_number,
            application.applicant_name,
            application.address,
            application.phone,
        ):
            assert private not in part
    assert application.id_number not in str([e.data for e in log(application)])


def test_the_party_consulted_stays_with_the_clerks(received, alice, committed):
    with committed():
        _consultation(None, alice, received)
    [message] = mail.outbox
    assert "某某有限公司" not in message.body + html_of(message)


def test_the_text_part_is_not_html_escaped_and_the_html_part_is(received, alice, committed):
    with committed():
        services.application_request_correction(
            application=received, actor=alice, items="甲&乙 <第2项>", on=D(2024, 3, 6)
        )
    [message] = mail.outbox
    assert "甲&乙 <第2项>" in message.body
    assert "甲&amp;乙 &lt;第2项&gt;" in html_of(message)


def test_the_message_is_in_the_language_the_applicant_applied_in(organ_a, alice, committed):
    application, _ = services.application_submit_online(
        organ=organ_a,
        idempotency_token="5f1b7a8e-0000-4000-8000-000000000001",
        submitted_at=dt.datetime(2024, 3, 4, 9, tzinfo=dt.UTC),
        language="en",
        **applicant_fields(),
    )
    with committed():
        services.application_confirm_receipt(application=application, actor=alice, received_on=D(2024, 3, 4))
    html = html_of(mail.outbox[0])
    assert '<html lang="en">' in html
    assert "April 1, 2024" in html  # the date in the English format


def test_an_online_application_stores_the_language_of_the_form(organ_a, client):
    response = client.post(reverse("applications:apply"), form_data(organ_a), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert organ_a.applications.get().language == "en"


# The clerks' reminders ---------------------------------------------------------------------------


def test_clerks_reminders_come_from_the_same_templates_with_an_html_part(organ_a, alice, settings):
    late = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 2, 1))
    settings.MAILERS = {"default": {"BACKEND": FLAKY, "OPTIONS": {}}}
    FlakyBackend.failures = 1  # retried like the applicants' messages
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(notifications.time, "sleep", lambda seconds: None)
        call_command("send_deadline_reminders", stdout=io.StringIO())
    [message] = mail.outbox
    html = html_of(message)
    url = f"{BASE_URL}/admin/applications/application/{late.pk}/change/"
    assert "【期限提醒】" in message.subject and "逾期1件" in message.subject
    assert late.tracking_code in message.body and url in message.body
    assert f'<a href="{url}">{late.tracking_code}</a>' in html
    assert late.applicant_name not in message.body + html and late.phone not in message.body + html
