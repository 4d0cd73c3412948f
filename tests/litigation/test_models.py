import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

import pytest

from apps.litigation import services
from apps.litigation.enums import CaseKind, Result, Route
from apps.litigation.models import Case
from tests.factories.applications import ApplicationFactory
from tests.factories.records import CaseFactory

pytestmark = pytest.mark.django_db


def test_a_decided_case_needs_a_decided_date(organ_a):
    with pytest.raises(ValidationError) as exc:
        CaseFactory(organ=organ_a, result=Result.UPHELD, decided_date=None)
    assert exc.value.message_dict["decided_date"] == ["已审结的案件须填写审结日期。"]
    assert not Case.objects.exists()


def test_a_pending_case_has_no_decided_date(organ_a):
    with pytest.raises(ValidationError) as exc:
        CaseFactory(organ=organ_a, result=Result.PENDING, decided_date=dt.date(2024, 5, 1))
    assert "decided_date" in exc.value.message_dict


@pytest.mark.parametrize(
    ("result", "decided_date"),
    [(Result.PENDING, dt.date(2024, 5, 1)), (Result.CORRECTED, None)],
)
def test_database_keeps_decided_date_iff_decided(organ_a, result, decided_date):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            organ=organ_a,
            kind=CaseKind.REVIEW,
            applicant="王某",
            filed_date=dt.date(2024, 3, 1),
            result=result,
            decided_date=decided_date,
        )


def test_litigation_needs_a_route_and_review_has_none(organ_a):
    with pytest.raises(ValidationError) as exc:
        CaseFactory(organ=organ_a, kind=CaseKind.LITIGATION, route="")
    assert exc.value.message_dict["route"] == ["行政诉讼须选择起诉方式。"]
    with pytest.raises(ValidationError):
        CaseFactory(organ=organ_a, kind=CaseKind.REVIEW, route=Route.DIRECT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            organ=organ_a, kind=CaseKind.LITIGATION, applicant="王某", filed_date=dt.date(2024, 3, 1)
        )


def test_decision_cannot_precede_filing(organ_a):
    with pytest.raises(ValidationError) as exc:
        CaseFactory(
            organ=organ_a,
            filed_date=dt.date(2024, 3, 1),
            result=Result.OTHER,
            decided_date=dt.date(2024, 2, 1),
        )
    assert exc.value.message_dict["decided_date"] == ["审结日期不能早于申请/起诉日期。"]


def test_case_number_is_unique_per_organ(organ_a, organ_b):
    CaseFactory(organ=organ_a, case_number="牡政复〔2024〕3号")
    CaseFactory(organ=organ_b, case_number="牡政复〔2024〕3号")  # co-respondents may share it
    with pytest.raises(ValidationError) as exc:
        CaseFactory(organ=organ_a, case_number="牡政复〔2024〕3号")
    assert "本机关已有该案号的案件。" in str(exc.value)
    CaseFactory(organ=organ_a, case_number="")
    CaseFactory(organ=organ_a, case_number="")  # an unknown number is not a duplicate


def test_case_decide_and_reopen(organ_a):
    case = CaseFactory(organ=organ_a, filed_date=dt.date(2024, 3, 1))
    services.case_decide(case=case, result=Result.CORRECTED, decided_date=dt.date(2024, 6, 1))
    case.refresh_from_db()
    assert (case.result, case.decided_date) == (Result.CORRECTED, dt.date(2024, 6, 1))
    services.case_decide(case=case, result=Result.PENDING, decided_date=dt.date(2024, 6, 1))
    case.refresh_from_db()
    assert (case.result, case.decided_date) == (Result.PENDING, None)


def test_a_case_links_only_an_application_of_its_organ(organ_a, organ_b):
    own, other = ApplicationFactory(organ=organ_a), ApplicationFactory(organ=organ_b)
    case = CaseFactory(organ=organ_a, application=own)
    assert list(own.cases.all()) == [case]
    with pytest.raises(ValidationError) as exc:
        CaseFactory(organ=organ_a, application=other)
    assert exc.value.message_dict["application"] == ["只能关联本机关受理的申请。"]


def test_deleting_the_application_keeps_the_case(organ_a):
    application = ApplicationFactory(organ=organ_a)
    case = CaseFactory(organ=organ_a, application=application, application_reference="2024年第3号申请")
    application.delete()
    case.refresh_from_db()
    assert (case.application, case.application_reference) == (None, "2024年第3号申请")
