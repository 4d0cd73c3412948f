"""The text generator shared by seed_demo and the benchmark (apps/devtools/demo/text.py)."""

import datetime as dt
import random
import re

import rjieba

from apps.catalog.enums import DocumentKind, Validity
from apps.devtools.demo.phrases import PROFILES
from apps.devtools.demo.text import RARE_WORDS, OrganInfo, _validity, add_years, chinese_number, entry_fields

ORGAN = OrganInfo(
    1, "牡丹江市经济合作促进局", "市经合局", "11231000DM0000002X", "department", "牡经合", "investment"
)


def _entries(seed: int, n: int, organ: OrganInfo = ORGAN) -> list[dict]:
    rng = random.Random(seed)
    return [
        entry_fields(rng, organ, dt.date(2019 + i % 7, 1 + i % 12, 1 + i % 28), doc_serial=i + 1)
        for i in range(n)
    ]


def test_entry_fields_are_deterministic_for_a_seed():
    assert _entries(7, 50) == _entries(7, 50)
    assert _entries(7, 50) != _entries(8, 50)


def test_bodies_are_government_prose_of_300_to_1500_characters_mostly_about_disclosure():
    entries = _entries(1, 400)
    lengths = [len(e["body"]) for e in entries]
    # The body grows paragraph by paragraph up to a 300-1500 target, then gets its 落款.
    assert min(lengths) >= 300
    assert max(lengths) <= 1500 + 400
    assert 600 < sum(lengths) / len(lengths) < 1100
    assert sum("公开" in e["body"] for e in entries) / len(entries) > 0.85
    for entry in entries:  # 落款: the organ, then the date in Chinese
        written = entry["written_date"]
        assert entry["body"].endswith(f"{ORGAN.name}\n{written.year}年{written.month}月{written.day}日")


def test_document_numbers_follow_the_official_pattern():
    entries = _entries(2, 300)
    numbers = [e["doc_number"] for e in entries if e["doc_number"]]
    assert numbers
    pattern = re.compile(r"^牡经合(发|规|函)〔20\d\d〕\d+号$")
    assert all(pattern.match(n) for n in numbers), [n for n in numbers if not pattern.match(n)][:3]
    for entry in entries:
        if entry["doc_number"]:
            assert f"〔{entry['publish_date'].year}〕" in entry["doc_number"]


def test_normative_documents_have_consistent_validity():
    entries = [e for e in _entries(3, 1500) if e["document_kind"] == DocumentKind.NORMATIVE]
    assert entries
    states = {e["validity"] for e in entries}
    assert Validity.VALID in states and Validity.EXPIRED in states and Validity.REPEALED in states
    for entry in entries:
        assert entry["article_item"] == 1
        assert entry["effective_date"] > entry["written_date"]
        if entry["validity"] in (Validity.EXPIRED, Validity.REPEALED):
            assert entry["expiry_date"] is not None and entry["expiry_date"] >= entry["effective_date"]


def test_a_normative_document_effective_on_29_february_expires_five_years_later():
    fields = _validity(random.Random(0), DocumentKind.NORMATIVE, dt.date(2024, 1, 30))
    assert fields["effective_date"] == dt.date(2024, 2, 29)
    assert fields["validity"] == Validity.VALID  # Random(0) does not draw an early repeal
    assert fields["expiry_date"] == dt.date(2029, 2, 27)
    assert add_years(dt.date(2024, 2, 29), 5) == dt.date(2029, 2, 28)


def test_rules_are_only_written_by_the_government():
    city = OrganInfo(
        2, "牡丹江市人民政府", "市政府", "11231000DM0000001X", "government", "牡政", "government"
    )
    kinds = {e["document_kind"] for e in _entries(4, 800, city)}
    assert DocumentKind.RULE in kinds
    assert DocumentKind.RULE not in {e["document_kind"] for e in _entries(4, 800)}


def test_themes_exist_in_the_fixture_tree():
    import json
    from pathlib import Path

    fixture = json.loads((Path(__file__).parents[2] / "fixtures" / "themes.json").read_text())
    names = {row["pk"]: row["fields"]["name"] for row in fixture}
    pairs = {
        (names[row["fields"]["parent"]], row["fields"]["name"]) for row in fixture if row["fields"]["parent"]
    }
    for profile in PROFILES.values():
        assert set(profile.themes) <= pairs


def test_rare_words_are_single_jieba_words():
    for word in RARE_WORDS:
        assert word in rjieba.cut(f"在{word}相关区域开展工作"), word


def test_chinese_paragraph_numbers():
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]
