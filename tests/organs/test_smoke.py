import pytest

from apps.catalog.models import CatalogEntry
from tests.factories import CatalogEntryFactory

pytestmark = pytest.mark.django_db


def test_entries_get_sequential_index_numbers(organ_a):
    first = CatalogEntryFactory(organ=organ_a)
    second = CatalogEntryFactory(organ=organ_a)
    assert first.index_number == "11231000MB0000001X/2024-00001"
    assert second.index_number == "11231000MB0000001X/2024-00002"
    assert CatalogEntry.objects.published().count() == 2
