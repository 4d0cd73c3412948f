"""What the accessibility tests share: one of each public page type, the browsers, axe-core.

axe-core is the copy bundled in axe-playwright-python (pinned in requirements.txt), injected into the
page by Playwright: nothing is fetched at test time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.base import ContentFile

from axe_playwright_python.sync_playwright import Axe

from apps.catalog import services as catalog_services
from apps.catalog.enums import ArticleTwentyItem, DocumentKind, InterpretationKind, Validity
from apps.catalog.models import CatalogEntry
from apps.organs.models import Organ, OrganPage
from apps.proposals import services as proposal_services
from apps.proposals.enums import PublishMode, ResultCode
from apps.proposals.models import Proposal
from apps.reports import services as report_services
from tests.factories import CatalogEntryFactory, GenreFactory, OrganFactory, OrganPageFactory, ThemeFactory
from tests.factories.applications import resident_id
from tests.factories.records import ProposalFactory, YearTallyFactory
from tests.factories.reports import AnnualReportFactory, fill_required_sections

#: WCAG 2.0, 2.1 and 2.2 at levels A and AA: what GB/T 37668-2019 level 2 asks for.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
#: static/js/care-mode.js keeps the visitor's choice under this localStorage key.
CARE_KEY = "portal.care-mode"
LOCALES = {"zh": "zh-CN", "en": "en-US"}
ORGAN_NAME = "牡丹江市经济合作促进局"

_axe = Axe()


def violations(page) -> list[str]:
    """axe-core's WCAG 2.2 AA violations on the page as it is now, one line each."""
    options = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
    found = _axe.run(page, options=options).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} → {[n['target'] for n in v['nodes']][:4]}" for v in found
    ]


def new_context(
    browser, live_server, *, language: str = "zh", care: bool = False, width: int = 1280, **kwargs
):
    """A visitor's browser; ``care``: as if they had switched 关怀模式 on during an earlier visit."""
    context = browser.new_context(
        base_url=live_server.url,
        locale=LOCALES[language],
        viewport={"width": width, "height": 900},
        **kwargs,
    )
    if care:
        context.add_init_script(f"window.localStorage.setItem('{CARE_KEY}', 'on')")
    return context


@dataclass
class Site:
    organ: Organ
    policy: CatalogEntry
    reading: CatalogEntry
    proposal: Proposal

    def urls(self) -> dict[str, str]:
        """Every public page type that needs no application of one's own."""
        return {
            "home": "/",
            "catalog-list-filtered": "/catalog/?organ=jhj&year=2024",
            "search-results": "/catalog/?q=招商引资&sort=relevance",
            "detail-policy": self.policy.get_absolute_url(),
            "detail-reading": self.reading.get_absolute_url(),
            "organs": "/organs/",
            "organ": "/organs/jhj/",
            "organ-guide": "/organs/jhj/guide/",
            "organ-disclosures": "/organs/jhj/disclosures/",
            "reports": "/reports/",
            "report": "/reports/jhj/2024/",
            "proposals": "/proposals/",
            "proposal": f"/proposals/{self.proposal.pk}/",
            "status-lookup": "/apply/status/",
            "not-found": "/catalog/nope/",
        }


def build_site() -> Site:
    """One of each public page type, with enough content to exercise its layout."""
    city = OrganFactory(
        name="牡丹江市人民政府", short_name="市政府", slug="city", kind=Organ.Kind.GOVERNMENT, sort_order=1
    )
    jhj = OrganFactory(
        name=ORGAN_NAME,
        short_name="市经合局",
        slug="jhj",
        parent=city,
        sort_order=2,
        office_name="牡丹江市经济合作促进局办公室",
        office_address="牡丹江市西安区西三条路1号",
        postal_code="157000",
        office_hours="工作日 8:30-11:30，13:30-17:00",
        phone="0453-6171234",
        email="jhj@mdj.gov.cn",
    )
    OrganPageFactory(
        organ=jhj,
        kind=OrganPage.Kind.GUIDE,
        title="牡丹江市经济合作促进局政府信息公开指南",
        body="一、主动公开\n本机关主动公开的政府信息包括机关职能、机构设置、规范性文件等。\n"
        "二、依申请公开\n申请人可以通过在线申请等方式提出申请。",
    )
    theme = ThemeFactory(name="招商引资", parent=ThemeFactory(name="商贸、海关、旅游", parent=None))
    genre = GenreFactory(name="通知")
    policy = CatalogEntryFactory(
        organ=jhj,
        title="牡丹江市人民政府关于印发招商引资优惠政策的通知",
        summary="印发《牡丹江市招商引资优惠政策》，明确适用范围、支持标准和施行日期。",
        body="各县（市）区人民政府，市政府各部门：\n"
        "现将《牡丹江市招商引资优惠政策》印发给你们，请认真贯彻执行。\n"
        "一、本政策适用于在本市新设立或者增资扩产的企业。",
        doc_number="牡政规〔2024〕3号",
        written_date=dt.date(2024, 3, 20),
        publish_date=dt.date(2024, 3, 28),
        theme=theme,
        genre=genre,
        keywords="招商引资 优惠政策",
        article_item=ArticleTwentyItem.ITEM_1,
        document_kind=DocumentKind.NORMATIVE,
    )
    catalog_services.attachment_add(
        entry=policy, uploaded_file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="招商引资优惠政策.pdf")
    )
    reading = CatalogEntryFactory(
        organ=jhj,
        title="一图读懂《牡丹江市招商引资优惠政策》",
        publish_date=dt.date(2024, 3, 29),
        theme=theme,
        genre=GenreFactory(name="解读"),
    )
    catalog_services.interpretation_link(
        policy=policy, interpretation=reading, kind=InterpretationKind.GRAPHIC, organ=jhj
    )
    for i in range(4):
        CatalogEntryFactory(
            organ=jhj if i % 2 else city,
            title=f"关于做好2024年第{i + 1}批招商引资项目申报工作的通知",
            publish_date=dt.date(2024, 5, i + 1),
            theme=theme,
            genre=genre,
            validity=Validity.REPEALED if i == 3 else Validity.VALID,
        )
    YearTallyFactory(organ=jhj, year=2024)
    report_services.report_publish(report=fill_required_sections(AnnualReportFactory(organ=jhj, year=2024)))
    proposal = ProposalFactory(organ=jhj, title="关于优化营商环境的提案", assigned_date=dt.date(2024, 3, 1))
    proposal_services.proposal_reply(
        proposal=proposal,
        reply_date=dt.date(2024, 5, 20),
        result_code=ResultCode.A,
        reply_document=ContentFile(b"%PDF-1.4 reply", name="reply.pdf"),
    )
    proposal_services.proposal_publish(
        proposal=proposal, mode=PublishMode.FULL, publish_date=dt.date(2024, 6, 1)
    )
    return Site(organ=jhj, policy=policy, reading=reading, proposal=proposal)


def fill_application(page) -> None:
    """A complete, valid online application (natural person), filled with the mouse."""
    page.select_option("#id_organ", label=ORGAN_NAME)
    page.check("input[name=applicant_type][value=natural]")
    page.fill("#id_applicant_name", "王小明")
    page.select_option("#id_id_type", "resident_id")
    page.fill("#id_id_number", resident_id(serial=77))
    page.fill("#id_phone", "13812345678")
    page.fill("#id_address", "黑龙江省牡丹江市东安区太平路88号")
    page.fill("#id_info_title", "2023年道路维修计划")
    page.fill("#id_info_description", "请公开2023年城市道路维修计划及预算。")
    page.select_option("#id_delivery_form", "electronic")
    page.select_option("#id_delivery_way", "email")
    page.check("#id_accept")
