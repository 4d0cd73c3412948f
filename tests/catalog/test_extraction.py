"""apps/catalog/extraction.py on real small files made here: what is read, and what is flagged."""

from __future__ import annotations

import pytest

from apps.catalog import extraction
from apps.catalog.enums import AttachmentTextStatus as S
from apps.catalog.extraction import extract_text
from tests.factories import files


def test_it_reads_the_text_of_a_pdf_page_by_page():
    result = extract_text(files.pdf_with_text("Annual report 2024", "Second page"), name="a.pdf")
    assert result.status == S.EXTRACTED
    assert result.text == "Annual report 2024\nSecond page"
    assert result.note == ""


def test_it_reads_chinese_from_a_pdf_with_embedded_fonts():
    pdf = files.pdf_from_html("<p>关于做好2024年政府信息公开工作的通知</p><p>各县（市）区人民政府</p>")
    result = extract_text(pdf, name="通知.pdf")
    assert result.status == S.EXTRACTED
    assert "关于做好2024年政府信息公开工作的通知" in result.text
    assert "各县（市）区人民政府" in result.text


def test_a_pdf_of_images_only_is_flagged_as_scanned():
    result = extract_text(files.pdf_scanned(), name="扫描件.pdf")
    assert result == extraction.Extraction("", S.EMPTY_SCANNED, "")
    assert S.EMPTY_SCANNED.label == "扫描件，无文字层"


def test_a_pdf_without_text_or_images_is_empty_not_scanned():
    assert extract_text(files.pdf_blank(), name="空白.pdf").status == S.EMPTY


def test_a_pdf_with_a_password_is_unreadable_and_says_why():
    result = extract_text(files.pdf_encrypted(), name="加密.pdf")
    assert result.status == S.UNREADABLE
    assert "加密" in result.note


def test_a_pdf_protected_only_against_printing_opens():
    result = extract_text(files.pdf_encrypted(password=""), name="限制打印.pdf")
    assert (result.status, result.text) == (S.EXTRACTED, "Confidential")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("坏.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog"),
        ("截断.pdf", files.pdf_with_text("Hello")[:60]),
        ("坏.docx", b"PK\x03\x04" + b"\x00" * 40),
        ("坏.xlsx", b"PK\x03\x04\x14\x00garbage"),
        ("不是表格.xlsx", files.docx_with("这是文档，不是表格")),
    ],
)
def test_a_broken_file_is_unreadable_and_nothing_raises(name, data):
    result = extract_text(data, name=name)
    assert result.status == S.UNREADABLE
    assert result.text == ""
    assert 0 < len(result.note) <= extraction.NOTE_MAX


def test_it_reads_paragraphs_and_tables_of_a_docx_in_order():
    data = files.docx_with(
        "政务公开工作要点", "一、总体要求", table=[["事项", "责任单位"], ["公开指南", "办公室"]]
    )
    result = extract_text(data, name="要点.docx")
    assert result.status == S.EXTRACTED
    assert result.text.split("\n") == [
        "政务公开工作要点",
        "一、总体要求",
        "事项",
        "责任单位",
        "公开指南",
        "办公室",
    ]


def test_an_empty_docx_is_empty():
    assert extract_text(files.docx_with(), name="空.docx") == extraction.Extraction("", S.EMPTY, "")


def test_it_reads_every_sheet_of_an_xlsx_as_rows():
    data = files.xlsx_with(
        {"收入": [["项目", "金额"], ["一般公共预算", 1200.5]], "支出": [["办公经费", None, 30]]}
    )
    result = extract_text(data, name="预算.xlsx")
    assert result.status == S.EXTRACTED
    assert result.text.split("\n") == ["收入", "项目 金额", "一般公共预算 1200.5", "支出", "办公经费 30"]


def test_a_zip_bomb_in_a_docx_is_refused_before_it_is_inflated():
    bomb = files.with_extra_member(
        files.docx_with("正文"), "word/media/bomb.bin", b"\x00" * (8 * 1024 * 1024)
    )
    assert len(bomb) < 100_000
    result = extract_text(bomb, name="炸弹.docx")
    assert result.status == S.UNREADABLE
    assert "压缩比异常" in result.note


def test_a_container_larger_than_the_limit_when_inflated_is_refused(monkeypatch):
    monkeypatch.setattr(extraction, "MAX_UNCOMPRESSED_BYTES", 10_000)
    result = extract_text(files.xlsx_with({"表": [["甲"] * 10] * 200}), name="大.xlsx")
    assert result.status == S.UNREADABLE
    assert "解压后过大" in result.note


def test_text_is_capped_and_the_note_says_so():
    result = extract_text(files.docx_with("一二三四五", "六七八九十"), name="长.docx", max_chars=7)
    assert result.status == S.EXTRACTED
    assert result.text == "一二三四五\n六"
    assert result.note == "只提取了前 7 字"


def test_pages_beyond_the_limit_are_not_read(monkeypatch):
    monkeypatch.setattr(extraction, "MAX_PDF_PAGES", 2)
    result = extract_text(files.pdf_with_text("one", "two", "three"), name="a.pdf")
    assert result.text == "one\ntwo"
    assert result.note == "共 3 页，只提取了前 2 页"


def test_reading_stops_at_the_deadline_and_keeps_what_it_read():
    result = extract_text(files.pdf_with_text("one", "two", "three"), name="a.pdf", seconds=0)
    assert result.status == S.EXTRACTED
    assert result.text == "one"
    assert "超时" in result.note


def test_plain_text_in_utf8_or_gbk_without_nul_bytes():
    assert extract_text("通知\x00全文".encode(), name="a.txt").text == "通知全文"
    assert extract_text("通知全文".encode("gbk"), name="a.txt").text == "通知全文"
    assert extract_text(b"\xef\xbb\xbfBOM", name="a", content_type="text/plain; charset=utf-8").text == "BOM"


@pytest.mark.parametrize(
    "name", ["旧.doc", "旧.xls", "公文.ofd", "照片.jpg", "图.png", "打包.zip", "无扩展名"]
)
def test_other_kinds_are_unsupported(name):
    assert extract_text(b"\xd0\xcf\x11\xe0whatever", name=name) == extraction.Extraction(
        "", S.UNSUPPORTED, ""
    )


def test_the_reader_follows_the_content_type_when_the_name_has_no_known_extension():
    result = extract_text(files.pdf_with_text("Hello"), name="download", content_type="application/pdf")
    assert result.text == "Hello"


def test_clean_text_drops_what_postgresql_cannot_store():
    assert extraction.clean_text("a\x00b \ud800c\u3000\u3000d\n\n\n e") == "ab ?c d\ne"
