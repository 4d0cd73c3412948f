"""Chinese full-text search. PLACEHOLDER: replaced by the search work (jieba words + bigrams)."""

from __future__ import annotations


def document_vectors(*, title: str, summary: str, body: str, keywords: str) -> tuple[str, str]:
    """Return (words tsvector literal, grams tsvector literal) for an entry."""
    return "", ""
