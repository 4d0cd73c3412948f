"""信息处理费 (国办函〔2020〕109号 第三、四、五条); expected amounts worked out by hand, band by band."""

from decimal import Decimal

import pytest

from apps.applications.fees import (
    FeeLine,
    FeeMethod,
    fee_by_items,
    fee_by_pages,
    fee_lines_by_items,
    fee_lines_by_pages,
)


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (0, 0),
        (10, 0),  # 1–10 free
        (11, 100),  # the 11th item: 100
        (30, 2_000),  # 20 × 100
        (31, 2_200),  # 2,000 + 1 × 200
        (35, 3_000),  # 2,000 + 5 × 200 (docs/domain/applications.md#information-processing-fee)
        (40, 4_000),  # 2,000 + 10 × 200
        (41, 4_300),  # 4,000 + 1 × 300
        (45, 5_500),  # 2,000 + 10 × 200 + 5 × 300 (docs/domain/applications.md#information-processing-fee)
        (51, 7_400),  # 2,000 + 2,000 + 3,000 + 1 × 400
    ],
)
def test_fee_by_items_is_superprogressive_over_the_month(items, expected):
    assert fee_by_items(prior_items_this_month=0, items=items) == Decimal(expected)


@pytest.mark.parametrize(
    ("prior", "items", "expected"),
    [
        (10, 1, 100),  # the month's 11th item
        (8, 5, 300),  # items 9–13: 2 free + 3 × 100
        (30, 5, 1_000),  # items 31–35 at 200
        (35, 10, 2_500),  # items 36–45: 5 × 200 + 5 × 300
        (25, 20, 5_500 - 1_500),  # items 26–45 = fee(45) − fee(25) = 5,500 − 1,500
    ],
)
def test_fee_by_items_counts_earlier_items_of_the_same_month(prior, items, expected):
    assert fee_by_items(prior_items_this_month=prior, items=items) == Decimal(expected)


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        (0, 0),
        (30, 0),  # 1–30 free
        (31, 10),
        (100, 700),  # 70 × 10
        (101, 720),  # 700 + 1 × 20
        (200, 2_700),  # 700 + 100 × 20
        (201, 2_740),  # 2,700 + 1 × 40
        (250, 4_700),  # 700 + 2,000 + 50 × 40 (docs/domain/applications.md#information-processing-fee)
    ],
)
def test_fee_by_pages_is_superprogressive(pages, expected):
    assert fee_by_pages(pages=pages) == Decimal(expected)


def test_fee_lines_itemise_the_bands_for_the_notice():
    assert fee_lines_by_items(prior_items_this_month=8, items=30) == [
        FeeLine(first=9, last=10, rate=Decimal(0)),
        FeeLine(first=11, last=30, rate=Decimal(100)),
        FeeLine(first=31, last=38, rate=Decimal(200)),
    ]
    lines = fee_lines_by_pages(pages=250)
    assert [(line.first, line.last, line.count, line.amount) for line in lines] == [
        (1, 30, 30, Decimal(0)),
        (31, 100, 70, Decimal(700)),
        (101, 200, 100, Decimal(2000)),
        (201, 250, 50, Decimal(2000)),
    ]


@pytest.mark.parametrize(
    "call",
    [
        lambda: fee_by_items(prior_items_this_month=-1, items=3),
        lambda: fee_by_items(prior_items_this_month=0, items=-3),
        lambda: fee_by_pages(pages=-1),
        lambda: fee_by_pages(pages=2.5),
    ],
)
def test_fee_rejects_negative_or_fractional_counts(call):
    with pytest.raises(ValueError):
        call()


def test_fee_method_labels_are_the_109_terms():
    assert FeeMethod.PER_ITEM.label == "按件计收"
    assert FeeMethod.PER_PAGE.label == "按量计收"
