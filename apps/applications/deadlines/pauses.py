"""The pauses of the reply clock (条例第三十二至三十四条, 109号 for the fee): consultations and fee
notices, each stopping the clock until its answer or payment and at the latest until its cap."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from apps.applications.deadlines.periods import ClockEvent, Step, consultation_due, fee_payment_due, iso
from apps.applications.deadlines.periods import working_days_text as _wd
from apps.applications.enums import ClockEventKind
from apps.workdays.calendar import WorkdayResult, working_days_between

K = ClockEventKind


def _consulted(event: ClockEvent) -> str:
    return _("征求%(party)s意见") % {"party": event.party or _("第三方")}


@dataclass
class Pause:
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


class PauseSteps:
    """The steps of the pauses, mixed into the count of apps.applications.deadlines.engine, whose
    state they share: `base`, `pauses`, `segment_start`, `steps`, and `due_as_of`,
    `require_first`, `require_running`."""

    base: dt.date
    pauses: list[Pause]
    segment_start: dt.date
    steps: list[Step]

    def excluded(self, day: dt.date) -> int:
        """Working days of the current count that pauses exclude, as known on `day`; overlapping
        pauses are merged, never counted twice."""
        total, low, high = 0, None, None
        for start, end in sorted((max(p.start, self.base), p.until(day)) for p in self.pauses):
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

    def pausing(self, day: dt.date) -> list[Pause]:
        return [p for p in self.pauses if p.pausing_on(day)]

    def unanswered(self, kind: ClockEventKind) -> Pause | None:
        return next((p for p in self.pauses if p.kind == kind and not p.answered), None)

    def pause_over(self, until: dt.date, ended: str, name: str, note: str = "") -> None:
        """The step for a pause that stopped on `until` (its answer, payment or cap)."""
        if self.pausing(until):
            self.steps.append(Step(ended, until, note + _("其他暂停程序仍在进行，继续暂停计算")))
            return
        resumed = self.due_as_of(until)
        days = working_days_between(max(self.segment_start, self.base), until)
        label = _("%(what)s %(start)s 至 %(end)s，暂停 %(days)s") % {
            "what": name,
            "start": iso(self.segment_start),
            "end": iso(until),
            "days": _wd(max(days, 0)),
        }
        detail = note + _("答复期限顺延至 %(due)s") % {"due": iso(resumed.date)}
        self.steps.append(Step(label, until, detail, resumed.provisional))

    def lapse_pauses(self, day: dt.date) -> None:
        """A pause whose cap passed before `day` with no answer or payment stops at its cap: the
        clock runs again from the next day (条例第三十二条、第三十四条; 视为放弃 for the fee)."""
        for pause in sorted(self.pauses, key=lambda p: p.cap.date):
            if pause.end is not None or pause.cap.date >= day:
                continue
            pause.end = cap = pause.cap.date
            if pause.kind == K.FEE_NOTICE:
                self.pause_over(
                    cap,
                    _("缴费期限届满"),
                    _("收费通知"),
                    _("缴费期限届满仍未缴费，自次日起恢复计算，逾期未缴纳的视为放弃申请；"),
                )
            else:
                self.pause_over(
                    cap,
                    _("%(what)s期满") % {"what": pause.what},
                    pause.what,
                    _("期满未收到意见，自次日起恢复计算（条例第三十二条、第三十四条）；"),
                )

    def _start_pause(self, event: ClockEvent, cap: WorkdayResult, what: str, step: Step) -> None:
        # A pause only stops a running clock: started after the period ran out, it would make
        # the lapsed deadline disappear.
        self.require_running(event)
        if not self.pausing(event.day):
            self.segment_start = event.day
        self.pauses.append(Pause(event.kind, event.day, cap, what))
        self.steps.append(step)

    def _on_consultation_started(self, event: ClockEvent) -> None:
        cap = consultation_due(event.delivered_on or event.day)
        detail = _(
            "被征求意见方应在 %(due)s 前提出意见（15 个工作日，条例第三十二条、第三十四条）；征求意见所需时间不计入答复期限，期满未提出意见的自次日起恢复计算"
        ) % {"due": iso(cap.date)}
        what = _consulted(event)
        step = Step(_("%(what)s（暂停计算）") % {"what": what}, event.day, detail, cap.provisional)
        self._start_pause(event, cap, what, step)

    def _on_fee_notice(self, event: ClockEvent) -> None:
        if self.unanswered(K.FEE_NOTICE):
            raise ValueError(_("已有未缴费的收费通知，请先登记缴费。"))
        self.require_first(event)
        cap = fee_payment_due(event.delivered_on or event.day)
        # 🧠 MEMORY: 109号 is recalled to say that the time from the fee notice to the
        # payment is not counted in the reply period; not verified verbatim.
        detail = _(
            "申请人应在 %(due)s 前缴费（收到通知次日起 20 个工作日），逾期未缴视为放弃申请；通知至缴费期间不计入答复期限"
        ) % {"due": iso(cap.date)}
        step = Step(_("发出收费通知（暂停计算）"), event.day, detail, cap.provisional)
        self._start_pause(event, cap, _("收费"), step)

    def _end_pause(self, event: ClockEvent, pause: Pause, late_label: str, ended: str, name: str) -> None:
        pause.answered = True
        if pause.end is not None:  # after the cap: the pause stopped there, the due date stays
            detail = _("期限已于 %(cap)s 届满，暂停计算截至该日，逾期后的意见或缴费不再顺延答复期限") % {
                "cap": iso(pause.cap.date)
            }
            self.steps.append(Step(late_label, event.day, detail))
            return
        pause.end = event.day
        self.pause_over(event.day, ended, name)

    def _on_consultation_ended(self, event: ClockEvent) -> None:
        pause = self.unanswered(K.CONSULTATION_STARTED)
        if pause is None:
            raise ValueError(_("没有进行中的征求意见，不能登记结束。"))
        ended = _("%(what)s结束") % {"what": pause.what}
        self._end_pause(event, pause, _("%(what)s结束（逾期）") % {"what": pause.what}, ended, pause.what)

    def _on_fee_paid(self, event: ClockEvent) -> None:
        pause = self.unanswered(K.FEE_NOTICE)
        if pause is None:
            raise ValueError(_("没有未缴费的收费通知，不能登记缴费。"))
        self._end_pause(event, pause, _("缴费（逾期）"), _("收费结束"), _("缴纳信息处理费"))
