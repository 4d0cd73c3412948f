"""The one deadline engine for on-request applications (条例第三十、三十三条; REFERENCE.md §2.2).

INTERFACE (agreed between the workdays/deadline work and the applications work):
the applications app turns its event log into ClockEvents and calls compute_deadline();
the result explains every step so that the application page can show how the due date
was computed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


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
    days: int | None = None  # EXTENSION only
    note: str = ""


@dataclass(frozen=True)
class Step:
    """One line of the explanation shown to clerks and applicants."""

    label: str  # Chinese, e.g. "收到申请" / "征求第三方意见（暂停计算）"
    day: dt.date
    detail: str = ""
    provisional: bool = False


@dataclass(frozen=True)
class DeadlineComputation:
    due_date: dt.date | None  # None while the clock is stopped (补正 pending) or after 当场答复
    provisional: bool  # True when the count reaches a year without confirmed calendar data
    paused: bool  # a consultation or a fee notice is running
    correction_notice_due: dt.date | None  # T0 + 7 working days (条例第三十条)
    steps: list[Step] = field(default_factory=list)


def compute_deadline(*, events: list[ClockEvent]) -> DeadlineComputation:
    raise NotImplementedError  # implemented by the deadline-engine work
