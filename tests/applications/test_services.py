import datetime as dt
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

import pytest

from apps.applications import services
from apps.applications.enums import Channel, ConsultationKind, EventKind, Outcome, Status
from apps.applications.fees import FeeMethod
from apps.applications.models import Application, ApplicationEvent
from tests.factories.applications import ApplicationFactory, applicant_fields

D = dt.date


def kinds(application):
    return list(application.events.order_by("at", "pk").values_list("kind", flat=True))


def test_register_in_person_starts_the_clock(received):
    assert received.status == Status.IN_PROGRESS
    assert received.received_on == D(2024, 3, 4)
    # 20 working days after Monday 2024-03-04 (no holiday in March 2024) is Monday 2024-04-01.
    assert received.due_date == D(2024, 4, 1)
    assert received.correction_notice_due == D(2024, 3, 13)
    assert kinds(received) == [EventKind.SUBMITTED, EventKind.RECEIPT_CONFIRMED]
    assert len(received.tracking_code) == 12


def test_register_in_person_requires_receipt_on_submission_day(organ_a, alice):
    with pytest.raises(ValidationError, match="以提交之日为收到申请之日"):
        services.application_register(
            organ=organ_a,
            actor=alice,
            channel=Channel.IN_PERSON,
            submitted_on=D(2024, 3, 4),
            received_on=D(2024, 3, 5),
            **applicant_fields(),
        )


def test_register_registered_post_requires_sign_for_date(organ_a, alice):
    with pytest.raises(ValidationError, match="必须填写收到申请之日"):
        services.application_register(
            organ=organ_a,
            actor=alice,
            channel=Channel.REGISTERED_POST,
            submitted_on=D(2024, 3, 1),
            **applicant_fields(),
        )


def test_register_ordinary_letter_waits_for_confirmation(organ_a, alice):
    application = services.application_register(
        organ=organ_a,
        actor=alice,
        channel=Channel.ORDINARY_LETTER,
        submitted_on=D(2024, 3, 1),
        **applicant_fields(),
    )
    assert application.status == Status.PENDING_CONFIRMATION
    assert application.due_date is None
    confirmed = services.application_confirm_receipt(
        application=application, actor=alice, received_on=D(2024, 3, 5)
    )
    assert confirmed.status == Status.IN_PROGRESS
    assert confirmed.received_on == D(2024, 3, 5)
    assert confirmed.due_date == D(2024, 4, 2)


def test_register_refuses_online_channel(organ_a, alice):
    with pytest.raises(ValidationError, match="在线申请"):
        services.application_register(
            organ=organ_a,
            actor=alice,
            channel=Channel.ONLINE,
            submitted_on=D(2024, 3, 1),
            **applicant_fields(),
        )


def test_submit_online_is_pending_until_confirmed(online):
    assert online.status == Status.PENDING_CONFIRMATION
    assert online.received_on is None
    assert kinds(online) == [EventKind.SUBMITTED]
    assert online.events.get().actor_label == "申请人"


def test_submit_online_same_token_gives_one_application(organ_a):
    token = uuid.uuid4()
    first, created = services.application_submit_online(
        organ=organ_a, idempotency_token=token, **applicant_fields()
    )
    second, created_again = services.application_submit_online(
        organ=organ_a, idempotency_token=token, **applicant_fields()
    )
    assert created and not created_again
    assert first.pk == second.pk
    assert Application.objects.count() == 1


def test_submit_online_validates_resident_id(organ_a):
    with pytest.raises(ValidationError) as error:
        services.application_submit_online(
            organ=organ_a, idempotency_token=uuid.uuid4(), **applicant_fields(id_number="230102199001011235")
        )
    assert "校验位" in str(error.value)
    assert Application.objects.count() == 0


def test_submit_online_requires_contact(organ_a):
    with pytest.raises(ValidationError, match="联系电话或电子邮箱"):
        services.application_submit_online(
            organ=organ_a, idempotency_token=uuid.uuid4(), **applicant_fields(phone="", email="")
        )


def test_confirm_receipt_refuses_twice(online, alice):
    services.application_confirm_receipt(
        application=online, actor=alice, received_on=timezone.localdate(online.submitted_at)
    )
    with pytest.raises(ValidationError, match="不能进行此项操作"):
        services.application_confirm_receipt(
            application=online, actor=alice, received_on=timezone.localdate(online.submitted_at)
        )


def test_confirm_receipt_refuses_a_date_before_submission(online, alice):
    with pytest.raises(ValidationError, match="不能早于提交日期"):
        services.application_confirm_receipt(
            application=online,
            actor=alice,
            received_on=timezone.localdate(online.submitted_at) - dt.timedelta(days=1),
        )


def test_request_correction_stops_and_correction_restarts_the_clock(received, alice):
    asked = services.application_request_correction(
        application=received, actor=alice, items="请说明所需信息的年份。", on=D(2024, 3, 6), period_days=10
    )
    assert asked.status == Status.AWAITING_CORRECTION
    assert asked.due_date is None
    assert asked.correction_due == D(2024, 3, 20)
    corrected = services.application_submit_correction(
        application=asked, text="2023年度。", on=D(2024, 3, 11)
    )
    assert corrected.status == Status.IN_PROGRESS
    assert corrected.correction_text == "2023年度。"
    # 20 working days restart from 2024-03-11.
    assert corrected.due_date == D(2024, 4, 9)
    assert ApplicationEvent.objects.filter(application=received, kind=EventKind.CORRECTED).get().actor is None


def test_request_correction_refused_after_seven_working_days(received, alice):
    with pytest.raises(ValidationError, match="7个工作日"):
        services.application_request_correction(
            application=received, actor=alice, items="请补充", on=D(2024, 3, 14)
        )
    received.refresh_from_db()
    assert received.status == Status.IN_PROGRESS
    assert not received.events.filter(kind=EventKind.CORRECTION_REQUESTED).exists()


def test_request_correction_only_once(received, alice):
    asked = services.application_request_correction(
        application=received, actor=alice, items="a", on=D(2024, 3, 5)
    )
    services.application_submit_correction(application=asked, text="b", on=D(2024, 3, 6))
    with pytest.raises(ValidationError, match="一次性告知"):
        services.application_request_correction(
            application=received, actor=alice, items="c", on=D(2024, 3, 7)
        )


def test_request_correction_requires_items(received, alice):
    with pytest.raises(ValidationError, match="需要补正的事项"):
        services.application_request_correction(
            application=received, actor=alice, items="  ", on=D(2024, 3, 5)
        )


def test_submit_correction_refused_when_not_asked(received):
    with pytest.raises(ValidationError, match="不能进行此项操作"):
        services.application_submit_correction(application=received, text="x")


def test_close_for_no_correction_only_after_the_period(received, alice):
    asked = services.application_request_correction(
        application=received, actor=alice, items="a", on=D(2024, 3, 5), period_days=5
    )
    with pytest.raises(ValidationError, match="尚未届满"):
        services.application_close_for_no_correction(application=asked, actor=alice, on=asked.correction_due)
    closed = services.application_close_for_no_correction(
        application=asked, actor=alice, on=asked.correction_due + dt.timedelta(days=1)
    )
    assert closed.status == Status.CLOSED
    assert closed.outcome == Outcome.NO_CORRECTION
    assert closed.report_row == "r6_1"


def test_extend_adds_working_days_once(received, alice):
    extended = services.application_extend(
        application=received, actor=alice, approver="王主任", notice_date=D(2024, 3, 25), days=20
    )
    # Qingming (04-04, 04-05 off; Sunday 04-07 and 04-28 worked) is in the count.
    assert extended.due_date == D(2024, 4, 29)
    assert "王主任" in " ".join(
        step.text for step in services.application_deadline(application=extended).steps
    )
    with pytest.raises(ValidationError, match="只能延长一次"):
        services.application_extend(
            application=extended, actor=alice, approver="王主任", notice_date=D(2024, 3, 26), days=5
        )


@pytest.mark.parametrize("days", [0, 21])
def test_extend_refuses_more_than_twenty_days(received, alice, days):
    with pytest.raises(ValidationError, match="1至20个工作日"):
        services.application_extend(
            application=received, actor=alice, approver="王主任", notice_date=D(2024, 3, 25), days=days
        )


def test_extend_requires_approver(received, alice):
    with pytest.raises(ValidationError, match="批准人"):
        services.application_extend(
            application=received, actor=alice, approver="", notice_date=D(2024, 3, 25), days=5
        )


def test_extend_refused_after_due_date(received, alice):
    with pytest.raises(ValidationError, match="届满"):
        services.application_extend(
            application=received, actor=alice, approver="王主任", notice_date=D(2024, 4, 2), days=5
        )


def test_consultation_pauses_the_clock(received, alice):
    consulting = services.application_start_consultation(
        application=received,
        actor=alice,
        kind=ConsultationKind.THIRD_PARTY,
        party="某某有限公司",
        on=D(2024, 3, 8),
    )
    assert consulting.status == Status.CONSULTING
    # Stopped at the latest until the third party's 15 working days end (11–15, 18–22, 25–29).
    assert consulting.paused_until == D(2024, 3, 29)
    assert consulting.clock_paused(D(2024, 3, 15))
    back = services.application_end_consultation(
        application=consulting, actor=alice, on=D(2024, 3, 15), opinion="不同意"
    )
    assert back.status == Status.IN_PROGRESS
    assert back.paused_until is None
    assert not back.clock_paused(D(2024, 3, 15))
    # Five working days (03-11..03-15) are excluded from the clock.
    assert back.due_date == D(2024, 4, 9)  # +5 working days (03-11..03-15); 04-04/05 are Qingming
    # The third party's name is for the clerks only, never in the steps shown to the applicant.
    steps = " ".join(s.text for s in services.application_deadline(application=back).steps)
    assert "某某有限公司" not in steps


def test_other_organ_consultation_is_logged_with_its_kind(received, alice):
    consulting = services.application_start_consultation(
        application=received,
        actor=alice,
        kind=ConsultationKind.OTHER_ORGAN,
        party="市财政局",
        on=D(2024, 3, 8),
    )
    assert kinds(consulting)[-1] == EventKind.ORGAN_CONSULTED


def test_reply_refused_while_consulting(received, alice):
    services.application_start_consultation(
        application=received, actor=alice, kind=ConsultationKind.THIRD_PARTY, party="x", on=D(2024, 3, 8)
    )
    with pytest.raises(ValidationError, match="意见返回"):
        services.application_reply(
            application=received, actor=alice, outcome=Outcome.DISCLOSED, reply_date=D(2024, 3, 20), text="a"
        )


def test_fee_by_items_counts_the_month_of_the_applicant(organ_a, alice):
    person = applicant_fields()
    first = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 4), **person)
    services.application_send_fee_notice(
        application=first, actor=alice, method=FeeMethod.PER_ITEM, quantity=25, on=D(2024, 3, 6)
    )
    second = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 11), **person)
    noticed = services.application_send_fee_notice(
        application=second, actor=alice, method=FeeMethod.PER_ITEM, quantity=10, on=D(2024, 3, 12)
    )
    # Items 26..35 of the month: 5×100 + 5×200 (109号 第四条).
    assert noticed.fee_amount == Decimal("1500.00")
    assert noticed.status == Status.AWAITING_PAYMENT
    assert noticed.paused_until == noticed.fee_due
    assert noticed.clock_paused(D(2024, 3, 12))
    assert noticed.fee_due == D(2024, 4, 10)  # 20 working days after the notice, Qingming off


def test_fee_by_pages_and_never_twice(received, alice):
    noticed = services.application_send_fee_notice(
        application=received, actor=alice, method=FeeMethod.PER_PAGE, quantity=250, on=D(2024, 3, 6)
    )
    assert noticed.fee_amount == Decimal("4700.00")
    paid = services.application_record_payment(
        application=noticed, actor=alice, paid_on=D(2024, 3, 8), receipt_number="No.0001"
    )
    assert paid.status == Status.IN_PROGRESS
    with pytest.raises(ValidationError, match="重复计费"):
        services.application_send_fee_notice(
            application=paid, actor=alice, method=FeeMethod.PER_ITEM, quantity=40, on=D(2024, 3, 11)
        )


def test_fee_notice_refused_when_free(received, alice):
    with pytest.raises(ValidationError, match="不收取信息处理费"):
        services.application_send_fee_notice(
            application=received, actor=alice, method=FeeMethod.PER_PAGE, quantity=30, on=D(2024, 3, 6)
        )


def test_payment_refused_after_due_and_then_closed_as_unpaid(received, alice):
    noticed = services.application_send_fee_notice(
        application=received, actor=alice, method=FeeMethod.PER_PAGE, quantity=100, on=D(2024, 3, 6)
    )
    with pytest.raises(ValidationError, match="缴费期限已于"):
        services.application_record_payment(
            application=noticed,
            actor=alice,
            paid_on=noticed.fee_due + dt.timedelta(days=1),
            receipt_number="1",
        )
    with pytest.raises(ValidationError, match="尚未届满"):
        services.application_close_for_no_payment(application=noticed, actor=alice, on=noticed.fee_due)
    closed = services.application_close_for_no_payment(
        application=noticed, actor=alice, on=noticed.fee_due + dt.timedelta(days=1)
    )
    assert closed.outcome == Outcome.FEE_UNPAID
    assert closed.report_row == "r6_2"
    assert closed.fee_paid_on is None


def test_reply_closes_with_document(received, alice):
    replied = services.application_reply(
        application=received,
        actor=alice,
        outcome=Outcome.PARTIALLY_DISCLOSED,
        reply_date=D(2024, 3, 20),
        text="部分公开。",
        document=ContentFile(b"%PDF-1.4 reply", name="答复书.pdf"),
    )
    assert replied.status == Status.ANSWERED
    assert replied.closed_on == D(2024, 3, 20)
    assert replied.report_row == "r2"
    assert replied.reply_document.read() == b"%PDF-1.4 reply"


def test_reply_requires_text_or_document(received, alice):
    with pytest.raises(ValidationError, match="答复书或填写答复内容"):
        services.application_reply(
            application=received, actor=alice, outcome=Outcome.DISCLOSED, reply_date=D(2024, 3, 20)
        )


def test_reply_refuses_system_outcomes(received, alice):
    with pytest.raises(ValidationError, match="请选择答复结果"):
        services.application_reply(
            application=received, actor=alice, outcome=Outcome.WITHDRAWN, reply_date=D(2024, 3, 20), text="a"
        )


def test_reply_unclear_after_correction_needs_a_correction(received, alice):
    with pytest.raises(ValidationError, match="未曾补正"):
        services.application_reply(
            application=received,
            actor=alice,
            outcome=Outcome.UNCLEAR_AFTER_CORRECTION,
            reply_date=D(2024, 3, 20),
            text="a",
        )


def test_reply_refuses_a_date_before_receipt(received, alice):
    with pytest.raises(ValidationError, match="不能早于收到申请之日"):
        services.application_reply(
            application=received, actor=alice, outcome=Outcome.DISCLOSED, reply_date=D(2024, 3, 1), text="a"
        )


def test_withdraw_by_applicant_and_not_twice(received):
    withdrawn = services.application_withdraw(application=received, on=D(2024, 3, 6), reason="不需要了")
    assert withdrawn.status == Status.WITHDRAWN
    assert withdrawn.report_row == "r6_3"
    assert withdrawn.events.latest("at", "pk").actor_label == "申请人"
    with pytest.raises(ValidationError, match="已经办结"):
        services.application_withdraw(application=withdrawn)


def test_withdraw_before_confirmation(online):
    withdrawn = services.application_withdraw(application=online)
    assert withdrawn.status == Status.WITHDRAWN
    assert withdrawn.received_on is None


def test_stale_version_is_refused_with_a_clear_message(received, alice):
    seen = received.version
    services.application_add_note(
        application=received, actor=alice, text="电话联系申请人", expected_version=seen
    )
    with pytest.raises(ValidationError, match="已被其他工作人员修改"):
        services.application_extend(
            application=received,
            actor=alice,
            approver="王主任",
            notice_date=D(2024, 3, 20),
            days=5,
            expected_version=seen,
        )
    assert not received.events.filter(kind=EventKind.EXTENDED).exists()


def test_update_logs_field_names_not_values(received, alice):
    updated = services.application_update(
        application=received, actor=alice, expected_version=received.version, phone="13700000000"
    )
    assert updated.phone == "13700000000"
    event = updated.events.latest("at", "pk")
    assert event.kind == EventKind.UPDATED
    assert event.data == {"fields": ["phone"]}


def test_events_are_append_only(received):
    event = received.events.first()
    event.data = {"tampered": True}
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        received.events.update(day=D(2020, 1, 1))
    with pytest.raises(TypeError):
        received.events.all().delete()


def test_dates_in_the_future_are_refused(received, alice):
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.application_reply(
            application=received, actor=alice, outcome=Outcome.DISCLOSED, reply_date=D(2099, 1, 1), text="a"
        )
