"""The report as PDF, with WeasyPrint (imported lazily: it loads pango and fonts, slow at start-up).

A character that no installed font has would be drawn as an empty box by WeasyPrint, which only logs
a warning: render_pdf() captures those warnings and fails instead, so that no official report is ever
published with missing characters.

Table 3 is kept whole (a row label spanning 22 rows cannot be cut at a page break), so when it does
not fit where it comes, it moves to the next page. When that leaves the page before mostly blank,
render_report_pdf() lays the report out again with table 3 split where that page ends, its header
and row labels repeated on the next page (see rendering.split_table3).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

PDF_CSS = Path(settings.BASE_DIR) / "templates" / "reports" / "pdf.css"
_MISSING = re.compile(r"U\+([0-9A-F]{4,6})")


class MissingGlyphError(RuntimeError):
    """The text holds characters that no embedded font can draw."""

    def __init__(self, characters: list[str]):
        self.characters = characters
        listed = "、".join(f"“{c}”(U+{ord(c):04X})" for c in characters)
        super().__init__(
            _("PDF 字体缺少以下字符，无法生成：%(chars)s。请改用常用字或联系管理员安装字体。")
            % {"chars": listed}
        )


class _GlyphWarnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.missing: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if ".notdef glyph" in message or "unsupported by fonts" in message:
            for code in _MISSING.findall(message):
                char = chr(int(code, 16))
                if char not in self.missing:
                    self.missing.append(char)


@functools.cache
def _unused_tls_context() -> ssl.SSLContext:
    # WeasyPrint's URLFetcher builds an HTTPS handler, and without a context Python loads the
    # system CA store for it (about 50 ms per fetcher, two fetchers per render). No HTTPS URL is
    # ever fetched (see _url_fetcher), so a context without CA certificates is enough.
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def _url_fetcher():
    """The report needs no external resource (system fonts, inline SVG, the stylesheet read from
    disk): only data: URLs are allowed, so text typed by staff can never make the server fetch
    a URL (SSRF) or read a local file."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(ssl_context=_unused_tls_context(), allowed_protocols={"data"})


@contextlib.contextmanager
def _glyphs_checked() -> Iterator[None]:
    """Raise MissingGlyphError when WeasyPrint warned about characters no font has."""
    handler = _GlyphWarnings()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    previous_level = logger.level
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)
    if handler.missing:
        raise MissingGlyphError(handler.missing)


def _layout(html: str, base_url: str | None) -> Any:
    from weasyprint import CSS, HTML  # lazy: see the module docstring

    fetcher = _url_fetcher()
    return HTML(string=html, base_url=base_url or str(settings.BASE_DIR), url_fetcher=fetcher).render(
        stylesheets=[CSS(filename=str(PDF_CSS), url_fetcher=fetcher)]
    )


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """HTML (a whole document with <html lang="zh-CN">) to PDF bytes; MissingGlyphError on boxes."""
    with _glyphs_checked():
        return _layout(html, base_url).write_pdf()


#: A page less full than this is "mostly blank".
MOSTLY_BLANK = 0.5
#: Rows of table 3 kept on each side of a split: never a lone row under a repeated header.
MIN_SPLIT_ROWS = 3
#: Room kept for the heading's top margin, dropped at the top of a page but not after text (px).
SPLIT_MARGIN = 24


def render_report_pdf(html_for: Callable[[int | None], str], *, base_url: str | None = None) -> bytes:
    """The annual report as PDF. ``html_for(split)`` is the whole HTML document with table 3 whole
    (None) or split after ``split`` body rows; it is called a second time only when table 3, kept
    whole, would leave the page before it mostly blank."""
    with _glyphs_checked():
        document = _layout(html_for(None), base_url)
        split = table3_split(document)
        if split is not None:
            document = _layout(html_for(split), base_url)
        return document.write_pdf()


def _classes(box: Any) -> list[str]:
    element = getattr(box, "element", None)
    return (element.get("class") or "").split() if element is not None else []


def _content_bottom(page_box: Any) -> float:
    """Where the last line, table row or image of a page ends (a split block's own box reaches
    down to the page's end whatever it holds, so the leaves are measured)."""
    from weasyprint.formatting_structure import boxes

    leaves = (boxes.LineBox, boxes.TableRowBox, boxes.ReplacedBox)
    bottoms = [
        box.position_y + box.margin_height()
        for box in page_box.children[0].descendants()
        if isinstance(box, leaves)
    ]
    return max(bottoms, default=page_box.content_box_y())


def table3_split(document: Any) -> int | None:
    """How many body rows of table 3 to keep on the page before it, or None to keep it whole.

    None unless table 3 starts a page and the page before is mostly blank; then as many rows as
    fit there, leaving at least MIN_SPLIT_ROWS rows on either side."""
    pages = [page._page_box for page in document.pages]
    found = next(
        (
            (number, box)
            for number, page in enumerate(pages)
            for box in page.descendants()
            if "report-section-table3" in _classes(box)
        ),
        None,
    )
    if found is None or found[0] == 0:
        return None
    number, section = found
    previous = pages[number - 1]
    top = previous.content_box_y()
    bottom = top + previous.height
    used = _content_bottom(previous)
    if (used - top) / (bottom - top) >= MOSTLY_BLANK:
        return None
    rows = [b for b in section.descendants() if any(c.startswith("row-") for c in _classes(b))]
    room = bottom - used - SPLIT_MARGIN
    fitting = sum(1 for row in rows if row.position_y + row.margin_height() - section.position_y <= room)
    keep = min(fitting, len(rows) - MIN_SPLIT_ROWS)
    return keep if keep >= MIN_SPLIT_ROWS else None
