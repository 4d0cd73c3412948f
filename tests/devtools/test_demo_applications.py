import io
import random

import pytest

from apps.applications.enums import Channel, EventKind, Outcome
from apps.applications.models import Application, ApplicationEvent
from apps.applications.selectors import outcome_counts
from apps.devtools.demo import applications as demo
from tests.factories.organs import OrganFactory


@pytest.fixture
def demo_organs(db):
    return {
        "busy": OrganFactory(slug="zrzyj"),
        "jhj": OrganFactory(slug="jhj"),
        "city": OrganFactory(slug="city"),
    }


def test_demo_covers_every_outcome_pause_and_channel(demo_organs):
    out = io.StringIO()
    # A lighter year than seed_demo's (70 a year, about 460 in all) keeps the test fast; the rare
    # cases are built first whatever the volume.
    demo.build(organs=demo_organs, rng=random.Random(7), stdout=out, per_year=12)
    busy = Application.objects.filter(organ=demo_organs["busy"])
    assert busy.count() >= 100
    assert set(busy.exclude(outcome="").values_list("outcome", flat=True)) == set(Outcome.values)
    assert set(busy.values_list("channel", flat=True)) == set(Channel.values)
    logged = set(ApplicationEvent.objects.filter(application__in=busy).values_list("kind", flat=True))
    for kind in (
        EventKind.CORRECTION_REQUESTED,
        EventKind.CORRECTED,
        EventKind.EXTENDED,
        EventKind.THIRD_PARTY_CONSULTED,
        EventKind.ORGAN_CONSULTED,
        EventKind.FEE_NOTICE,
        EventKind.PAID,
        EventKind.CLOSED_NO_PAYMENT,
        EventKind.CLOSED_NO_CORRECTION,
        EventKind.WITHDRAWN,
    ):
        assert kind in logged, kind
    crossing = busy.filter(received_on__month=12, closed_on__month=1)
    assert crossing.exists()
    assert all(a.closed_on.year == a.received_on.year + 1 for a in crossing)
    assert not Application.objects.filter(organ=demo_organs["jhj"], received_on__year=2018).exists()
    assert busy.filter(status__in=["in_progress"]).exists()
    # Table 3 of every demo year balances: 一 + 二 = （七） + 四 in every column.
    for year in range(2021, 2027):
        table = outcome_counts(organ_ids=[demo_organs["busy"].pk], year=year)
        for column, new in table["new"].items():
            assert new + table["carried_in"][column] == table["r7"][column] + table["carried_out"][column]


def test_demo_is_deterministic_and_idempotent(demo_organs):
    demo.build(organs=demo_organs, rng=random.Random(7), stdout=io.StringIO(), per_year=2)
    first = list(Application.objects.order_by("pk").values_list("applicant_name", "received_on", "outcome"))
    demo.build(organs=demo_organs, rng=random.Random(7), stdout=io.StringIO(), per_year=2)
    assert Application.objects.count() == len(first)
    demo.wipe(organs=demo_organs, stdout=io.StringIO())
    assert not Application.objects.exists()
    demo.build(organs=demo_organs, rng=random.Random(7), stdout=io.StringIO(), per_year=2)
    again = list(Application.objects.order_by("pk").values_list("applicant_name", "received_on", "outcome"))
    assert again == first
