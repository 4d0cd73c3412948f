"""Every write to review and litigation cases (admin, demo data, tests)."""

from __future__ import annotations

import datetime as dt

from django.core.files import File
from django.db import transaction

from apps.litigation.enums import Result
from apps.litigation.models import Case, CaseDocument
from apps.organs.models import Organ


@transaction.atomic
def case_save(*, case: Case) -> Case:
    """The one write path of a new or changed case: validate, then save."""
    case.full_clean()
    case.save()
    return case


def case_create(
    *,
    organ: Organ,
    kind: str,
    applicant: str,
    filed_date: dt.date,
    route: str = "",
    case_number: str = "",
    application_reference: str = "",
    result: str = Result.PENDING,
    decided_date: dt.date | None = None,
    note: str = "",
    **extra,
) -> Case:
    # ``extra`` carries the link to the application concerned once that model exists.
    return case_save(
        case=Case(
            organ=organ,
            kind=kind,
            route=route,
            applicant=applicant,
            filed_date=filed_date,
            case_number=case_number,
            application_reference=application_reference,
            result=result,
            decided_date=decided_date,
            note=note,
            **extra,
        )
    )


def case_update(*, case: Case, **fields) -> Case:
    for name, value in fields.items():
        setattr(case, name, value)
    return case_save(case=case)


def case_decide(*, case: Case, result: str, decided_date: dt.date) -> Case:
    """Record the 复议决定 / 判决 (or reopen with result=pending and no date)."""
    if result == Result.PENDING:
        return case_update(case=case, result=result, decided_date=None)
    return case_update(case=case, result=result, decided_date=decided_date)


def case_document_add(*, case: Case, title: str, file: File) -> CaseDocument:
    return case_document_save(document=CaseDocument(case=case, title=title, file=file))


@transaction.atomic
def case_delete(*, case: Case) -> None:
    for document in case.documents.all():
        document.file.delete(save=False)
    case.delete()


@transaction.atomic
def case_document_save(*, document: CaseDocument) -> CaseDocument:
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def case_document_delete(*, document: CaseDocument) -> None:
    document.file.delete(save=False)
    document.delete()
