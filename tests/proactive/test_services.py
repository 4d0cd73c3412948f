from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

import pytest

from apps.proactive import services
from apps.proactive.enums import NormativeKind
from apps.proactive.models import Table2Override, YearTally

pytestmark = pytest.mark.django_db


def test_year_tally_set_replaces_the_year_and_records_who(organ_a, alice, bob):
    services.year_tally_set(
        organ=organ_a,
        year=2024,
        licensing=3,
        punishment=0,
        not_applicable=["enforcement", "fees"],
        updated_by=alice,
    )
    tally = services.year_tally_set(
        organ=organ_a,
        year=2024,
        licensing=4,
        punishment=1,
        fees_wan_yuan=Decimal("0.1234"),
        not_applicable=["enforcement"],
        updated_by=bob,
    )
    assert YearTally.objects.count() == 1
    tally.refresh_from_db()
    assert (tally.licensing, tally.punishment, tally.enforcement) == (4, 1, None)
    assert (tally.enforcement_not_applicable, tally.fees_not_applicable) == (True, False)
    assert tally.fees_wan_yuan == Decimal("0.1234")
    assert tally.updated_by == bob


def test_a_tally_tells_not_entered_from_not_applicable_from_zero(organ_a):
    tally = services.year_tally_set(organ=organ_a, year=2024, licensing=0, not_applicable=["punishment"])
    assert (tally.state("licensing"), tally.state("punishment"), tally.state("enforcement")) == (0, None, "-")


def test_year_tally_set_refuses_a_number_for_a_power_the_organ_does_not_have(organ_a):
    with pytest.raises(ValidationError) as exc:
        services.year_tally_set(organ=organ_a, year=2024, licensing=3, not_applicable=["licensing"])
    assert exc.value.message_dict["licensing"] == ["已勾选“不适用”，请不要填写数字。"]
    assert not YearTally.objects.exists()


@pytest.mark.parametrize("figure", ["licensing", "fees_items_last_year", "procurement_wan_yuan"])
def test_year_tally_set_refuses_a_negative_figure_and_keeps_the_old_one(organ_a, figure):
    services.year_tally_set(organ=organ_a, year=2020, **{figure: 5})
    with pytest.raises(ValidationError) as exc:
        services.year_tally_set(organ=organ_a, year=2020, **{figure: -1})
    assert exc.value.message_dict[figure] == ["不能为负数（没有的填0）。"]
    assert getattr(YearTally.objects.get(), figure) == 5


def test_year_tally_set_accepts_a_negative_change(organ_a):
    tally = services.year_tally_set(
        organ=organ_a, year=2020, licensing_items_last_year=8, licensing_items_change=-2
    )
    tally.refresh_from_db()
    assert (tally.licensing_items_last_year, tally.licensing_items_change) == (8, -2)


def test_year_tally_set_refuses_unknown_figures_and_powers(organ_a):
    with pytest.raises(TypeError):
        services.year_tally_set(organ=organ_a, year=2024, licence=1)
    with pytest.raises(TypeError):
        services.year_tally_set(organ=organ_a, year=2024, not_applicable=["taxes"])


def test_database_refuses_a_number_next_to_not_applicable(organ_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        YearTally.objects.create(organ=organ_a, year=2024, fees_not_applicable=True, fees_items_change=1)


def test_year_tally_set_refuses_more_than_four_decimal_places(organ_a):
    with pytest.raises(ValidationError) as exc:
        services.year_tally_set(
            organ=organ_a,
            year=2024,
            licensing=0,
            punishment=0,
            enforcement=0,
            fees_wan_yuan=Decimal("1.23456"),
        )
    assert "fees_wan_yuan" in exc.value.message_dict
    assert not YearTally.objects.exists()


def test_table2_override_set_records_reason_and_author(organ_a, alice):
    services.table2_override_set(
        organ=organ_a,
        year=2024,
        kind=NormativeKind.RULE,
        issued=None,
        repealed=None,
        in_force=None,
        reason="  本机关无规章制定权。 ",
        set_by=alice,
    )
    override = services.table2_override_set(
        organ=organ_a,
        year=2024,
        kind=NormativeKind.RULE,
        issued=0,
        repealed=0,
        in_force=0,
        reason="更正：按0填报。",
        set_by=alice,
    )
    assert Table2Override.objects.count() == 1
    override.refresh_from_db()
    assert override.reason == "更正：按0填报。"
    assert override.set_by == alice
    assert override.counts() == {"issued": 0, "repealed": 0, "in_force": 0}
