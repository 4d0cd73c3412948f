"""Every upload of the back office is checked by its content, not only its name: catalog
attachments, reply letters of applications, case documents and proposal replies.

A file whose extension lies (an .exe named .pdf, a web page named .docx) is refused with a
Chinese message that names the file and says what is wrong, and nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from apps.applications.enums import Outcome
from apps.catalog.models import Attachment
from apps.litigation.enums import CaseKind, Result
from apps.litigation.models import Case, CaseDocument
from apps.organs.uploads import FILE_KINDS, content_matches, validate_upload
from apps.proposals.enums import ProposalKind, Role
from apps.proposals.models import Proposal
from tests.factories import CatalogEntryFactory, files
from tests.factories.applications import ApplicationFactory

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PDF = files.pdf_with_text("Reply")

LIARS = [
    ("答复书.pdf", EXE, "PDF"),
    ("决定书.docx", HTML, "Word"),
    ("统计表.xlsx", files.docx_with("其实是Word"), "Excel"),
    ("照片.png", PDF, "PNG"),
]


def _zip(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, b"<x/>")
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")  # browsers may say anything


# The check itself --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ext", "data"),
    [
        ("pdf", PDF),
        ("docx", files.docx_with("正文")),
        ("xlsx", files.xlsx_with({"表": [["a", 1]]})),
        ("ofd", _zip("OFD.xml", "Doc_0/Document.xml")),
        ("doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 24),
        ("png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 8),
        ("jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF"),
        ("zip", _zip("任何.txt")),
    ],
)
def test_real_files_of_every_kind_pass(ext, data):
    assert validate_upload(upload(f"文件.{ext}", data)) is FILE_KINDS[ext]


@pytest.mark.parametrize(("name", "data", "kind"), LIARS)
def test_a_lying_extension_is_refused_with_a_chinese_message(name, data, kind):
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload(name, data))
    assert excinfo.value.code == "content"
    assert excinfo.value.messages == [
        f"文件「{name}」的内容不是 {kind} 文件（扩展名与文件内容不符），请检查后重新上传。"
    ]


def test_office_formats_are_told_apart_by_what_the_archive_holds():
    word, excel = files.docx_with("x"), files.xlsx_with({"s": [[1]]})
    assert content_matches(io.BytesIO(word), FILE_KINDS["docx"])
    assert not content_matches(io.BytesIO(word), FILE_KINDS["xlsx"])
    assert not content_matches(io.BytesIO(excel), FILE_KINDS["docx"])
    assert not content_matches(io.BytesIO(_zip("readme.txt")), FILE_KINDS["ofd"])
    assert not content_matches(io.BytesIO(b"PK\x03\x04 truncated"), FILE_KINDS["docx"])


def test_type_and_size_are_refused_before_the_content_is_read(settings):
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("脚本.exe", EXE))
    assert excinfo.value.code == "extension"
    assert "文件「脚本.exe」的类型不允许上传。允许的类型：pdf、doc、docx" in excinfo.value.messages[0]
    settings.ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("大.pdf", PDF))
    assert excinfo.value.code == "size"
    assert "超过了 100\xa0字节 的上限" in excinfo.value.messages[0]


# Each place that takes an upload -------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data", "kind"), LIARS)
def test_catalog_attachment_with_a_lying_extension_is_refused(client, alice, organ_a, name, data, kind):
    entry = CatalogEntryFactory(organ=organ_a, publish=False)
    client.force_login(alice)
    url = reverse("admin:catalog_catalogentry_change", args=[entry.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    post = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    post.update(
        {
            "title": entry.title,
            "organ": organ_a.pk,
            "theme": entry.theme_id,
            "genre": entry.genre_id,
            "publish_date": entry.publish_date.isoformat(),
            "validity": entry.validity,
            "attachments-TOTAL_FORMS": "1",
            "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0",
            "attachments-MAX_NUM_FORMS": "1000",
            "attachments-0-file": upload(name, data),
            "attachments-0-sort_order": "0",
        }
    )
    response = client.post(url, post)
    assert response.status_code == 200
    assert f"附件「{name}」的内容不是 {kind} 文件（扩展名与文件内容不符）" in response.text
    assert not Attachment.objects.exists()


def test_reply_letter_with_a_lying_extension_is_refused(client, alice, organ_a):
    application = ApplicationFactory(organ=organ_a, actor=alice, received_on=dt.date(2024, 3, 4))
    client.force_login(alice)
    url = reverse("admin:applications_application_transition", args=[application.pk, "reply"])
    response = client.post(
        url,
        {
            "version": application.version,
            "outcome": Outcome.DISCLOSED,
            "reply_date": "2024-03-08",
            "text": "",
            "document": upload("答复书.pdf", EXE),
        },
    )
    assert response.status_code == 200
    assert (
        "文件「答复书.pdf」的内容不是 PDF 文件（扩展名与文件内容不符），请检查后重新上传。" in response.text
    )
    application.refresh_from_db()
    assert not application.reply_document
    assert application.reply_date is None


def test_reply_letter_that_is_a_pdf_is_kept(client, alice, organ_a):
    application = ApplicationFactory(organ=organ_a, actor=alice, received_on=dt.date(2024, 3, 4))
    client.force_login(alice)
    url = reverse("admin:applications_application_transition", args=[application.pk, "reply"])
    data = {"version": application.version, "outcome": Outcome.DISCLOSED, "reply_date": "2024-03-08"}
    response = client.post(url, {**data, "text": "", "document": upload("答复书.pdf", PDF)})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.reply_document.read() == PDF


def _case_post(organ, name, data):
    return {
        "organ": organ.pk,
        "kind": CaseKind.REVIEW,
        "route": "",
        "case_number": "牡政复〔2024〕3号",
        "applicant": "李某",
        "application": "",
        "application_reference": "",
        "filed_date": "2024-03-01",
        "result": Result.PENDING,
        "decided_date": "",
        "note": "",
        "documents-TOTAL_FORMS": "1",
        "documents-INITIAL_FORMS": "0",
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "1000",
        "documents-0-title": "行政复议申请书",
        "documents-0-file": upload(name, data),
    }


def test_case_document_with_a_lying_extension_is_refused(client, alice, organ_a):
    client.force_login(alice)
    response = client.post(reverse("admin:litigation_case_add"), _case_post(organ_a, "申请书.docx", HTML))
    assert response.status_code == 200
    assert (
        "文件「申请书.docx」的内容不是 Word 文件（扩展名与文件内容不符），请检查后重新上传。" in response.text
    )
    assert not Case.objects.exists() and not CaseDocument.objects.exists()


def test_case_document_that_is_a_docx_is_kept(client, alice, organ_a):
    client.force_login(alice)
    word = files.docx_with("行政复议申请书")
    response = client.post(reverse("admin:litigation_case_add"), _case_post(organ_a, "申请书.docx", word))
    assert response.status_code == 302
    assert CaseDocument.objects.get().file.read() == word


def _proposal_post(organ, document):
    return {
        "organ": organ.pk,
        "kind": ProposalKind.CPPCC,
        "session": "十三届二次会议",
        "number": "第0088号",
        "title": "关于加大招商引资力度的提案",
        "proposers": "张委员",
        "role": Role.LEAD,
        "assigned_date": "2018-03-20",
        "reply_date": "2018-05-20",
        "result_code": "A",
        "reply_document": document,
        "publish_mode": "",
        "publish_date": "",
        "publish_reason": "",
        "feedback": "",
        "feedback_date": "",
        "note": "",
        "handling": "",
    }


def test_proposal_reply_with_a_lying_extension_is_refused(client, alice, organ_a):
    client.force_login(alice)
    response = client.post(
        reverse("admin:proposals_proposal_add"), _proposal_post(organ_a, upload("答复.pdf", HTML))
    )
    assert response.status_code == 200
    assert "文件「答复.pdf」的内容不是 PDF 文件（扩展名与文件内容不符），请检查后重新上传。" in response.text
    assert not Proposal.objects.exists()


def test_proposal_reply_that_is_a_pdf_is_kept(client, alice, organ_a):
    client.force_login(alice)
    response = client.post(
        reverse("admin:proposals_proposal_add"), _proposal_post(organ_a, upload("答复.pdf", PDF))
    )
    assert response.status_code == 302
    assert Proposal.objects.get().reply_document.read() == PDF


def test_a_stored_file_is_not_read_again_on_a_later_save(client, alice, organ_a):
    """The check runs on arrival; editing the case later must not depend on the stored bytes."""
    client.force_login(alice)
    client.post(reverse("admin:litigation_case_add"), _case_post(organ_a, "申请书.pdf", PDF))
    document = CaseDocument.objects.get()
    document.file.storage.delete(document.file.name)  # e.g. moved away by an administrator
    document.title = "行政复议申请书（修订）"
    document.full_clean()
