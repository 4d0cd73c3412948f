import pytest

from apps.proactive.enums import Approximation, format_quantity


@pytest.mark.parametrize(
    ("approximation", "expected"),
    [
        (Approximation.EXACT, "2500册"),
        (Approximation.MORE, "2500余册"),
        (Approximation.ABOUT, "约2500册"),
        (Approximation.AT_LEAST, "2500册以上"),
    ],
)
def test_format_quantity_places_the_qualifier_where_chinese_puts_it(approximation, expected):
    assert format_quantity(2500, "册", approximation) == expected


def test_format_quantity_of_an_exact_count_is_the_number_and_its_unit():
    assert format_quantity(12, "条", "") == "12条"
    assert format_quantity(12, "条", None) == "12条"


def test_format_quantity_refuses_an_unknown_qualifier():
    with pytest.raises(ValueError, match="nearly"):
        format_quantity(12, "条", "nearly")
