"""Facet counts kept by the plpgsql triggers of migration 0002."""

import datetime as dt

import pytest

from apps.catalog import services
from apps.catalog.enums import Validity
from apps.catalog.search_upkeep import facet_maintenance_suspended, rebuild_facet_counts
from apps.catalog.selectors import CatalogFilters, facet_counts
from tests.factories import CatalogEntryFactory, GenreFactory


@pytest.mark.django_db
def test_facet_counts_follow_publish_update_withdraw_and_delete(organ_a, organ_b):
    a1 = CatalogEntryFactory(organ=organ_a, publish_date=dt.date(2023, 5, 1), article_item=1)
    CatalogEntryFactory(organ=organ_a, publish_date=dt.date(2024, 5, 1))
    draft = CatalogEntryFactory(organ=organ_b, publish=False)
    counts = facet_counts()
    assert counts.total == 2
    assert counts.counts["organ"] == {organ_a.pk: 2}
    assert counts.counts["year"] == {2023: 1, 2024: 1}
    assert counts.counts["item"] == {1: 1, 0: 1}

    services.entry_approve(entry=draft, actor=None)
    services.entry_publish(entry=draft)
    services.entry_update(entry=a1, validity=Validity.REPEALED, genre=GenreFactory(name="公告"))
    counts = facet_counts()
    assert counts.total == 3
    assert counts.counts["organ"] == {organ_a.pk: 2, organ_b.pk: 1}
    assert counts.counts["validity"] == {"valid": 2, "repealed": 1}

    services.entry_withdraw(entry=draft, reason="内容有误")
    a1.delete()
    counts = facet_counts()
    assert counts.total == 1 and counts.counts["organ"] == {organ_a.pk: 1}


@pytest.mark.django_db
def test_facet_counts_within_filters(organ_a, organ_b):
    CatalogEntryFactory(organ=organ_a, publish_date=dt.date(2023, 5, 1))
    CatalogEntryFactory(organ=organ_a, publish_date=dt.date(2024, 5, 1))
    CatalogEntryFactory(organ=organ_b, publish_date=dt.date(2024, 6, 1))
    counts = facet_counts(CatalogFilters(year=2024))
    assert counts.total == 2
    assert counts.counts["organ"] == {organ_a.pk: 1, organ_b.pk: 1}
    assert facet_counts(CatalogFilters(year=2024, organ_id=organ_b.pk)).total == 1


@pytest.mark.django_db
def test_facet_counts_rebuild_after_bulk_load(organ_a):
    CatalogEntryFactory(organ=organ_a)
    with facet_maintenance_suspended():
        CatalogEntryFactory(organ=organ_a)
        CatalogEntryFactory(organ=organ_a)
        assert facet_counts().total == 1  # triggers off during the load
    assert facet_counts().total == 3
    rebuild_facet_counts()
    assert facet_counts().total == 3
