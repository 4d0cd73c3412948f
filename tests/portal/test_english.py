"""The English version of the portal (Chinese first, English second).

The pages are asked for in English the two ways a browser does it: the language cookie set by the
language switch, and the Accept-Language header of a first visit. The catalog itself is parsed so
that a string added without a translation, a placeholder lost in translation or a .mo file left
uncompiled fails here rather than showing Chinese (or a crash) to an English reader.
"""

import datetime as dt
import gettext
import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

import pytest

from tests.factories import CatalogEntryFactory, OrganFactory, OrganPageFactory

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"

# %(name)s / %(n)d, bare %s / %d, and str.format fields ({} and {name}).
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
HTML_TAG = re.compile(r"</?[a-z]+\b[^>]*>")


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def organ(db):
    return OrganFactory(
        name="牡丹江市统计局",
        short_name="市统计局",
        slug="tjj",
        office_name="牡丹江市统计局办公室",
        email="xxgk@tjj.example.gov.cn",
    )


# Pages ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_page_in_english_has_english_navigation_and_headings(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    html = response.content.decode()

    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert 'aria-label="Main navigation"' in html
    for label, href in [
        ("Guide to Government Information Disclosure", "/organs/?part=guide"),
        ("Rules on Government Information Disclosure", "/organs/?part=rules"),
        ("Statutory Proactive Disclosures", "/catalog/"),
        ("Annual Report on Government Information Disclosure", "/reports/"),
    ]:
        assert f'<a href="{href}">{label}</a>' in html
    assert 'href="/apply/">Apply for government information</a>' in html
    assert "Skip to main content" in html
    # The Chinese labels are gone, not merely doubled by the English ones.
    assert "政府信息公开指南" not in html
    assert "提交政府信息公开申请" not in html


@pytest.mark.django_db
def test_catalog_list_in_english_labels_the_metadata_and_filters(client, organ):
    CatalogEntryFactory(organ=organ, title="关于做好统计工作的通知", publish_date=dt.date(2024, 6, 1))

    html = _english(client).get("/catalog/").content.decode()

    assert "<h1>Government Information Catalog</h1>" in html
    assert "<dt>Index No.</dt>" in html
    assert "<dt>Subject Category</dt>" in html
    assert "<dt>Date of Publication</dt>" in html
    assert "<dt>Publisher</dt>" in html
    assert "Search government information" in html
    assert "Apply filters" in html
    assert "1 item" in html and "1 items" not in html
    # The entry itself is data and stays in Chinese.
    assert "关于做好统计工作的通知" in html
    for chinese_label in ["索引号", "主题分类", "发布日期", "分类筛选", "政府信息公开目录"]:
        assert chinese_label not in html


@pytest.mark.django_db
def test_catalog_count_uses_the_english_plural(client, organ):
    for n in range(3):
        CatalogEntryFactory(organ=organ, title=f"通知{n}")

    html = _english(client).get("/catalog/").content.decode()

    assert "3 items" in html


@pytest.mark.django_db
def test_apply_form_in_english_has_english_headings_labels_and_choices(client, organ):
    html = _english(client).get("/apply/").content.decode()

    assert "<h1>Apply Online for Government Information</h1>" in html
    assert "<title>Apply Online for Government Information" in html
    assert "Article 29 of the Regulations" in html
    assert "<legend>Information requested</legend>" in html
    assert "Type of applicant" in html
    assert "Natural person" in html
    assert "Resident identity card" in html
    assert "Submit the application" in html
    for chinese_label in ["在线申请政府信息公开", "申请人类型", "自然人", "提交申请"]:
        assert chinese_label not in html


@pytest.mark.django_db
def test_apply_form_errors_are_in_english(client, organ):
    response = _english(client).post("/apply/", {"organ": organ.pk})
    html = response.content.decode()

    assert response.status_code == 200
    assert "Choose the type of applicant." in html
    assert "请选择申请人类型" not in html


@pytest.mark.django_db
def test_organ_guide_page_in_english_has_english_frame_and_office_labels(client, organ):
    OrganPageFactory(organ=organ, title="牡丹江市统计局政府信息公开指南", body="一、主动公开")

    html = _english(client).get("/organs/tjj/guide/").content.decode()

    assert '<span aria-current="page">Guide to Government Information Disclosure</span>' in html
    assert "Issued by: 牡丹江市统计局" in html
    assert "Published under Article 12 of the Regulations" in html
    assert "<dt>Office address</dt>" in html
    assert "<dt>Office hours</dt>" in html
    assert "<dt>E-mail</dt>" in html
    # The guide text is the organ's own document: it stays as written.
    assert "牡丹江市统计局政府信息公开指南" in html
    assert "发布机构：" not in html
    assert "办公地址" not in html


@pytest.mark.django_db
def test_chinese_stays_the_default_without_cookie_or_header(client):
    html = client.get("/").content.decode()

    assert '<html lang="zh-CN">' in html
    assert "政府信息公开指南" in html


# The catalog ------------------------------------------------------------------------------------


def _unquote(line: str) -> str:
    body = line[line.index('"') + 1 : line.rindex('"')]
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), body)


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (dict index → text), flags.

    A small reader (gettext syntax only) so the test needs nothing beyond the standard library.
    Obsolete (#~) and previous-msgid (#|) lines are skipped.
    """
    entries: list[dict] = []
    entry: dict | None = None
    field = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#~", "#|", "#:", "# ", "#.")) or line == "#":
            if not line and entry is not None:
                entries.append(entry)
                entry, field = None, None
            continue
        if entry is None:
            entry = {"msgctxt": None, "msgid": "", "msgid_plural": None, "msgstr": {}, "flags": set()}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            continue
        keyword = line.split(" ", 1)[0]
        if line.startswith('"'):
            value = _unquote(line)
            if isinstance(field, tuple):
                entry["msgstr"][field[1]] += value
            else:
                entry[field] = (entry[field] or "") + value
            continue
        value = _unquote(line)
        if keyword.startswith("msgstr["):
            field = ("msgstr", int(keyword[7:-1]))
            entry["msgstr"][field[1]] = value
        elif keyword == "msgstr":
            field = ("msgstr", 0)
            entry["msgstr"][0] = value
        else:
            field = keyword
            entry[field] = value
    if entry is not None:
        entries.append(entry)
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


@pytest.fixture(scope="module")
def po_entries():
    return parse_po(PO_FILE)


def test_catalog_is_parsed_and_not_trivially_small(po_entries):
    # A reader that silently skipped entries would make the checks below pass on nothing.
    assert len(po_entries) > 500
    by_id = {e["msgid"]: e for e in po_entries}
    assert by_id["政府信息公开"]["msgstr"] == {0: "Government Information Disclosure"}
    plural = by_id["已公开 %(counter)s 条"]
    assert plural["msgid_plural"] == "已公开 %(counter)s 条"
    assert set(plural["msgstr"]) == {0, 1}


def test_every_string_of_the_catalog_has_an_english_translation(po_entries):
    empty = [e["msgid"] for e in po_entries if not all(e["msgstr"].values())]
    assert empty == []


def test_plural_strings_have_both_english_forms(po_entries):
    incomplete = [e["msgid"] for e in po_entries if e["msgid_plural"] and set(e["msgstr"]) != {0, 1}]
    assert incomplete == []


def test_no_translation_is_left_fuzzy(po_entries):
    # Django ignores fuzzy entries, so a fuzzy translation is an untranslated string in disguise.
    assert [e["msgid"] for e in po_entries if "fuzzy" in e["flags"]] == []


def test_translations_keep_placeholders_and_html(po_entries):
    broken = []
    for e in po_entries:
        sources = [e["msgid"]] if not e["msgid_plural"] else [e["msgid"], e["msgid_plural"]]
        for index, text in e["msgstr"].items():
            source = sources[min(index, len(sources) - 1)]
            for pattern in (PLACEHOLDER, HTML_TAG):
                if sorted(pattern.findall(source)) != sorted(pattern.findall(text)):
                    broken.append((e["msgid"], text))
    assert broken == []


def test_english_translations_contain_no_untranslated_chinese(po_entries):
    # Chinese may appear in a translation only where it is quoted from the source, e.g. a sample
    # document number (牡经合发〔2018〕3号) or the Chinese column names of the import file.
    han = re.compile(r"[\u4e00-\u9fff]+")
    offending = [
        (e["msgid"], text)
        for e in po_entries
        for text in e["msgstr"].values()
        if (han.search(e["msgid"]) and text == e["msgid"])
        or any(run not in e["msgid"] for run in han.findall(text))
    ]
    assert offending == []


def test_compiled_catalog_matches_the_po_file(po_entries):
    """django.mo must be recompiled after every change of django.po (msgfmt, see locale/README.md)."""
    with MO_FILE.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for e in po_entries:
        if e["msgctxt"] is not None:
            continue
        if e["msgid_plural"]:
            got = [compiled.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
            want = [e["msgstr"][0], e["msgstr"][1]]
        else:
            got, want = [compiled.gettext(e["msgid"])], [e["msgstr"][0]]
        if got != want:
            stale.append(e["msgid"])
    assert stale == []


def test_runtime_english_plurals_follow_the_count():
    with translation.override("en"):
        assert translation.ngettext("已公开 %(counter)s 条", "已公开 %(counter)s 条", 1) % {"counter": 1} == (
            "1 item published"
        )
        assert translation.ngettext("%(n)d 个工作日", "%(n)d 个工作日", 20) % {"n": 20} == ("20 working days")
