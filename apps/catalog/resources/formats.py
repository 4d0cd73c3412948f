"""File formats of the catalog import and export, and the CSP-safe import preview."""

from __future__ import annotations

from html import escape

from django.utils.encoding import force_str
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

import tablib
from import_export import resources
from import_export.formats import base_formats

from apps.organs.spreadsheets import safe_row


def safe_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of the dataset whose formula-like text cells a spreadsheet will not run."""
    safe = tablib.Dataset(headers=safe_row(dataset.headers) if dataset.headers else None)
    for row in dataset:
        safe.append(safe_row(row))
    return safe


class CSV(base_formats.CSV):
    """CSV as Chinese office software writes and reads it.

    Excel and WPS save "CSV" in GB18030/GBK unless told otherwise, and open UTF-8 CSV
    correctly only with a byte-order mark. So: read bytes and accept both encodings;
    write UTF-8 with a BOM.
    """

    ENCODINGS = ("utf-8-sig", "gb18030")

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            for encoding in self.ENCODINGS:
                try:
                    in_stream = in_stream.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise ValueError(_("无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV 文件。"))
        return super().create_dataset(in_stream, **kwargs)

    def export_data(self, dataset, **kwargs):
        return super().export_data(safe_dataset(dataset), **kwargs).encode("utf-8-sig")


class XLSX(base_formats.XLSX):
    def export_data(self, dataset, **kwargs):
        return super().export_data(safe_dataset(dataset), **kwargs)


FORMATS = [CSV, XLSX]


def _short(value, length: int = 80) -> str:
    """Truncator(text).chars(80) without its translated ellipsis lookup (10,000-row previews)."""
    text = force_str(value or "")
    return text if len(text) <= length else text[: length - 1] + "…"


class PlainDiff(resources.Diff):
    """The import preview without diff_match_patch's inline style="" (blocked by the CSP)."""

    def as_html(self):
        return self.cells(self.left, self.right, new=self.new)

    @staticmethod
    def cells(left, right, *, new: bool) -> list[str]:
        cells = []
        for old, value in zip(left, right, strict=False):
            old_text, new_text = escape(_short(old)), escape(_short(value))
            cells.append(
                new_text if new or old_text == new_text else f"<del>{old_text}</del> <ins>{new_text}</ins>"
            )
        # Every piece went through html.escape() above (django's escape() without its lazy wrapper).
        return [SafeString(cell) for cell in cells]
