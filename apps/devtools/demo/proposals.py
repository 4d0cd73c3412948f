"""Demo 人大代表建议 and 政协提案 for seed_demo (the builder protocol of apps/devtools/demo).

The seed organ (jhj) handled one 政协提案 in 2018, answered with full satisfaction
("办结率和满意率均为100%" in its 2018 report); the record carries the report's own account
of how it was handled (办理情况), which the free-layout report prints. The busy organ gets
proposals of both kinds in 2021–2026 with every result code, role and feedback value, one reply
not published (with its reason), one dissatisfied proposer (重新办理), one proposal overdue and
one not yet due.
Sessions, numbers, titles and names are invented.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.base import ContentFile

from apps.devtools.demo.files import tiny_pdf
from apps.organs.models import Organ
from apps.proposals import services
from apps.proposals.enums import Feedback, ProposalKind, PublishMode, ResultCode, Role
from apps.proposals.models import Proposal

NPC, CPPCC = ProposalKind.NPC, ProposalKind.CPPCC
LEAD, ASSIST, SEPARATE = Role.LEAD, Role.ASSIST, Role.SEPARATE
SAT, BASIC, DIS = Feedback.SATISFIED, Feedback.BASICALLY_SATISFIED, Feedback.DISSATISFIED
FULL, SUMMARY, NONE = PublishMode.FULL, PublishMode.SUMMARY, PublishMode.NOT_PUBLISHED
d = dt.date

# Which 届次 met in which year is illustrative, not the real 牡丹江 calendar.
SESSIONS = {
    NPC: {2018: "十五届二次会议", 2021: "十五届五次会议", 2022: "十六届一次会议", 2023: "十六届二次会议",
          2024: "十六届三次会议", 2025: "十六届四次会议", 2026: "十六届五次会议"},
    CPPCC: {2018: "十一届二次会议", 2021: "十一届五次会议", 2022: "十二届一次会议", 2023: "十二届二次会议",
            2024: "十二届三次会议", 2025: "十二届四次会议", 2026: "十二届五次会议"},
}  # fmt: skip

SEED_PROPOSAL = {
    "kind": CPPCC,
    "number": "第0086号",
    "title": "关于进一步加大招商引资力度推动重点项目落地的提案",
    "proposers": "刘委员",
    "assigned": d(2018, 3, 28),
    "reply": d(2018, 6, 20),
    "feedback": d(2018, 7, 2),
    # The 2018 report's words: "局领导高度重视提案办理工作，抽调骨干人员，认真予以办理，并积极主动
    # 与政协委员见面，当面送交答复文件，办结率和满意率均为100%" (the rates are computed, not typed).
    "handling": "局领导高度重视提案办理工作，抽调骨干人员，认真予以办理，并积极主动与政协委员见面，当面送交答复文件。",
}

# (kind, number, title, proposers, role, assigned, difficult, reply, result, publish, feedback, feedback day)
BUSY_PROPOSALS = (
    (NPC, "第0012号", "关于加快推进农村宅基地确权登记的建议", "王代表", LEAD, d(2021, 3, 5), False,
     d(2021, 5, 28), "A", (FULL, d(2021, 6, 18), ""), SAT, d(2021, 6, 10)),
    (CPPCC, "第0047号", "关于加强耕地保护、遏制耕地“非农化”的提案", "李委员、赵委员", LEAD, d(2021, 3, 8), False,
     d(2021, 6, 2), "B", (FULL, d(2021, 6, 25), ""), BASIC, d(2021, 6, 20)),
    (NPC, "第0105号", "关于优化不动产登记办理流程的建议", "张代表", SEPARATE, d(2022, 3, 10), False,
     d(2022, 5, 30), "A", (SUMMARY, d(2022, 6, 21), ""), SAT, d(2022, 6, 15)),
    (CPPCC, "第0133号", "关于推进矿山生态修复的提案", "陈委员", LEAD, d(2022, 3, 14), True,
     d(2022, 8, 30), "C", (FULL, d(2022, 9, 20), ""), BASIC, d(2022, 9, 12)),
    (CPPCC, "第0151号", "关于完善城市绿地系统规划的提案", "孙委员", ASSIST, d(2022, 3, 14), False,
     d(2022, 4, 25), "B", ("", None, ""), None, None),
    (NPC, "第0031号", "关于解决老旧小区不动产证办理难问题的建议", "周代表、吴代表", LEAD, d(2023, 3, 3), True,
     d(2023, 8, 25), "B", (FULL, d(2023, 9, 15), ""), DIS, d(2023, 9, 5)),
    (CPPCC, "第0088号", "关于加强历史文化街区保护规划的提案", "郑委员", LEAD, d(2023, 3, 9), False,
     d(2023, 6, 6), "D", (NONE, None, "涉及尚未批准的规划方案，属于过程性信息"), BASIC, d(2023, 6, 26)),
    (NPC, "第0210号", "关于规范临时用地管理的建议", "冯代表", LEAD, d(2024, 3, 8), False,
     d(2024, 5, 31), "A", (FULL, d(2024, 6, 24), ""), SAT, d(2024, 6, 17)),
    (CPPCC, "第0019号", "关于提高征地补偿标准透明度的提案", "何委员", LEAD, d(2024, 3, 12), False,
     d(2024, 6, 11), "C", (SUMMARY, d(2024, 7, 2), ""), DIS, d(2024, 6, 28)),
    (NPC, "第0077号", "关于加快国土空间总体规划实施的建议", "吕代表", ASSIST, d(2025, 3, 7), False,
     d(2025, 4, 30), "A", ("", None, ""), None, None),
    (CPPCC, "第0102号", "关于盘活闲置低效工业用地的提案", "施委员、曹委员", LEAD, d(2025, 3, 11), True,
     d(2025, 8, 29), "B", (FULL, d(2025, 9, 19), ""), SAT, d(2025, 9, 10)),
    (NPC, "第0156号", "关于推进“交地即交证”改革的建议", "钱代表", LEAD, d(2025, 10, 20), False,
     d(2026, 1, 16), "A", (FULL, d(2026, 2, 6), ""), SAT, d(2026, 1, 30)),
    (NPC, "第0044号", "关于加强地质灾害隐患排查的建议", "褚代表", LEAD, d(2026, 3, 20), False,
     None, "", ("", None, ""), None, None),  # overdue: due 2026-06-20, no reply yet
    (CPPCC, "第0121号", "关于建立全市统一的土地储备信息平台的提案", "卫委员", LEAD, d(2026, 9, 1), True,
     None, "", ("", None, ""), None, None),  # due 2027-03-01
)  # fmt: skip


def wipe(*, organs: dict[str, Organ], stdout) -> None:
    proposals = Proposal.objects.filter(organ_id__in=[o.pk for o in organs.values()])
    for proposal in proposals.exclude(reply_document=""):
        proposal.reply_document.delete(save=False)
    deleted = proposals.delete()[0]
    stdout.write(f"  proposals: removed {deleted} rows")


def build(*, organs: dict[str, Organ], rng: random.Random, stdout) -> None:
    wipe(organs={k: organs[k] for k in ("jhj", "busy") if k in organs}, stdout=stdout)
    if "jhj" in organs:
        build_seed(organs["jhj"])
        stdout.write(f"  proposals: {organs['jhj'].name} 2018: one 政协提案, answered (A), 满意")
    if "busy" in organs:
        for row in BUSY_PROPOSALS:
            _build_one(organs["busy"], *row)
        stdout.write(f"  proposals: {organs['busy'].name} {len(BUSY_PROPOSALS)} proposals")


def build_seed(organ: Organ) -> Proposal:
    """The seed organ's one 2018 政协提案 (also used by the reports demo on its own)."""
    s = SEED_PROPOSAL
    return _build_one(
        organ,
        s["kind"],
        s["number"],
        s["title"],
        s["proposers"],
        LEAD,
        s["assigned"],
        False,
        s["reply"],
        ResultCode.A,
        (FULL, s["feedback"] + dt.timedelta(days=5), ""),
        SAT,
        s["feedback"],
        handling=s["handling"],
    )


def _build_one(
    organ, kind, number, title, proposers, role, assigned, difficult, reply, result, publish, feedback, feedback_day,
    handling: str = "",
) -> Proposal:  # fmt: skip
    proposal = services.proposal_create(
        organ=organ,
        kind=kind,
        session=SESSIONS[kind][assigned.year],
        number=number,
        title=title,
        proposers=proposers,
        role=role,
        assigned_date=assigned,
        difficult=difficult,
    )
    if reply is None:
        return proposal
    services.proposal_reply(
        proposal=proposal,
        reply_date=reply,
        result_code=result,
        reply_document=ContentFile(tiny_pdf(f"Reply {proposal.pk}"), name="reply.pdf"),
        handling=handling,
    )
    mode, publish_date, reason = publish
    if mode:
        services.proposal_publish(
            proposal=proposal,
            mode=mode,
            publish_date=publish_date,
            reason=reason,
            summary=_summary(organ, proposal) if mode == SUMMARY else None,
        )
    if feedback:
        services.proposal_feedback_record(proposal=proposal, feedback=feedback, feedback_date=feedback_day)
    return proposal


def _summary(organ: Organ, proposal: Proposal) -> str:
    return (
        f"{organ.short_name or organ.name}对{proposal.proposers}提出的《{proposal.title}》进行了认真研究，"
        f"办理结果为{proposal.result_label}。已将所提意见纳入年度重点工作统筹推进，"
        "并与代表、委员当面沟通了办理情况。"
    )
