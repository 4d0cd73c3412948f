"""Checks on what clerks upload to the catalog: attachments.

The type and content checks are the back office's shared ones (apps.organs.uploads): an
attachment is accepted only when its extension is on the list AND its content is that kind
of file, so a renamed executable or HTML page cannot be published as "通知.pdf". Here the
messages name the file an 附件.
"""

from __future__ import annotations

import os
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from apps.organs.uploads import FILE_KINDS, FileKind, allowed_extensions, content_matches, file_extension

# The catalog's names for the shared vocabulary.
AttachmentKind = FileKind
ATTACHMENT_KINDS = FILE_KINDS

__all__ = [
    "ATTACHMENT_KINDS",
    "AttachmentKind",
    "allowed_extensions",
    "clean_original_name",
    "file_extension",
    "validate_attachment",
]


def clean_original_name(name: str) -> str:
    """The name the clerk's file had, without any path, control characters or excess length."""
    name = os.path.basename(name.replace("\\", "/")).strip()
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    if len(name) > 255:
        stem, ext = os.path.splitext(name)
        name = stem[: 255 - len(ext)] + ext
    return name or "附件"


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
    if not content_matches(uploaded_file, kind):
        raise ValidationError(
            _("附件「%(name)s」的内容不是 %(kind)s 文件（扩展名与文件内容不符），请检查后重新上传。"),
            code="content",
            params={"name": name, "kind": kind.label},
        )
    return kind
