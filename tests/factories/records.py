"""Factories for the records behind the annual report: proactive, litigation, proposals.

They build through the services, so computed fields (due dates) and validation are real.
"""

import datetime as dt
from decimal import Decimal

import factory

from apps.litigation import services as litigation_services
from apps.litigation.enums import CaseKind, Result
from apps.litigation.models import Case
from apps.proactive import services as proactive_services
from apps.proactive.enums import Channel
from apps.proactive.models import Publication, YearTally
from apps.proposals import services as proposal_services
from apps.proposals.enums import ProposalKind, Role
from apps.proposals.models import Proposal
from tests.factories.organs import OrganFactory


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    organ = factory.SubFactory(OrganFactory)
    channel = Channel.WEBSITE
    date = dt.date(2018, 6, 1)
    title = factory.Sequence(lambda n: f"招商动态第{n}期")
    count = 1
    copies = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return proactive_services.publication_create(**kwargs)


class YearTallyFactory(factory.django.DjangoModelFactory):
    """The 2021 format's four figures entered (0 by default); the 2019 ones not entered.

    ``not_applicable=["fees"]`` records a power as not applicable; its figures' defaults
    are then left out.
    """

    class Meta:
        model = YearTally

    organ = factory.SubFactory(OrganFactory)
    year = 2024
    licensing = 0
    punishment = 0
    enforcement = 0
    fees_wan_yuan = Decimal("0")

    @classmethod
    def _create(cls, model_class, *args, not_applicable=(), **kwargs):
        left_out = {name for power in not_applicable for name in YearTally.FIGURES[power]}
        figures = {name: value for name, value in kwargs.items() if name not in left_out}
        return proactive_services.year_tally_set(not_applicable=not_applicable, **figures)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    organ = factory.SubFactory(OrganFactory)
    kind = CaseKind.REVIEW
    route = ""
    applicant = factory.Sequence(lambda n: f"申请人{n}")
    filed_date = dt.date(2024, 3, 1)
    result = Result.PENDING
    decided_date = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return litigation_services.case_create(**kwargs)


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    organ = factory.SubFactory(OrganFactory)
    kind = ProposalKind.CPPCC
    session = "十六届三次会议"
    number = factory.Sequence(lambda n: f"第{n:04d}号")
    title = factory.Sequence(lambda n: f"关于优化营商环境的第{n}号提案")
    proposers = "张委员"
    role = Role.LEAD
    assigned_date = dt.date(2024, 3, 15)
    difficult = False

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return proposal_services.proposal_create(**kwargs)
