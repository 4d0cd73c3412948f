"""The batched writes of an import: a bounded number of statements, whatever the number of rows.

Everything here runs inside the import's transaction. Only the new entries' numbers and search
documents are written before every row has been checked (while the rows are checked); if one
is bad, the import rolls all of it back.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from apps.catalog.enums import Status
from apps.catalog.models import Attachment, CatalogEntry, IndexSequence, SearchDocument
from apps.catalog.services import entry_document_text, format_index_number
from apps.organs import review
from apps.organs.enums import RecordAction
from apps.organs.models import Organ, RecordEvent

BATCH = 1_000
_DOCUMENT_COLUMNS = ("publish_date", "organ_id", "theme_id", "genre_id", "validity", "article_item")


def lock_existing(organ: Organ, numbers: Sequence[str]) -> dict[str, CatalogEntry]:
    """The organ's entries named in the file, locked (as services.entries._take_state locks one entry).

    Another organ's 索引号 is simply not found: an import can neither update it nor learn
    whether it exists.
    """
    if not numbers:
        return {}
    entries = (
        CatalogEntry.objects.filter(organ=organ, index_number__in=sorted(set(numbers)))
        .select_related("theme__parent", "genre")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    return {entry.index_number: entry for entry in entries}


def last_approvers(entries: Iterable[CatalogEntry]) -> dict[int, int | None]:
    """Who approved each reviewed entry last (review.check_publish's 发布人同时是审核人 note)."""
    ids = [e.pk for e in entries if e.status == Status.REVIEWED]
    if not ids:
        return {}
    events = (
        RecordEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(CatalogEntry),
            object_id__in=ids,
            action=RecordAction.APPROVED,
        )
        .order_by("at", "pk")
        .values_list("object_id", "actor_id")
    )
    return dict(events)


def reserve_serials(organ: Organ, years: Iterable[int]) -> dict[int, int]:
    """Move the organ's sequences on by the rows of each year in one locked statement.

    Returns the first serial of each year's block. Like services.index_number_allocate, the
    upsert takes the rows' locks, so a concurrent import of the same organ waits for this
    transaction and then continues after its block: serials never overlap, never come back.
    """
    needed = sorted(Counter(years).items())
    if not needed:
        return {}
    table = IndexSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (organ_id, year, last_serial)
            SELECT %s, u.year, u.n FROM unnest(%s::int[], %s::int[]) AS u(year, n) ORDER BY u.year
            ON CONFLICT (organ_id, year) DO UPDATE SET last_serial = {table}.last_serial + EXCLUDED.last_serial
            RETURNING year, last_serial
            """,
            [organ.pk, [year for year, _ in needed], [n for _, n in needed]],
        )
        last = dict(cursor.fetchall())
    return {year: last[year] - n + 1 for year, n in needed}


class NewEntries:
    """索引号 serials and ids for a file's new entries, reserved before its rows are checked.

    ``years``: the 发布日期 year of each row that is to be a new entry, in the order of the
    file (plan.new_entry_years). Serials run in that order within each year, one block per
    year (reserve_serials); ids come from the table's sequence in one query. When a row turns
    out bad nothing is written: the sequences' rows roll back, the ids stay unused (as after
    any failed insert).
    """

    def __init__(self, organ: Organ, years: Sequence[int], now):
        self.organ, self.now, self.count = organ, now, len(years)
        self._next_serial = reserve_serials(organ, years)
        self._ids = iter(_take_ids(len(years)))

    def number(self, entry: CatalogEntry) -> None:
        year = entry.index_year
        entry.index_serial = self._next_serial[year]
        self._next_serial[year] += 1
        entry.index_number = format_index_number(self.organ.index_prefix, year, entry.index_serial)
        entry.pk = next(self._ids)
        entry.created_at = entry.updated_at = self.now
        entry._state.adding = False


def _take_ids(count: int) -> list[int]:
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [CatalogEntry._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def insert_entries(entries: Sequence[CatalogEntry]) -> None:
    """COPY the new entries in (numbered by NewEntries)."""
    if not entries:
        return
    fields = CatalogEntry._meta.concrete_fields
    _copy(
        CatalogEntry._meta.db_table,
        [f.column for f in fields],
        ([getattr(e, f.attname) for f in fields] for e in entries),
    )


def update_entries(entries: Sequence[CatalogEntry], fields: Sequence[str]) -> None:
    """UPDATE … FROM (VALUES …): one statement per batch (bulk_update's CASE grows with the square)."""
    if not entries:
        return
    meta = CatalogEntry._meta
    columns = [meta.get_field(name) for name in fields]
    casts = ", ".join(f"%s::{f.db_type(connection)}" for f in columns)
    names = ", ".join(f.column for f in columns)
    assignments = ", ".join(f"{f.column} = v.{f.column}" for f in columns)
    table = meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(entries), BATCH):
            batch = entries[start : start + BATCH]
            rows = ", ".join(f"(%s::bigint, {casts})" for _ in batch)
            params: list = []
            for entry in batch:
                params.append(entry.pk)
                params.extend(f.get_db_prep_save(getattr(entry, f.attname), connection) for f in columns)
            cursor.execute(
                f"UPDATE {table} AS e SET {assignments} FROM (VALUES {rows}) AS v(id, {names}) WHERE e.id = v.id",
                params,
            )


def write_new_documents(entries: Iterable[CatalogEntry]) -> None:
    """The search documents of new entries (which have no attachments yet): the published ones.

    ``entries`` may be a generator that checks the rows as it goes: PostgreSQL indexes one
    chunk of documents while the next is read, checked and folded here. The connection is
    busy with the COPY meanwhile, so whatever the check needs is loaded beforehand (plan.Context);
    a query made during it fails at once, saying so.
    """
    with connection.execute_wrapper(_no_query_during_copy):
        _copy_documents((e for e in entries if e.status == Status.PUBLISHED), {})


def _no_query_during_copy(execute, sql, params, many, context):
    raise RuntimeError(
        f"A query while the search documents are being copied (load it into plan.Context): {sql}"
    )


def replace_documents(entries: Sequence[CatalogEntry]) -> None:
    """services.search_document_refresh for many existing entries: published ones get their
    document anew (attachments included), the others lose theirs."""
    if not entries:
        return
    with connection.cursor() as cursor:
        # Raw: a queryset delete() would fetch the rows to send a signal for each.
        cursor.execute(
            f"DELETE FROM {SearchDocument._meta.db_table} WHERE entry_id = ANY(%s)", [[e.pk for e in entries]]
        )
    published = [e for e in entries if e.status == Status.PUBLISHED]
    texts: dict[int, list[str]] = {}
    attachments = Attachment.objects.filter(entry_id__in=[e.pk for e in published])
    for entry_id, text in attachments.order_by("entry_id", "sort_order", "pk").values_list(
        "entry_id", "text"
    ):
        texts.setdefault(entry_id, []).append(text)
    _copy_documents(published, texts)


def _copy_documents(entries: Iterable[CatalogEntry], attachments: dict[int, list[str]]) -> None:
    _copy(
        SearchDocument._meta.db_table,
        ["entry_id", *_DOCUMENT_COLUMNS, "head", "body"],
        _documents(entries, attachments),
    )


def _documents(entries: Iterable[CatalogEntry], attachments: dict[int, list[str]]) -> Iterator[list]:
    for entry in entries:
        text = entry_document_text(entry, attachments.get(entry.pk, []))
        yield [entry.pk, *(getattr(entry, name) for name in _DOCUMENT_COLUMNS), text.head, text.body]


def write_events(items: Iterable[tuple[CatalogEntry, object]], actor, now) -> None:
    """The entries' history, as review.record_event writes it, in one COPY."""
    content_type = ContentType.objects.get_for_model(CatalogEntry)
    actor_id, label = getattr(actor, "pk", None), review.actor_label(actor)
    columns = [
        "content_type_id", "object_id", "record_label", "organ_id", "action", "state",
        "actor_id", "actor_label", "at", "changes", "opinion", "note",
    ]  # fmt: skip
    rows = (
        [
            content_type.pk,
            entry.pk,
            str(entry)[:300],
            entry.organ_id,
            event.action,
            event.state,
            actor_id,
            label,
            now,
            Json(event.changes),
            "",
            event.note[:300],
        ]  # fmt: skip
        for entry, event in items
    )
    _copy(RecordEvent._meta.db_table, columns, rows)


class Json:
    def __init__(self, value):
        self.text = json.dumps(value, ensure_ascii=False)


def _copy(table: str, columns: list[str], rows: Iterable[list]) -> None:
    """One COPY … FROM STDIN (PostgreSQL's text format), the rows rendered as PostgreSQL reads them."""
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"

    def chunks() -> Iterator[str]:
        lines: list[str] = []
        for row in rows:
            lines.append("\t".join(map(_copy_text, row)))
            if len(lines) == 1_000:
                yield "\n".join(lines) + "\n"
                lines = []
        if lines:
            yield "\n".join(lines) + "\n"

    # The raw cursor's errors are psycopg2's: wrapped, they are Django's DatabaseError, which
    # the import reports as "导入未完成" (an error raised by ``rows`` arrives as QueryCanceled).
    with connection.cursor() as cursor, connection.wrap_database_errors:
        started = time.monotonic()
        cursor.cursor.copy_expert(sql, _Reader(chunks()), size=1 << 20)
        if connection.queries_logged:  # counted like any statement (assertNumQueries, the bench)
            connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})


class _Reader:
    """A file psycopg2 reads the COPY data from, rendered as it goes (memory stays small)."""

    def __init__(self, chunks: Iterator[str]):
        self._chunks = chunks
        self._buffer = ""
        self._at = 0

    def read(self, size: int = -1) -> str:
        if self._at >= len(self._buffer):
            self._buffer, self._at = next(self._chunks, ""), 0
        if size < 0:
            size = len(self._buffer)
        out = self._buffer[self._at : self._at + size]
        self._at += len(out)
        return out


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.date):  # datetime too
        return value.isoformat()
    text = value.text if isinstance(value, Json) else str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text
