import datetime as dt

from django.core.files.base import ContentFile
from django.urls import reverse

import pytest

from apps.litigation import services
from apps.litigation.enums import CaseKind, Result, Route
from apps.litigation.models import Case, CaseDocument
from tests.factories.applications import ApplicationFactory
from tests.factories.records import CaseFactory

pytestmark = pytest.mark.django_db


def _case_form(organ, **overrides):
    data = {
        "organ": organ.pk,
        "kind": CaseKind.LITIGATION,
        "route": Route.AFTER_REVIEW,
        "case_number": "（2024）黑1002行初45号",
        "applicant": "李某",
        "application": "",
        "application_reference": "2024-0012",
        "filed_date": "2024-03-01",
        "result": Result.PENDING,
        "decided_date": "",
        "note": "",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "1000",
    }
    return data | overrides


@pytest.fixture
def bobs_case(organ_b):
    case = CaseFactory(organ=organ_b, applicant="赵某（乙机关案件）", case_number="B-1")
    services.case_document_add(
        case=case, title="行政复议决定书", file=ContentFile(b"%PDF-1.4 b", name="x.pdf")
    )
    return case


def test_alice_lists_only_her_cases(client, alice, organ_a, bobs_case):
    CaseFactory(organ=organ_a, applicant="钱某（甲机关案件）")
    client.force_login(alice)
    response = client.get(reverse("admin:litigation_case_changelist"))
    assert "钱某（甲机关案件）" in response.text
    assert "赵某（乙机关案件）" not in response.text


def test_alice_cannot_change_or_download_bobs_case(client, alice, organ_a, bobs_case):
    client.force_login(alice)
    client.post(reverse("admin:litigation_case_change", args=[bobs_case.pk]), _case_form(organ_a))
    bobs_case.refresh_from_db()
    assert bobs_case.applicant == "赵某（乙机关案件）"
    document = bobs_case.documents.get()
    response = client.get(reverse("admin:litigation_case_document", args=[bobs_case.pk, document.pk]))
    assert response.status_code == 404


def test_bob_downloads_his_document_under_its_title(client, bob, bobs_case):
    document = bobs_case.documents.get()
    client.force_login(bob)
    response = client.get(reverse("admin:litigation_case_document", args=[bobs_case.pk, document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 b"
    assert "attachment" in response["Content-Disposition"]


def test_alice_adds_a_case_with_a_document(client, alice, organ_a):
    client.force_login(alice)
    upload = ContentFile(b"%PDF-1.4 a", name="qisuzhuang.pdf")
    data = _case_form(
        organ_a,
        **{
            "documents-TOTAL_FORMS": "1",
            "documents-0-title": "起诉状",
            "documents-0-file": upload,
        },
    )
    response = client.post(reverse("admin:litigation_case_add"), data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.organ, case.route, case.application_reference) == (organ_a, Route.AFTER_REVIEW, "2024-0012")
    document = CaseDocument.objects.get()
    assert document.title == "起诉状"
    assert document.file.read() == b"%PDF-1.4 a"
    assert "qisuzhuang" not in document.file.name  # stored under a random name


def test_a_decided_case_without_date_gets_a_clear_message(client, alice, organ_a):
    client.force_login(alice)
    response = client.post(reverse("admin:litigation_case_add"), _case_form(organ_a, result=Result.UPHELD))
    assert response.status_code == 200
    assert "已审结的案件须填写审结日期。" in response.text
    assert not Case.objects.exists()


def test_a_document_of_a_forbidden_type_is_refused(client, alice, organ_a):
    client.force_login(alice)
    data = _case_form(
        organ_a,
        **{
            "documents-TOTAL_FORMS": "1",
            "documents-0-title": "脚本",
            "documents-0-file": ContentFile(b"echo", name="run.sh"),
        },
    )
    response = client.post(reverse("admin:litigation_case_add"), data)
    assert response.status_code == 200
    assert "文件「run.sh」的类型不允许上传" in response.text
    assert not Case.objects.exists()


def test_alice_cannot_file_a_case_for_bobs_organ(client, alice, organ_b):
    client.force_login(alice)
    response = client.post(reverse("admin:litigation_case_add"), _case_form(organ_b))
    assert response.status_code == 200
    assert not Case.objects.exists()


@pytest.mark.parametrize("n", [1, 3])
def test_case_changelist_query_count_does_not_grow(client, alice, organ_a, n, django_assert_num_queries):
    for i in range(n):
        CaseFactory(organ=organ_a, filed_date=dt.date(2024, 3, 1 + i))
    client.force_login(alice)
    url = reverse("admin:litigation_case_changelist")
    client.get(url)
    with django_assert_num_queries(12):
        response = client.get(url)
    assert response.text.count('class="action-select"') == n


def test_alice_cannot_link_bobs_application(client, alice, organ_a, organ_b):
    theirs = ApplicationFactory(organ=organ_b)
    client.force_login(alice)
    response = client.post(
        reverse("admin:litigation_case_add"), _case_form(organ_a, application=str(theirs.pk))
    )
    assert response.status_code == 200
    assert not Case.objects.exists()
    own = ApplicationFactory(organ=organ_a)
    response = client.post(reverse("admin:litigation_case_add"), _case_form(organ_a, application=str(own.pk)))
    assert response.status_code == 302
    assert Case.objects.get().application == own
