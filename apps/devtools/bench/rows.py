"""COPY rows of generated catalog entries and their search documents (the bulk loader's workers).

Rendering runs in worker processes that never touch the database: a ``Chunk`` carries
everything a worker needs (planned rows, organ infos, theme/genre ids, the column list and
the defaults of the columns the generator leaves out).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import connection

from apps.catalog import search
from apps.catalog.enums import DisclosureMode, Status
from apps.catalog.models import CatalogEntry
from apps.catalog.services import format_index_number
from apps.devtools.demo.text import OrganInfo, entry_fields

BEIJING = dt.timezone(dt.timedelta(hours=8))


@dataclass(frozen=True)
class Chunk:
    seed: int
    rows: list[tuple[int, int, int, int, int]]  # (organ index, year, serial, day ordinal, id)
    organs: list[OrganInfo]
    themes: dict
    genres: dict
    columns: list[str]
    defaults: dict


DOCUMENT_COLUMNS = (
    "entry_id",
    "publish_date",
    "organ_id",
    "theme_id",
    "genre_id",
    "validity",
    "article_item",
    "head",
    "body",
)


def columns() -> tuple[list[str], dict]:
    """Every concrete column, and defaults (COPY text) for those the generator leaves out."""
    columns, defaults = [], {}
    for field in CatalogEntry._meta.concrete_fields:
        columns.append(field.column)
        if field.has_default():
            defaults[field.column] = copy_text(field.get_db_prep_save(field.get_default(), connection))
        else:
            defaults[field.column] = copy_text(None if field.null else "")
    return columns, defaults


def render(chunk: Chunk) -> tuple[bytes, bytes, int]:
    """COPY text of one chunk of entries and their search documents (runs in a worker process)."""
    rng = random.Random(chunk.seed)
    document_text = search.document_text
    lines, documents = [], []
    for organ_index, year, serial, ordinal, pk in chunk.rows:
        organ = chunk.organs[organ_index]
        day = dt.date.fromordinal(ordinal)
        fields = entry_fields(rng, organ, day, doc_serial=serial)
        index_number = format_index_number(organ.code, year, serial)
        roll = rng.random()
        status = Status.DRAFT if roll < 0.003 else Status.WITHDRAWN if roll < 0.004 else Status.PUBLISHED
        stamp = dt.datetime.combine(day, dt.time(9, 30), tzinfo=BEIJING)
        values = {
            "id": pk,
            "organ_id": organ.pk,
            "index_number": index_number,
            "index_year": year,
            "index_serial": serial,
            "title": fields["title"],
            "summary": fields["summary"],
            "body": fields["body"],
            "doc_number": fields["doc_number"],
            "written_date": fields["written_date"],
            "publish_date": day,
            "effective_date": fields["effective_date"],
            "expiry_date": fields["expiry_date"],
            "validity": fields["validity"],
            "theme_id": chunk.themes[fields["theme"]],
            "genre_id": chunk.genres[fields["genre"]],
            "article_item": fields["article_item"],
            "document_kind": fields["document_kind"],
            "disclosure_mode": DisclosureMode.PROACTIVE,
            "keywords": fields["keywords"],
            "status": status,
            "published_at": None if status == Status.DRAFT else stamp,
            "withdrawn_at": stamp if status == Status.WITHDRAWN else None,
            "withdrawn_reason": "内容有误，更正后重新发布。" if status == Status.WITHDRAWN else "",
            "created_at": stamp,
            "updated_at": stamp,
            "created_by_id": None,
        }
        lines.append(
            "\t".join(copy_text(values[c]) if c in values else chunk.defaults[c] for c in chunk.columns)
        )
        if status == Status.PUBLISHED:
            text = document_text(
                title=fields["title"],
                doc_number=fields["doc_number"],
                index_number=index_number,
                keywords=fields["keywords"],
                summary=fields["summary"],
                body=fields["body"],
            )
            document = (pk, day, organ.pk, values["theme_id"], values["genre_id"], fields["validity"])
            document += (fields["article_item"], text.head, text.body)
            documents.append("\t".join(map(copy_text, document)))
    lines.append("")
    documents.append("")
    return "\n".join(lines).encode(), "\n".join(documents).encode(), len(chunk.rows)


def copy_text(value) -> str:
    """A value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.date):  # datetime too
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text
