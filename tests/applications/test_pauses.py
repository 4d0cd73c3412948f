"""Pause limits, late and out-of-order steps, and the receipt of e-mail applications.

All dates in 2024 (official calendar: Qingming 04-04..06 off, Sunday 04-07 worked; 05-01..05 off,
Saturday 05-11 worked). An application received in person on Monday 2024-03-04 is due 04-01.
- A consultation sent 03-08 may pause at most to 03-29 (11–15, 18–22, 25–29: 15 working days);
  unanswered, the due date is 04-01 + 15: 02 03 07日 08–12 15–19 22 23 → 04-23.
- A fee notice sent 03-06 has a payment period to 04-03 (07 08 11–15 18–22 25–29 04-01 02 03);
  unpaid, the due date is 04-01 + 20 → 04-29 (… 23, 24 25 26 28日 29).
- A consultation sent on the due date 04-01 may pause to 04-23, and is then due 04-23 too.
"""

import datetime as dt
import io

from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

import pytest
import time_machine

from apps.applications import services
from apps.applications.enums import Channel, ConsultationKind, EventKind, Outcome, Status
from apps.applications.fees import FeeMethod
from apps.applications.models import Application
from apps.applications.selectors import due_soon, due_soon_limit, overdue
from tests.factories.applications import ApplicationFactory, applicant_fields

D = dt.date
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=SHANGHAI), tick=False)


def snapshot(application: Application) -> tuple[dict, int]:
    """Every stored column (version and updated_at included) and the number of events."""
    row = Application.objects.filter(pk=application.pk).values().get()
    return row, application.events.count()


def consult(application, on, **kwargs):
    return services.application_start_consultation(
        application=application,
        actor=None,
        kind=ConsultationKind.THIRD_PARTY,
        party="某某建筑工程有限公司",
        on=on,
        **kwargs,
    )


def fee_notice(application, on, **kwargs):
    return services.application_send_fee_notice(
        application=application, actor=None, method=FeeMethod.PER_PAGE, quantity=100, on=on, **kwargs
    )


@pytest.fixture
def unanswered(organ_a, alice):
    """Consulted 03-08, no answer recorded: paused at most to 03-29, then due 04-23."""
    return consult(ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 4)), D(2024, 3, 8))


@pytest.fixture
def unpaid(organ_a, alice):
    """Fee notice 03-06, never paid: paused at most to 04-03, then due 04-29."""
    return fee_notice(
        ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 4)), D(2024, 3, 6)
    )


@pytest.fixture
def consulted_on_due_day(organ_a, alice):
    """Consulted on the due date 04-01, no answer: paused at most to 04-23, then due 04-23."""
    return consult(ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 4)), D(2024, 4, 1))


# --- a pause only starts while the time limit runs --------------------------------------------

LATE_PAUSES = [
    pytest.param(consult, "答复期限已于2024-04-01届满，逾期后不能再因征求意见暂停计算（条例第三十三条）。", id="consultation"),
    pytest.param(fee_notice, "收费通知应当在答复期限内发出，答复期限已于2024-04-01届满，不能再发出收费通知。", id="fee notice"),
]  # fmt: skip


@pytest.mark.parametrize(("start", "message"), LATE_PAUSES)
def test_a_pause_the_day_after_the_due_date_is_refused_and_changes_nothing(received, start, message):
    before = snapshot(received)
    with pytest.raises(ValidationError) as error:
        start(received, D(2024, 4, 2), expected_version=received.version)
    assert error.value.messages == [message]
    assert snapshot(received) == before


@pytest.mark.parametrize(("start", "message"), LATE_PAUSES)
def test_a_pause_on_the_due_date_itself_is_allowed(received, start, message):
    paused = start(received, D(2024, 4, 1))
    assert paused.status in (Status.CONSULTING, Status.AWAITING_PAYMENT)
    assert paused.paused_until is not None and paused.paused_until > D(2024, 4, 1)


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("consult", {"kind": "third_party", "party": "某某公司", "on": "2024-04-02"}, "逾期后不能再因征求意见暂停计算"),
        ("fee", {"method": "per_page", "quantity": 100, "on": "2024-04-02"}, "收费通知应当在答复期限内发出"),
    ],
)  # fmt: skip
def test_a_late_pause_is_refused_in_the_admin(client, alice, received, action, data, message):
    client.force_login(alice)
    before = snapshot(received)
    url = reverse("admin:applications_application_transition", args=[received.pk, action])
    response = client.post(url, {"version": received.version, **data})
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content and "2024-04-01" in content
    assert snapshot(received) == before


def test_a_fee_notice_after_a_capped_consultation_ran_out_is_refused(unanswered):
    answered = services.application_end_consultation(
        application=unanswered, actor=None, on=D(2024, 4, 10), opinion="逾期未提出意见"
    )
    before = snapshot(answered)
    with pytest.raises(ValidationError, match="答复期限已于2024-04-23届满"):
        fee_notice(answered, D(2024, 4, 24))
    assert snapshot(answered) == before


# `db` up front: the fixtures come through getfixturevalue, and pytest-django would otherwise
# order the test among those without a database (after the transactional ones).
@pytest.mark.parametrize("paused", ["unanswered", "unpaid"])
def test_no_correction_notice_during_a_pause(db, request, paused):
    application = request.getfixturevalue(paused)
    before = snapshot(application)
    with pytest.raises(ValidationError, match="征求意见或收费程序进行中，不能通知补正。"):
        services.application_request_correction(
            application=application, actor=None, items="请说明年份。", on=D(2024, 3, 11)
        )
    assert snapshot(application) == before


# --- caps -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "paused_until", "due"),
    [
        ("unanswered", D(2024, 3, 29), D(2024, 4, 23)),
        ("unpaid", D(2024, 4, 3), D(2024, 4, 29)),
        ("consulted_on_due_day", D(2024, 4, 23), D(2024, 4, 23)),
    ],
)
def test_an_unanswered_pause_stores_its_cap_and_the_due_date_at_the_cap(
    db, request, fixture, paused_until, due
):
    application = request.getfixturevalue(fixture)
    assert application.paused_until == paused_until
    assert application.due_date == due
    assert application.clock_paused(paused_until)
    assert not application.clock_paused(paused_until + dt.timedelta(days=1))


def test_a_late_answer_stops_the_pause_at_the_cap_and_says_so(unanswered):
    answered = services.application_end_consultation(
        application=unanswered, actor=None, on=D(2024, 4, 10), opinion="同意公开"
    )
    assert answered.status == Status.IN_PROGRESS
    assert answered.paused_until is None
    assert answered.due_date == D(2024, 4, 23)  # not moved by the late answer
    assert answered.events.latest("at", "pk").data == {
        "opinion": "同意公开",
        "late": True,
        "paused_until": "2024-03-29",
    }


def test_an_answer_within_the_fifteen_days_ends_the_pause_that_day(unanswered):
    answered = services.application_end_consultation(application=unanswered, actor=None, on=D(2024, 3, 15))
    assert answered.due_date == D(2024, 4, 9)  # 5 working days (03-11..15) excluded
    assert "late" not in answered.events.latest("at", "pk").data


def test_an_extension_after_a_capped_pause(unanswered):
    before = snapshot(unanswered)
    with pytest.raises(ValidationError, match="2024-04-23"):
        services.application_extend(
            application=unanswered, actor=None, approver="王主任", notice_date=D(2024, 4, 24), days=20
        )
    assert snapshot(unanswered) == before
    extended = services.application_extend(
        application=unanswered, actor=None, approver="王主任", notice_date=D(2024, 4, 22), days=20
    )
    # 04-23 + 20: 24 25 26 28日 29 30 | 05-06..10 11六 13–17 20 21 22
    assert extended.due_date == D(2024, 5, 22)


def test_a_payment_after_the_payment_period_is_refused_and_the_application_closed_as_unpaid(unpaid):
    before = snapshot(unpaid)
    with pytest.raises(ValidationError, match="缴费期限已于2024-04-03届满"):
        services.application_record_payment(
            application=unpaid, actor=None, paid_on=D(2024, 4, 8), receipt_number="No.1"
        )
    assert snapshot(unpaid) == before
    closed = services.application_close_for_no_payment(application=unpaid, actor=None, on=D(2024, 4, 8))
    assert closed.report_row == "r6_2"
    assert closed.paused_until is None
    with at(D(2024, 4, 30)):
        assert closed not in overdue(None)


# --- the lists and the reminders ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "soon", "late"),
    [
        # Everything paused, or not yet near its due date.
        (D(2024, 3, 20), [], []),
        # The consultation of 03-08 ran out 03-29: due 04-23 is within 5 working days (to 04-24).
        # The one sent on 04-01 is also due 04-23 but still paused (to 04-23): not listed.
        (D(2024, 4, 17), ["unanswered"], []),
        # Both consultations ran out and are overdue; the unpaid fee (due 04-29) is due soon.
        (D(2024, 4, 24), ["unpaid"], ["unanswered", "consulted_on_due_day"]),
        (D(2024, 4, 30), [], ["unanswered", "consulted_on_due_day", "unpaid"]),
    ],
)
def test_run_out_pauses_are_listed_like_any_other(request, organ_a, today, soon, late):
    names = ["unanswered", "consulted_on_due_day", "unpaid"]
    applications = {name: request.getfixturevalue(name) for name in names}
    with at(today):
        assert list(due_soon(organ_a)) == [applications[name] for name in soon]
        assert list(overdue(organ_a)) == [applications[name] for name in late]


def test_reminders_pick_up_run_out_pauses(organ_a, alice, unanswered, unpaid, settings):
    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend", "OPTIONS": {}}
    }
    with at(D(2024, 4, 24)):
        call_command("send_deadline_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "逾期1件，即将到期1件" in message.subject
    assert (
        f"{unanswered.tracking_code}  征求意见中  答复期限 2024-04-23（已逾期1天；暂停已于2024-03-29期满"
        in message.body
    )
    assert (
        f"{unpaid.tracking_code}  待缴费  答复期限 2024-04-29（剩余5天；暂停已于2024-04-03期满"
        in message.body
    )


@pytest.mark.parametrize("selector", [due_soon, overdue])
def test_list_selectors_run_in_one_query(request, organ_a, alice, selector, django_assert_num_queries):
    with at(D(2024, 4, 24)):
        due_soon_limit()  # warm the per-process calendar cache
        request.getfixturevalue("unanswered")
        with django_assert_num_queries(1):
            first = list(selector(organ_a))
        request.getfixturevalue("unpaid")
        request.getfixturevalue("consulted_on_due_day")
        ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 25))
        with django_assert_num_queries(1):
            assert len(list(selector(organ_a))) > len(first)


def test_admin_due_filter_follows_the_caps(client, alice, unanswered, consulted_on_due_day):
    client.force_login(alice)
    changelist = reverse("admin:applications_application_changelist")
    with at(D(2024, 4, 17)):
        soon = client.get(changelist, {"due": "soon"}).content.decode()
        paused = client.get(changelist, {"due": "paused"}).content.decode()
        everything = client.get(changelist).content.decode()
    assert unanswered.tracking_code in soon and consulted_on_due_day.tracking_code not in soon
    assert consulted_on_due_day.tracking_code in paused and unanswered.tracking_code not in paused
    assert "暂停至 2024-04-23" in everything


# --- out-of-order steps and lapsed deadlines ------------------------------------------------------


def test_a_step_dated_before_the_last_recorded_one_is_refused(received):
    extended = services.application_extend(
        application=received, actor=None, approver="王主任", notice_date=D(2024, 3, 20), days=10
    )
    before = snapshot(extended)
    with pytest.raises(ValidationError) as error:
        consult(extended, D(2024, 3, 15), expected_version=extended.version)
    assert error.value.messages == ["征求意见日期不能早于上一项办理记录（延期，2024-03-20）。"]
    assert snapshot(extended) == before


def test_an_out_of_order_step_is_refused_in_the_admin(client, alice, unanswered):
    answered = services.application_end_consultation(application=unanswered, actor=None, on=D(2024, 3, 20))
    client.force_login(alice)
    before = snapshot(answered)
    url = reverse("admin:applications_application_transition", args=[answered.pk, "reply"])
    data = {
        "version": answered.version,
        "outcome": Outcome.DISCLOSED,
        "reply_date": "2024-03-19",
        "text": "a",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "办结日期不能早于上一项办理记录（意见返回，2024-03-20）。" in response.content.decode()
    assert snapshot(answered) == before


def test_a_late_reply_keeps_the_lapsed_deadline_on_the_record(client, alice, received):
    replied = services.application_reply(
        application=received, actor=alice, outcome=Outcome.DISCLOSED, reply_date=D(2024, 4, 5), text="a"
    )
    event = replied.events.get(kind=EventKind.REPLIED)
    assert event.data["overdue"] is True and event.data["due_date"] == "2024-04-01"
    client.force_login(alice)
    content = client.get(reverse("admin:applications_application_change", args=[replied.pk])).content.decode()
    # 04-02 04-03: two working days late (04-04 and 04-05 are Qingming).
    assert "答复期限 2024-04-01 已届满，截至 2024-04-05 超过 2 个工作日" in content
    assert "（已逾期）" in content


def test_a_reply_in_time_records_no_lapse(received):
    replied = services.application_reply(
        application=received, actor=None, outcome=Outcome.DISCLOSED, reply_date=D(2024, 4, 1), text="a"
    )
    assert "overdue" not in replied.events.get(kind=EventKind.REPLIED).data


def test_the_applicant_sees_an_overdue_application_as_overdue(client, organ_a, alice):
    application = ApplicationFactory(
        organ=organ_a, actor=alice, received_on=D(2024, 3, 4), phone="13812345678"
    )
    client.post(reverse("applications:lookup"), {"code": application.tracking_code, "contact": "13812345678"})
    with at(D(2024, 4, 5)):
        content = client.get(
            reverse("applications:status", args=[application.tracking_code])
        ).content.decode()
    assert "2024年4月1日 （已超过答复期限）" in content


# --- e-mail: received on the day both parties confirm (条例第三十一条（三）) -------------------------


def test_an_email_application_waits_for_the_confirmation(organ_a, alice):
    application = services.application_register(
        organ=organ_a, actor=alice, channel=Channel.EMAIL, submitted_on=D(2024, 3, 1), **applicant_fields()
    )
    assert application.status == Status.PENDING_CONFIRMATION
    assert application.received_on is None and application.due_date is None
    assert services.application_deadline(application=application) is None
    with at(D(2024, 3, 5)):
        assert application not in overdue(None) and application not in due_soon(None)
    confirmed = services.application_confirm_receipt(
        application=application, actor=alice, received_on=D(2024, 3, 6), note="电话确认"
    )
    assert confirmed.received_on == D(2024, 3, 6)
    assert confirmed.status == Status.IN_PROGRESS
    # 03-07 08 11–15 18–22 25–29 04-01 02 03
    assert confirmed.due_date == D(2024, 4, 3)


def test_an_email_application_is_registered_through_the_admin_without_a_receipt_date(client, alice, organ_a):
    client.force_login(alice)
    data = dict(
        applicant_fields(), organ=organ_a.pk, channel="email", submitted_on="2024-03-01", received_on=""
    )
    response = client.post(reverse("admin:applications_application_register"), data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.status == Status.PENDING_CONFIRMATION
    assert application.due_date is None
    change = client.get(response["Location"]).content.decode()
    assert reverse("admin:applications_application_transition", args=[application.pk, "confirm"]) in change
    assert "尚未确认收到申请，答复期限未开始计算。" in change


def test_in_person_and_registered_post_still_need_the_receipt_date(organ_a, alice):
    with pytest.raises(ValidationError, match="当面和挂号邮寄提交的申请必须填写收到申请之日。"):
        services.application_register(
            organ=organ_a,
            actor=alice,
            channel=Channel.REGISTERED_POST,
            submitted_on=D(2024, 3, 1),
            **applicant_fields(),
        )
