"""The clerk sees in the attachment inline what the search found in each file."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from apps.catalog import services
from apps.catalog.models import Attachment
from tests.factories import CatalogEntryFactory, files

pytestmark = pytest.mark.django_db

QUERIES = 15  # the same with 1 or 3 attachments (the 政策解读 links both ways, and the history)


@pytest.fixture
def entry_a(organ_a):
    return CatalogEntryFactory(organ=organ_a, title="甲局的通知", publish=False)


def upload(entry, name, data):
    return services.attachment_add(entry=entry, uploaded_file=SimpleUploadedFile(name, data))


def inline_cells(client, entry) -> str:
    response = client.get(reverse("admin:catalog_catalogentry_change", args=[entry.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_inline_shows_what_was_extracted_from_each_file(client, alice, entry_a):
    upload(entry_a, "长文.docx", files.docx_with("政" * 1234))
    upload(entry_a, "扫描件.pdf", files.pdf_scanned())
    upload(entry_a, "损坏.pdf", b"%PDF-1.4\n" + b"garbage" * 20)
    upload(entry_a, "照片.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF")
    client.force_login(alice)
    page = inline_cells(client, entry_a)
    assert "文字提取" in page
    assert "已提取 1,234 字" in page
    assert "扫描件，无文字层" in page
    assert "无法读取：" in page
    assert "不支持的格式" in page


def test_a_truncated_text_says_so_next_to_its_length(client, alice, entry_a):
    attachment = upload(entry_a, "a.pdf", files.pdf_with_text("Hello"))
    Attachment.objects.filter(pk=attachment.pk).update(text="x" * 10, text_note="只提取了前 10 字")
    client.force_login(alice)
    assert "已提取 10 字（只提取了前 10 字）" in inline_cells(client, entry_a)


@pytest.mark.parametrize("count", [1, 3])
def test_the_change_page_shows_lengths_without_loading_the_text(
    client, alice, entry_a, count, django_assert_num_queries
):
    for i in range(count):
        upload(entry_a, f"{i}.docx", files.docx_with("正文" * 1000))
    client.force_login(alice)
    with django_assert_num_queries(QUERIES):
        page = inline_cells(client, entry_a)
    assert page.count("已提取 2,000 字") == count
    assert "正文正文" not in page
