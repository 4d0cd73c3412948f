"""Factories and helpers for the annual reports (built through the services)."""

from __future__ import annotations

import datetime as dt

import factory

from apps.applications.enums import ApplicantType, Outcome, Status
from apps.applications.models import Application
from apps.reports import services
from apps.reports.enums import ReportFormat
from apps.reports.models import AnnualReport
from tests.factories.applications import ApplicationFactory
from tests.factories.organs import OrganFactory


class AnnualReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualReport

    organ = factory.SubFactory(OrganFactory)
    year = 2024
    format = ReportFormat.NATIONAL_2021

    @classmethod
    def _create(cls, model_class, *, organ, year, format, **kwargs):
        return services.report_create(organ=organ, year=year, report_format=format, **kwargs)


def application(
    *,
    organ,
    received_on: dt.date,
    closed_on: dt.date | None = None,
    outcome: str = Outcome.DISCLOSED,
    applicant_type: str = ApplicantType.NATURAL,
) -> Application:
    """An application received on a day and, when closed_on is given, closed then with outcome.

    Registered through the applications service; the closing is written directly, because the
    report only reads received_on / closed_on / outcome and the reply workflow is not under test.
    """
    app = ApplicationFactory(organ=organ, received_on=received_on, applicant_type=applicant_type)
    if closed_on is not None:
        Application.objects.filter(pk=app.pk).update(
            status=Status.CLOSED, outcome=outcome, closed_on=closed_on, reply_date=closed_on
        )
        app.refresh_from_db()
    return app


def fill_required_sections(report: AnnualReport, text: str = "本年度工作情况见下文。") -> AnnualReport:
    """Staff write the sections the numbers cannot (problems, plans…)."""
    from apps.reports.layout import flat_sections

    texts = {
        spec.code: text
        for spec in flat_sections(report.format)
        if spec.narrative and spec.required and not spec.generated
    }
    return services.report_update(report=report, texts=texts)
