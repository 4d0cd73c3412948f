"""File formats of the catalog import and export, and the CSP-safe import preview."""

from __future__ import annotations

from django.utils.encoding import force_str
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
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


class PlainDiff(resources.Diff):
    """The import preview without diff_match_patch's inline style="" (blocked by the CSP)."""

    def as_html(self):
        return self.cells(self.left, self.right, new=self.new)

    @staticmethod
    def cells(left, right, *, new: bool) -> list[str]:
        cells = []
        for old, value in zip(left, right, strict=False):
            old_text = Truncator(force_str(old or "")).chars(80)
            new_text = Truncator(force_str(value or "")).chars(80)
            if new or old_text == new_text:
                cells.append(escape(new_text))
            else:
                cells.append(format_html("<del>{}</del> <ins>{}</ins>", old_text, new_text))
        # Every cell went through escape() or format_html() above.
        return [mark_safe(cell) for cell in cells]
