"""Choices of the 依申请公开 workflow (条例第二十九条至第四十五条; docs/domain/applications.md#legal-basis,
docs/domain/annual-report.md#table-3-applications-received-and-handled)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicantType(models.TextChoices):
    """The six applicant columns of table 3 (the 7th, 总计, is their sum)."""

    NATURAL = "natural", _("自然人")
    COMMERCIAL = "commercial", _("商业企业")
    RESEARCH = "research", _("科研机构")
    PUBLIC_INTEREST = "public_interest", _("社会公益组织")
    LEGAL_SERVICES = "legal_services", _("法律服务机构")
    OTHER = "other", _("其他")


#: Column codes of table 3, in the order of the published template.
TABLE3_COLUMNS: list[str] = [*ApplicantType.values, "total"]


class Channel(models.TextChoices):
    """How the application reached the organ; decides the 收到申请之日 rule (条例第三十一条)."""

    ONLINE = "online", _("在线申请")
    IN_PERSON = "in_person", _("当面")
    REGISTERED_POST = "registered_post", _("邮寄（挂号/需签收）")
    ORDINARY_LETTER = "ordinary_letter", _("平常信函")
    FAX = "fax", _("传真")
    EMAIL = "email", _("电子邮件")
    OTHER = "other", _("其他")


#: Channels whose receipt date is a fact at registration (the submission or sign-for date); the
#: others wait for the day both parties confirm it (条例第三十一条). E-mail is an internet channel
#: (条例第三十一条（三）), no longer the mail system's receipt date of 国办公开办函〔2015〕207号 一.3.
CHANNELS_RECEIVED_AT_REGISTRATION = {Channel.IN_PERSON, Channel.REGISTERED_POST}


class IdentityType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    FOREIGN_PERMANENT = "foreign_permanent", _("外国人永久居留身份证")
    OTHER = "other", _("其他有效身份证件")


class DeliveryForm(models.TextChoices):
    """条例第二十九条（三）/第四十条: the form in which the information is provided."""

    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子数据")
    INSPECT = "inspect", _("查阅")
    COPY_BY_HAND = "copy_by_hand", _("抄录")
    OTHER = "other", _("其他")


class DeliveryWay(models.TextChoices):
    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    PICK_UP = "pick_up", _("当面领取")
    ONLINE = "online", _("在线查看")
    FAX = "fax", _("传真")


class Status(models.TextChoices):
    PENDING_CONFIRMATION = "pending_confirmation", _("待确认")
    IN_PROGRESS = "in_progress", _("办理中")
    AWAITING_CORRECTION = "awaiting_correction", _("待补正")
    CONSULTING = "consulting", _("征求意见中")
    AWAITING_PAYMENT = "awaiting_payment", _("待缴费")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATUSES = [
    Status.PENDING_CONFIRMATION,
    Status.IN_PROGRESS,
    Status.AWAITING_CORRECTION,
    Status.CONSULTING,
    Status.AWAITING_PAYMENT,
]
CLOSED_STATUSES = [Status.ANSWERED, Status.CLOSED, Status.WITHDRAWN]


class ConsultationKind(models.TextChoices):
    THIRD_PARTY = "third_party", _("第三方")  # 条例第三十二条
    OTHER_ORGAN = "other_organ", _("其他机关")  # 条例第三十四条


class Outcome(models.TextChoices):
    """Every way an application can end (docs/domain/applications.md#outcomes-and-table-3-rows), one
    table-3 row each."""

    PROACTIVELY_DISCLOSED = "proactively_disclosed", _("已主动公开，告知获取方式和途径")
    DISCLOSED = "disclosed", _("予以公开")
    PARTIALLY_DISCLOSED = "partially_disclosed", _("部分公开（区分处理）")
    STATE_SECRET = "state_secret", _("不予公开：属于国家秘密")
    PROHIBITED_BY_LAW = "prohibited_by_law", _("不予公开：其他法律行政法规禁止公开")
    THREE_SECURITIES = "three_securities", _("不予公开：危及“三安全一稳定”")
    THIRD_PARTY_RIGHTS = "third_party_rights", _("不予公开：保护第三方合法权益")
    INTERNAL_AFFAIRS = "internal_affairs", _("不予公开：属于三类内部事务信息")
    PROCESS_INFORMATION = "process_information", _("不予公开：属于四类过程性信息")
    ENFORCEMENT_FILE = "enforcement_file", _("不予公开：属于行政执法案卷")
    ADMINISTRATIVE_QUERY = "administrative_query", _("不予公开：属于行政查询事项")
    NOT_HELD = "not_held", _("无法提供：本机关不掌握相关政府信息")
    NEEDS_CREATION = "needs_creation", _("无法提供：没有现成信息需要另行制作")
    UNCLEAR_AFTER_CORRECTION = "unclear_after_correction", _("无法提供：补正后申请内容仍不明确")
    PETITION = "petition", _("不予处理：信访举报投诉类申请")
    REPEATED = "repeated", _("不予处理：重复申请")
    PUBLICATION = "publication", _("不予处理：要求提供公开出版物")
    EXCESSIVE = "excessive", _("不予处理：无正当理由大量反复申请")
    CONFIRM_OBTAINED = "confirm_obtained", _("不予处理：要求行政机关确认或重新出具已获取信息")
    NO_CORRECTION = "no_correction", _("申请人无正当理由逾期不补正，不再处理")
    FEE_UNPAID = "fee_unpaid", _("申请人逾期未按收费通知要求缴纳费用，不再处理")
    WITHDRAWN = "withdrawn", _("申请人撤回申请")
    OTHER = "other", _("其他处理")

    @classmethod
    def report_row(cls, outcome: str) -> str:
        """The table-3 row code that counts this outcome (exactly one)."""
        return OUTCOME_ROWS[cls(outcome)]


OUTCOME_ROWS: dict[Outcome, str] = {
    # 36(一) counted as 予以公开: practice, not stated in the retrieved text (🧠 MEMORY).
    Outcome.PROACTIVELY_DISCLOSED: "r1",
    Outcome.DISCLOSED: "r1",
    Outcome.PARTIALLY_DISCLOSED: "r2",
    Outcome.STATE_SECRET: "r3_1",
    Outcome.PROHIBITED_BY_LAW: "r3_2",
    Outcome.THREE_SECURITIES: "r3_3",
    Outcome.THIRD_PARTY_RIGHTS: "r3_4",
    Outcome.INTERNAL_AFFAIRS: "r3_5",
    Outcome.PROCESS_INFORMATION: "r3_6",
    Outcome.ENFORCEMENT_FILE: "r3_7",
    Outcome.ADMINISTRATIVE_QUERY: "r3_8",
    Outcome.NOT_HELD: "r4_1",
    Outcome.NEEDS_CREATION: "r4_2",
    Outcome.UNCLEAR_AFTER_CORRECTION: "r4_3",
    Outcome.PETITION: "r5_1",
    Outcome.REPEATED: "r5_2",
    Outcome.PUBLICATION: "r5_3",
    Outcome.EXCESSIVE: "r5_4",
    Outcome.CONFIRM_OBTAINED: "r5_5",
    Outcome.NO_CORRECTION: "r6_1",
    Outcome.FEE_UNPAID: "r6_2",
    # A withdrawn application is counted under （六）3.其他 in practice
    # (docs/domain/applications.md#outcomes-and-table-3-rows).
    Outcome.WITHDRAWN: "r6_3",
    Outcome.OTHER: "r6_3",
}

#: Outcomes the clerk may choose when replying (the others are set by their own transition).
REPLY_OUTCOMES = [
    o for o in Outcome if o not in (Outcome.NO_CORRECTION, Outcome.FEE_UNPAID, Outcome.WITHDRAWN)
]


@dataclass(frozen=True)
class ResultGroup:
    """One kind of result under table 3's 三、本年度办理结果, （一） to （六）.

    ``rows`` are its (row code, label) pairs. A group of several rows is printed under a merged
    cell holding ``label``; a group of one row is that row alone. ``name`` is how generated
    sentences and charts call the group.
    """

    code: str
    label: str
    name: str
    rows: tuple[tuple[str, str], ...]

    @property
    def row_codes(self) -> tuple[str, ...]:
        return tuple(code for code, _label in self.rows)


_R2 = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"

#: The result rows of table 3 by group, with the exact labels of the 2021 template
#: (docs/domain/annual-report.md#table-3-applications-received-and-handled). Each outcome is
#: counted in one of these rows (OUTCOME_ROWS).
RESULT_GROUPS: tuple[ResultGroup, ...] = (
    ResultGroup("r1", "（一）予以公开", "予以公开", (("r1", "（一）予以公开"),)),
    ResultGroup("r2", _R2, "部分公开", (("r2", _R2),)),
    ResultGroup(
        "r3",
        "（三）不予公开",
        "不予公开",
        (
            ("r3_1", "1.属于国家秘密"),
            ("r3_2", "2.其他法律行政法规禁止公开"),
            ("r3_3", "3.危及“三安全一稳定”"),
            ("r3_4", "4.保护第三方合法权益"),
            ("r3_5", "5.属于三类内部事务信息"),
            ("r3_6", "6.属于四类过程性信息"),
            ("r3_7", "7.属于行政执法案卷"),
            ("r3_8", "8.属于行政查询事项"),
        ),
    ),
    ResultGroup(
        "r4",
        "（四）无法提供",
        "无法提供",
        (
            ("r4_1", "1.本机关不掌握相关政府信息"),
            ("r4_2", "2.没有现成信息需要另行制作"),
            ("r4_3", "3.补正后申请内容仍不明确"),
        ),
    ),
    ResultGroup(
        "r5",
        "（五）不予处理",
        "不予处理",
        (
            ("r5_1", "1.信访举报投诉类申请"),
            ("r5_2", "2.重复申请"),
            ("r5_3", "3.要求提供公开出版物"),
            ("r5_4", "4.无正当理由大量反复申请"),
            ("r5_5", "5.要求行政机关确认或重新出具已获取信息"),
        ),
    ),
    # The three （六） labels are confirmed by report parsers, not yet on a gov.cn page
    # (docs/domain/annual-report.md#table-3-applications-received-and-handled).
    ResultGroup(
        "r6",
        "（六）其他处理",
        "其他处理",
        (
            ("r6_1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            ("r6_2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
            ("r6_3", "3.其他"),
        ),
    ),
)
#: The label spanning the result rows and （七）总计, their sum.
RESULTS_LABEL = "三、本年度办理结果"
RESULT_TOTAL_ROW = ("r7", "（七）总计")
#: The rows around the results: an application enters table 3 through 一 or 二 and leaves it
#: through a result row or 四.
TABLE3_OUTER_ROWS = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried_in": "二、上年结转政府信息公开申请数量",
    "carried_out": "四、结转下年度继续办理",
}

RESULT_ROW_CODES: list[str] = [code for group in RESULT_GROUPS for code in group.row_codes]
#: The rows an application enters table 3 through (exactly one of them) ...
INCOMING_ROWS: tuple[str, ...] = ("new", "carried_in")
#: ... and the rows it leaves through (exactly one of them).
OUTGOING_ROWS: tuple[str, ...] = (*RESULT_ROW_CODES, "carried_out")

#: (code, level1, level2, level3): every row of table 3 in order, with its label cells.
TABLE3_ROWS: list[tuple[str, str, str, str]] = [
    ("new", TABLE3_OUTER_ROWS["new"], "", ""),
    ("carried_in", TABLE3_OUTER_ROWS["carried_in"], "", ""),
    *(
        (code, RESULTS_LABEL, group.label, label) if len(group.rows) > 1 else (code, RESULTS_LABEL, label, "")
        for group in RESULT_GROUPS
        for code, label in group.rows
    ),
    (RESULT_TOTAL_ROW[0], RESULTS_LABEL, RESULT_TOTAL_ROW[1], ""),
    ("carried_out", TABLE3_OUTER_ROWS["carried_out"], "", ""),
]
TABLE3_ROW_CODES: list[str] = [row[0] for row in TABLE3_ROWS]


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("提交")
    RECEIPT_CONFIRMED = "receipt_confirmed", _("确认收到")
    CORRECTION_REQUESTED = "correction_requested", _("补正通知")
    CORRECTED = "corrected", _("补正")
    EXTENDED = "extended", _("延期")
    THIRD_PARTY_CONSULTED = "third_party_consulted", _("征求第三方意见")
    ORGAN_CONSULTED = "organ_consulted", _("征求其他机关意见")
    OPINION_RETURNED = "opinion_returned", _("意见返回")
    FEE_NOTICE = "fee_notice", _("收费通知")
    PAID = "paid", _("缴费")
    REPLIED = "replied", _("答复")
    WITHDRAWN = "withdrawn", _("撤回")
    CLOSED_NO_CORRECTION = "closed_no_correction", _("逾期未补正终止")
    CLOSED_NO_PAYMENT = "closed_no_payment", _("逾期未缴费终止")
    NOTE = "note", _("备注")
    UPDATED = "updated", _("修改登记信息")
    # Written after the commit of the step they announce (apps.applications.notifications).
    NOTIFIED = "notified", _("通知申请人")
    NOTIFICATION_FAILED = "notification_failed", _("通知发送失败")


#: Events shown to the applicant on the status page; the others are internal working notes.
PUBLIC_EVENT_KINDS = {
    EventKind.SUBMITTED,
    EventKind.RECEIPT_CONFIRMED,
    EventKind.CORRECTION_REQUESTED,
    EventKind.CORRECTED,
    EventKind.EXTENDED,
    EventKind.THIRD_PARTY_CONSULTED,
    EventKind.ORGAN_CONSULTED,
    EventKind.OPINION_RETURNED,
    EventKind.FEE_NOTICE,
    EventKind.PAID,
    EventKind.REPLIED,
    EventKind.WITHDRAWN,
    EventKind.CLOSED_NO_CORRECTION,
    EventKind.CLOSED_NO_PAYMENT,
}


class ClockEventKind(StrEnum):
    """What an event means for the reply clock: the vocabulary of the deadline engine
    (apps.applications.deadlines), which never sees the event log itself."""

    RECEIVED = "received"  # 收到申请之日 (条例第三十一条), T0
    ON_THE_SPOT = "on_the_spot"  # 当场答复
    CORRECTION_REQUESTED = "correction_requested"  # 补正通知 sent; the clock stops
    CORRECTION_RECEIVED = "correction_received"  # 补正 received; the 20 days restart from here
    EXTENSION = "extension"  # 延期 by `days` working days (<= 20), approved and notified
    CONSULTATION_STARTED = "consultation_started"  # 征求第三方/其他机关意见 (pause)
    CONSULTATION_ENDED = "consultation_ended"
    FEE_NOTICE = "fee_notice"  # 收费通知 sent (pause until paid)
    FEE_PAID = "fee_paid"
