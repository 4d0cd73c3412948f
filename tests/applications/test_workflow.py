"""The workflow is declared once (apps.applications.workflow); the admin, the services and the
deadline engine read it."""

from django.urls import reverse

from apps.applications import workflow
from apps.applications.admin.pages import TRANSITION_PAGES
from apps.applications.enums import ClockEventKind, Status


def test_every_back_office_transition_has_its_page():
    assert TRANSITION_PAGES.keys() == workflow.BACK_OFFICE.keys()


def test_every_clock_event_but_the_on_the_spot_reply_comes_from_a_transition():
    assert set(workflow.CLOCK_KINDS.values()) == set(ClockEventKind) - {ClockEventKind.ON_THE_SPOT}


def test_the_buttons_of_an_application_in_progress_are_what_the_workflow_allows(client, alice, received):
    client.force_login(alice)
    content = client.get(
        reverse("admin:applications_application_change", args=[received.pk])
    ).content.decode()
    shown = {slug for slug in workflow.BACK_OFFICE if f'data-transition="{slug}"' in content}
    assert shown == {"correction", "extend", "consult", "fee", "reply", "withdraw", "note"}
    assert shown == {slug for slug, t in workflow.BACK_OFFICE.items() if t.allows(Status.IN_PROGRESS)}
