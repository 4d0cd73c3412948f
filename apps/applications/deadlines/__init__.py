"""The one deadline engine for on-request applications (条例第三十、三十三条;
docs/domain/applications.md#the-deadline-engine).

The applications app turns its event log into ClockEvents (apps.applications.clock) and calls
compute_deadline(); the result explains every step so that the application page can show how the
due date was computed. Which event may come once only, and which only while the reply period runs,
is the workflow's (apps.applications.workflow), read here with the same messages.

Counting convention (🔧 DERIVED, docs/domain/applications.md#counting-convention): every period is
counted in working days (apps.workdays.calendar) from the day AFTER its starting day —
"期间开始的日，不计算在期间内" (🧠 MEMORY: the rule of the civil/administrative procedure laws; the 条例
only says "自…之日起").

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

from apps.applications.deadlines.engine import compute_deadline
from apps.applications.deadlines.periods import (
    CONSULTATION_DAYS,
    CORRECTION_NOTICE_DAYS,
    DEFAULT_CORRECTION_DAYS,
    EXTENSION_MAX_DAYS,
    FEE_PAYMENT_DAYS,
    MAX_CORRECTION_DAYS,
    REPLY_DAYS,
    ClockEvent,
    DeadlineComputation,
    Step,
    consultation_due,
    correction_due,
    fee_payment_due,
)
from apps.applications.enums import ClockEventKind

__all__ = [
    "CONSULTATION_DAYS",
    "CORRECTION_NOTICE_DAYS",
    "DEFAULT_CORRECTION_DAYS",
    "EXTENSION_MAX_DAYS",
    "FEE_PAYMENT_DAYS",
    "MAX_CORRECTION_DAYS",
    "REPLY_DAYS",
    "ClockEvent",
    "ClockEventKind",
    "DeadlineComputation",
    "Step",
    "compute_deadline",
    "consultation_due",
    "correction_due",
    "fee_payment_due",
]
