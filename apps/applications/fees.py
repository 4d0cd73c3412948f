"""信息处理费 calculator — 《政府信息公开信息处理费管理办法》(国办函〔2020〕109号),
docs/domain/applications.md#information-processing-fee.

第三条: charged per item (按件) or per page (按量), both 超额累进 (superprogressive: each unit is
charged at the rate of the band it falls in); for one application the organ picks ONE method and
never charges both.
第四条 按件: per applicant, cumulative over one natural month (after "一事一申请" splitting):
  items 1–10 free; 11–30 100元/件; from 31, bands of 10 items, each band 100元/件 dearer
  (31–40 200, 41–50 300, ...).
第五条 按量 (paper copies, e-mail, copied electronic data): per application,
  pages 1–30 free; 31–100 10元/页; 101–200 20元/页; 201+ 40元/页.

Worked examples (docs/domain/applications.md#information-processing-fee): 35 items → 3,000元; 45 items → 5,500元; 250 pages → 4,700元.

Payment (provincial notices restating 109号): within 20 working days from the day after the fee
notice is received (apps.applications.deadlines.fee_payment_due), else 视为放弃申请 (（六）2). The time
from the notice to payment is not counted in the reply period (🧠 MEMORY, see apps.applications.deadlines).
Not covered here (🧠 MEMORY, unverified): 减免 and the page-counting rules for electronic data.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class FeeMethod(models.TextChoices):
    PER_ITEM = "per_item", gettext_lazy("按件计收")
    PER_PAGE = "per_page", gettext_lazy("按量计收")


@dataclass(frozen=True)
class FeeLine:
    """One band of a fee, for the 收费通知书: units `first`..`last` at `rate` 元 each."""

    first: int
    last: int
    rate: Decimal

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    @property
    def amount(self) -> Decimal:
        return self.rate * self.count


# 按量 bands: (first page, last page or None for open-ended, rate per page).
_PAGE_BANDS: tuple[tuple[int, int | None, Decimal], ...] = (
    (1, 30, Decimal(0)),
    (31, 100, Decimal(10)),
    (101, 200, Decimal(20)),
    (201, None, Decimal(40)),
)
MAX_UNITS = 1_000_000


def _check(name: str, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(_("%(name)s必须是整数。") % {"name": name})
    if value < 0 or value > MAX_UNITS:
        raise ValueError(_("%(name)s应在 0 至 %(max)d 之间。") % {"name": name, "max": MAX_UNITS})


def _item_rate(n: int) -> Decimal:
    """Rate of the n-th item of the month (第四条)."""
    if n <= 10:
        return Decimal(0)
    if n <= 30:
        return Decimal(100)
    return Decimal(100) * (1 + (n - 30 + 9) // 10)  # 31–40 → 200, 41–50 → 300, ...


def _item_bands(last: int):
    yield 1, 10
    yield 11, 30
    start = 31
    while start <= last:
        yield start, start + 9
        start += 10


def fee_lines_by_items(*, prior_items_this_month: int, items: int) -> list[FeeLine]:
    """The charged bands for `items` new items when the applicant already had
    `prior_items_this_month` items in the same natural month (第四条). Free bands are included
    (rate 0) so a notice can show them."""
    _check(_("本月此前已申请件数"), prior_items_this_month)
    _check(_("件数"), items)
    first, last = prior_items_this_month + 1, prior_items_this_month + items
    lines: list[FeeLine] = []
    if items == 0:
        return lines
    for band_first, band_last in _item_bands(last):
        low, high = max(first, band_first), min(last, band_last)
        if low <= high:
            lines.append(FeeLine(first=low, last=high, rate=_item_rate(low)))
    return lines


def fee_lines_by_pages(*, pages: int) -> list[FeeLine]:
    """The bands of a 按量 fee for `pages` pages of one application (第五条)."""
    _check(_("页数"), pages)
    lines: list[FeeLine] = []
    for band_first, band_last, rate in _PAGE_BANDS:
        high = pages if band_last is None else min(pages, band_last)
        if band_first <= high:
            lines.append(FeeLine(first=band_first, last=high, rate=rate))
    return lines


def fee_by_items(*, prior_items_this_month: int, items: int) -> Decimal:
    """按件计收 (109号 第三、四条): fee in 元 for `items` items after `prior_items_this_month` items
    of the same applicant in the same natural month."""
    lines = fee_lines_by_items(prior_items_this_month=prior_items_this_month, items=items)
    return sum((line.amount for line in lines), Decimal(0))


def fee_by_pages(*, pages: int) -> Decimal:
    """按量计收 (109号 第三、五条): fee in 元 for `pages` pages of one application."""
    return sum((line.amount for line in fee_lines_by_pages(pages=pages)), Decimal(0))
