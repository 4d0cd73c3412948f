"""The one deadline engine for on-request applications (条例第三十、三十三条; REFERENCE.md §2.2).

INTERFACE (agreed between the workdays/deadline work and the applications work):
the applications app turns its event log into ClockEvents and calls compute_deadline();
the result explains every step so that the application page can show how the due date
was computed.

Counting convention (🔧 DERIVED, REFERENCE.md §2.2): every period is counted in working days
(apps.workdays.calendar) from the day AFTER its starting day — "期间开始的日，不计算在期间内"
(🧠 MEMORY: the rule of the civil/administrative procedure laws; the 条例 only says "自…之日起").

- T0 = 收到申请之日 (条例第三十一条); reply due = T0 + 20 working days (第三十三条).
- 补正 (第三十条): the notice is due within T0 + 7 working days and may be sent once. It stops the
  clock; the applicant's 补正期限 runs from the day after the notice reaches them; the reply period
  restarts in full (20 days) from the day the corrected application is received. No 补正 in time →
  视为放弃申请 (the applications app closes it as （六）1 using `correction_due`).
- 延期 (第三十三条): once, at most 20 working days, approved by the office head and notified to the
  applicant before the period runs out.
- Pauses (第三十三条第三款; 109号 for fees): a consultation (第三十二条 third party / 第三十四条 other
  organ) or a fee notice running from day S to day E excludes the working days in (S, E] from the
  reply clock: S itself still counts (the notice goes out during a working day of the clock), E is
  the last excluded day (the clock resumes the next day, like any period). Overlapping pauses are
  merged, never counted twice. While a pause is still running, the due date is shown as if it
  ended `today` (it moves forward with each working day of the pause) and `paused` is True.
- Pause limits: a pause only starts while the reply period runs (on or before the due date), so
  that it never makes a lapsed deadline disappear. A consultation with no recorded answer stops
  pausing when the consulted party's 15 working days end; an unpaid fee notice when its payment
  period ends. An answer or payment recorded later does not move the due date again.
  `paused_until` and `due_date_at_cap` say when a running pause stops at the latest and what the
  due date is then: the application stores them so that the lists need no recomputation.
- 当场答复 ends everything at once.

compute_deadline() reads only the working-day calendar; it never writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.workdays.calendar import WorkdayResult, add_working_days, working_days_between

REPLY_DAYS = 20  # 条例第三十三条第二款
EXTENSION_MAX_DAYS = 20  # 条例第三十三条第二款
CORRECTION_NOTICE_DAYS = 7  # 条例第三十条
CONSULTATION_DAYS = 15  # 条例第三十二条 (third party), 第三十四条 (other organ)
FEE_PAYMENT_DAYS = 20  # 109号 as restated by the provincial notices (REFERENCE.md §2.4)
# The 条例 only asks for "合理的补正期限"; 15 working days is a common choice in local practice
# (🧠 MEMORY, a policy default). The CORRECTION_REQUESTED event may carry the period actually given.
DEFAULT_CORRECTION_DAYS = 15
MAX_CORRECTION_DAYS = 60


class ClockEventKind(StrEnum):
    RECEIVED = "received"  # 收到申请之日 (条例第三十一条), T0
    ON_THE_SPOT = "on_the_spot"  # 当场答复
    CORRECTION_REQUESTED = "correction_requested"  # 补正通知 sent; the clock stops
    CORRECTION_RECEIVED = "correction_received"  # 补正 received; the 20 days restart from here
    EXTENSION = "extension"  # 延期 by `days` working days (<= 20), approved and notified
    CONSULTATION_STARTED = "consultation_started"  # 征求第三方/其他机关意见 (pause)
    CONSULTATION_ENDED = "consultation_ended"
    FEE_NOTICE = "fee_notice"  # 收费通知 sent (pause until paid)
    FEE_PAID = "fee_paid"


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
    fee notice (109号 as restated by 四川/河南 notices, REFERENCE.md §2.4); unpaid → （六）2."""
    return add_working_days(notice_received_on, FEE_PAYMENT_DAYS)


def correction_due(notice_received_on: dt.date, days: int = DEFAULT_CORRECTION_DAYS) -> WorkdayResult:
    """Last day of the 补正期限 given in a 补正 notice (条例第三十条); not corrected by then → 视为放弃 （六）1."""
    return add_working_days(notice_received_on, days)


def _wd(days: int) -> str:
    return ngettext("%(n)d 个工作日", "%(n)d 个工作日", days) % {"n": days}


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _consulted(event: ClockEvent) -> str:
    return _("征求%(party)s意见") % {"party": event.party or _("第三方")}


@dataclass
class _Pause:
    """One consultation or fee notice. It stops the reply clock on the working days in
    (start, end]: `end` is the day of the answer or payment, but never later than `cap`, the
    last day of the consulted party's 15 working days (条例第三十二条、第三十四条) or of the payment
    period. A late answer or payment does not move the due date again."""

    kind: ClockEventKind  # CONSULTATION_STARTED or FEE_NOTICE
    start: dt.date
    cap: WorkdayResult
    what: str  # "征求第三方意见" / "收费"
    end: dt.date | None = None  # known once answered, paid or capped
    answered: bool = False  # the answer or payment is recorded (possibly after the cap)

    def until(self, day: dt.date) -> dt.date:
        """The last day this pause stops the clock, as far as it is known on `day`."""
        return min(self.end or day, self.cap.date)

    def pausing_on(self, day: dt.date) -> bool:
        return self.end is None and day <= self.cap.date


def compute_deadline(*, events: list[ClockEvent], today: dt.date | None = None) -> DeadlineComputation:
    """Compute the reply due date of one application from its clock events.

    Events may come in any order; they are taken by day, keeping the given order within a day.
    `today` (default: the local date) matters only while a pause is running, when a pause has
    run out and after the due date; for a closed application pass the day it was closed.
    Raises ValueError with a Chinese message for a sequence the 条例 does not allow (no receipt,
    a second receipt, an event before receipt, a second 补正 notice, an extension longer than 20
    working days / a second extension / while a 补正 is pending, an extension, consultation, fee
    notice or 补正 notice after the period ran out, an end without a start, anything after
    当场答复).
    """
    if not events:
        raise ValueError(_("缺少收到申请日期，无法计算答复期限。"))
    today = today or timezone.localdate()
    ordered = sorted(enumerate(events), key=lambda pair: (pair[1].day, pair[0]))
    first = ordered[0][1]
    if first.kind != ClockEventKind.RECEIVED:
        raise ValueError(_("第一项记录必须是收到申请（条例第三十一条），其他事件不能早于收到申请之日。"))

    t0 = first.day
    steps: list[Step] = []
    base = t0  # start of the current reply count (T0, or the day the 补正 came in)
    extension = 0
    pauses: list[_Pause] = []
    segment_start = t0  # first day of the latest run of overlapping pauses
    stopped = False
    correction_asked = False
    on_the_spot = False
    pending_correction: WorkdayResult | None = None

    def excluded(day: dt.date) -> int:
        """Working days of the current count that pauses exclude, as known on `day`; overlapping
        pauses are merged, never counted twice."""
        total, low, high = 0, None, None
        for start, end in sorted((max(p.start, base), p.until(day)) for p in pauses):
            if end <= start:
                continue
            if high is None or start > high:
                if high is not None:
                    total += working_days_between(low, high)
                low, high = start, end
            else:
                high = max(high, end)
        if high is not None:
            total += working_days_between(low, high)
        return total

    def due_as_of(day: dt.date) -> WorkdayResult:
        return add_working_days(base, REPLY_DAYS + extension + excluded(day))

    def pausing(day: dt.date) -> list[_Pause]:
        return [p for p in pauses if p.pausing_on(day)]

    def pause_over(until: dt.date, ended: str, name: str, note: str = "") -> None:
        """The step for a pause that stopped on `until` (its answer, payment or cap)."""
        if pausing(until):
            steps.append(Step(ended, until, note + _("其他暂停程序仍在进行，继续暂停计算")))
            return
        resumed = due_as_of(until)
        days = working_days_between(max(segment_start, base), until)
        label = _("%(what)s %(start)s 至 %(end)s，暂停 %(days)s") % {
            "what": name,
            "start": _iso(segment_start),
            "end": _iso(until),
            "days": _wd(max(days, 0)),
        }
        detail = note + _("答复期限顺延至 %(due)s") % {"due": _iso(resumed.date)}
        steps.append(Step(label, until, detail, resumed.provisional))

    def lapse_pauses(day: dt.date) -> None:
        """A pause whose cap passed before `day` with no answer or payment stops at its cap: the
        clock runs again from the next day (条例第三十二条、第三十四条; 视为放弃 for the fee)."""
        for pause in sorted(pauses, key=lambda p: p.cap.date):
            if pause.end is not None or pause.cap.date >= day:
                continue
            pause.end = cap = pause.cap.date
            if pause.kind == ClockEventKind.FEE_NOTICE:
                pause_over(
                    cap,
                    _("缴费期限届满"),
                    _("收费通知"),
                    _("缴费期限届满仍未缴费，自次日起恢复计算，逾期未缴纳的视为放弃申请；"),
                )
            else:
                pause_over(
                    cap,
                    _("%(what)s期满") % {"what": pause.what},
                    pause.what,
                    _("期满未收到意见，自次日起恢复计算（条例第三十二条、第三十四条）；"),
                )

    notice_due = add_working_days(t0, CORRECTION_NOTICE_DAYS)
    statutory = add_working_days(t0, REPLY_DAYS)
    steps.append(Step(_("收到申请"), t0, _("期限自次日起计算（条例第三十一条）")))
    steps.append(
        Step(
            _("补正告知期限 %(days)s → %(day)s")
            % {"days": _wd(CORRECTION_NOTICE_DAYS), "day": _iso(notice_due.date)},
            notice_due.date,
            _("申请内容不明确的，应在此日前一次性告知申请人补正（条例第三十条）"),
            notice_due.provisional,
        )
    )
    steps.append(
        Step(
            _("法定答复期限 %(days)s → %(day)s") % {"days": _wd(REPLY_DAYS), "day": _iso(statutory.date)},
            statutory.date,
            _("自收到申请次日起算（条例第三十三条）"),
            statutory.provisional,
        )
    )

    for _index, event in ordered[1:]:
        kind, day = event.kind, event.day
        if on_the_spot:
            raise ValueError(_("已当场答复，不能再登记其他事件。"))
        if kind == ClockEventKind.RECEIVED:
            raise ValueError(_("一件申请只能有一个收到申请日期。"))
        lapse_pauses(day)

        if kind == ClockEventKind.ON_THE_SPOT:
            if day != t0 or correction_asked or extension or pauses:
                raise ValueError(_("当场答复只能在收到申请当日、且未进行其他程序时登记。"))
            on_the_spot = True
            steps.append(Step(_("当场答复"), day, _("能够当场答复的，应当当场予以答复（条例第三十三条）")))
            continue

        if kind == ClockEventKind.CORRECTION_REQUESTED:
            if correction_asked:
                raise ValueError(_("补正通知只能一次性发出（条例第三十条）。"))
            if pausing(day):
                raise ValueError(_("征求意见或收费程序进行中，不能通知补正。"))
            current = due_as_of(day)
            if day > current.date:
                # The 补正 restarts the count: a late one would make the lapsed deadline disappear.
                raise ValueError(
                    _("答复期限已于%(due)s届满，不能再通知补正（条例第三十条）。")
                    % {"due": _iso(current.date)}
                )
            period = DEFAULT_CORRECTION_DAYS if event.days is None else event.days
            if not 1 <= period <= MAX_CORRECTION_DAYS:
                raise ValueError(
                    _("补正期限应为 1 至 %(max)d 个工作日，收到 %(days)s。")
                    % {"max": MAX_CORRECTION_DAYS, "days": period}
                )
            correction_asked, stopped = True, True
            pending_correction = correction_due(event.delivered_on or day, period)
            detail = _(
                "答复期限停止计算；申请人应在 %(due)s 前补正（%(days)s），无正当理由逾期不补正的视为放弃申请"
            ) % {
                "due": _iso(pending_correction.date),
                "days": _wd(period),
            }
            if day > notice_due.date:
                detail += _("；注意：已超过收到申请后 7 个工作日的告知期限（%(due)s）") % {
                    "due": _iso(notice_due.date)
                }
            steps.append(Step(_("通知补正"), day, detail, pending_correction.provisional))
            continue

        if kind == ClockEventKind.CORRECTION_RECEIVED:
            if not stopped:
                raise ValueError(_("没有待补正的通知，不能登记收到补正。"))
            late = pending_correction is not None and day > pending_correction.date
            stopped, pending_correction = False, None
            base, extension = day, 0
            restart = due_as_of(day)
            steps.append(
                Step(
                    _("收到补正"),
                    day,
                    (_("逾期补正；") if late else "")
                    + _("答复期限自收到补正的申请之日起重新计算（条例第三十条）"),
                )
            )
            steps.append(
                Step(
                    _("重新计算的答复期限 %(days)s → %(day)s")
                    % {"days": _wd(REPLY_DAYS), "day": _iso(restart.date)},
                    restart.date,
                    _("自收到补正次日起算"),
                    restart.provisional,
                )
            )
            continue

        if stopped:
            raise ValueError(_("补正期间答复期限停止计算，请先登记收到补正。"))

        if kind == ClockEventKind.EXTENSION:
            if extension:
                raise ValueError(
                    _("答复期限只能延长一次，延长的期限最长不得超过 20 个工作日（条例第三十三条）。")
                )
            if event.days is None or event.days < 1:
                raise ValueError(_("请填写延长的工作日数（1 至 20）。"))
            if event.days > EXTENSION_MAX_DAYS:
                raise ValueError(
                    _("延长答复期限最长不得超过 20 个工作日（条例第三十三条），收到 %(days)d 个工作日。")
                    % {"days": event.days}
                )
            current = due_as_of(day)
            if day > current.date:
                raise ValueError(
                    _("延期须在答复期限（%(due)s）届满前告知申请人（条例第三十三条）。")
                    % {"due": _iso(current.date)}
                )
            extension = event.days
            extended = due_as_of(day)
            who = (
                _("负责人 %(name)s 批准，%(day)s 告知申请人") % {"name": event.approved_by, "day": _iso(day)}
                if event.approved_by
                else _("经政府信息公开工作机构负责人同意，%(day)s 告知申请人") % {"day": _iso(day)}
            )
            steps.append(
                Step(
                    _("延期 %(days)s（%(who)s）") % {"days": _wd(event.days), "who": who},
                    day,
                    _("答复期限延至 %(due)s（条例第三十三条）") % {"due": _iso(extended.date)},
                    extended.provisional,
                )
            )
            continue

        if kind in (ClockEventKind.CONSULTATION_STARTED, ClockEventKind.FEE_NOTICE):
            fee = kind == ClockEventKind.FEE_NOTICE
            if fee and any(p.kind == kind and not p.answered for p in pauses):
                raise ValueError(_("已有未缴费的收费通知，请先登记缴费。"))
            # A pause only stops a running clock: started after the period ran out, it would make
            # the lapsed deadline disappear (条例第三十三条第三款; the fee notice is sent "在政府信息
            # 公开申请处理期限内", 国办函〔2020〕109号 as restated by the provincial notices).
            current = due_as_of(day)
            if day > current.date:
                message = (
                    _("收费通知应当在答复期限内发出，答复期限已于%(due)s届满，不能再发出收费通知。")
                    if fee
                    else _("答复期限已于%(due)s届满，逾期后不能再因征求意见暂停计算（条例第三十三条）。")
                )
                raise ValueError(message % {"due": _iso(current.date)})
            if not pausing(day):
                segment_start = day
            if fee:
                cap = fee_payment_due(event.delivered_on or day)
                # 🧠 MEMORY: 109号 is recalled to say that the time from the fee notice to the
                # payment is not counted in the reply period; not verified verbatim.
                step = Step(
                    _("发出收费通知（暂停计算）"),
                    day,
                    _(
                        "申请人应在 %(due)s 前缴费（收到通知次日起 20 个工作日），逾期未缴视为放弃申请；通知至缴费期间不计入答复期限"
                    )
                    % {"due": _iso(cap.date)},
                    cap.provisional,
                )
                pauses.append(_Pause(kind, day, cap, _("收费")))
            else:
                cap = consultation_due(event.delivered_on or day)
                step = Step(
                    _("%(what)s（暂停计算）") % {"what": _consulted(event)},
                    day,
                    _(
                        "被征求意见方应在 %(due)s 前提出意见（15 个工作日，条例第三十二条、第三十四条）；征求意见所需时间不计入答复期限，期满未提出意见的自次日起恢复计算"
                    )
                    % {"due": _iso(cap.date)},
                    cap.provisional,
                )
                pauses.append(_Pause(kind, day, cap, _consulted(event)))
            steps.append(step)
            continue

        if kind in (ClockEventKind.CONSULTATION_ENDED, ClockEventKind.FEE_PAID):
            paid = kind == ClockEventKind.FEE_PAID
            started = ClockEventKind.FEE_NOTICE if paid else ClockEventKind.CONSULTATION_STARTED
            pause = next((p for p in pauses if p.kind == started and not p.answered), None)
            if pause is None:
                raise ValueError(
                    _("没有未缴费的收费通知，不能登记缴费。")
                    if paid
                    else _("没有进行中的征求意见，不能登记结束。")
                )
            pause.answered = True
            if pause.end is not None:  # after the cap: the pause stopped there, the due date stays
                steps.append(
                    Step(
                        _("缴费（逾期）") if paid else _("%(what)s结束（逾期）") % {"what": pause.what},
                        day,
                        _("期限已于 %(cap)s 届满，暂停计算截至该日，逾期后的意见或缴费不再顺延答复期限")
                        % {"cap": _iso(pause.cap.date)},
                    )
                )
                continue
            pause.end = day
            if paid:
                pause_over(day, _("收费结束"), _("缴纳信息处理费"))
            else:
                pause_over(day, _("%(what)s结束") % {"what": pause.what}, pause.what)
            continue

        raise ValueError(_("未知的事件类型：%(kind)s") % {"kind": kind})

    lapse_pauses(today)
    consultation = next(
        (p for p in pauses if p.kind == ClockEventKind.CONSULTATION_STARTED and not p.answered), None
    )
    fee_notice = next((p for p in pauses if p.kind == ClockEventKind.FEE_NOTICE and not p.answered), None)
    common = {
        "correction_notice_due": notice_due.date,
        "received_on": t0,
        "extension_days": extension,
        "consultation_due": consultation.cap.date if consultation else None,
        "fee_payment_due": fee_notice.cap.date if fee_notice else None,
    }
    if on_the_spot:
        return DeadlineComputation(
            due_date=None, provisional=False, paused=False, steps=steps, on_the_spot=True, **common
        )
    if stopped:
        assert pending_correction is not None
        steps.append(
            Step(
                _("补正期间答复期限停止计算"),
                pending_correction.date,
                _("收到补正后重新计算 20 个工作日；%(due)s 前未补正的视为放弃申请")
                % {"due": _iso(pending_correction.date)},
                pending_correction.provisional,
            )
        )
        return DeadlineComputation(
            due_date=None,
            provisional=pending_correction.provisional,
            provisional_reason=pending_correction.reason,
            paused=False,
            steps=steps,
            correction_due=pending_correction.date,
            paused_working_days=excluded(today),
            **common,
        )

    running = pausing(today)
    due = due_as_of(today)
    # Unanswered pauses, running or run out: the due date if each lasts until its cap.
    unanswered = [p.cap.date for p in pauses if not p.answered]
    paused_until = max(unanswered) if unanswered else None
    at_cap = due_as_of(dt.date.max) if unanswered else due
    if running:
        as_of = max(today, segment_start)
        steps.append(
            Step(
                _("暂停计算中：自 %(start)s 起已暂停 %(days)s")
                % {"start": _iso(segment_start), "days": _wd(working_days_between(segment_start, as_of))},
                as_of,
                _(
                    "按截至今日计算，暂停结束后答复期限继续顺延；至迟于 %(until)s 后恢复计算，届时答复期限为 %(due)s"
                )
                % {"until": _iso(paused_until), "due": _iso(at_cap.date)},
                at_cap.provisional,
            )
        )
    paused_days = excluded(today)
    parts = [_wd(REPLY_DAYS)]
    if extension:
        parts.append(_("延期 %(days)s") % {"days": _wd(extension)})
    if paused_days:
        parts.append(_("暂停 %(days)s") % {"days": _wd(paused_days)})
    steps.append(
        Step(
            _("答复期限 → %(day)s") % {"day": _iso(due.date)},
            due.date,
            _("自 %(base)s 次日起 %(parts)s") % {"base": _iso(base), "parts": " + ".join(parts)},
            due.provisional,
        )
    )
    lapsed = not running and due.date < today
    if lapsed:
        # Stays on the record: no later event can move a due date that has run out.
        steps.append(
            Step(
                _("已超过答复期限"),
                today,
                _("答复期限 %(due)s 已届满，截至 %(day)s 超过 %(days)s")
                % {
                    "due": _iso(due.date),
                    "day": _iso(today),
                    "days": _wd(working_days_between(due.date, today)),
                },
            )
        )
    return DeadlineComputation(
        due_date=due.date,
        provisional=due.provisional,
        provisional_reason=due.reason,
        paused=bool(running),
        steps=steps,
        paused_working_days=paused_days,
        paused_until=paused_until,
        due_date_at_cap=at_cap.date,
        provisional_at_cap=at_cap.provisional,
        lapsed=lapsed,
        **common,
    )
