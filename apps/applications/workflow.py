"""The 依申请公开 workflow, declared once.

For each transition: the statuses it may be taken from (and why not from some others), whether
it may happen only once, the event it appends to the log, the status and outcome it leads to,
what that event means for the reply clock and whether it must come while the reply period runs.

Who reads it:
- the services (apps.applications.services): every transition starts with `begin`, which checks
  the status and the once-only rule, and the period rule goes through clock.require_period_running;
- the back office (apps.applications.admin): a button per transition the status allows;
- the deadline engine (apps.applications.deadlines): the once-only and the within-the-period rules
  of the clock events, with the same messages;
- apps.applications.clock: which logged events move the clock (CLOCK_KINDS);
- apps.applications.notifications: which events the applicant is told of, with which message
  (NOTIFY_STEPS), once the step is committed.

The engine stays looser in one respect: it computes any sequence the 条例 allows, e.g. a
consultation overlapping a fee notice, which the statuses below never let a clerk record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.applications.enums import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    ClockEventKind,
    EventKind,
    Outcome,
    Status,
)


@dataclass(frozen=True)
class Transition:
    label: Promise
    #: The statuses it may be taken from.
    allowed: frozenset[str]
    #: The event it appends (the first, unless the service picks another of them).
    events: tuple[EventKind, ...]
    #: The status it leads to; None: the status stays.
    leads_to: Status | None = None
    #: The outcome it closes the application with; None: none, or chosen by the clerk (reply).
    outcome: Outcome | None = None
    #: The refusal once one of `events` is in the log; "" when it may be repeated.
    once: Promise | str = ""
    #: A refusal that says why for some statuses outside `allowed` (else the generic one).
    refusals: Mapping[str, Promise] = field(default_factory=dict)
    #: What the event means for the reply clock; None: it does not move it.
    clock: ClockEventKind | None = None
    #: The refusal (with %(due)s) when it comes after the reply period ran out; "" when it may
    #: come at any time. Such a step would make a lapsed deadline disappear.
    lapsed: Promise | str = ""
    #: The message the applicant gets once the step is committed (the name of its templates in
    #: templates/applications/notifications/); "" when the step does not concern them.
    notify: str = ""

    @property
    def event(self) -> EventKind:
        return self.events[0]

    def allows(self, status: str) -> bool:
        return status in self.allowed

    def refusal(self, status: str, status_label: str) -> str:
        if status in self.refusals:
            return str(self.refusals[status])
        return _("当前状态为“%(status)s”，不能进行此项操作。") % {"status": status_label}


_PAUSED = dict.fromkeys(
    (Status.CONSULTING, Status.AWAITING_PAYMENT), _("征求意见或收费程序进行中，不能通知补正。")
)

CONFIRM = Transition(
    label=_("确认收到申请"),
    allowed=frozenset({Status.PENDING_CONFIRMATION}),
    events=(EventKind.RECEIPT_CONFIRMED,),
    leads_to=Status.IN_PROGRESS,
    clock=ClockEventKind.RECEIVED,
    notify="receipt_confirmed",
)
REQUEST_CORRECTION = Transition(
    label=_("告知补正"),
    allowed=frozenset({Status.IN_PROGRESS}),
    events=(EventKind.CORRECTION_REQUESTED,),
    leads_to=Status.AWAITING_CORRECTION,
    once=_("补正只能一次性告知（条例第三十条），本申请已告知过补正。"),
    refusals=_PAUSED,
    clock=ClockEventKind.CORRECTION_REQUESTED,
    # The 补正 restarts the count: a late one would make the lapsed deadline disappear.
    lapsed=_("答复期限已于%(due)s届满，不能再通知补正（条例第三十条）。"),
    notify="correction_requested",
)
SUBMIT_CORRECTION = Transition(
    label=_("提交补正"),
    allowed=frozenset({Status.AWAITING_CORRECTION}),
    events=(EventKind.CORRECTED,),
    leads_to=Status.IN_PROGRESS,
    clock=ClockEventKind.CORRECTION_RECEIVED,
)
EXTEND = Transition(
    label=_("延期答复"),
    allowed=frozenset({Status.IN_PROGRESS, Status.CONSULTING}),
    events=(EventKind.EXTENDED,),
    once=_("答复期限只能延长一次，本申请已经延期。"),
    clock=ClockEventKind.EXTENSION,
    lapsed=_("答复期限已于%(due)s届满，不能再延期。"),
    notify="extended",
)
START_CONSULTATION = Transition(
    label=_("征求意见"),
    allowed=frozenset({Status.IN_PROGRESS}),
    events=(EventKind.THIRD_PARTY_CONSULTED, EventKind.ORGAN_CONSULTED),
    leads_to=Status.CONSULTING,
    clock=ClockEventKind.CONSULTATION_STARTED,
    # A pause only stops a running clock (条例第三十三条第三款).
    lapsed=_("答复期限已于%(due)s届满，逾期后不能再因征求意见暂停计算（条例第三十三条）。"),
    notify="consultation",
)
END_CONSULTATION = Transition(
    label=_("记录意见返回"),
    allowed=frozenset({Status.CONSULTING}),
    events=(EventKind.OPINION_RETURNED,),
    leads_to=Status.IN_PROGRESS,
    clock=ClockEventKind.CONSULTATION_ENDED,
)
SEND_FEE_NOTICE = Transition(
    label=_("发出收费通知"),
    allowed=frozenset({Status.IN_PROGRESS}),
    events=(EventKind.FEE_NOTICE,),
    leads_to=Status.AWAITING_PAYMENT,
    once=_("本申请已发出过收费通知，不得按两种标准重复计费。"),
    clock=ClockEventKind.FEE_NOTICE,
    # The fee notice is sent "在政府信息公开申请处理期限内" (国办函〔2020〕109号 as restated by the
    # provincial notices).
    lapsed=_("收费通知应当在答复期限内发出，答复期限已于%(due)s届满，不能再发出收费通知。"),
    notify="fee_notice",
)
RECORD_PAYMENT = Transition(
    label=_("记录缴费"),
    allowed=frozenset({Status.AWAITING_PAYMENT}),
    events=(EventKind.PAID,),
    leads_to=Status.IN_PROGRESS,
    clock=ClockEventKind.FEE_PAID,
)
REPLY = Transition(
    label=_("答复"),
    allowed=frozenset({Status.IN_PROGRESS}),
    events=(EventKind.REPLIED,),
    leads_to=Status.ANSWERED,
    refusals={
        Status.CONSULTING: _("正在征求意见，请先记录意见返回，再作出答复。"),
        Status.AWAITING_PAYMENT: _("申请人尚未缴费，请先记录缴费或按逾期未缴费终止。"),
    },
    notify="replied",
)
CLOSE_FOR_NO_CORRECTION = Transition(
    label=_("逾期未补正终止"),
    allowed=frozenset({Status.AWAITING_CORRECTION}),
    events=(EventKind.CLOSED_NO_CORRECTION,),
    leads_to=Status.CLOSED,
    outcome=Outcome.NO_CORRECTION,
    notify="closed",
)
CLOSE_FOR_NO_PAYMENT = Transition(
    label=_("逾期未缴费终止"),
    allowed=frozenset({Status.AWAITING_PAYMENT}),
    events=(EventKind.CLOSED_NO_PAYMENT,),
    leads_to=Status.CLOSED,
    outcome=Outcome.FEE_UNPAID,
    notify="closed",
)
WITHDRAW = Transition(
    label=_("记录撤回"),
    allowed=frozenset(OPEN_STATUSES),
    events=(EventKind.WITHDRAWN,),
    leads_to=Status.WITHDRAWN,
    outcome=Outcome.WITHDRAWN,
    refusals=dict.fromkeys(CLOSED_STATUSES, _("本申请已经办结，不能撤回。")),
    notify="closed",
)
ADD_NOTE = Transition(label=_("添加备注"), allowed=frozenset(Status.values), events=(EventKind.NOTE,))

#: The transitions a clerk takes in the back office, by the slug of their page.
BACK_OFFICE: dict[str, Transition] = {
    "confirm": CONFIRM,
    "correction": REQUEST_CORRECTION,
    "extend": EXTEND,
    "consult": START_CONSULTATION,
    "opinion": END_CONSULTATION,
    "fee": SEND_FEE_NOTICE,
    "payment": RECORD_PAYMENT,
    "reply": REPLY,
    "no-correction": CLOSE_FOR_NO_CORRECTION,
    "no-payment": CLOSE_FOR_NO_PAYMENT,
    "withdraw": WITHDRAW,
    "note": ADD_NOTE,
}
TRANSITIONS: tuple[Transition, ...] = (*BACK_OFFICE.values(), SUBMIT_CORRECTION)

#: Logged events that move the clock, and what the engine calls them.
CLOCK_KINDS: dict[EventKind, ClockEventKind] = {
    event: t.clock for t in TRANSITIONS if t.clock is not None for event in t.events
}
#: Logged events the applicant is told of, and the message (see Transition.notify).
NOTIFY_STEPS: dict[EventKind, str] = {event: t.notify for t in TRANSITIONS if t.notify for event in t.events}
_BY_CLOCK: dict[ClockEventKind, Transition] = {t.clock: t for t in TRANSITIONS if t.clock is not None}


def for_clock(kind: ClockEventKind) -> Transition | None:
    """The transition whose event is this clock event (None for 当场答复, not a transition)."""
    return _BY_CLOCK.get(kind)


def check_status(transition: Transition, *, status: str, status_label: str) -> None:
    if not transition.allows(status):
        raise ValidationError(transition.refusal(status, status_label), code="invalid_status")
