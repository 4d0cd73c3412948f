"""The report as PDF, with WeasyPrint (imported lazily: it loads pango and fonts, slow at start-up).

A character that no installed font has would be drawn as an empty box by WeasyPrint, which only logs
a warning: render_pdf() captures those warnings and fails instead, so that no official report is ever
published with missing characters.
"""

from __future__ import annotations

import functools
import logging
import re
import ssl
from pathlib import Path

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


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """HTML (a whole document with <html lang="zh-CN">) to PDF bytes; MissingGlyphError on boxes."""
    from weasyprint import CSS, HTML  # lazy: see the module docstring

    handler = _GlyphWarnings()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    previous_level = logger.level
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        fetcher = _url_fetcher()
        pdf = HTML(string=html, base_url=base_url or str(settings.BASE_DIR), url_fetcher=fetcher).write_pdf(
            stylesheets=[CSS(filename=str(PDF_CSS), url_fetcher=fetcher)]
        )
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)
    if handler.missing:
        raise MissingGlyphError(handler.missing)
    return pdf
