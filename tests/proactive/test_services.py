from decimal import Decimal

from django.core.exceptions import ValidationError

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
        enforcement=None,
        fees_wan_yuan=None,
        updated_by=alice,
    )
    tally = services.year_tally_set(
        organ=organ_a,
        year=2024,
        licensing=4,
        punishment=1,
        enforcement=None,
        fees_wan_yuan=Decimal("0.1234"),
        updated_by=bob,
    )
    assert YearTally.objects.count() == 1
    tally.refresh_from_db()
    assert (tally.licensing, tally.punishment, tally.enforcement) == (4, 1, None)
    assert tally.fees_wan_yuan == Decimal("0.1234")
    assert tally.updated_by == bob


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
