"""Factories and helpers for the annual reports (built through the services)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

import factory

from apps.applications.enums import ApplicantType, Channel, DeliveryForm, DeliveryWay, Outcome, Status
from apps.applications.models import Application
from apps.reports import services
from apps.reports.enums import ReportFormat
from apps.reports.models import AnnualReport
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

    Written directly (the registration service runs the deadline engine, seconds per record on the
    shared test machine): the report reads only received_on / closed_on / outcome / applicant_type.
    ApplicationFactory remains the way to test the applications workflow itself.
    """
    return Application.objects.create(
        organ=organ,
        channel=Channel.IN_PERSON,
        applicant_type=applicant_type,
        applicant_name="张三" if applicant_type == ApplicantType.NATURAL else "某某有限公司",
        info_description="请公开有关政府信息。",
        delivery_form=DeliveryForm.ELECTRONIC,
        delivery_way=DeliveryWay.EMAIL,
        submitted_at=timezone.make_aware(dt.datetime.combine(received_on, dt.time(9))),
        received_on=received_on,
        status=Status.CLOSED if closed_on else Status.IN_PROGRESS,
        outcome=outcome if closed_on else "",
        closed_on=closed_on,
        reply_date=closed_on,
    )


def fill_required_sections(report: AnnualReport, text: str = "本年度工作情况见下文。") -> AnnualReport:
    """Staff write the sections the numbers cannot (problems, plans…)."""
    from apps.reports.formats import format_of

    fmt = format_of(report.format)
    texts = {
        spec.code: text for spec in fmt.narrative_sections() if spec.required and not fmt.generates(spec.code)
    }
    return services.report_update(report=report, texts=texts)
