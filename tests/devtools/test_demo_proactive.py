"""The proactive demo data: the seed organ's 2018 facts
(docs/domain/annual-report.md#the-pre-2019-free-layout-and-the-seed-report) and a busy organ's years."""

import datetime as dt
import io
import random

import pytest

from apps.devtools.demo import proactive as demo
from apps.proactive import selectors
from apps.proactive.enums import Channel
from apps.proactive.models import Publication, Table2Override
from tests.factories import CatalogEntryFactory, OrganFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organs(organ_a):
    return {"jhj": organ_a, "busy": OrganFactory(name="牡丹江市自然资源局", slug="zrzyj")}


def _build(organs, seed=7):
    demo.build(organs=organs, rng=random.Random(seed), stdout=io.StringIO())


def test_seed_organ_2018_has_the_reports_figures(organs):
    functions = CatalogEntryFactory(
        organ=organs["jhj"], title="牡丹江市经济合作促进局主要职能", publish_date=dt.date(2018, 2, 26)
    )
    _build(organs)
    ids = [organs["jhj"].pk]
    counts = selectors.channel_counts(organ_ids=ids, year=2018)
    assert (counts["website"], counts["newspaper"], counts["total"]) == (8, 4, 12)
    # "印发《招商指南》和《项目册》2500余册": one figure for both titles, kept as one record.
    assert selectors.printed_copies(organ_ids=ids, year=2018) == [
        {"title": "《招商指南》和《项目册》", "copies": 2500}
    ]
    notes = selectors.report_notes(organ_ids=ids, year=2018)
    assert notes["copies"] == {"《招商指南》和《项目册》": ["more"]}
    assert notes["counts"] == {}  # the 12 items are an exact count
    # The report's own sentence for each channel, once each.
    assert [len(notes["details"][c]) for c in ("website", "newspaper", "printed")] == [1, 1, 1]
    assert notes["details"]["website"][0].endswith("招商动态等信息8条。")
    assert "2500余册" in notes["details"]["printed"][0]
    linked = Publication.objects.get(organ=organs["jhj"], catalog_entry__isnull=False)
    assert linked.catalog_entry == functions
    assert not Publication.objects.filter(organ=organs["jhj"]).exclude(date__year=2018).exists()


def test_busy_organ_has_every_channel_and_a_not_applicable_tally(organs):
    _build(organs)
    ids = [organs["busy"].pk]
    for year in range(2021, 2027):
        counts = selectors.channel_counts(organ_ids=ids, year=year)
        assert all(counts[c] > 0 for c in Channel.values), (year, counts)
    tables = {year: selectors.table2(organ_ids=ids, year=year) for year in range(2021, 2026)}
    assert [t["fees_wan_yuan"] is None for t in tables.values()].count(True) == 1
    assert all(t["licensing"] > 0 for t in tables.values())
    assert Table2Override.objects.get(organ=organs["busy"]).reason


def test_demo_is_deterministic_and_idempotent(organs):
    _build(organs)
    first = sorted(Publication.objects.values_list("organ_id", "date", "title", "count", "copies"))
    _build(organs)
    assert sorted(Publication.objects.values_list("organ_id", "date", "title", "count", "copies")) == first
