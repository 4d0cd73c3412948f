"""Substring search of the 政府信息公开目录 (PostgreSQL only, no extensions).

What a query means (docs/domain/catalog.md, "How search works"): terms separated by
spaces, all of which must appear; a term matches where its characters appear
contiguously in the title, 发文字号, 索引号, keywords, summary, body or attachment text,
once both sides are *folded*: full-width to half-width (NFKC), traditional to simplified
(OpenCC's character table), case, and every character that is not a letter, digit or
ideograph dropped (《》〔〕()“”-/ spaces and all other punctuation).

How it is stored and found:

- ``document_text`` folds an entry into two strings kept in catalog_searchdocument: the
  *head* (title, 发文字号, 索引号) and the *body* (keywords, summary, body, attachments),
  fields separated by a newline, which folded text never contains, so no match spans
  two fields.
- A GIN index on catalog_search_keys(...) (migration 0006) holds every character
  trigram of head and body, the head's trigrams again marked with ``^`` (for "title and
  文号 hits first"), and keys for the facets and the publication year, month and day
  (``#o12``, ``#y2021``, ...). The trigrams are computed by PostgreSQL from the stored
  text, so nothing but the folded text is stored per entry.
- A term of 3+ characters requires its trigrams (exact for 3; verified with strpos()
  on the folded text for longer terms, so precision is 1.0); a term of 1-2 characters
  is a prefix of some trigram (``'局':*``) because every field ends with a newline.

Folding happens only here, in Python, for the documents and for the queries alike, one
character at a time, so a fragment cut anywhere in a document folds to a substring of
the folded document.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

# A document is indexed up to this many folded characters (head and body together): a
# tsvector holds at most 1 MB of keys, about 80,000 distinct trigrams. Attachment text
# beyond it is kept but not searched.
MAX_INDEXED_CHARS = 60_000
# Query limits: anything longer is cut, not rejected.
MAX_QUERY_CHARS = 100
MAX_QUERY_TERMS = 10

FIELD_SEPARATOR = "\n"
HEAD_MARK = "^"  # head trigrams in the index: ^ + trigram
FACET_MARK = "#"  # facet and date keys: #o12, #y2021, #m202103, #d7734


# --- folding -----------------------------------------------------------------------


@functools.cache
def _fold_table() -> dict[int, str]:
    """str.translate table: NFKC compatibility forms, then OpenCC traditional -> simplified.

    Built once per process from unicodedata and OpenCC's own character dictionary (t2s,
    applied to each character alone, never to phrases, so that folding stays a
    per-character map); about 50 ms.
    """
    import opencc

    ideographs = [
        chr(cp)
        for first, last in ((0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))
        for cp in range(first, last + 1)
    ]
    converted = opencc.OpenCC("t2s").convert("\n".join(ideographs)).split("\n")
    simplified = {t: s for t, s in zip(ideographs, converted, strict=True) if t != s and len(s) == 1}
    table: dict[int, str] = {}
    for cp in range(0x80, 0x10000):
        char = chr(cp)
        if (compat := unicodedata.normalize("NFKC", char)) != char:
            table[cp] = "".join(simplified.get(c, c) for c in compat)
    for cp in range(0x2F800, 0x2FA20):  # CJK compatibility ideographs supplement
        table[cp] = unicodedata.normalize("NFKC", chr(cp))
    for traditional, simple in simplified.items():
        table.setdefault(ord(traditional), simple)
    # Keep only what changes the folded text: full-width punctuation maps to punctuation,
    # which is dropped anyway, and case is casefold()'s job.
    return {
        cp: value
        for cp, value in table.items()
        if _NOT_WORD.sub("", value.casefold()) != _NOT_WORD.sub("", chr(cp).casefold())
    }


@functools.cache
def _fold_chars() -> dict[str, str]:
    """The fold table by character, each value already final (mapping it again changes nothing)."""
    table = {chr(cp): value for cp, value in _fold_table().items()}
    for _ in range(3):
        table = {char: "".join(table.get(c, c) for c in value) for char, value in table.items()}
    return table


@functools.cache
def _table_patterns() -> tuple[re.Pattern, re.Pattern]:
    """Character classes matching exactly the table's characters: one for the BMP (which re
    compiles to a bitmap, 2 µs to scan a 1,000-character body) and one for the rest (a list
    of ranges, scanned only in a text that holds such a character at all)."""

    def char_class(chars: list[str]) -> re.Pattern:
        runs: list[list[int]] = []
        for cp in sorted(map(ord, chars)):
            if runs and cp == runs[-1][1] + 1:
                runs[-1][1] = cp
            else:
                runs.append([cp, cp])
        body = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in runs)
        return re.compile(f"[{body}]" if body else "(?!)")

    table = _fold_chars()
    return char_class([c for c in table if c <= "\uffff"]), char_class([c for c in table if c > "\uffff"])


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _mapped(text: str) -> str:
    # str.translate looks every character up (about 80 ns each), and so does set(text); a
    # text holds only a few distinct characters of the table, if any: find them with the
    # table's character classes, then str.replace each (fast).
    table = _fold_chars()
    bmp, astral = _table_patterns()
    found = set(bmp.findall(text))
    if _ASTRAL.search(text):
        found.update(astral.findall(text))
    for char in found:
        text = text.replace(char, table[char])
    return text.casefold()


_NOT_WORD = re.compile(r"[\W_]+")


def fold(text: str | None) -> str:
    """The folded form of ``text``: what the index holds and what queries are matched with.

    >>> fold("牡商发〔2024〕16号《政務公開》ＡＢＣ")
    '牡商发202416号政务公开abc'
    """
    if not text:
        return ""
    return _NOT_WORD.sub("", _mapped(text))


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` and, for each folded character, the index of the raw character it came from."""
    mapped = _mapped(text)
    if len(mapped) == len(text):  # no character expanded (the usual case): skip the dropped runs
        offsets: list[int] = []
        last = 0
        for match in _NOT_WORD.finditer(mapped):
            offsets.extend(range(last, match.start()))
            last = match.end()
        offsets.extend(range(last, len(mapped)))
        return _NOT_WORD.sub("", mapped), offsets
    out: list[str] = []
    offsets = []
    for i, char in enumerate(text):  # some character expands (ß, ﬁ): one at a time
        piece = _NOT_WORD.sub("", _mapped(char))
        if piece:
            out.append(piece)
            offsets.extend([i] * len(piece))
    return "".join(out), offsets


# --- documents ---------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentText:
    head: str  # title \n 发文字号 \n 索引号
    body: str  # keywords \n summary \n body \n attachment 1 \n attachment 2 ...


def document_text(
    *,
    title: str,
    doc_number: str = "",
    index_number: str = "",
    keywords: str = "",
    summary: str = "",
    body: str = "",
    attachments: Sequence[str] = (),
) -> DocumentText:
    """Fold an entry's searchable fields (about 0.1 ms for a 1,000-character body)."""
    head = FIELD_SEPARATOR.join((fold(title), fold(doc_number), fold(index_number)))
    room = MAX_INDEXED_CHARS - len(head)
    parts: list[str] = []
    for text in (keywords, summary, body, *attachments):
        # Fold at most what still fits (a character folds to one character or more).
        part = fold(text[: max(room, 0)]) if text else ""
        part = part[: max(room, 0)]
        parts.append(part)
        room -= len(part) + 1
    return DocumentText(head=head, body=FIELD_SEPARATOR.join(parts))


# --- queries -----------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedQuery:
    """A query reduced to folded terms, all of which must appear.

    ``text`` is what the visitor typed, tidied for display; ``terms`` are the folded
    terms, longest first, none contained in another (a contained term adds nothing).
    """

    text: str = ""
    terms: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def fragments(self) -> tuple[str, ...]:
        """What highlighting marks: the terms (kept for the template tags' signature)."""
        return self.terms


_WIDTH_TABLE = {0x3000: " ", **{cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}}


def parse_query(raw: str | None) -> ParsedQuery:
    """Split free text into folded terms at whitespace (full-width spaces too). Never raises."""
    text = " ".join(str(raw or "")[: MAX_QUERY_CHARS * 4].translate(_WIDTH_TABLE).split())
    text = text[:MAX_QUERY_CHARS].strip()
    terms: list[str] = []
    for word in text.split():
        term = fold(word)
        if term and term not in terms:
            terms.append(term)
    terms.sort(key=len, reverse=True)
    kept: list[str] = []
    for term in terms:
        if not any(term in longer for longer in kept):
            kept.append(term)
    return ParsedQuery(text=text if kept else "", terms=tuple(kept[:MAX_QUERY_TERMS]))


def quote_lexeme(lexeme: str) -> str:
    """A lexeme as a tsquery literal: single quotes doubled, backslashes escaped."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def trigrams(term: str) -> list[str]:
    """The distinct trigrams of a folded term, in order."""
    return list(dict.fromkeys(term[i : i + 3] for i in range(len(term) - 2)))


def term_keys(term: str, *, head: bool = False) -> list[str]:
    """tsquery operands that every document containing ``term`` has (all of them).

    A 1-2 character term is a prefix of some trigram (every field ends with a newline,
    so even the last character of a field starts one); a longer term has all its trigrams.
    """
    mark = HEAD_MARK if head else ""
    if len(term) <= 2:
        return [quote_lexeme(mark + term) + ":*"]
    return [quote_lexeme(mark + gram) for gram in trigrams(term)]


def facet_key(dimension: str, value: object) -> str:
    """The index key of a facet value: o organ, t theme, g genre, v validity, i item, y/m/d date."""
    return quote_lexeme(f"{FACET_MARK}{dimension}{value}")


# --- highlighting -------------------------------------------------------------------


def _match_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Raw [start, end) spans of ``text`` where a term matches after folding, merged."""
    terms = [t for t in terms if t]
    if not text or not terms:
        return []
    folded, offsets = fold_with_offsets(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        start = folded.find(term)
        while start >= 0:
            end = start + len(term)
            spans.append((offsets[start], offsets[end - 1] + 1))
            start = folded.find(term, end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, spans: list[tuple[int, int]]) -> str:
    out: list[str] = []
    last = 0
    for start, end in spans:
        out.append(html.escape(text[last:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def highlight(text: str | None, terms: Iterable[str]) -> SafeString:
    """HTML-escape ``text`` and wrap every match of a term in <mark>.

    Matching is done on the folded text and mapped back to the raw characters, so
    政務公開 is marked for the term 政务公开; each piece is escaped on its own, so no
    user or document text ever reaches the page unescaped.
    """
    text = text or ""
    return mark_safe(_render(text, _match_spans(text, terms)))


def snippet(texts: Iterable[str | None], terms: Iterable[str], *, width: int = 120) -> SafeString:
    """A highlighted excerpt of about ``width`` characters around the first match.

    ``texts`` are tried in order (summary, then body); without any match the start of the
    first non-empty text is shown.
    """
    terms = tuple(terms)
    first = ""
    for text in texts:
        text = " ".join((text or "").split())
        if not text:
            continue
        first = first or text
        spans = _match_spans(text, terms)
        if spans:
            start = max(0, spans[0][0] - width // 3)
            end = min(len(text), start + width)
            inside = [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]
            prefix = "…" if start > 0 else ""
            suffix = "…" if end < len(text) else ""
            return mark_safe(prefix + _render(text[start:end], inside) + suffix)
    excerpt = first[:width]
    return mark_safe(html.escape(excerpt) + ("…" if len(first) > width else ""))


def contains(text: str | None, terms: Iterable[str]) -> bool:
    """Whether ``text`` holds any of the terms after folding."""
    folded = fold(text)
    return any(term in folded for term in terms)
