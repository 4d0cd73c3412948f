"""Every write to the catalog goes through these functions (admin, import, commands, tests)."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from apps.catalog import search
from apps.catalog.enums import Status
from apps.catalog.models import CatalogEntry, IndexSequence
from apps.organs.models import Organ


def index_number_allocate(*, organ: Organ, year: int) -> tuple[int, str]:
    """Hand out the next 索引号 serial of an organ's year: race-free and never reused.

    A single INSERT ... ON CONFLICT DO UPDATE ... RETURNING takes the row lock, so
    concurrent transactions queue on it and each gets its own serial. Serials of
    deleted drafts are not given back.
    """
    table = IndexSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (organ_id, year, last_serial) VALUES (%s, %s, 1)
            ON CONFLICT (organ_id, year) DO UPDATE SET last_serial = {table}.last_serial + 1
            RETURNING last_serial
            """,
            [organ.pk, year],
        )
        serial = cursor.fetchone()[0]
    return serial, format_index_number(organ.index_prefix, year, serial)


def format_index_number(prefix: str, year: int, serial: int) -> str:
    """<前段码>/<YYYY>-<NNNNN> (政府信息公开目录系统实施指引, REFERENCE.md §3.2)."""
    return f"{prefix}/{year:04d}-{serial:05d}"


def _refresh_search(entry: CatalogEntry) -> None:
    entry.search_words, entry.search_grams = search.document_vectors(
        title=entry.title, summary=entry.summary, body=entry.body, keywords=entry.keywords
    )


@transaction.atomic
def entry_create(*, organ: Organ, created_by=None, publish: bool = False, **fields) -> CatalogEntry:
    entry = CatalogEntry(organ=organ, created_by=created_by, **fields)
    if not entry.publish_date:
        entry.publish_date = timezone.localdate()
    entry.index_year = entry.publish_date.year
    # full_clean before allocating, so that a bad entry does not use up a serial.
    entry.index_serial, entry.index_number = 0, "pending"
    entry.full_clean(exclude=["index_number", "index_serial"])
    entry.index_serial, entry.index_number = index_number_allocate(organ=organ, year=entry.index_year)
    _refresh_search(entry)
    if publish:
        entry.status = Status.PUBLISHED
        entry.published_at = timezone.now()
    entry.save()
    return entry


@transaction.atomic
def entry_update(*, entry: CatalogEntry, **fields) -> CatalogEntry:
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.full_clean()
    _refresh_search(entry)
    entry.save()
    return entry


@transaction.atomic
def entry_publish(*, entry: CatalogEntry, when: dt.datetime | None = None) -> CatalogEntry:
    if entry.status == Status.PUBLISHED:
        return entry
    entry.status = Status.PUBLISHED
    entry.published_at = when or timezone.now()
    entry.withdrawn_at = None
    entry.save(update_fields=["status", "published_at", "withdrawn_at", "updated_at"])
    return entry


@transaction.atomic
def entry_withdraw(*, entry: CatalogEntry, reason: str = "") -> CatalogEntry:
    """Withdrawing hides the entry from the public but keeps the record and its 索引号."""
    entry.status = Status.WITHDRAWN
    entry.withdrawn_at = timezone.now()
    entry.withdrawn_reason = reason
    entry.save(update_fields=["status", "withdrawn_at", "withdrawn_reason", "updated_at"])
    return entry
