"""make backup / make restore: a restore brings back the entries, their files and the pages."""

import io
import tarfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from apps.catalog import services as catalog_services
from tests.factories import CatalogEntryFactory
from tests.factories.files import pdf_with_text

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_restore_brings_back_the_entries_their_attachments_and_the_pages(client, organ_a, tmp_path):
    entry = CatalogEntryFactory(organ=organ_a, title="关于做好防汛工作的通知")
    content = pdf_with_text("Flood prevention notice")
    attachment = catalog_services.attachment_add(
        entry=entry, uploaded_file=SimpleUploadedFile("防汛通知.pdf", content)
    )
    archive = tmp_path / "backups" / "portal.tar"
    call_command("backup", output=str(archive))
    assert archive.is_file()

    # What a backup is for: a wrong edit, a lost file.
    catalog_services.entry_update(entry=entry, title="被误改的标题")
    Path(attachment.file.path).unlink()
    assert "被误改的标题" in client.get(entry.get_absolute_url()).content.decode()

    call_command("restore", str(archive), interactive=False)

    entry.refresh_from_db()
    assert entry.title == "关于做好防汛工作的通知"
    assert Path(attachment.file.path).read_bytes() == content
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "关于做好防汛工作的通知" in page  # the cached page of the wrong title is gone
    download = client.get(f"/catalog/attachments/{attachment.token}/")
    assert b"".join(download.streaming_content) == content


def test_a_damaged_archive_is_refused_before_anything_is_replaced(organ_a, tmp_path):
    entry = CatalogEntryFactory(organ=organ_a, title="不应被覆盖的通知")
    good = tmp_path / "good.tar"
    call_command("backup", output=str(good))
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(good) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "database.dump":
                data = data[:-10] + b"0123456789"
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    catalog_services.entry_update(entry=entry, title="备份之后的修改")

    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(damaged), interactive=False)
    entry.refresh_from_db()
    assert entry.title == "备份之后的修改"
