"""Streaming CSV and XLSX responses: rows go out as they are read, never collected in a list.

CSV starts with a BOM so that Excel reads it as UTF-8. XLSX is written as a zip stream (data
descriptors, no seeking) of a minimal workbook with inline strings, so that memory stays bounded
whatever the number of rows; openpyxl would keep every distinct string in memory until the end.

Text that a spreadsheet could run as a formula (=, +, -, @ first, full-width too) gets a leading
apostrophe in both formats, by the back office's own rule (apps/organs/spreadsheets.py), so that the
catalog import reads a downloaded file back unchanged; numbers are left as numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

from apps.organs.spreadsheets import safe_cell

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK_BYTES = 64 * 1024
XLSX_MAX_CELL_CHARS = 32_767  # Excel's limit per cell
XLSX_MAX_SHEET_NAME = 31
# Characters XML 1.0 cannot carry at all (control characters other than tab, LF, CR).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_NAME_ILLEGAL = re.compile(r"[\[\]:*?/\\]")

Cell = str | int | Decimal | float | dt.date | None


def _text(value: Cell) -> str | int | float | Decimal:
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return safe_cell(str(value))


def _attachment(response: StreamingHttpResponse, filename: str) -> StreamingHttpResponse:
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# CSV ----------------------------------------------------------------------------------------------


class _Line:
    """csv.writer's file: hands back what it was given instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(rows: Iterable[Sequence[Cell]]) -> Iterator[bytes]:
    writer = csv.writer(_Line())
    buffer = ["\ufeff"]
    size = 0
    for row in rows:
        line = writer.writerow([_text(value) for value in row])
        buffer.append(line)
        size += len(line)
        if size >= CHUNK_BYTES:
            yield "".join(buffer).encode("utf-8")
            buffer, size = [], 0
    yield "".join(buffer).encode("utf-8")


def csv_response(*, filename: str, rows: Iterable[Sequence[Cell]]) -> StreamingHttpResponse:
    return _attachment(StreamingHttpResponse(csv_chunks(rows), content_type=CSV_TYPE), f"{filename}.csv")


# XLSX ---------------------------------------------------------------------------------------------

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN_NS}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


class _Pipe:
    """A write-only, unseekable file: zipfile writes into it, the generator takes the bytes out."""

    def __init__(self):
        self.chunks: list[bytes] = []
        self.size = 0
        self.position = 0

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        self.size += len(data)
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks, self.size = [], 0
        return data


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell_xml(ref: str, value: Cell) -> str:
    value = _text(value)
    if isinstance(value, str):
        if not value:
            return ""
        text = escape(_XML_ILLEGAL.sub("", value[:XLSX_MAX_CELL_CHARS]))
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def _sheet_name(name: str, taken: set[str]) -> str:
    base = _SHEET_NAME_ILLEGAL.sub(" ", name).strip()[:XLSX_MAX_SHEET_NAME] or "Sheet"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        suffix = f" ({n})"
        candidate = base[: XLSX_MAX_SHEET_NAME - len(suffix)] + suffix
    taken.add(candidate)
    return candidate


def _package_parts(names: list[str]) -> list[tuple[str, str]]:
    sheets = range(1, len(names) + 1)
    types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in sheets
    )
    content_types = (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{types}</Types>"
    )
    root_rels = (
        f'{_HEAD}<Relationships xmlns="{_PKG_REL_NS}"><Relationship Id="rId1" '
        f'Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    sheet_list = "".join(
        f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in zip(sheets, names, strict=True)
    )
    workbook = (
        f'{_HEAD}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><sheets>{sheet_list}</sheets></workbook>'
    )
    workbook_rels = (
        f'{_HEAD}<Relationships xmlns="{_PKG_REL_NS}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in sheets
        )
        + f'<Relationship Id="rId{len(names) + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/>'
        + "</Relationships>"
    )
    return [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", root_rels),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", workbook_rels),
        ("xl/styles.xml", _STYLES),
    ]


def xlsx_chunks(sheets: Sequence[tuple[str, Iterable[Sequence[Cell]]]]) -> Iterator[bytes]:
    """A workbook of the given (name, rows) sheets, as bytes while the rows are read."""
    taken: set[str] = set()
    names = [_sheet_name(name, taken) for name, _rows in sheets]
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for part, xml in _package_parts(names):
            archive.writestr(part, xml)
        for number, (_name, rows) in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{number}.xml", mode="w") as sheet:
                sheet.write(f'{_HEAD}<worksheet xmlns="{_MAIN_NS}"><sheetData>'.encode())
                for r, row in enumerate(rows, start=1):
                    cells = "".join(
                        _cell_xml(f"{_column_letter(c)}{r}", value) for c, value in enumerate(row)
                    )
                    sheet.write(f'<row r="{r}">{cells}</row>'.encode())
                    if pipe.size >= CHUNK_BYTES:
                        yield pipe.take()
                sheet.write(b"</sheetData></worksheet>")
            yield pipe.take()
    yield pipe.take()


def xlsx_response(
    *, filename: str, sheets: Sequence[tuple[str, Iterable[Sequence[Cell]]]]
) -> StreamingHttpResponse:
    return _attachment(StreamingHttpResponse(xlsx_chunks(sheets), content_type=XLSX_TYPE), f"{filename}.xlsx")
