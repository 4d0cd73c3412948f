"""索引号 serials under real concurrency: never duplicated, never handed out twice."""

from __future__ import annotations

import datetime as dt
import threading

from django.db import connection, transaction

import pytest

from apps.catalog import services
from apps.catalog.models import CatalogEntry
from tests.factories import CatalogEntryFactory, GenreFactory, OrganFactory, ThemeFactory

WORKERS = 8


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _save_concurrently(organ, theme, genre, count):
    """Start `count` transactions at once, each on its own connection, each holding its
    transaction open a moment after saving so that the others really have to wait."""
    barrier = threading.Barrier(count)
    numbers, errors = [], []
    lock = threading.Lock()

    def work(i):
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                entry = services.entry_create(
                    organ=organ,
                    title=f"并发保存的第{i}个条目",
                    publish_date=dt.date(2024, 6, 1),
                    theme=theme,
                    genre=genre,
                )
                connection.cursor().execute("SELECT pg_sleep(0.05)")
            with lock:
                numbers.append(entry.index_number)
        except Exception as exc:  # reported below, with the thread's own traceback
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return numbers


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_get_distinct_consecutive_index_numbers(organ_a):
    theme, genre = ThemeFactory(), GenreFactory()
    numbers = _save_concurrently(organ_a, theme, genre, WORKERS)
    assert len(numbers) == WORKERS
    assert sorted(numbers) == [f"11231000MB0000001X/2024-{n:05d}" for n in range(1, WORKERS + 1)]
    assert CatalogEntry.objects.filter(organ=organ_a).count() == WORKERS


@pytest.mark.django_db(transaction=True)
def test_serials_of_deleted_drafts_are_not_handed_out_again(organ_a):
    theme, genre = ThemeFactory(), GenreFactory()
    first = _save_concurrently(organ_a, theme, genre, 3)
    for entry in CatalogEntry.objects.filter(organ=organ_a):
        services.entry_delete(entry=entry)
    second = _save_concurrently(organ_a, theme, genre, 3)
    assert set(first).isdisjoint(second)
    assert sorted(second) == [f"11231000MB0000001X/2024-{n:05d}" for n in (4, 5, 6)]


@pytest.mark.django_db
def test_each_organ_and_year_has_its_own_sequence(organ_a):
    organ = OrganFactory(code="11231000MB0000009X")
    assert CatalogEntryFactory(organ=organ_a).index_number == "11231000MB0000001X/2024-00001"
    assert CatalogEntryFactory(organ=organ).index_number == "11231000MB0000009X/2024-00001"
    assert (
        CatalogEntryFactory(organ=organ_a, publish_date=dt.date(2025, 1, 2)).index_number
        == "11231000MB0000001X/2025-00001"
    )
    assert CatalogEntryFactory(organ=organ_a).index_number == "11231000MB0000001X/2024-00002"


@pytest.mark.django_db
def test_an_invalid_entry_does_not_use_up_a_serial(organ_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        CatalogEntryFactory(organ=organ_a, title="")
    assert CatalogEntryFactory(organ=organ_a).index_number.endswith("/2024-00001")
