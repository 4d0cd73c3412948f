"""What a file uploaded anywhere in the back office must be: catalog attachments, reply letters,
case documents and proposal replies.

A file is accepted only when its extension is on the list AND its content is that kind of file,
so a renamed executable or web page cannot be kept (and later handed out) as "答复书.pdf". The
check reads the first bytes and, for the zip-based formats, the archive's table of contents:
Office 2007+ files hold ``[Content_Types].xml`` and their ``word/`` or ``xl/`` part, OFD files
(GB/T 33190) hold ``OFD.xml``; the old Office formats are OLE2 compound documents. A pure
function of the bytes, so no libmagic is needed.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # local file header, or an empty archive
OLE2_MAGIC = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
OOXML_TYPES = "[Content_Types].xml"


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    magic: tuple[bytes, ...]
    #: Names (or, ending in "/", folders) that a zip-based format must contain.
    members: tuple[str, ...] = ()


FILE_KINDS: dict[str, FileKind] = {
    "pdf": FileKind("PDF", "application/pdf", (b"%PDF",)),
    "doc": FileKind("Word 97-2003", "application/msword", OLE2_MAGIC),
    "xls": FileKind("Excel 97-2003", "application/vnd.ms-excel", OLE2_MAGIC),
    "docx": FileKind(
        "Word",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ZIP_MAGIC,
        (OOXML_TYPES, "word/"),
    ),
    "xlsx": FileKind(
        "Excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ZIP_MAGIC,
        (OOXML_TYPES, "xl/"),
    ),
    "ofd": FileKind("OFD", "application/ofd", ZIP_MAGIC, ("OFD.xml",)),
    "zip": FileKind("ZIP", "application/zip", ZIP_MAGIC),
    "jpg": FileKind("JPEG", "image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": FileKind("JPEG", "image/jpeg", (b"\xff\xd8\xff",)),
    "png": FileKind("PNG", "image/png", (b"\x89PNG\r\n\x1a\n",)),
}


def file_extension(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".")


def allowed_extensions(configured: Iterable[str] | None = None) -> list[str]:
    """The configured list (settings.ATTACHMENT_EXTENSIONS) limited to kinds we can verify."""
    if configured is None:
        configured = getattr(settings, "ATTACHMENT_EXTENSIONS", list(FILE_KINDS))
    allowed = [ext.lower().lstrip(".") for ext in configured if ext.lower().lstrip(".") in FILE_KINDS]
    # "jpeg" is the same kind as "jpg": accept both spellings when jpg is allowed.
    if "jpg" in allowed and "jpeg" not in allowed:
        allowed.append("jpeg")
    return allowed


def _zip_names(file: File) -> list[str] | None:
    try:
        with zipfile.ZipFile(file) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None


def content_matches(file: File, kind: FileKind) -> bool:
    """Whether the bytes of ``file`` are a ``kind`` file (the file is left at position 0)."""
    try:
        file.seek(0)
        head = file.read(16)
        if not head.startswith(kind.magic):
            return False
        if not kind.members:
            return True
        file.seek(0)
        names = _zip_names(file)
        if names is None:
            return False
        return all(
            any(name.startswith(member) for name in names) if member.endswith("/") else member in names
            for member in kind.members
        )
    finally:
        file.seek(0)


def validate_upload(
    file: File,
    *,
    name: str | None = None,
    allowed: Iterable[str] | None = None,
    max_bytes: int | None = None,
) -> FileKind:
    """Refuse a file of the wrong type, size or content; return its kind when it is acceptable.

    The ValidationError carries a Chinese message naming the file and what to do.
    """
    name = name if name is not None else os.path.basename(file.name or "")
    ext = file_extension(name)
    kinds = allowed_extensions(allowed)
    if ext not in kinds:
        raise ValidationError(
            _("文件「%(name)s」的类型不允许上传。允许的类型：%(allowed)s。"),
            code="extension",
            params={"name": name, "allowed": "、".join(e for e in kinds if e != "jpeg")},
        )
    size = file.size or 0
    if size == 0:
        raise ValidationError(_("文件「%(name)s」是空文件。"), code="empty", params={"name": name})
    limit = max_bytes if max_bytes is not None else settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("文件「%(name)s」大小为 %(size)s，超过了 %(limit)s 的上限。"),
            code="size",
            params={"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    kind = FILE_KINDS[ext]
    if not content_matches(file, kind):
        raise ValidationError(
            _("文件「%(name)s」的内容不是 %(kind)s 文件（扩展名与文件内容不符），请检查后重新上传。"),
            code="content",
            params={"name": name, "kind": kind.label},
        )
    return kind


def validate_new_upload(value) -> None:
    """Model-field validator: check a file being uploaded now, not one already stored.

    A stored file was checked when it arrived; re-reading it on every later save would fail
    the whole form when the storage is slow or the file was moved by an administrator.
    """
    if not value or getattr(value, "_committed", True):
        return
    validate_upload(value.file, name=os.path.basename(value.name or ""))
