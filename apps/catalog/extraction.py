"""Text of an attachment for search: bytes + name + content type -> (text, status, note).

Pure functions, no database. Each reader stops at a limit instead of failing: at most
MAX_TEXT_CHARS characters, MAX_PDF_PAGES pages, MAX_SHEET_CELLS cells, and a deadline
checked between pages and rows. Office files are zip containers: their declared
uncompressed size is checked before anything is parsed, so a zip bomb is refused
without being inflated (zipfile stops at the declared size and checks the CRC).

Any exception of a reader makes the file UNREADABLE with a short note; extraction
never raises, so an odd file never fails an upload or an import. Notes are stored with
the attachment as a record of what happened, in the clerks' language, like the text.
"""

from __future__ import annotations

import io
import logging
import re
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from apps.catalog.enums import AttachmentTextStatus
from apps.catalog.validators import file_extension

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 200_000
MAX_PDF_PAGES = 500
MAX_SHEET_CELLS = 500_000
MAX_SECONDS = 20.0
# Office containers: the sum of the declared sizes of all members, and the worst ratio
# of one member (real XML compresses 10-20x; bombs 1000x and more).
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
NOTE_MAX = 200

Status = AttachmentTextStatus


@dataclass(frozen=True)
class Extraction:
    text: str
    status: AttachmentTextStatus
    note: str = ""


class _Refused(Exception):
    """A file we will not read (encrypted, too large when inflated, ...): the note says why."""


class _Budget:
    """Collects text pieces up to the character cap and the deadline."""

    def __init__(self, *, max_chars: int, seconds: float):
        self.parts: list[str] = []
        self.length = 0
        self.max_chars = max_chars
        self.deadline = time.monotonic() + seconds
        self.truncated = ""

    def add(self, piece: str) -> bool:
        """Keep a piece of text; False once the caller should stop reading."""
        if self.truncated:
            return False
        piece = clean_text(piece)
        if piece:
            room = self.max_chars - self.length
            if len(piece) >= room:
                self.parts.append(piece[:room])
                self.length = self.max_chars
                self.truncated = f"只提取了前 {self.max_chars:,} 字"
                return False
            self.parts.append(piece)
            self.length += len(piece) + 1
        if time.monotonic() > self.deadline:
            self.truncated = "提取超时，只保留了已读出的部分"
            return False
        return True

    def result(self, notes: list[str] | None = None) -> Extraction:
        text = "\n".join(self.parts).strip()
        notes = [n for n in [*(notes or []), self.truncated] if n]
        if not text:
            return Extraction("", Status.EMPTY, "；".join(notes))
        return Extraction(text, Status.EXTRACTED, "；".join(notes))


_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
_LINE_BREAKS = re.compile(r"\s*\n\s*")


def clean_text(text: str) -> str:
    """Text PostgreSQL can store and search: no NUL, no lone surrogates, tidy whitespace."""
    text = text.replace("\x00", "")
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = _SPACES.sub(" ", text)
    text = _LINE_BREAKS.sub("\n", text)
    return text.strip()


# --- PDF ---------------------------------------------------------------------------


def _pdf_page_has_image(page) -> bool:
    """Whether a page draws an image XObject (directly or inside a form), without decoding it."""
    from pypdf.generic import DictionaryObject

    def has_image(resources, depth: int) -> bool:
        if not isinstance(resources, DictionaryObject) or depth > 3:
            return False
        xobjects = resources.get("/XObject")
        if xobjects is None:
            return False
        xobjects = xobjects.get_object()
        for ref in xobjects.values():
            xobject = ref.get_object()
            subtype = xobject.get("/Subtype")
            if subtype == "/Image":
                return True
            if subtype == "/Form" and has_image(xobject.get("/Resources", None), depth + 1):
                return True
        return False

    resources = page.get("/Resources")
    return has_image(resources.get_object() if resources is not None else None, 0)


def _extract_pdf(data: bytes, budget: _Budget) -> Extraction:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        # Many government PDFs are "encrypted" only against printing, with an empty
        # user password; those open. A real password we cannot know.
        try:
            opened = reader.decrypt("")
        except Exception as exc:
            raise _Refused(f"加密文件：{exc}") from exc
        if not opened:
            raise _Refused("加密文件，需要密码")
    pages = reader.pages
    count = len(pages)
    notes = []
    if count > MAX_PDF_PAGES:
        notes.append(f"共 {count:,} 页，只提取了前 {MAX_PDF_PAGES:,} 页")
    images = False
    for number in range(min(count, MAX_PDF_PAGES)):
        page = pages[number]
        if not budget.add(page.extract_text() or ""):
            break
        images = images or _pdf_page_has_image(page)
    result = budget.result(notes)
    if result.status == Status.EMPTY and images:
        return Extraction("", Status.EMPTY_SCANNED, result.note)
    return result


# --- Office Open XML -----------------------------------------------------------------


def _check_zip(data: bytes) -> None:
    """Refuse a container whose members would inflate beyond the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise _Refused(f"不是有效的压缩包：{exc}") from exc
    with archive:
        total = 0
        for info in archive.infolist():
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
                raise _Refused(f"压缩比异常（{info.filename} 解压后 {info.file_size:,} 字节）")
        if total > MAX_UNCOMPRESSED_BYTES:
            raise _Refused(f"解压后过大（{total:,} 字节）")


def _docx_blocks(document):
    """Paragraphs and table cells in document order (tables inside tables too)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    def walk(container):
        for block in container.iter_inner_content():
            if isinstance(block, Paragraph):
                yield block.text
            elif isinstance(block, Table):
                for row in block.rows:
                    seen = set()
                    for cell in row.cells:
                        # Merged cells repeat the same cell object across the span.
                        if id(cell._tc) in seen:
                            continue
                        seen.add(id(cell._tc))
                        yield from walk(cell)

    yield from walk(document)
    for section in document.sections:
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                yield from walk(part)


def _extract_docx(data: bytes, budget: _Budget) -> Extraction:
    import docx

    _check_zip(data)
    document = docx.Document(io.BytesIO(data))
    for text in _docx_blocks(document):
        if not budget.add(text):
            break
    return budget.result()


def _extract_xlsx(data: bytes, budget: _Budget) -> Extraction:
    from openpyxl import load_workbook

    _check_zip(data)
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = 0
    notes: list[str] = []
    try:
        for sheet in workbook.worksheets:
            if not budget.add(sheet.title):
                break
            for row in sheet.iter_rows(values_only=True):
                values = [str(v) for v in row if v is not None and str(v).strip()]
                cells += len(row)
                if values and not budget.add("\t".join(values)):
                    break
                if cells > MAX_SHEET_CELLS:
                    notes.append(f"只读取了前 {MAX_SHEET_CELLS:,} 个单元格")
                    break
            if budget.truncated or notes:
                break
    finally:
        workbook.close()
    return budget.result(notes)


# --- Plain text ----------------------------------------------------------------------


def _extract_plain(data: bytes, budget: _Budget) -> Extraction:
    # Windows tools in China still save GBK; GB 18030 is its superset.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("utf-8", "replace")
    budget.add(text)
    return budget.result()


READERS: dict[str, Callable[[bytes, _Budget], Extraction]] = {
    "pdf": _extract_pdf,
    "docx": _extract_docx,
    "xlsx": _extract_xlsx,
    "txt": _extract_plain,
}
CONTENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/plain": "txt",
}


def reader_key(name: str, content_type: str = "") -> str | None:
    """Which reader handles a file: by its extension, else by its content type."""
    ext = file_extension(name)
    if ext in READERS:
        return ext
    return CONTENT_TYPES.get(content_type.split(";")[0].strip().lower())


def extract_text(
    data: bytes,
    *,
    name: str,
    content_type: str = "",
    max_chars: int = MAX_TEXT_CHARS,
    seconds: float = MAX_SECONDS,
) -> Extraction:
    """The searchable text of a file and what became of reading it. Never raises."""
    key = reader_key(name, content_type)
    if key is None:
        return Extraction("", Status.UNSUPPORTED)
    budget = _Budget(max_chars=max_chars, seconds=seconds)
    try:
        return READERS[key](data, budget)
    except _Refused as exc:
        return Extraction("", Status.UNREADABLE, _note(str(exc)))
    except Exception as exc:  # a reader library's error on a broken file
        logger.info("Cannot read text of %s: %r", name, exc)
        return Extraction("", Status.UNREADABLE, _note(f"{type(exc).__name__}: {exc}"))


def _note(text: str) -> str:
    text = clean_text(text).replace("\n", " ")
    return text if len(text) <= NOTE_MAX else text[: NOTE_MAX - 1] + "…"
