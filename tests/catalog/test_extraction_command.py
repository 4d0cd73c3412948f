"""manage.py extract_attachment_text: attachments stored before extraction, or all again."""

from __future__ import annotations

from io import StringIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

import pytest

from apps.catalog import services
from apps.catalog.enums import AttachmentTextStatus
from apps.catalog.models import Attachment
from tests.factories import CatalogEntryFactory, files

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachments(organ_a):
    entry = CatalogEntryFactory(organ=organ_a)
    made = [
        services.attachment_add(entry=entry, uploaded_file=SimpleUploadedFile(name, data))
        for name, data in [
            ("1.pdf", files.pdf_with_text("First")),
            ("2.docx", files.docx_with("第二")),
            ("3.pdf", files.pdf_scanned()),
        ]
    ]
    # As if uploaded before extraction existed.
    Attachment.objects.update(text="", text_status=AttachmentTextStatus.PENDING)
    return made


def run(*args) -> str:
    out = StringIO()
    call_command("extract_attachment_text", *args, stdout=out)
    return out.getvalue()


def test_pending_attachments_are_read_in_batches_with_progress(attachments):
    output = run("--batch-size", "2")
    assert output.splitlines() == [
        "3 attachment(s) to read.",
        "2/3",
        "3/3",
        "Done. 已提取: 2, 扫描件，无文字层: 1",
    ]
    texts = dict(Attachment.objects.values_list("original_name", "text"))
    assert texts == {"1.pdf": "First", "2.docx": "第二", "3.pdf": ""}
    assert run() == "0 attachment(s) to read.\nDone.\n"


def test_pending_leaves_read_attachments_alone_and_all_reads_them_again(attachments):
    first = attachments[0]
    Attachment.objects.filter(pk=first.pk).update(text="旧的", text_status=AttachmentTextStatus.EXTRACTED)
    assert run("--pending").startswith("2 attachment(s) to read.")
    assert Attachment.objects.get(pk=first.pk).text == "旧的"
    assert run("--all").startswith("3 attachment(s) to read.")
    assert Attachment.objects.get(pk=first.pk).text == "First"


def test_all_and_pending_exclude_each_other(attachments):
    with pytest.raises(CommandError):
        call_command("extract_attachment_text", "--all", "--pending")
    with pytest.raises(CommandError):
        call_command("extract_attachment_text", "--batch-size", "0")
