"""Chinese full-text search for the 政府信息公开目录 (PostgreSQL only, no extensions).

PostgreSQL's parsers do not segment Chinese, so the vectors are built here, in Python,
and stored as tsvector literals in two columns of CatalogEntry:

- ``search_words``: rjieba words, lowercased, punctuation dropped, with positions and
  weights (title and keywords A, summary and body B). Used for single-character terms
  and for ranking (ts_rank weighs A above B, so title hits come first).
- ``search_grams``: every character bigram of every run of CJK characters, plus every
  lowercase ASCII word/number, WITHOUT positions (a lexeme costs only its bytes). Any
  2-character fragment is an exact gram; a longer fragment needs all of its grams
  (GIN index) and is then rechecked with strpos() on the candidate rows, because
  grams without positions do not prove that the characters are adjacent.

Word search alone found only 119 of 300 random body fragments in an earlier
measurement (jieba cuts 招商引资 as one word, so 商引 or 引资 were never found); the
grams find all of them.

User input is only ever text: the query builder below turns it into quoted lexemes
joined by ``&``. Operators, quotes, HTML and very long strings are inert.

The same module maintains the facet-count aggregates (see ``rebuild_facet_counts``),
the other derived index of the catalog.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.safestring import SafeString, mark_safe

import rjieba

# CJK Unified Ideographs, Extension A, compatibility ideographs and the supplementary
# planes (Extensions B-F and the compatibility supplement).
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
TOKEN_RE = re.compile(f"[{_CJK}]+|[a-z0-9]+")

# tsvector limits: positions 1..16383, lexemes < 2 KB, vector < 1 MB. Longer ASCII runs
# (base64, hashes) are not words anyone searches for.
MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 16
MAX_TOKEN_CHARS = 60
# A body longer than this is indexed only up to here (keeps every vector far below 1 MB).
MAX_INDEXED_CHARS = 300_000

# Query limits: anything longer is cut, not rejected.
MAX_QUERY_CHARS = 100
MAX_QUERY_TERMS = 10


_FULLWIDTH_RE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")


def _halfwidth(match: re.Match) -> str:
    return unicodedata.normalize("NFKC", match.group())


def normalize(text: str) -> str:
    """Full-width letters and digits (ＡＢＣ２０１８) become ASCII; everything is lowercased.

    Only these are folded (a full NFKC pass costs more than the segmentation itself).
    """
    return _FULLWIDTH_RE.sub(_halfwidth, text).lower()


def quote_lexeme(lexeme: str) -> str:
    """A lexeme as a tsvector/tsquery literal: single quotes doubled, backslashes escaped."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _words(text: str) -> list[str]:
    # jieba keeps punctuation and mixed tokens ("2018年"): keep only the CJK and
    # alphanumeric runs of each token, in one regex pass over the joined tokens.
    words = TOKEN_RE.findall("\x00".join(rjieba.cut(text)))
    return [w for w in words if len(w) <= MAX_TOKEN_CHARS]


def document_vectors(*, title: str, summary: str, body: str, keywords: str) -> tuple[str, str]:
    """Return (search_words, search_grams) tsvector literals for an entry.

    About 0.3 ms for a 1-2 KB document (measured with 1,000 factory-like documents);
    the bench calls this for every one of its 1,000,000 entries.
    """
    head = normalize(f"{title} {keywords}")
    tail = normalize(f"{summary}\n{(body or '')[:MAX_INDEXED_CHARS]}")

    positions: dict[str, list[str]] = {}
    pos = 0
    for text, weight in ((head, "A"), (tail, "B")):
        for word in _words(text):
            pos = pos + 1 if pos < MAX_POSITION else MAX_POSITION
            slots = positions.setdefault(word, [])
            if len(slots) < MAX_POSITIONS_PER_LEXEME:
                slots.append(f"{pos}{weight}")
    words = " ".join(f"{quote_lexeme(w)}:{','.join(p)}" for w, p in positions.items())

    grams: set[str] = set()
    for match in TOKEN_RE.finditer(f"{head}\n{tail}"):
        run = match.group()
        if run[0] <= "z":  # ASCII word or number
            if len(run) <= MAX_TOKEN_CHARS:
                grams.add(run)
        else:
            grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return words, " ".join(map(quote_lexeme, grams))


@dataclass(frozen=True)
class ParsedQuery:
    """A user query reduced to safe tsquery strings and fragments.

    - ``grams``: tsquery on search_grams (bigrams and ASCII prefixes, all ANDed), or "";
    - ``words``: tsquery on search_words for single-character terms, or "";
    - ``recheck``: CJK fragments of 3+ characters that must appear verbatim (strpos);
    - ``rank_words``: tsquery (ORed jieba words of the query) for ts_rank, or "";
    - ``fragments``: every fragment, for highlighting and the title boost.
    """

    text: str = ""
    grams: str = ""
    words: str = ""
    recheck: tuple[str, ...] = ()
    rank_words: str = ""
    fragments: tuple[str, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.grams or self.words)


def parse_query(raw: str | None) -> ParsedQuery:
    """Turn free text into a ParsedQuery. Whitespace-separated terms are ANDed.

    Within a term, punctuation separates fragments, which are ANDed too: 招商,引资 finds
    documents containing both. Never raises, whatever the input.
    """
    text = normalize(str(raw or "")[: MAX_QUERY_CHARS * 4])[:MAX_QUERY_CHARS].strip()
    terms: list[str] = []
    for term in text.split():
        if term not in terms:
            terms.append(term)
    terms = terms[:MAX_QUERY_TERMS]

    grams: list[str] = []
    singles: list[str] = []
    recheck: list[str] = []
    fragments: list[str] = []
    for term in terms:
        for match in TOKEN_RE.finditer(term):
            frag = match.group()[:MAX_TOKEN_CHARS]
            if frag in fragments:
                continue
            fragments.append(frag)
            if frag[0] <= "z":
                grams.append(f"{quote_lexeme(frag)}:*")
            elif len(frag) == 1:
                singles.append(quote_lexeme(frag))
            else:
                for i in range(len(frag) - 1):
                    gram = quote_lexeme(frag[i : i + 2])
                    if gram not in grams:
                        grams.append(gram)
                if len(frag) > 2:
                    recheck.append(frag)
    rank_words: list[str] = []
    for frag in fragments:
        for word in _words(frag):
            lexeme = quote_lexeme(word)
            if lexeme not in rank_words:
                rank_words.append(lexeme)
    return ParsedQuery(
        text=" ".join(terms),
        grams=" & ".join(grams),
        words=" & ".join(singles),
        recheck=tuple(recheck),
        rank_words=" | ".join(rank_words),
        fragments=tuple(fragments),
    )


# --- highlighting -------------------------------------------------------------------


def _fragment_pattern(fragments: Iterable[str]) -> re.Pattern | None:
    # Longest first, so that 招商引资 wins over 招商 where both match.
    frags = sorted({f for f in fragments if f}, key=len, reverse=True)
    if not frags:
        return None
    return re.compile("|".join(re.escape(f) for f in frags), re.IGNORECASE)


def highlight(text: str | None, fragments: Iterable[str]) -> SafeString:
    """HTML-escape ``text`` and wrap every match of a fragment in <mark>.

    Matching is done on the raw text and each piece is escaped on its own, so no user or
    document text ever reaches the page unescaped.
    """
    text = text or ""
    pattern = _fragment_pattern(fragments)
    if pattern is None:
        return mark_safe(html.escape(text))
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        out.append(f"<mark>{html.escape(match.group())}</mark>")
        last = match.end()
    out.append(html.escape(text[last:]))
    return mark_safe("".join(out))


def snippet(texts: Iterable[str | None], fragments: Iterable[str], *, width: int = 120) -> SafeString:
    """A highlighted excerpt of about ``width`` characters around the first match.

    ``texts`` are tried in order (summary, then body); without any match the start of the
    first non-empty text is shown.
    """
    fragments = tuple(fragments)
    pattern = _fragment_pattern(fragments)
    first = ""
    for text in texts:
        text = " ".join((text or "").split())
        if not text:
            continue
        first = first or text
        match = pattern.search(text) if pattern else None
        if match:
            start = max(0, match.start() - width // 3)
            end = min(len(text), start + width)
            excerpt = text[start:end]
            prefix = "…" if start > 0 else ""
            suffix = "…" if end < len(text) else ""
            return mark_safe(prefix + highlight(excerpt, fragments) + suffix)
    excerpt = first[:width]
    return mark_safe(html.escape(excerpt) + ("…" if len(first) > width else ""))


# --- facet counts -------------------------------------------------------------------
#
# catalog_facet_cube holds the number of published entries per combination of the
# facet dimensions (organ, theme, genre, year, validity, 第二十条 item; item 0 = none);
# catalog_facet_total holds the per-value totals of each dimension. Both are kept exact
# by statement-level plpgsql triggers on catalog_catalogentry (migration 0002), in the
# same transaction as the change. A bulk loader suspends the triggers and rebuilds once.


def rebuild_facet_counts() -> None:
    """Recompute both facet tables from catalog_catalogentry (one pass, a few seconds per million)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT catalog_facet_rebuild()")


@contextmanager
def facet_maintenance_suspended():
    """Disable the facet triggers for a bulk load, then rebuild the counts once.

    Takes an exclusive lock on the catalog table for the duration (ALTER TABLE), so use
    it only for bulk loads, never on a live site with clerks at work.
    """
    triggers = ("catalog_facet_ins", "catalog_facet_upd", "catalog_facet_del")

    def toggle(action: str) -> None:
        with connection.cursor() as cursor:
            # Inside a transaction, Django's deferred foreign-key checks would make
            # ALTER TABLE fail ("pending trigger events"): run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name in triggers:
                cursor.execute(f"ALTER TABLE catalog_catalogentry {action} TRIGGER {name}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    toggle("DISABLE")
    try:
        yield
    finally:
        with transaction.atomic():
            toggle("ENABLE")
            rebuild_facet_counts()
