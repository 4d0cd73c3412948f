import io
import random

import pytest

from apps.devtools.demo import litigation as demo
from apps.litigation import selectors
from apps.litigation.enums import Group, Result
from apps.litigation.models import Case
from tests.factories import OrganFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organs(organ_a):
    return {"jhj": organ_a, "busy": OrganFactory(name="牡丹江市自然资源局", slug="zrzyj")}


def _build(organs):
    demo.build(organs=organs, rng=random.Random(3), stdout=io.StringIO())


def test_seed_organ_had_no_review_or_litigation_in_2018(organs):
    _build(organs)
    table = selectors.table4(organ_ids=[organs["jhj"].pk], year=2018)
    assert all(cell == 0 for group in table.values() for cell in group.values())


def test_busy_organ_has_every_result_in_every_group_over_the_years(organs):
    _build(organs)
    ids = [organs["busy"].pk]
    seen = {
        (group, measure) for group in Group.values for measure in ("upheld", "corrected", "other", "pending")
    }
    for year in range(2021, 2027):
        table = selectors.table4(organ_ids=ids, year=year)
        seen -= {(g, m) for g, cells in table.items() for m, n in cells.items() if n}
    # Every result, 尚未审结 at a year end included, occurs in each of the three groups.
    assert seen == set()


def test_some_cases_are_decided_after_their_filing_year(organs):
    _build(organs)
    crossing = [
        c
        for c in Case.objects.filter(organ=organs["busy"])
        if c.decided_date and c.decided_date.year > c.filed_date.year
    ]
    assert len(crossing) >= 3
    assert Case.objects.filter(organ=organs["busy"], result=Result.PENDING).count() == 2
    assert all(case.documents.exists() for case in Case.objects.all())


def test_demo_is_idempotent(organs):
    _build(organs)
    first = sorted(Case.objects.values_list("case_number", "filed_date", "result"))
    _build(organs)
    assert sorted(Case.objects.values_list("case_number", "filed_date", "result")) == first
