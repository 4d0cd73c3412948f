"""The records and people of the role × organ × URL matrix (tests/test_matrix.py).

Two organs, 甲 (A) and 乙 (B), each with one record of every kind clerks keep, in the states the
review steps need (a draft to approve, an approved one to publish, a published one to withdraw),
and the files the download views serve. Every record carries a marker (甲… or 乙…) that a page
shows when, and only when, the record is visible. Nine people: anonymous; the 信息员, 审核人 and
发布人 of each organ; the city's 政务公开办; the superuser.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from axes.models import AccessAttempt

from apps.applications.models import Application
from apps.catalog import services as catalog
from apps.catalog.enums import ArticleTwentyItem, DocumentKind
from apps.litigation import services as litigation
from apps.organs import services as organs
from apps.organs.models import OrganPage
from apps.organs.roles import GROUP_NAMES, Role
from apps.proactive.enums import NormativeKind
from apps.proactive.services import table2_override_set
from apps.proposals import services as proposals
from apps.proposals.enums import PublishMode, ResultCode
from apps.reports import services as reports
from apps.workdays.enums import DayKind
from apps.workdays.models import CalendarDay, CalendarYear
from tests.factories import CatalogEntryFactory, OrganFactory, OrganPageFactory, UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.records import CaseFactory, ProposalFactory, PublicationFactory, YearTallyFactory
from tests.factories.reports import fill_required_sections
from tests.roles import city_office_member, clerk_with_roles

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PERSONAS = (
    "anonymous",
    "drafter_a",
    "reviewer_a",
    "publisher_a",
    "drafter_b",
    "reviewer_b",
    "publisher_b",
    "city",
    "root",
)
ROLE_OF = {"drafter": Role.DRAFTER, "reviewer": Role.REVIEWER, "publisher": Role.PUBLISHER}


@dataclass
class World:
    organs: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    #: (kind, "a" | "b") -> record; kind is e.g. "entry_draft", "report".
    records: dict = field(default_factory=dict)
    markers: dict = field(default_factory=dict)
    shared: dict = field(default_factory=dict)

    def record(self, kind: str, organ: str):
        return self.records[(kind, organ)]

    def marker(self, kind: str, organ: str) -> str:
        return self.markers[(kind, organ)]


def _organ_records(world: World, key: str, organ, drafter) -> None:
    m = "甲" if key == "a" else "乙"

    def add(kind: str, record, marker: str) -> None:
        world.records[(kind, key)] = record
        world.markers[(kind, key)] = marker

    add("organ", organ, organ.name)
    draft = CatalogEntryFactory(organ=organ, title=f"{m}局草稿条目", publish=False, created_by=drafter)
    add("entry_draft", draft, draft.title)
    reviewed = CatalogEntryFactory(organ=organ, title=f"{m}局待发布条目", publish=False)
    catalog.entry_approve(entry=reviewed, actor=None)
    add("entry_reviewed", reviewed, reviewed.title)
    published = CatalogEntryFactory(
        organ=organ,
        title=f"{m}局规范性文件",
        document_kind=DocumentKind.NORMATIVE,
        article_item=ArticleTwentyItem.ITEM_1,
    )
    add("entry_published", published, published.title)

    guide = OrganPageFactory(organ=organ, kind=OrganPage.Kind.GUIDE, title=f"{m}局指南草稿", published=False)
    add("page_draft", guide, guide.title)
    rules = OrganPageFactory(
        organ=organ, kind=OrganPage.Kind.RULES, title=f"{m}局制度待发布", published=False
    )
    organs.organ_page_approve(page=rules, actor=None)
    add("page_reviewed", rules, rules.title)

    app = ApplicationFactory(organ=organ, actor=drafter)
    app.reply_document.save("reply.pdf", ContentFile(PDF), save=False)
    Application.objects.filter(pk=app.pk).update(reply_document=app.reply_document.name)
    add("application", app, app.tracking_code)

    def replied(title: str):
        proposal = ProposalFactory(organ=organ, title=title, assigned_date=dt.date(2024, 3, 1))
        return proposals.proposal_reply(
            proposal=proposal,
            reply_date=dt.date(2024, 5, 20),
            result_code=ResultCode.A,
            reply_document=ContentFile(PDF, name="reply.pdf"),
        )

    proposal = replied(f"{m}局提案草稿")
    proposals.proposal_publish(
        proposal=proposal, mode=PublishMode.FULL, publish_date=dt.date(2024, 6, 1), actor=drafter
    )
    add("proposal_draft", proposal, proposal.title)
    proposal = replied(f"{m}局提案待公开")
    proposals.proposal_publish(
        proposal=proposal, mode=PublishMode.FULL, publish_date=dt.date(2024, 6, 1), actor=drafter
    )
    proposals.proposal_reply_approve(proposal=proposal, actor=None)
    add("proposal_reviewed", proposal, proposal.title)
    proposal = replied(f"{m}局提案已公开")
    proposals.proposal_publish(proposal=proposal, mode=PublishMode.FULL, publish_date=dt.date(2024, 6, 1))
    add("proposal_published", proposal, proposal.title)

    case = CaseFactory(organ=organ, applicant=f"{m}局复议申请人")
    litigation.case_document_add(
        case=case, title="行政复议决定书", file=ContentFile(PDF, name="decision.pdf")
    )
    add("case", case, case.applicant)
    publication = PublicationFactory(organ=organ, title=f"{m}局招商动态")
    add("publication", publication, publication.title)
    tally = YearTallyFactory(organ=organ, year=2024)
    add("tally", tally, f"{organ.name} · 2024")
    override = table2_override_set(
        organ=organ,
        year=2024,
        kind=NormativeKind.NORMATIVE,
        issued=1,
        repealed=0,
        in_force=3,
        reason=f"{m}局补录前的文件",
        set_by=None,
    )
    add("override", override, override.reason)

    report = reports.report_create(organ=organ, year=2024)
    add("report", report, str(report))
    YearTallyFactory(organ=organ, year=2023)
    reviewed_report = fill_required_sections(reports.report_create(organ=organ, year=2023))
    reports.report_approve(report=reviewed_report, actor=None)
    add("report_reviewed", reviewed_report, str(reviewed_report))


def build_world() -> World:
    world = World()
    world.organs["a"] = OrganFactory(
        name="牡丹江市经济合作促进局", short_name="市经合局", slug="jhj", code="11231000MB0000001X"
    )
    world.organs["b"] = OrganFactory(
        name="牡丹江市统计局", short_name="市统计局", slug="tjj", code="11231000MB0000002X"
    )
    people = world.people
    people["anonymous"] = None
    for key in ("a", "b"):
        for name, role in ROLE_OF.items():
            people[f"{name}_{key}"] = clerk_with_roles(f"{name}_{key}", world.organs[key], role)
    people["city"] = city_office_member("city")
    people["root"] = UserFactory(username="root", is_staff=True, is_superuser=True)
    for key in ("a", "b"):
        _organ_records(world, key, world.organs[key], people[f"drafter_{key}"])

    # Records of no organ: the calendar, the taxonomies, logins, accounts, groups and memberships.
    year = CalendarYear.objects.create(year=2031, note="二〇三一年的备注")
    world.shared["calendar_year"] = (year, year.note)
    day = CalendarDay.objects.create(
        calendar_year=year, date=dt.date(2031, 1, 1), kind=DayKind.HOLIDAY, name="元旦测试"
    )
    world.shared["calendar_day"] = (day, day.name)
    entry = world.record("entry_draft", "a")
    world.shared["theme"] = (entry.theme, entry.theme.name)
    world.shared["genre"] = (entry.genre, entry.genre.name)
    attempt = AccessAttempt.objects.create(
        username="locked-out-user",
        ip_address="203.0.113.9",
        user_agent="test",
        http_accept="*/*",
        path_info="/admin/login/",
        get_data="",
        post_data="",
        failures_since_start=5,
        attempt_time=timezone.now(),
    )
    world.shared["loginattempt"] = (attempt, "locked-out-user")
    spare = UserFactory(username="spare-user", is_staff=True)
    world.shared["user"] = (spare, spare.username)
    group = Group.objects.get(name=GROUP_NAMES[Role.PUBLISHER])
    world.shared["group"] = (group, group.name)
    world.shared["membership"] = (people["drafter_b"].membership, "drafter_b")
    return world
