import datetime as dt

from django.contrib.auth.models import Permission
from django.urls import reverse

import pytest
import time_machine

from apps.applications.enums import EventKind, Status
from apps.applications.models import Application
from apps.workdays.calendar import add_working_days
from tests.factories.applications import ApplicationFactory, applicant_fields

D = dt.date
CHANGELIST = "admin:applications_application_changelist"


def change_url(application):
    return reverse("admin:applications_application_change", args=[application.pk])


def transition_url(application, action):
    return reverse("admin:applications_application_transition", args=[application.pk, action])


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2024, 3, 27, 10, 0, tzinfo=dt.UTC)):
        yield


def test_changelist_query_count_is_flat(client, alice, organ_a, django_assert_num_queries, frozen):
    client.force_login(alice)
    ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 4))
    add_working_days(D(2024, 3, 27), 5)  # warm the per-process calendar cache
    with django_assert_num_queries(14):
        response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 5))
    ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 2, 1))
    with django_assert_num_queries(14):
        response = client.get(reverse(CHANGELIST))
    assert response.content.decode().count("field-tracking_code") == 3


def test_changelist_masks_applicants_and_flags_overdue(client, alice, organ_a, frozen):
    late = ApplicationFactory(
        organ=organ_a, actor=alice, received_on=D(2024, 2, 1), applicant_name="欧阳小明"
    )
    client.force_login(alice)
    content = client.get(reverse(CHANGELIST)).content.decode()
    assert "欧***" in content
    assert "欧阳小明" not in content
    assert late.phone not in content
    assert 'alt="True"' in content  # the overdue flag
    overdue = client.get(reverse(CHANGELIST), {"due": "overdue"}).content.decode()
    assert late.tracking_code in overdue


def test_due_soon_filter(client, alice, organ_a, frozen):
    soon = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 4))
    later = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 25))
    client.force_login(alice)
    content = client.get(reverse(CHANGELIST), {"due": "soon"}).content.decode()
    assert soon.tracking_code in content
    assert later.tracking_code not in content


def test_clerks_see_only_their_organ(client, alice, bob, organ_a):
    mine = ApplicationFactory(organ=organ_a, actor=alice)
    client.force_login(bob)
    assert mine.tracking_code not in client.get(reverse(CHANGELIST)).content.decode()
    assert client.get(change_url(mine)).status_code == 302  # admin redirects a missing object
    response = client.post(transition_url(mine, "note"), {"version": mine.version, "text": "x"})
    assert response.status_code == 404
    assert not mine.events.filter(kind=EventKind.NOTE).exists()


def test_charlie_without_organ_sees_nothing(client, charlie, organ_a, alice):
    ApplicationFactory(organ=organ_a, actor=alice)
    client.force_login(charlie)
    assert client.get(reverse(CHANGELIST)).status_code == 403


def test_change_page_shows_computation_log_and_transitions(client, alice, organ_a):
    application = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 4))
    client.force_login(alice)
    content = client.get(change_url(application)).content.decode()
    assert "答复期限的计算" in content
    assert "法定答复期限" in content
    assert "2024-04-01" in content
    assert transition_url(application, "correction") in content
    assert transition_url(application, "confirm") not in content
    assert "办理记录" in content


def test_transitions_through_the_admin(client, alice, organ_a):
    application = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 4))
    client.force_login(alice)
    response = client.post(
        transition_url(application, "correction"),
        {"version": application.version, "on": "2024-03-05", "items": "请说明年份。", "period_days": 10},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.AWAITING_CORRECTION
    refused = client.post(transition_url(application, "reply"), {"version": application.version})
    assert refused.status_code == 302  # wrong status: back to the change page with a message
    application.refresh_from_db()
    assert application.status == Status.AWAITING_CORRECTION


def test_transition_refusal_is_shown_in_the_form(client, alice, organ_a):
    application = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 4))
    client.force_login(alice)
    response = client.post(
        transition_url(application, "correction"),
        {"version": application.version, "on": "2024-03-20", "items": "x", "period_days": 10},
    )
    assert response.status_code == 200
    assert "7个工作日" in response.content.decode()


def test_stale_transition_form_is_refused(client, alice, organ_a):
    application = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 4))
    client.force_login(alice)
    seen = application.version
    client.post(transition_url(application, "note"), {"version": seen, "text": "第一位工作人员"})
    response = client.post(
        transition_url(application, "extend"),
        {"version": seen, "approver": "王主任", "notice_date": "2024-03-20", "days": 10},
    )
    assert "已被其他工作人员修改" in response.content.decode()
    assert not application.events.filter(kind=EventKind.EXTENDED).exists()


def _change_form_data(application, **changes):
    data = {name: getattr(application, name) for name in applicant_fields()}
    data.update(version=application.version, **changes)
    data.update({
        "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0", "events-MIN_NUM_FORMS": "0", "events-MAX_NUM_FORMS": "0",
    })  # fmt: skip
    return {k: ("" if v is None else v) for k, v in data.items()}


def test_two_clerks_editing_at_once_never_lose_a_change(client, alice, organ_a):
    application = ApplicationFactory(organ=organ_a, actor=alice)
    client.force_login(alice)
    first = _change_form_data(application, phone="13700000001")
    second = _change_form_data(application, address="黑龙江省牡丹江市西安区新地址1号")
    assert client.post(change_url(application), first).status_code == 302
    response = client.post(change_url(application), second)
    assert response.status_code == 200
    assert "已被其他工作人员修改" in response.content.decode()
    application.refresh_from_db()
    assert application.phone == "13700000001"
    assert application.address != "黑龙江省牡丹江市西安区新地址1号"
    assert application.events.filter(kind=EventKind.UPDATED).count() == 1


def test_register_in_person_through_the_admin(client, alice, organ_a):
    client.force_login(alice)
    assert client.get(reverse("admin:applications_application_add")).status_code == 302
    data = {k: v for k, v in applicant_fields().items()}
    data.update(
        organ=organ_a.pk, channel="in_person", submitted_on="2024-03-04", received_on="2024-03-04", note=""
    )
    response = client.post(reverse("admin:applications_application_register"), data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.status == Status.IN_PROGRESS
    assert application.organ == organ_a
    assert application.events.first().actor == alice


def test_register_refuses_another_organ(client, alice, organ_a, organ_b):
    client.force_login(alice)
    data = dict(
        applicant_fields(), organ=organ_b.pk, channel="fax", submitted_on="2024-03-04", received_on=""
    )
    response = client.post(reverse("admin:applications_application_register"), data)
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_personal_data_masked_without_permission(client, alice, organ_a):
    alice.user_permissions.remove(Permission.objects.get(codename="view_personal_data"))
    application = ApplicationFactory(organ=organ_a, actor=alice)
    client.force_login(alice)
    content = client.get(change_url(application)).content.decode()
    assert application.id_number not in content
    assert application.phone not in content
    export = client.post(reverse(CHANGELIST), {"action": "export_csv", "_selected_action": [application.pk]})
    csv_text = export.content.decode("utf-8-sig")
    assert application.id_number not in csv_text
    assert application.tracking_code in csv_text
    alice.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    alice = type(alice).objects.get(pk=alice.pk)  # drop the cached permissions
    client.force_login(alice)
    export = client.post(reverse(CHANGELIST), {"action": "export_csv", "_selected_action": [application.pk]})
    assert application.id_number in export.content.decode("utf-8-sig")


def test_events_cannot_be_deleted_or_edited_in_the_admin(client, alice, organ_a):
    application = ApplicationFactory(organ=organ_a, actor=alice)
    client.force_login(alice)
    content = client.get(change_url(application)).content.decode()
    assert 'name="events-0-DELETE"' not in content
    assert 'name="events-0-kind"' not in content


def test_reply_document_is_served_only_to_the_organ(client, alice, bob, organ_a):
    from django.core.files.base import ContentFile

    from apps.applications import services
    from apps.applications.enums import Outcome

    application = ApplicationFactory(organ=organ_a, actor=alice, received_on=D(2024, 3, 4))
    services.application_reply(
        application=application,
        actor=alice,
        outcome=Outcome.DISCLOSED,
        reply_date=D(2024, 3, 8),
        document=ContentFile(b"reply", name="reply.pdf"),
    )
    url = reverse("admin:applications_application_reply_document", args=[application.pk])
    client.force_login(alice)
    assert url in client.get(change_url(application)).content.decode()
    assert b"".join(client.get(url).streaming_content) == b"reply"
    client.force_login(bob)
    assert client.get(url).status_code == 404
