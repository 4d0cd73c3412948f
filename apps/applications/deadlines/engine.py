"""compute_deadline: the clock events taken one by one, each by its own small step.

`_Count` holds the state of the count (its base day, the extension, the pauses, a pending 补正);
each `_on_<event>` method checks one event against the 条例 and the workflow and writes its line
of the explanation (the pauses' in deadlines.pauses); `_finish_*` turn the state into the
DeadlineComputation as of `today`.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.applications import workflow
from apps.applications.deadlines.pauses import Pause, PauseSteps
from apps.applications.deadlines.periods import (
    CORRECTION_NOTICE_DAYS,
    DEFAULT_CORRECTION_DAYS,
    EXTENSION_MAX_DAYS,
    MAX_CORRECTION_DAYS,
    REPLY_DAYS,
    ClockEvent,
    DeadlineComputation,
    Step,
    correction_due,
    iso,
)
from apps.applications.deadlines.periods import working_days_text as _wd
from apps.applications.enums import ClockEventKind, Status
from apps.workdays.calendar import WorkdayResult, add_working_days, working_days_between

K = ClockEventKind
#: The events checked on their own while a 补正 is pending (the others wait for the correction).
_WHILE_STOPPED = (K.ON_THE_SPOT, K.CORRECTION_REQUESTED, K.CORRECTION_RECEIVED)


class _Count(PauseSteps):
    def __init__(self, t0: dt.date):
        self.t0 = t0
        self.base = t0  # start of the current reply count (T0, or the day the 补正 came in)
        self.extension = 0
        self.pauses: list[Pause] = []
        self.segment_start = t0  # first day of the latest run of overlapping pauses
        self.pending_correction: WorkdayResult | None = None  # a 补正 is pending: the clock stopped
        self.on_the_spot = False
        self.seen: set[ClockEventKind] = set()
        self.steps: list[Step] = []
        self.notice_due = add_working_days(t0, CORRECTION_NOTICE_DAYS)

    # --- arithmetic ------------------------------------------------------------------------

    def due_as_of(self, day: dt.date) -> WorkdayResult:
        return add_working_days(self.base, REPLY_DAYS + self.extension + self.excluded(day))

    # --- the workflow's rules --------------------------------------------------------------

    def require_first(self, event: ClockEvent) -> None:
        """The event may happen once only (workflow: `once`)."""
        rule = workflow.for_clock(event.kind)
        if rule is not None and rule.once and event.kind in self.seen:
            raise ValueError(str(rule.once))

    def require_running(self, event: ClockEvent) -> None:
        """The event may only come while the reply period runs (workflow: `lapsed`)."""
        rule = workflow.for_clock(event.kind)
        current = self.due_as_of(event.day)
        if rule is not None and rule.lapsed and event.day > current.date:
            raise ValueError(rule.lapsed % {"due": iso(current.date)})

    # --- the steps ---------------------------------------------------------------------------

    def start(self) -> None:
        statutory = add_working_days(self.t0, REPLY_DAYS)
        notice = self.notice_due
        self.steps += [
            Step(_("收到申请"), self.t0, _("期限自次日起计算（条例第三十一条）")),
            Step(
                _("补正告知期限 %(days)s → %(day)s")
                % {"days": _wd(CORRECTION_NOTICE_DAYS), "day": iso(notice.date)},
                notice.date,
                _("申请内容不明确的，应在此日前一次性告知申请人补正（条例第三十条）"),
                notice.provisional,
            ),
            Step(
                _("法定答复期限 %(days)s → %(day)s") % {"days": _wd(REPLY_DAYS), "day": iso(statutory.date)},
                statutory.date,
                _("自收到申请次日起算（条例第三十三条）"),
                statutory.provisional,
            ),
        ]

    def take(self, event: ClockEvent) -> None:
        if self.on_the_spot:
            raise ValueError(_("已当场答复，不能再登记其他事件。"))
        if event.kind == K.RECEIVED:
            raise ValueError(_("一件申请只能有一个收到申请日期。"))
        self.lapse_pauses(event.day)
        if self.pending_correction is not None and event.kind not in _WHILE_STOPPED:
            raise ValueError(_("补正期间答复期限停止计算，请先登记收到补正。"))
        handler = getattr(self, f"_on_{event.kind}", None)
        if handler is None:
            raise ValueError(_("未知的事件类型：%(kind)s") % {"kind": event.kind})
        handler(event)
        self.seen.add(event.kind)

    def _on_on_the_spot(self, event: ClockEvent) -> None:
        if event.day != self.t0 or self.seen or self.pauses:
            raise ValueError(_("当场答复只能在收到申请当日、且未进行其他程序时登记。"))
        self.on_the_spot = True
        self.steps.append(
            Step(_("当场答复"), event.day, _("能够当场答复的，应当当场予以答复（条例第三十三条）"))
        )

    def _on_correction_requested(self, event: ClockEvent) -> None:
        self.require_first(event)
        if self.pausing(event.day):
            raise ValueError(str(workflow.REQUEST_CORRECTION.refusals[Status.CONSULTING]))
        self.require_running(event)
        period = DEFAULT_CORRECTION_DAYS if event.days is None else event.days
        if not 1 <= period <= MAX_CORRECTION_DAYS:
            raise ValueError(
                _("补正期限应为 1 至 %(max)d 个工作日，收到 %(days)s。")
                % {"max": MAX_CORRECTION_DAYS, "days": period}
            )
        self.pending_correction = due = correction_due(event.delivered_on or event.day, period)
        detail = _(
            "答复期限停止计算；申请人应在 %(due)s 前补正（%(days)s），无正当理由逾期不补正的视为放弃申请"
        ) % {"due": iso(due.date), "days": _wd(period)}
        if event.day > self.notice_due.date:
            detail += _("；注意：已超过收到申请后 7 个工作日的告知期限（%(due)s）") % {
                "due": iso(self.notice_due.date)
            }
        self.steps.append(Step(_("通知补正"), event.day, detail, due.provisional))

    def _on_correction_received(self, event: ClockEvent) -> None:
        if self.pending_correction is None:
            raise ValueError(_("没有待补正的通知，不能登记收到补正。"))
        late = event.day > self.pending_correction.date
        self.pending_correction = None
        self.base, self.extension = event.day, 0
        restart = self.due_as_of(event.day)
        self.steps += [
            Step(
                _("收到补正"),
                event.day,
                (_("逾期补正；") if late else "")
                + _("答复期限自收到补正的申请之日起重新计算（条例第三十条）"),
            ),
            Step(
                _("重新计算的答复期限 %(days)s → %(day)s")
                % {"days": _wd(REPLY_DAYS), "day": iso(restart.date)},
                restart.date,
                _("自收到补正次日起算"),
                restart.provisional,
            ),
        ]

    def _on_extension(self, event: ClockEvent) -> None:
        self.require_first(event)
        if event.days is None or event.days < 1:
            raise ValueError(_("请填写延长的工作日数（1 至 20）。"))
        if event.days > EXTENSION_MAX_DAYS:
            raise ValueError(
                _("延长答复期限最长不得超过 20 个工作日（条例第三十三条），收到 %(days)d 个工作日。")
                % {"days": event.days}
            )
        self.require_running(event)
        self.extension = event.days
        extended = self.due_as_of(event.day)
        day = iso(event.day)
        who = (
            _("负责人 %(name)s 批准，%(day)s 告知申请人") % {"name": event.approved_by, "day": day}
            if event.approved_by
            else _("经政府信息公开工作机构负责人同意，%(day)s 告知申请人") % {"day": day}
        )
        self.steps.append(
            Step(
                _("延期 %(days)s（%(who)s）") % {"days": _wd(event.days), "who": who},
                event.day,
                _("答复期限延至 %(due)s（条例第三十三条）") % {"due": iso(extended.date)},
                extended.provisional,
            )
        )

    # --- the result ----------------------------------------------------------------------------

    def finish(self, today: dt.date) -> DeadlineComputation:
        self.lapse_pauses(today)
        consultation = self.unanswered(K.CONSULTATION_STARTED)
        fee_notice = self.unanswered(K.FEE_NOTICE)
        common = {
            "correction_notice_due": self.notice_due.date,
            "received_on": self.t0,
            "extension_days": self.extension,
            "consultation_due": consultation.cap.date if consultation else None,
            "fee_payment_due": fee_notice.cap.date if fee_notice else None,
        }
        if self.on_the_spot:
            return DeadlineComputation(
                due_date=None, provisional=False, paused=False, steps=self.steps, on_the_spot=True, **common
            )
        if self.pending_correction is not None:
            return self._finish_stopped(today, common)
        return self._finish_running(today, common)

    def _finish_stopped(self, today: dt.date, common: dict) -> DeadlineComputation:
        pending = self.pending_correction
        self.steps.append(
            Step(
                _("补正期间答复期限停止计算"),
                pending.date,
                _("收到补正后重新计算 20 个工作日；%(due)s 前未补正的视为放弃申请")
                % {"due": iso(pending.date)},
                pending.provisional,
            )
        )
        return DeadlineComputation(
            due_date=None,
            provisional=pending.provisional,
            provisional_reason=pending.reason,
            paused=False,
            steps=self.steps,
            correction_due=pending.date,
            paused_working_days=self.excluded(today),
            **common,
        )

    def _finish_running(self, today: dt.date, common: dict) -> DeadlineComputation:
        running = self.pausing(today)
        due = self.due_as_of(today)
        # Unanswered pauses, running or run out: the due date if each lasts until its cap.
        unanswered = [p.cap.date for p in self.pauses if not p.answered]
        paused_until = max(unanswered) if unanswered else None
        at_cap = self.due_as_of(dt.date.max) if unanswered else due
        if running:
            self._step_paused(today, paused_until, at_cap)
        paused_days = self.excluded(today)
        self._step_due(due, paused_days)
        lapsed = not running and due.date < today
        if lapsed:
            # Stays on the record: no later event can move a due date that has run out.
            self.steps.append(
                Step(
                    _("已超过答复期限"),
                    today,
                    _("答复期限 %(due)s 已届满，截至 %(day)s 超过 %(days)s")
                    % {
                        "due": iso(due.date),
                        "day": iso(today),
                        "days": _wd(working_days_between(due.date, today)),
                    },
                )
            )
        return DeadlineComputation(
            due_date=due.date,
            provisional=due.provisional,
            provisional_reason=due.reason,
            paused=bool(running),
            steps=self.steps,
            paused_working_days=paused_days,
            paused_until=paused_until,
            due_date_at_cap=at_cap.date,
            provisional_at_cap=at_cap.provisional,
            lapsed=lapsed,
            **common,
        )

    def _step_paused(self, today: dt.date, paused_until: dt.date, at_cap: WorkdayResult) -> None:
        as_of = max(today, self.segment_start)
        days = working_days_between(self.segment_start, as_of)
        self.steps.append(
            Step(
                _("暂停计算中：自 %(start)s 起已暂停 %(days)s")
                % {"start": iso(self.segment_start), "days": _wd(days)},
                as_of,
                _(
                    "按截至今日计算，暂停结束后答复期限继续顺延；至迟于 %(until)s 后恢复计算，届时答复期限为 %(due)s"
                )
                % {"until": iso(paused_until), "due": iso(at_cap.date)},
                at_cap.provisional,
            )
        )

    def _step_due(self, due: WorkdayResult, paused_days: int) -> None:
        parts = [_wd(REPLY_DAYS)]
        if self.extension:
            parts.append(_("延期 %(days)s") % {"days": _wd(self.extension)})
        if paused_days:
            parts.append(_("暂停 %(days)s") % {"days": _wd(paused_days)})
        self.steps.append(
            Step(
                _("答复期限 → %(day)s") % {"day": iso(due.date)},
                due.date,
                _("自 %(base)s 次日起 %(parts)s") % {"base": iso(self.base), "parts": " + ".join(parts)},
                due.provisional,
            )
        )


def compute_deadline(*, events: list[ClockEvent], today: dt.date | None = None) -> DeadlineComputation:
    """Compute the reply due date of one application from its clock events.

    Events may come in any order; they are taken by day, keeping the given order within a day.
    `today` (default: the local date) matters only while a pause is running, when a pause has
    run out and after the due date; for a closed application pass the day it was closed.
    Raises ValueError with a Chinese message for a sequence the 条例 does not allow (no receipt,
    a second receipt, an event before receipt, a second 补正 notice, extension or fee notice, an
    extension longer than 20 working days or while a 补正 is pending, an extension, consultation,
    fee notice or 补正 notice after the period ran out, an end without a start, anything after
    当场答复).
    """
    if not events:
        raise ValueError(_("缺少收到申请日期，无法计算答复期限。"))
    today = today or timezone.localdate()
    ordered = [event for _index, event in sorted(enumerate(events), key=lambda pair: (pair[1].day, pair[0]))]
    if ordered[0].kind != K.RECEIVED:
        raise ValueError(_("第一项记录必须是收到申请（条例第三十一条），其他事件不能早于收到申请之日。"))
    count = _Count(ordered[0].day)
    count.start()
    for event in ordered[1:]:
        count.take(event)
    return count.finish(today)
