"""Every write to an application: one function per transition of the 依申请公开 workflow.

Each transition locks the row (select_for_update), checks the optional expected version
(optimistic locking for the back office) and what apps.applications.workflow declares for it
(allowed statuses, once-only, the period), appends one event to the append-only log, recomputes
the due date from the whole log through deadlines.compute_deadline, and saves.

The admin, the views, the commands and the demo call the names below.
"""

from apps.applications.services.base import APPLICATION_FIELDS, application_deadline, stale_message
from apps.applications.services.correction import (
    application_close_for_no_correction,
    application_request_correction,
    application_submit_correction,
)
from apps.applications.services.endings import application_reply, application_withdraw
from apps.applications.services.intake import (
    application_add_note,
    application_confirm_receipt,
    application_register,
    application_submit_online,
    application_update,
)
from apps.applications.services.pauses import (
    application_end_consultation,
    application_extend,
    application_start_consultation,
)
from apps.applications.services.payments import (
    application_close_for_no_payment,
    application_record_payment,
    application_send_fee_notice,
)

__all__ = [
    "APPLICATION_FIELDS",
    "application_add_note",
    "application_close_for_no_correction",
    "application_close_for_no_payment",
    "application_confirm_receipt",
    "application_deadline",
    "application_end_consultation",
    "application_extend",
    "application_record_payment",
    "application_register",
    "application_reply",
    "application_request_correction",
    "application_send_fee_notice",
    "application_start_consultation",
    "application_submit_correction",
    "application_submit_online",
    "application_update",
    "application_withdraw",
    "stale_message",
]
