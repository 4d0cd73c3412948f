"""Checks on what clerks upload: catalog attachments and import files.

An attachment is accepted only when its extension is on the list AND its first
bytes match that kind of file, so a renamed executable or HTML page cannot be
published as "通知.pdf". Office 2007+ files and OFD (GB/T 33190) are zip
containers, the old Office formats are OLE2 compound files.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # local file header, or an empty archive
OLE2_MAGIC = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)


@dataclass(frozen=True)
class AttachmentKind:
    label: str
    content_type: str
    magic: tuple[bytes, ...]


ATTACHMENT_KINDS: dict[str, AttachmentKind] = {
    "pdf": AttachmentKind("PDF", "application/pdf", (b"%PDF",)),
    "doc": AttachmentKind("Word 97-2003", "application/msword", OLE2_MAGIC),
    "xls": AttachmentKind("Excel 97-2003", "application/vnd.ms-excel", OLE2_MAGIC),
    "docx": AttachmentKind(
        "Word",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ZIP_MAGIC,
    ),
    "xlsx": AttachmentKind(
        "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP_MAGIC
    ),
    "ofd": AttachmentKind("OFD", "application/ofd", ZIP_MAGIC),
    "zip": AttachmentKind("ZIP", "application/zip", ZIP_MAGIC),
    "jpg": AttachmentKind("JPEG", "image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": AttachmentKind("JPEG", "image/jpeg", (b"\xff\xd8\xff",)),
    "png": AttachmentKind("PNG", "image/png", (b"\x89PNG\r\n\x1a\n",)),
}


def allowed_extensions() -> list[str]:
    """The configured list (settings.ATTACHMENT_EXTENSIONS) limited to kinds we can verify."""
    configured = getattr(settings, "ATTACHMENT_EXTENSIONS", list(ATTACHMENT_KINDS))
    allowed = [ext.lower().lstrip(".") for ext in configured if ext.lower().lstrip(".") in ATTACHMENT_KINDS]
    # "jpeg" is the same kind as "jpg": accept both spellings when jpg is allowed.
    if "jpg" in allowed and "jpeg" not in allowed:
        allowed.append("jpeg")
    return allowed


def clean_original_name(name: str) -> str:
    """The name the clerk's file had, without any path, control characters or excess length."""
    name = os.path.basename(name.replace("\\", "/")).strip()
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    if len(name) > 255:
        stem, ext = os.path.splitext(name)
        name = stem[: 255 - len(ext)] + ext
    return name or "附件"


def file_extension(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".")


def _head(uploaded_file: UploadedFile, length: int = 16) -> bytes:
    uploaded_file.seek(0)
    head = uploaded_file.read(length)
    uploaded_file.seek(0)
    return head


def validate_attachment(uploaded_file: UploadedFile) -> AttachmentKind:
    """Refuse a file of the wrong type or size; return its kind when it is acceptable.

    Raises ValidationError with a message a clerk can act on.
    """
    name = clean_original_name(uploaded_file.name or "")
    ext = file_extension(name)
    allowed = allowed_extensions()
    shown = "、".join(e for e in allowed if e != "jpeg")
    if ext not in allowed:
        raise ValidationError(
            _("附件「%(name)s」的类型不允许上传。允许的类型：%(allowed)s。"),
            code="extension",
            params={"name": name, "allowed": shown},
        )
    size = uploaded_file.size or 0
    if size == 0:
        raise ValidationError(_("附件「%(name)s」是空文件。"), code="empty", params={"name": name})
    limit = settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("附件「%(name)s」大小为 %(size)s，超过了 %(limit)s 的上限。"),
            code="size",
            params={"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    kind = ATTACHMENT_KINDS[ext]
    if not _head(uploaded_file).startswith(kind.magic):
        raise ValidationError(
            _("附件「%(name)s」的内容不是 %(kind)s 文件（扩展名与文件内容不符），请检查后重新上传。"),
            code="content",
            params={"name": name, "kind": kind.label},
        )
    return kind
