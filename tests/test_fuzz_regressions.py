"""The 500s the issue named and the fuzz test (tests/test_fuzz.py) found, each pinned to its clear answer."""

from __future__ import annotations

import datetime as dt
import os

from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

import pytest

from apps.applications import services as application_services
from apps.applications.enums import Outcome
from apps.organs.models import Membership
from apps.proposals.models import Proposal
from apps.reports import services as report_services
from tests.factories import CatalogEntryFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.records import ProposalFactory, YearTallyFactory
from tests.factories.reports import AnnualReportFactory, fill_required_sections

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def quiet_client():
    """A client that shows a 500 as a 500 instead of raising the view's exception."""
    return Client(raise_request_exception=False)


# A proposal dated 9999-12-31 ----------------------------------------------------------------------


def _proposal_form(organ, **overrides):
    data = {
        "organ": organ.pk,
        "kind": "cppcc",
        "session": "十三届二次会议",
        "number": "第0088号",
        "title": "关于加大招商引资力度的提案",
        "proposers": "张委员",
        "role": "lead",
        "assigned_date": "2018-03-20",
    }
    return data | overrides


@pytest.mark.parametrize("day", ["9999-12-31", "9999-07-01"])
def test_a_proposal_assigned_too_late_to_have_a_reply_period_is_refused_with_a_message(
    quiet_client, alice, organ_a, day
):
    quiet_client.force_login(alice)
    response = quiet_client.post(
        reverse("admin:proposals_proposal_add"), _proposal_form(organ_a, assigned_date=day)
    )
    assert response.status_code == 200
    assert "日期过晚，无法计算答复期限。" in response.text
    assert not Proposal.objects.exists()


def test_a_proposal_assigned_on_the_last_computable_day_is_saved(quiet_client, alice, organ_a):
    quiet_client.force_login(alice)
    response = quiet_client.post(
        reverse("admin:proposals_proposal_add"), _proposal_form(organ_a, assigned_date="9999-06-30")
    )
    assert response.status_code == 302
    assert Proposal.objects.get().due_date == dt.date(9999, 9, 30)


def test_a_feedback_date_too_late_for_the_redo_period_is_refused(alice, organ_a):
    from django.core.exceptions import ValidationError

    proposal = ProposalFactory(organ=organ_a)
    proposal.reply_date, proposal.result_code = dt.date(2024, 5, 1), "A"
    proposal.feedback, proposal.feedback_date = "dissatisfied", dt.date(9999, 12, 1)
    with pytest.raises(ValidationError) as error:
        proposal.full_clean()
    assert "feedback_date" in error.value.message_dict


# Admin list filters given junk ------------------------------------------------------------------

CHANGELIST_JUNK = [
    ("admin:proposals_proposal_changelist", {"assigned_date__year": "abc"}),
    ("admin:proposals_proposal_changelist", {"assigned_date__year": "99999999999999999999"}),
    ("admin:proposals_proposal_changelist", {"assigned_date__year": "2024", "assigned_date__month": "13"}),
    ("admin:proposals_proposal_changelist", {"deadline": "no-such-choice"}),
    ("admin:applications_application_changelist", {"organ__id__exact": "abc"}),
    ("admin:applications_application_changelist", {"organ__id__exact": "99999999999999999999"}),
    ("admin:applications_application_changelist", {"received_on__year": "-1"}),
    ("admin:applications_application_changelist", {"received_on__year": "99999999999999999999"}),
    ("admin:applications_application_changelist", {"p": "abc"}),
    ("admin:applications_application_changelist", {"o": "99.abc"}),
    ("admin:catalog_catalogentry_changelist", {"theme_top": "abc"}),
    ("admin:catalog_catalogentry_changelist", {"publish_date__year": "0"}),
    ("admin:catalog_catalogentry_changelist", {"q": "丁" * 2000}),
    ("admin:reports_annualreport_changelist", {"year__exact": "10000000000"}),
    ("admin:workdays_calendarday_changelist", {"date__year": "9999", "date__month": "12", "date__day": "32"}),
    ("admin:litigation_case_changelist", {"filed_date__gte": "9999-99-99"}),
    ("admin:proactive_publication_changelist", {"date__year": "١٢٣"}),  # Arabic-Indic digits
]


@pytest.mark.parametrize(("name", "params"), CHANGELIST_JUNK)
@pytest.mark.parametrize("persona", ["alice", "root"])
def test_admin_changelists_answer_junk_filters_without_an_error(quiet_client, request, persona, name, params):
    quiet_client.force_login(request.getfixturevalue(persona))
    response = quiet_client.get(reverse(name), params)
    assert response.status_code in {200, 302, 400}, response.status_code
    if response.status_code == 302:  # Django's "invalid lookup" answer: the list without the filter
        assert response["Location"].endswith("?e=1")
        assert quiet_client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("params", [{"organ__id__exact": "1\x00"}, {"q": "a\x00b"}])
def test_a_nul_byte_in_an_admin_filter_answers_400(quiet_client, root, params):
    quiet_client.force_login(root)
    response = quiet_client.get(reverse("admin:catalog_catalogentry_changelist"), params)
    assert response.status_code == 400
    assert "网址中含有无效字符" in response.text


# A posted value that is no key in an autocomplete field ---------------------------------------------


@pytest.mark.parametrize("user", [" ", "abc", "99999999999999999999"])
def test_a_membership_posted_with_a_user_that_is_no_key_shows_the_form_error(quiet_client, root, alice, user):
    membership = Membership.objects.get(user=alice)
    quiet_client.force_login(root)
    url = reverse("admin:organs_membership_change", args=[membership.pk])
    response = quiet_client.post(
        url, {"user": user, "organ": membership.organ_id, "version": membership.version}
    )
    assert response.status_code == 200
    assert "errornote" in response.text


# Stored files that went missing ------------------------------------------------------------------


def _remove(field_file) -> None:
    os.remove(field_file.path)


def test_a_report_pdf_missing_from_storage_answers_404(quiet_client, organ_a):
    YearTallyFactory(organ=organ_a, year=2024)
    report = fill_required_sections(AnnualReportFactory(organ=organ_a, year=2024))
    version = report_services.report_publish(report=report)
    url = reverse("reports:version_pdf", args=[organ_a.slug, 2024, version.number])
    assert quiet_client.get(url).status_code == 200

    _remove(version.pdf)
    assert quiet_client.get(url).status_code == 404


@pytest.fixture
def replied(organ_a, alice):
    return application_services.application_reply(
        application=ApplicationFactory(organ=organ_a, actor=alice),
        actor=alice,
        outcome=Outcome.DISCLOSED,
        reply_date=dt.date(2024, 3, 8),
        document=ContentFile(PDF, name="答复书.pdf"),
    )


def test_a_reply_document_missing_from_storage_answers_404_in_the_back_office(quiet_client, alice, replied):
    quiet_client.force_login(alice)
    url = reverse("admin:applications_application_reply_document", args=[replied.pk])
    assert quiet_client.get(url).status_code == 200

    _remove(replied.reply_document)
    assert quiet_client.get(url).status_code == 404


def test_a_reply_document_missing_from_storage_answers_404_to_the_applicant(quiet_client, replied):
    from apps.applications.views import SESSION_ACCESS

    session = quiet_client.session
    session[SESSION_ACCESS] = [replied.tracking_code]
    session.save()
    url = reverse("applications:reply_document", args=[replied.tracking_code])
    assert quiet_client.get(url).status_code == 200

    _remove(replied.reply_document)
    assert quiet_client.get(url).status_code == 404


# Odd methods, sizes and segments on the public pages ----------------------------------------------


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"])
def test_unsupported_methods_on_public_pages_answer_405_or_a_page(quiet_client, organ_a, method):
    entry = CatalogEntryFactory(organ=organ_a)
    for url in ["/", "/catalog/", entry.get_absolute_url(), "/apply/", "/reports/", "/proposals/"]:
        response = quiet_client.generic(method, url)
        assert response.status_code in {200, 405}, (url, response.status_code)


@pytest.mark.parametrize(
    "url",
    [
        "/proposals/99999999999999999999/",
        "/reports/jhj/99999999999999999999/",
        "/reports/jhj/2024/v99999999999999999999/",
        "/catalog/?page=99999999999999999999",
        "/catalog/?theme=99999999999999999999",
        "/proposals/?year=99999999999999999999",
        "/apply/status/" + "A" * 5000 + "/",
        "/catalog/%ED%A0%80/",  # a UTF-8-encoded surrogate
    ],
)
def test_out_of_range_numbers_and_odd_segments_answer_a_page_or_404(quiet_client, organ_a, url):
    assert quiet_client.get(url).status_code in {200, 302, 404}


def test_the_proposal_service_refuses_a_date_beyond_the_calendar_before_computing(organ_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        ProposalFactory(organ=organ_a, assigned_date=dt.date(9999, 12, 31))  # services.proposal_create
    assert error.value.message_dict == {"assigned_date": ["日期过晚，无法计算答复期限。"]}


# Found by the fuzz test -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params", [{"organ": ""}, {"organ": "abc"}, {"publish_date__year": "99999999999999999999"}]
)
def test_an_export_with_a_filter_django_cannot_apply_answers_400(quiet_client, root, organ_a, params):
    CatalogEntryFactory(organ=organ_a)
    quiet_client.force_login(root)
    response = quiet_client.get(reverse("admin:catalog_catalogentry_export"), params)
    assert response.status_code == 400


def test_an_export_with_a_valid_filter_still_answers_the_form(quiet_client, root, organ_a):
    quiet_client.force_login(root)
    response = quiet_client.get(
        reverse("admin:catalog_catalogentry_export"), {"organ__id__exact": organ_a.pk}
    )
    assert response.status_code == 200


def test_a_report_posted_back_with_a_version_row_without_its_id_shows_the_page(quiet_client, root, organ_a):
    YearTallyFactory(organ=organ_a, year=2024)
    report = fill_required_sections(AnnualReportFactory(organ=organ_a, year=2024))
    report_services.report_publish(report=report)
    quiet_client.force_login(root)
    url = reverse("admin:reports_annualreport_change", args=[report.pk])
    fields = _posted_back(quiet_client.get(url).text)
    fields = [(name, "" if name.endswith("-0-id") else value) for name, value in fields]
    response = quiet_client.post(url, dict(fields))
    assert response.status_code in {200, 302}


def _posted_back(html: str) -> list[tuple[str, str]]:
    from tests.fuzz import PageInputs

    parser = PageInputs()
    parser.feed(html)
    assert any(name.endswith("-0-id") for name, _value in parser.fields)
    return parser.fields
