"""The admin's side doors: query-string lookups, ordering and search on masked fields, the
"view on site" redirect, the raw-id widget's label, and applicants' names in case lists.

Personas (tests/conftest.py): Alice is a clerk of organ A (with the personal-data permission
unless a test takes it away), Bob a clerk of organ B, Charlie a staff user with no organ and
no permission, Root the superuser.
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

import pytest

from apps.applications.models import Application
from apps.catalog.models import CatalogEntry
from apps.litigation.models import Case
from apps.organs.admin_scoping import DeclaredFiltersOnly
from tests.factories import CatalogEntryFactory
from tests.factories.applications import ApplicationFactory, resident_id
from tests.factories.records import CaseFactory
from tests.factories.reports import AnnualReportFactory

pytestmark = pytest.mark.django_db

APPLICATIONS = reverse("admin:applications_application_changelist")
CASES = reverse("admin:litigation_case_changelist")


def without_personal_data(user):
    user.user_permissions.remove(Permission.objects.get(codename="view_personal_data"))
    return type(user).objects.get(pk=user.pk)  # drop the cached permissions


@pytest.fixture
def mine(alice, organ_a):
    return ApplicationFactory(
        organ=organ_a,
        actor=alice,
        applicant_name="王小明",
        phone="13812345678",
        id_number=resident_id(serial=123),
    )


@pytest.fixture
def theirs(bob, organ_b):
    return ApplicationFactory(organ=organ_b, actor=bob, applicant_name="赵大海")


# Lookups in the query string ------------------------------------------------------------------

PROBES = [
    "id_number__startswith=2310",
    "id_number__contains=1985",
    "id_number__regex=^23",
    "id_number__gt=2310",
    "id_number__lt=2311",
    "phone__startswith=138",
    "email__icontains=example",
    "address__startswith=黑龙江",
    "applicant_name__startswith=王",
    "applicant_name=王小明",
    "organ__name__startswith=牡丹江",
    "organ__code__gt=1",
    "events__data__icontains=王",
    "tracking_code__startswith=A",
]


@pytest.mark.parametrize("probe", PROBES)
def test_undeclared_lookups_on_applications_answer_400(client, alice, mine, probe):
    client.force_login(without_personal_data(alice))
    response = client.get(f"{APPLICATIONS}?{probe}")
    assert response.status_code == 400
    assert mine.tracking_code not in response.text
    assert "王" not in response.text


@pytest.mark.parametrize("probe", ["id_number__startswith=2310", "phone__startswith=138"])
def test_undeclared_lookups_answer_400_even_to_the_superuser(client, root, mine, probe):
    client.force_login(root)
    assert client.get(f"{APPLICATIONS}?{probe}").status_code == 400


@pytest.mark.parametrize(
    ("url", "probe"),
    [
        (CASES, "applicant__startswith=李"),
        (CASES, "applicant__regex=^李"),
        (CASES, "application__id_number__startswith=23"),
        (reverse("admin:catalog_catalogentry_changelist"), "body__contains=机密"),
        (reverse("admin:catalog_catalogentry_changelist"), "organ__id__exact=1&organ__code__gt=0"),
        (reverse("admin:proposals_proposal_changelist"), "proposers__startswith=张"),
        (reverse("admin:organs_organ_changelist"), "email__startswith=a"),
        (reverse("admin:organs_membership_changelist"), "user__password__startswith=md5"),
    ],
)
def test_undeclared_lookups_answer_400_in_every_admin(client, root, url, probe):
    client.force_login(root)
    assert client.get(f"{url}?{probe}").status_code == 400


def test_declared_filters_still_work(client, alice, organ_a, mine):
    client.force_login(without_personal_data(alice))
    for query in (
        "status__exact=in_progress",
        "due=overdue",
        "channel__exact=in_person",
        f"organ__id__exact={organ_a.pk}",
        "received_on__year=2024&received_on__month=3",
    ):
        response = client.get(f"{APPLICATIONS}?{query}")
        assert response.status_code == 200, query
        assert "e=1" not in response.get("Location", "")


def test_a_declared_filter_narrows_the_list(client, alice, organ_a, mine):
    client.force_login(alice)
    assert mine.tracking_code in client.get(f"{APPLICATIONS}?received_on__year=2024").text
    assert mine.tracking_code not in client.get(f"{APPLICATIONS}?received_on__year=2023").text


# Search and ordering on masked fields ---------------------------------------------------------


@pytest.mark.parametrize("term", ["231002", "1985", "13812345678", "王小明", "太平路"])
def test_search_does_not_look_into_personal_data(client, alice, mine, term):
    client.force_login(without_personal_data(alice))
    response = client.get(APPLICATIONS, {"q": term})
    assert response.status_code == 200
    assert mine.tracking_code not in response.text


def test_search_finds_the_tracking_code(client, alice, mine):
    client.force_login(without_personal_data(alice))
    assert mine.tracking_code in client.get(APPLICATIONS, {"q": mine.tracking_code}).text


def _order_of(html: str, names: list[str]) -> list[str]:
    return sorted(names, key=lambda name: html.index(name))


def test_cases_cannot_be_ordered_by_a_masked_name(client, alice, organ_a):
    # Filed oldest to newest in the reverse of the names' order.
    for day, name in enumerate(["孙三", "钱二", "赵一"], start=1):
        CaseFactory(organ=organ_a, applicant=name, filed_date=dt.date(2024, 3, day))
    client.force_login(without_personal_data(alice))
    default = client.get(CASES).text
    masked = ["赵*", "钱*", "孙*"]  # newest first
    assert _order_of(default, masked) == masked
    assert "column-masked_applicant" in default
    assert not re.search(r'class="[^"]*sortable[^"]*column-masked_applicant', default)
    for column in range(12):
        for sign in ("", "-"):
            page = client.get(CASES, {"o": f"{sign}{column}"})
            assert page.status_code == 200
            if all(name in page.text for name in masked) and "column-filed_date sorted" not in page.text:
                assert _order_of(page.text, masked) == masked, f"o={sign}{column}"


def test_application_list_is_not_sortable_by_the_masked_applicant(client, alice, organ_a):
    client.force_login(without_personal_data(alice))
    page = client.get(APPLICATIONS).text
    assert not re.search(r'class="[^"]*sortable[^"]*column-masked_applicant', page)


# Case lists: applicants' names -----------------------------------------------------------------


@pytest.fixture
def case(organ_a):
    return CaseFactory(organ=organ_a, applicant="李建国", filed_date=dt.date(2024, 3, 1))


def test_case_list_masks_the_name_without_the_permission(client, alice, case):
    client.force_login(without_personal_data(alice))
    listing = client.get(CASES).text
    assert "李**" in listing
    assert "李建国" not in listing
    searched = client.get(CASES, {"q": "李建国"})  # the name is not searched
    assert searched.context["cl"].result_count == 0
    assert "李**" not in searched.text


def test_case_change_form_masks_the_name_without_the_permission(client, alice, case):
    client.force_login(without_personal_data(alice))
    page = client.get(reverse("admin:litigation_case_change", args=[case.pk])).text
    assert "李建国" not in page
    assert "李**" in page
    assert 'name="applicant"' not in page


def test_case_list_shows_and_searches_the_name_with_the_permission(client, alice, case):
    client.force_login(alice)
    assert "李建国" in client.get(CASES).text
    assert "李建国" in client.get(CASES, {"q": "李建"}).text
    page = client.get(reverse("admin:litigation_case_change", args=[case.pk])).text
    assert 'name="applicant"' in page and 'value="李建国"' in page


def test_a_case_without_number_is_named_with_the_masked_applicant(case):
    assert str(case) == "行政复议 李** 2024-03-01"


def test_report_drill_down_masks_the_applicant(client, alice, organ_a, case):
    report = AnnualReportFactory(organ=organ_a, year=2024)
    client.force_login(without_personal_data(alice))
    url = reverse("admin:reports_annualreport_cell", args=[report.pk])
    page = client.get(url, {"table": "table4", "group": "review", "measure": "total"}).text
    assert "李**" in page
    assert "李建国" not in page


# The raw-id widget ----------------------------------------------------------------------------


def test_raw_id_field_does_not_name_another_organs_application(client, alice, organ_a, theirs):
    client.force_login(alice)
    response = client.post(
        reverse("admin:litigation_case_add"),
        {
            "organ": organ_a.pk,
            "kind": "review",
            "route": "",
            "case_number": "",
            "applicant": "李某",
            "application": theirs.pk,
            "application_reference": "",
            "filed_date": "2024-03-01",
            "result": "pending",
            "decided_date": "",
            "note": "",
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
            "documents-MIN_NUM_FORMS": "0",
            "documents-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert not Case.objects.exists()
    assert theirs.tracking_code not in response.text


def test_raw_id_field_names_an_own_application(client, alice, organ_a, mine):
    case = CaseFactory(organ=organ_a, application=mine)
    client.force_login(alice)
    page = client.get(reverse("admin:litigation_case_change", args=[case.pk])).text
    assert mine.tracking_code in page


# The "view on site" redirect --------------------------------------------------------------------


def view_on_site(obj) -> str:
    content_type = ContentType.objects.get_for_model(type(obj))
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


@pytest.fixture
def draft(organ_a):
    return CatalogEntryFactory(organ=organ_a, publish=False, title="尚未发布的草稿")


def test_the_redirect_is_ours(mine):
    assert view_on_site(mine) == f"/admin/r/{ContentType.objects.get_for_model(Application).pk}/{mine.pk}/"


def test_anonymous_is_sent_to_the_login(client, mine, draft):
    for obj in (mine, draft):
        response = client.get(view_on_site(obj))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        assert mine.tracking_code not in response["Location"]


@pytest.mark.parametrize("persona", ["bob", "charlie"])
def test_others_get_404_for_applications_and_drafts(client, request, mine, draft, persona):
    client.force_login(request.getfixturevalue(persona))
    for obj in (mine, draft):
        response = client.get(view_on_site(obj))
        assert response.status_code == 404
        assert mine.tracking_code not in response.text
        assert draft.index_number not in response.text


def test_own_clerk_without_the_view_permission_gets_404(client, alice, mine, draft):
    alice.user_permissions.remove(
        *Permission.objects.filter(codename__in=["view_application", "change_application"])
    )
    client.force_login(type(alice).objects.get(pk=alice.pk))
    assert client.get(view_on_site(mine)).status_code == 404


@pytest.mark.parametrize("persona", ["alice", "root"])
def test_own_clerk_and_superuser_are_redirected(client, request, mine, draft, persona):
    client.force_login(request.getfixturevalue(persona))
    for obj in (mine, draft):
        response = client.get(view_on_site(obj))
        assert response.status_code == 302
        assert response["Location"] == f"http://testserver{obj.get_absolute_url()}"


def test_unknown_content_types_and_objects_are_404(client, root, mine):
    client.force_login(root)
    content_type = ContentType.objects.get_for_model(Application)
    assert client.get(f"/admin/r/{content_type.pk}/999999/").status_code == 404
    assert client.get(f"/admin/r/{content_type.pk}/abc/").status_code == 404
    assert client.get("/admin/r/999999/1/").status_code == 404
    unregistered = ContentType.objects.get_for_model(Permission)
    assert client.get(f"/admin/r/{unregistered.pk}/1/").status_code == 404


# Every admin of the project declares its lookups ---------------------------------------------------


def test_every_project_admin_accepts_only_declared_filters():
    project = [ma for model, ma in admin.site._registry.items() if model.__module__.startswith("apps.")]
    assert len(project) > 10
    assert [type(ma).__name__ for ma in project if not isinstance(ma, DeclaredFiltersOnly)] == []
    assert CatalogEntry in admin.site._registry
