"""What the deadline engine takes and gives: the statutory periods, the clock events, the steps of
the explanation and the result."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.applications.enums import ClockEventKind
from apps.workdays.calendar import WorkdayResult, add_working_days

REPLY_DAYS = 20  # 条例第三十三条第二款
EXTENSION_MAX_DAYS = 20  # 条例第三十三条第二款
CORRECTION_NOTICE_DAYS = 7  # 条例第三十条
CONSULTATION_DAYS = 15  # 条例第三十二条 (third party), 第三十四条 (other organ)
# 109号 as restated by the provincial notices (docs/domain/applications.md#information-processing-fee).
FEE_PAYMENT_DAYS = 20
# The 条例 only asks for "合理的补正期限"; 15 working days is a common choice in local practice
# (🧠 MEMORY, a policy default). The CORRECTION_REQUESTED event may carry the period actually given.
DEFAULT_CORRECTION_DAYS = 15
MAX_CORRECTION_DAYS = 60


@dataclass(frozen=True)
class ClockEvent:
    kind: ClockEventKind
    day: dt.date
    #: EXTENSION: the extension in working days (1..20).
    #: CORRECTION_REQUESTED: the 补正期限 given in the notice, in working days (default 15).
    days: int | None = None
    note: str = ""
    #: FEE_NOTICE / CORRECTION_REQUESTED / CONSULTATION_STARTED: the day the applicant (or the
    #: consulted party) received the notice, when known; the period given to them runs from the
    #: day after it. Defaults to `day` (same-day delivery, e.g. online).
    delivered_on: dt.date | None = None
    #: EXTENSION: who approved it (政府信息公开工作机构负责人). `day` is the day the applicant was told.
    approved_by: str = ""
    #: CONSULTATION_*: who is consulted, e.g. "第三方" (default) or "市统计局".
    party: str = ""


@dataclass(frozen=True)
class Step:
    """One line of the explanation shown to clerks and applicants.

    `label` is a short heading, `detail` the explanation; `text` joins them into one line,
    e.g. "法定答复期限 20 个工作日 → 2026-03-18：自收到申请次日起算（条例第三十三条）".
    """

    label: str  # Chinese, e.g. "收到申请" / "征求第三方意见（暂停计算）"
    day: dt.date
    detail: str = ""
    provisional: bool = False

    @property
    def text(self) -> str:
        # Labels that already carry their date ("… → 2026-03-18") are not followed by it again.
        line = self.label if self.day.isoformat() in self.label else f"{self.label} {self.day.isoformat()}"
        if self.detail:
            line += f"：{self.detail}"
        if self.provisional:
            line += _("〔暂定：所涉年度节假日安排尚未确认〕")
        return line


@dataclass(frozen=True)
class DeadlineComputation:
    due_date: dt.date | None  # None while the clock is stopped (补正 pending) or after 当场答复
    provisional: bool  # True when the count reaches a year without confirmed calendar data
    paused: bool  # a consultation or a fee notice is running
    correction_notice_due: dt.date | None  # T0 + 7 working days (条例第三十条)
    steps: list[Step] = field(default_factory=list)
    received_on: dt.date | None = None  # T0 (the first RECEIVED; a 补正 restarts the count, not T0)
    on_the_spot: bool = False  # 当场答复
    #: Why `provisional` (the unconfirmed years of the working-day calendar), "" when it is not.
    provisional_reason: str = ""
    #: While a 补正 is pending: the last day for the applicant to correct (then 视为放弃, （六）1).
    correction_due: dt.date | None = None
    #: While a fee notice is unpaid: the last day to pay (then 视为放弃, （六）2).
    fee_payment_due: dt.date | None = None
    #: While a consultation is running: the last day for the consulted party (15 working days).
    consultation_due: dt.date | None = None
    extension_days: int = 0
    #: Working days excluded from the reply clock by pauses (a running pause counted up to today).
    paused_working_days: int = 0
    #: While a consultation has no recorded answer or a fee notice no payment: the last day they
    #: may stop the clock (the consulted party's 15 working days, the payment period). The clock
    #: runs again after it, even with nothing recorded (a date before `today`: it has run out).
    paused_until: dt.date | None = None
    #: The due date if those pauses last until `paused_until` (the due date itself without them):
    #: what the application stores, exact from the day after `paused_until`.
    due_date_at_cap: dt.date | None = None
    provisional_at_cap: bool = False
    #: The clock runs and the due date has passed (as of `today`).
    lapsed: bool = False


def consultation_due(start: dt.date) -> WorkdayResult:
    """Last day for a consulted third party / organ to answer: 15 working days after `start`
    (the day it received the request for opinion; 条例第三十二条、第三十四条)."""
    return add_working_days(start, CONSULTATION_DAYS)


def fee_payment_due(notice_received_on: dt.date) -> WorkdayResult:
    """Last day to pay the 信息处理费: 20 working days from the day after the applicant received the
    fee notice (109号 as restated by 四川/河南 notices,
    docs/domain/applications.md#information-processing-fee); unpaid → （六）2."""
    return add_working_days(notice_received_on, FEE_PAYMENT_DAYS)


def correction_due(notice_received_on: dt.date, days: int = DEFAULT_CORRECTION_DAYS) -> WorkdayResult:
    """Last day of the 补正期限 given in a 补正 notice (条例第三十条); not corrected by then → 视为放弃 （六）1."""
    return add_working_days(notice_received_on, days)


def iso(day: dt.date) -> str:
    return day.isoformat()


def working_days_text(days: int) -> str:
    return ngettext("%(n)d 个工作日", "%(n)d 个工作日", days) % {"n": days}
