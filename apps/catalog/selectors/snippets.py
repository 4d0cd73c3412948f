"""Search snippets: where each listed entry's match is (summary, body or an attachment), and the text around it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from apps.catalog import search
from apps.catalog.models import Attachment, CatalogEntry, SearchDocument
from apps.catalog.search import ParsedQuery

# Characters of the body read for the snippet when the match is near its start.
BODY_HEAD_CHARS = 3_000
SNIPPET_WINDOW = 3_000


@dataclass(frozen=True)
class Snippet:
    """Where a listed entry's match is: text to excerpt, and the attachment's name if there."""

    text: str
    attachment: str = ""


def attach_snippets(entries: list[CatalogEntry], query: ParsedQuery) -> None:
    """Give each listed entry ``search_snippet``: the summary, the body or an attachment.

    One query finds which part of each document holds a term first (summary, body or the
    n-th attachment) and where; one more reads a window of the bodies and attachments
    whose match lies beyond their start.
    """
    if not entries:
        return
    terms = list(query.terms)
    any_term = " OR ".join(["strpos(p, %s) > 0"] * len(terms))
    first_pos = "least(" + ", ".join(["nullif(strpos(p, %s), 0)"] * len(terms)) + ")"
    sql = f"""
        SELECT d.entry_id, part.i, part.pos, part.len
        FROM {SearchDocument._meta.db_table} d,
        LATERAL (
            SELECT i, {first_pos} AS pos, length(p) AS len
            FROM unnest(string_to_array(d.body, %s)) WITH ORDINALITY AS u(p, i)
            WHERE i > 1 AND ({any_term})
            ORDER BY i LIMIT 1
        ) part
        WHERE d.entry_id = ANY(%s)
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*terms, search.FIELD_SEPARATOR, *terms, [e.pk for e in entries]])
        where = {entry_id: (part, pos, length) for entry_id, part, pos, length in cursor.fetchall()}
    windows: dict[tuple[str, int], int] = {}  # (kind, entry id) -> start of the raw window
    for entry in entries:
        part, pos, length = where.get(entry.pk, (2, 1, 1))
        if part == 3 and pos > BODY_HEAD_CHARS // 2:
            windows["body", entry.pk] = pos / max(length, 1)  # the match's place in the body
        elif part >= 4:
            windows["attachment", entry.pk] = part - 4  # the n-th attachment, read below
    texts = _windows(where, windows)
    for entry in entries:
        part = where.get(entry.pk, (2, 1, 1))[0]
        if part >= 4 and ("attachment", entry.pk) in texts:
            name, text = texts["attachment", entry.pk]
            entry.search_snippet = Snippet(text, attachment=name)
        elif part == 3:
            body = texts.get(("body", entry.pk), (None, getattr(entry, "body_head", "")))[1]
            entry.search_snippet = Snippet(body)
        else:
            entry.search_snippet = Snippet(entry.summary)


def _windows(where, windows) -> dict[tuple[str, int], tuple[str, str]]:
    """Read the raw text around each match found beyond a text's start (one query per kind)."""
    texts: dict[tuple[str, int], tuple[str, str]] = {}
    deep = {pk: share for (kind, pk), share in windows.items() if kind == "body"}
    if deep:
        for pk, body in CatalogEntry.objects.filter(pk__in=list(deep)).values_list("pk", "body"):
            start = max(0, int(len(body) * deep[pk]) - SNIPPET_WINDOW // 2)
            texts["body", pk] = ("", body[start : start + SNIPPET_WINDOW])
    wanted = {pk: n for (kind, pk), n in windows.items() if kind == "attachment"}
    if wanted:
        rows = (
            Attachment.objects.filter(entry_id__in=list(wanted))
            .order_by("entry_id", "sort_order", "pk")
            .values_list("entry_id", "original_name", "text")
        )
        seen: dict[int, int] = {}
        for entry_id, name, text in rows:
            n = seen.get(entry_id, 0)
            seen[entry_id] = n + 1
            if n == wanted[entry_id]:
                _part, pos, length = where[entry_id]
                start = max(0, int(len(text) * pos / max(length, 1)) - SNIPPET_WINDOW // 2)
                texts["attachment", entry_id] = (name, text[start : start + SNIPPET_WINDOW])
    return texts
