"""attachment_add / entry_delete and the upload checks in apps/catalog/validators.py."""

from __future__ import annotations

import io
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from apps.catalog import services
from apps.catalog.enums import AttachmentTextStatus
from apps.catalog.models import Attachment, CatalogEntry
from apps.catalog.validators import clean_original_name, validate_attachment
from tests.factories import CatalogEntryFactory, files

pytestmark = pytest.mark.django_db


def archive(*names: str) -> bytes:
    """A zip holding the named members (each a tiny XML document)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as container:
        for name in names:
            container.writestr(name, b"<x/>")
    return out.getvalue()


ZIP = archive("readme.txt")
WORD = archive("[Content_Types].xml", "word/document.xml")  # shaped like a .docx, not readable
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20
GOOD = {
    "pdf": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
    "doc": (OLE2, "application/msword"),
    "xls": (OLE2, "application/vnd.ms-excel"),
    "docx": (WORD, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (
        archive("[Content_Types].xml", "xl/workbook.xml"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "ofd": (archive("OFD.xml", "Doc_0/Document.xml"), "application/ofd"),
    "zip": (ZIP, "application/zip"),
    "jpg": (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
}


@pytest.fixture
def entry(organ_a):
    return CatalogEntryFactory(organ=organ_a, publish=False)


@pytest.mark.parametrize("ext", sorted(GOOD))
def test_every_allowed_type_is_accepted_with_its_content_type(entry, ext):
    content, content_type = GOOD[ext]
    attachment = services.attachment_add(
        entry=entry, uploaded_file=SimpleUploadedFile(f"附件.{ext.upper()}", content, content_type="x/y")
    )
    assert attachment.content_type == content_type  # from the checked kind, not the browser
    assert attachment.original_name == f"附件.{ext.upper()}"
    assert attachment.size == len(content)
    assert attachment.file.name.endswith(f"{attachment.token}.{ext}")


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("说明.txt", b"hello", "extension"),
        ("脚本.html", b"<script>", "extension"),
        ("没有扩展名", b"%PDF-1.4", "extension"),
        ("伪装.pdf", b"MZ\x90\x00\x03", "content"),
        ("伪装.docx", OLE2, "content"),  # an old .doc renamed: not a zip container
        ("伪装.doc", ZIP, "content"),
        ("伪装.docx", ZIP, "content"),  # a zip, but not an Office document
        ("伪装.xlsx", WORD, "content"),  # a Word document renamed
        ("伪装.ofd", WORD, "content"),
        ("网页.docx", b"<html><script>alert(1)</script></html>", "content"),
        ("伪装.png", b"\xff\xd8\xff\xe0", "content"),
        ("空.pdf", b"", "empty"),
    ],
)
def test_wrong_files_are_refused_and_nothing_is_stored(entry, name, content, code, settings):
    with pytest.raises(ValidationError) as excinfo:
        services.attachment_add(entry=entry, uploaded_file=SimpleUploadedFile(name, content))
    assert excinfo.value.code == code
    assert "附件" in excinfo.value.messages[0]
    assert not Attachment.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_size_limit_comes_from_settings(entry, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("大文件.pdf", b"%PDF-1.4" + b"0" * 2000)
    with pytest.raises(ValidationError) as excinfo:
        services.attachment_add(entry=entry, uploaded_file=big)
    assert excinfo.value.code == "size"
    assert excinfo.value.messages[0] == "附件「大文件.pdf」大小为 2.0\xa0KB，超过了 1.0\xa0KB 的上限。"


def test_message_lists_allowed_types():
    with pytest.raises(ValidationError) as excinfo:
        validate_attachment(SimpleUploadedFile("a.exe", b"MZ"))
    message = excinfo.value.messages[0]
    for ext in ("pdf", "doc", "docx", "xls", "xlsx", "ofd", "jpg", "png", "zip"):
        assert ext in message


def test_original_name_loses_paths_and_control_characters():
    assert clean_original_name("..\\..\\windows\\通知.pdf") == "通知.pdf"
    assert clean_original_name("../../etc/通知\x00\n.pdf") == "通知.pdf"
    assert clean_original_name("/") == "附件"
    long = "长" * 300 + ".pdf"
    assert len(clean_original_name(long)) == 255
    assert clean_original_name(long).endswith(".pdf")


def test_attachments_are_ordered_after_the_last_one(entry):
    pdf = GOOD["pdf"][0]
    first = services.attachment_add(entry=entry, uploaded_file=SimpleUploadedFile("1.pdf", pdf))
    second = services.attachment_add(entry=entry, uploaded_file=SimpleUploadedFile("2.pdf", pdf))
    assert (first.sort_order, second.sort_order) == (0, 1)
    assert first.token != second.token


def test_deleting_a_draft_removes_its_files(entry, django_capture_on_commit_callbacks):
    attachment = services.attachment_add(
        entry=entry, uploaded_file=SimpleUploadedFile("1.pdf", GOOD["pdf"][0])
    )
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_delete(entry=entry)
    assert not CatalogEntry.objects.exists()
    assert not storage.exists(name)


def test_published_entries_cannot_be_deleted(organ_a):
    entry = CatalogEntryFactory(organ=organ_a)
    with pytest.raises(ValidationError) as excinfo:
        services.entry_delete(entry=entry)
    assert excinfo.value.code == "not_draft"
    assert CatalogEntry.objects.filter(pk=entry.pk).exists()


def test_entry_insert_saves_a_prepared_instance(organ_a, alice):
    template = CatalogEntryFactory(organ=organ_a, publish=False)
    entry = CatalogEntry(
        organ=organ_a,
        title="表单里的条目",
        publish_date=template.publish_date,
        theme=template.theme,
        genre=template.genre,
    )
    entry.created_by = alice
    services.entry_insert(entry=entry, publish=True)
    assert entry.pk is not None
    assert entry.index_number.endswith("-00002")
    assert entry.status == "published" and entry.published_at is not None
    with pytest.raises(ValueError):
        services.entry_insert(entry=entry)


# -- text extraction on upload (apps/catalog/extraction.py) ----------------------------------


def test_uploading_a_pdf_stores_its_text_for_search(entry):
    attachment = services.attachment_add(
        entry=entry, uploaded_file=SimpleUploadedFile("report.pdf", files.pdf_with_text("Budget 2024"))
    )
    attachment.refresh_from_db()
    assert (attachment.text, attachment.text_status, attachment.text_note) == ("Budget 2024", "extracted", "")
    assert attachment.file.read() == files.pdf_with_text("Budget 2024")  # the file itself is untouched


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [
        ("扫描件.pdf", files.pdf_scanned(), AttachmentTextStatus.EMPTY_SCANNED),
        ("损坏.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50, AttachmentTextStatus.UNREADABLE),
        ("损坏.docx", WORD, AttachmentTextStatus.UNREADABLE),
        ("照片.jpg", GOOD["jpg"][0], AttachmentTextStatus.UNSUPPORTED),
    ],
)
def test_a_file_without_readable_text_is_stored_and_flagged(entry, name, data, status):
    attachment = services.attachment_add(entry=entry, uploaded_file=SimpleUploadedFile(name, data))
    attachment.refresh_from_db()
    assert attachment.text_status == status
    assert attachment.text == ""
    assert attachment.file.storage.exists(attachment.file.name)
    assert entry.attachments.count() == 1


def test_extraction_again_reads_the_stored_file(entry):
    attachment = services.attachment_add(
        entry=entry, uploaded_file=SimpleUploadedFile("要点.docx", files.docx_with("政务公开工作要点"))
    )
    Attachment.objects.filter(pk=attachment.pk).update(text="", text_status=AttachmentTextStatus.PENDING)
    services.attachment_extract_text(attachment=Attachment.objects.get(pk=attachment.pk))
    attachment.refresh_from_db()
    assert (attachment.text, attachment.text_status) == ("政务公开工作要点", "extracted")


def test_a_stored_file_gone_missing_is_flagged_not_raised(entry):
    attachment = services.attachment_add(
        entry=entry, uploaded_file=SimpleUploadedFile("a.pdf", files.pdf_with_text("Hello"))
    )
    attachment.file.storage.delete(attachment.file.name)
    services.attachment_extract_text(attachment=attachment)
    attachment.refresh_from_db()
    assert attachment.text_status == AttachmentTextStatus.UNREADABLE
    assert attachment.text == ""
    assert attachment.text_note.startswith("文件不存在或无法打开")
