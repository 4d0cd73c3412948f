"""The catalog text generator shared by seed_demo and the benchmark's bulk loader.

The generator is pure Python driven by a ``random.Random``: the same seed gives the same
entries, and it is cheap enough (a few microseconds per sentence) to make a million bodies
in the benchmark. Everything here is plausible government prose for 牡丹江市, assembled
from the phrase pools of demo.phrases; none of it is a real document.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from apps.catalog.enums import DocumentKind, Validity
from apps.devtools.demo.phrases import (
    COMMON_SENTENCES,
    OPENINGS,
    OPENNESS_SENTENCES,
    PROFILES,
    RARE_SENTENCE,
    RULE_TEMPLATE,
    TEMPLATES,
    Profile,
)

# Fixed "today" of the demo, so that a given seed always gives the same validity states.
REFERENCE_DATE = dt.date(2026, 11, 20)
FIRST_YEAR = 2018

# Words that occur in roughly 1 document in 5,000 each, so that the benchmark can search a
# rare word. Each is a single jieba token (checked with rjieba.cut).
RARE_WORDS = ("红豆杉", "兴凯湖", "牡丹峰", "镜泊湖", "黑木耳", "绥芬河", "雪城", "穆棱")
RARE_PROBABILITY = 0.0016  # per document, one of the 8 words: each appears in ~1/5000 documents

_WEIGHTS = [t[0] for t in TEMPLATES]

CN_DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (paragraph numbers up to 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else f"{CN_DIGITS[tens]}十"
    return head + (CN_DIGITS[ones] if ones else "")


def chinese_date(day: dt.date) -> str:
    """Dates in a 公文 落款 are written 2018年3月5日."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class OrganInfo:
    """What the generator needs to know about an organ (picklable for bulk workers)."""

    pk: int
    name: str
    short_name: str
    code: str
    kind: str  # Organ.Kind value
    abbr: str  # 机关代字 of its 发文字号, e.g. 牡经合
    profile: str  # key of PROFILES


def random_day(rng: random.Random, year: int, last: dt.date = REFERENCE_DATE) -> dt.date:
    first = dt.date(year, 1, 1)
    end = min(dt.date(year, 12, 31), last)
    return first + dt.timedelta(days=rng.randrange((end - first).days + 1))


def _fill(template: str, rng: random.Random, values: dict) -> str:
    if "{" not in template:
        return template
    return template.format(
        n=rng.randint(3, 120),
        m=rng.randint(12, 9800),
        p=f"{rng.uniform(95.0, 99.9):.1f}",
        g=f"{rng.uniform(0.5, 9.9):.1f}",
        d=rng.randint(3, 10),
        q=rng.randint(1, 30),
        **values,
    )


def entry_fields(rng: random.Random, organ: OrganInfo, publish_date: dt.date, *, doc_serial: int) -> dict:
    """One catalog entry's metadata and text (names, not ids, for theme and genre).

    Returns a dict with title, summary, body, keywords, doc_number, written_date,
    publish_date, effective_date, expiry_date, validity, article_item, document_kind,
    genre (name) and theme ((一级, 二级) names).
    """
    profile = PROFILES[organ.profile]
    year = publish_date.year
    topic = rng.choice(profile.topics)
    regulation = rng.choice(profile.regulations)
    if organ.kind == "government" and rng.random() < 0.02:
        template = (1, *RULE_TEMPLATE)
    else:
        template = rng.choices(TEMPLATES, weights=_WEIGHTS)[0]
    _, genre, item, kind, title_fmt, summary_fmt = template
    values = {
        "o": organ.name,
        "s": organ.short_name,
        "y": year,
        "t": topic,
        "r": regulation,
        "mo": publish_date.month,
        "plan": "“十四五”" if year >= 2021 else "“十三五”",
    }
    values["event"] = _fill(rng.choice(profile.events), rng, values)
    title = _fill(title_fmt, rng, values)
    summary = _fill(summary_fmt, rng, values)

    written = publish_date - dt.timedelta(days=rng.randint(0, 6))
    fields = {
        "title": title,
        "summary": summary,
        "body": _body(rng, organ, profile, values, written, genre),
        "keywords": " ".join(dict.fromkeys((topic, *rng.sample(profile.topics, 2)))),
        "doc_number": "",
        "written_date": written,
        "publish_date": publish_date,
        "effective_date": None,
        "expiry_date": None,
        "validity": Validity.NOT_APPLICABLE,
        "article_item": item,
        "document_kind": kind,
        "genre": genre,
        "theme": rng.choice(profile.themes),
    }
    if kind == DocumentKind.RULE:
        fields["doc_number"] = f"牡丹江市人民政府令第{doc_serial}号"
    elif kind == DocumentKind.NORMATIVE:
        fields["doc_number"] = f"{organ.abbr}规〔{year}〕{doc_serial}号"
    elif genre in ("通知", "意见", "公告"):
        fields["doc_number"] = f"{organ.abbr}发〔{year}〕{doc_serial}号"
    elif genre == "函":
        fields["doc_number"] = f"{organ.abbr}函〔{year}〕{doc_serial}号"
    if kind in (DocumentKind.RULE, DocumentKind.NORMATIVE):
        fields.update(_validity(rng, kind, written))
    return fields


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day some years later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _validity(rng: random.Random, kind: str, written: dt.date) -> dict:
    # 行政规范性文件 usually carry 有效期 5 years (🧠 common local practice, not a national rule);
    # 规章 have none. Some are repealed early (废止).
    effective = written + dt.timedelta(days=30)
    expiry = None
    if kind == DocumentKind.NORMATIVE:
        expiry = add_years(effective, 5) - dt.timedelta(days=1)
    if rng.random() < 0.15 and (REFERENCE_DATE - effective).days > 400:
        repealed = effective + dt.timedelta(days=rng.randint(365, (REFERENCE_DATE - effective).days))
        return {"effective_date": effective, "expiry_date": repealed, "validity": Validity.REPEALED}
    if expiry is not None and expiry < REFERENCE_DATE:
        return {"effective_date": effective, "expiry_date": expiry, "validity": Validity.EXPIRED}
    return {"effective_date": effective, "expiry_date": expiry, "validity": Validity.VALID}


def _body(rng, organ: OrganInfo, profile: Profile, values: dict, written: dt.date, genre: str) -> str:
    target = int(rng.triangular(300, 1500, 600))
    pool = profile.sentences + COMMON_SENTENCES
    # Sentences without replacement (cycling only in very long bodies), so that a body does
    # not repeat itself within a paragraph.
    order = rng.sample(range(len(pool)), len(pool))
    picked = 0

    def sentence() -> str:
        nonlocal picked
        picked += 1
        return _fill(pool[order[picked % len(order)]], rng, values)

    paragraphs = []
    if genre in ("通知", "意见", "函"):
        paragraphs.append(OPENINGS["government" if organ.kind == "government" else "department"])
    first = [_fill(rng.choice(OPENNESS_SENTENCES), rng, values)] if rng.random() < 0.92 else []
    paragraphs.append("".join([*first, sentence()]))
    length = sum(len(p) for p in paragraphs)
    rare = rng.random() < RARE_PROBABILITY
    number = 0
    while length < target:
        number += 1
        sentences = [sentence() for _ in range(rng.randint(2, 4))]
        if rare:
            sentences.insert(1, RARE_SENTENCE.format(w=rng.choice(RARE_WORDS), t=values["t"]))
            rare = False
        paragraph = f"{chinese_number(number)}、" + "".join(sentences)
        paragraphs.append(paragraph)
        length += len(paragraph)
    if genre == "通知":
        paragraphs.append("特此通知。")
    paragraphs.append(f"{organ.name}\n{chinese_date(written)}")
    return "\n\n".join(paragraphs)
