import datetime as dt
import io

from django.core import mail
from django.core.management import CommandError, call_command

import pytest
import time_machine

from tests.factories.applications import ApplicationFactory

D = dt.date


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2024, 3, 27, 10, 0, tzinfo=dt.UTC)):
        yield


def test_reminders_go_to_the_clerks_of_each_organ(organ_a, organ_b, alice, bob, frozen, settings):
    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend", "OPTIONS": {}}
    }
    soon = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 4))  # due 04-01
    late = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 2, 1))
    ApplicationFactory(organ=organ_b, actor=bob, received_on=D(2024, 3, 25))  # neither soon nor late
    out = io.StringIO()
    call_command("send_deadline_reminders", stdout=out)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [alice.email]
    assert "逾期1件，即将到期1件" in message.subject
    assert soon.tracking_code in message.body and late.tracking_code in message.body
    assert soon.phone not in message.body and soon.applicant_name not in message.body
    assert "1 reminder(s) sent." in out.getvalue()


def test_reminders_dry_run_sends_nothing(organ_a, alice, frozen):
    ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 2, 1))
    out = io.StringIO()
    call_command("send_deadline_reminders", "--dry-run", stdout=out)
    assert len(mail.outbox) == 0
    assert "[dry-run] To: alice@example.gov.cn" in out.getvalue()


def test_reminders_refuse_an_unknown_organ(db):
    with pytest.raises(CommandError):
        call_command("send_deadline_reminders", "--organ", "nope", stdout=io.StringIO())
