"""Reply deadlines of 代表建议 and 政协提案, in calendar months from 交办.

代表法第五十一条 (2025年修正; 第四十三条 in the 2015 text — 🧠 article number from memory):
"自交办之日起三个月内答复。涉及面广、处理难度大的……应当自交办之日起六个月内答复。"
No national rule was retrieved for 政协提案 (docs/domain/casework.md#reply-deadlines); the same 3/6
months is the common local practice (🧠 MEMORY), so both kinds use it here.

Months are counted as 民法典第二百零一、二百零二条 count them: the period starts the day
after 交办, and ends on the corresponding day of the final month, or on that month's last
day when it has no such day (交办 30 Nov + 3 months -> 28/29 Feb). The roll-forward of a
deadline that falls on a public holiday (民法典第二百零三条) is deliberately not applied:
the earlier date is the safe one to show a clerk.
"""

from __future__ import annotations

import calendar
import datetime as dt

REPLY_MONTHS = 3
DIFFICULT_REPLY_MONTHS = 6
#: 对办理结果不满意的，承办单位应当重新办理，并在3个月内再次答复
#: (四川办法, docs/domain/casework.md#reply-deadlines).
REDO_MONTHS = 3


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reply_due_date(*, assigned_date: dt.date, difficult: bool) -> dt.date:
    return add_months(assigned_date, DIFFICULT_REPLY_MONTHS if difficult else REPLY_MONTHS)


def redo_due_date(*, feedback_date: dt.date) -> dt.date:
    return add_months(feedback_date, REDO_MONTHS)
