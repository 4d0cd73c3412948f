"""Recall and precision of search over fragments cut at random offsets of real-looking documents.

Fragments of 1-8 characters are cut from titles, 发文字号, 索引号, bodies and attachment text
(some around a digit/CJK boundary), and searched as typed, in traditional characters and in
full-width forms. Every source entry must be found (the walk holds all matches: there are
fewer than COUNT_BOUND), and every entry found must really contain the term after folding.
"""

import datetime as dt
import random

from django.core.files.uploadedfile import SimpleUploadedFile

import opencc
import pytest

from apps.catalog import services
from apps.catalog.models import CatalogEntry, Genre, ThemeCategory
from apps.catalog.search import fold, parse_query
from apps.catalog.selectors import CatalogFilters, listing, search_entries, searching
from apps.devtools.demo.text import OrganInfo, entry_fields
from tests.factories.files import docx_with

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ATTACHMENT_TEXT = (
    "附件1：2024年第二批拟录用人员名单（按姓氏笔画排序）。序号1，张三，男，1990年5月，本科；"
    "序号2，李四，女，1992年11月，硕士。联系电话：0453-6200000。"
)


@pytest.fixture
def corpus(organ_a, settings, tmp_path):
    """About 40 generated entries of one organ, a few with a Word attachment."""
    settings.MEDIA_ROOT = tmp_path
    from django.core.management import call_command

    call_command("loaddata", "themes", "genres", verbosity=0)
    themes = {
        (t.parent.name if t.parent else "", t.name): t for t in ThemeCategory.objects.select_related("parent")
    }
    genres = {g.name: g for g in Genre.objects.all()}
    info = OrganInfo(
        organ_a.pk, organ_a.name, organ_a.short_name, organ_a.code, organ_a.kind, "牡经合", "investment"
    )
    rng = random.Random(20261130)
    entries = []
    for n in range(40):
        day = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(3200))
        fields = entry_fields(rng, info, day, doc_serial=n + 1)
        entry = services.entry_create(
            organ=organ_a,
            publish=True,
            title=fields["title"],
            summary=fields["summary"],
            body=fields["body"],
            keywords=fields["keywords"],
            doc_number=fields["doc_number"],
            publish_date=day,
            theme=themes[fields["theme"]],
            genre=genres[fields["genre"]],
        )
        if n % 8 == 0:
            upload = SimpleUploadedFile("名单.docx", docx_with(ATTACHMENT_TEXT), content_type=DOCX)
            services.attachment_add(entry=entry, uploaded_file=upload)
        entries.append(entry)
    return entries


def _sources(entry: CatalogEntry) -> dict[str, str]:
    texts = {
        "title": entry.title,
        "doc_number": entry.doc_number,
        "index_number": entry.index_number,
        "body": entry.body,
    }
    for attachment in entry.attachments.all():
        texts["attachment"] = attachment.text
    return {k: v for k, v in texts.items() if v}


def _everything(entry: CatalogEntry) -> str:
    parts = [entry.title, entry.doc_number, entry.index_number, entry.keywords, entry.summary, entry.body]
    parts += [a.text for a in entry.attachments.all()]
    return "\n".join(fold(p) for p in parts)


_TO_TRADITIONAL = opencc.OpenCC("s2t")
_FULL_WIDTH = {cp: chr(cp + 0xFEE0) for cp in range(0x21, 0x7F)}


def _traditional(text: str) -> str:
    # Character by character, keeping only conversions that fold back.
    out = []
    for char in text:
        converted = _TO_TRADITIONAL.convert(char)
        out.append(converted if len(converted) == 1 and fold(converted) == fold(char) else char)
    return "".join(out)


def _fragments(rng: random.Random, entries: list[CatalogEntry], count: int) -> list[tuple[CatalogEntry, str]]:
    cuts = []
    while len(cuts) < count:
        entry = rng.choice(entries)
        field, text = rng.choice(sorted(_sources(entry).items()))
        size = rng.randint(1, 8)
        digits = [i for i in range(1, len(text)) if text[i].isdigit() != text[i - 1].isdigit()]
        if digits and rng.random() < 0.4:  # straddle a digit/CJK boundary
            start = max(0, rng.choice(digits) - rng.randint(0, size - 1))
        else:
            start = rng.randrange(max(1, len(text) - size + 1))
        fragment = text[start : start + size]
        if fold(fragment):
            cuts.append((entry, fragment))
    return cuts


def test_every_fragment_finds_its_entry_and_only_entries_that_contain_it(corpus):
    rng = random.Random(7)
    folded = {e.pk: _everything(e) for e in CatalogEntry.objects.prefetch_related("attachments")}
    checked = 0
    for entry, fragment in _fragments(rng, corpus, 150):
        for variant in {fragment, _traditional(fragment), fragment.translate(_FULL_WIDTH)}:
            query = parse_query(variant)
            walk = searching.walk(query.terms, filters=CatalogFilters(), want=listing.COUNT_BOUND + 1)
            assert walk.complete
            found = {m.entry_id for m in walk.matches}
            assert entry.pk in found, (variant, entry.title)
            expected = {pk for pk, text in folded.items() if all(t in text for t in query.terms)}
            assert found == expected, variant
            checked += 1
    assert checked >= 150


def test_the_page_lists_the_same_matches_in_both_orders(corpus):
    rng = random.Random(8)
    for entry, fragment in _fragments(rng, corpus, 15):
        by_date = search_entries(query=fragment, order="date", per_page=100)
        by_relevance = search_entries(query=fragment, order="relevance", per_page=100)
        assert entry.pk in {e.pk for e in by_date.entries}
        assert {e.pk for e in by_date.entries} == {e.pk for e in by_relevance.entries}
        assert by_date.counts.total == len(by_date.entries) and not by_date.approximate
