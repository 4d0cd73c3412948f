"""Project-wide request guards (disclosure_portal/middleware.py) and error pages (disclosure_portal/views.py)."""

from unittest import mock

from django.db import InterfaceError, OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

import pytest

from tests.factories import CatalogEntryFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/catalog/%00/",
        "/catalog/attachments/%00abc/",
        "/catalog/feed/%00/",
        "/catalog/?q=%00",
        "/catalog/?organ=a%00b",
        "/apply/?x=%00",
        "/organs/%00/",
    ],
)
def test_nul_bytes_in_path_or_query_answer_400_with_a_clear_page(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "网址中含有无效字符" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", b"applicant_name=%00&organ=1"),
        ("application/x-www-form-urlencoded", b"a%00b=1"),
        ("application/x-www-form-urlencoded; charset=UTF-8", "info_description=公开\x00".encode()),
    ],
)
def test_nul_bytes_in_posted_fields_answer_400_with_a_clear_page(client, content_type, body):
    response = client.generic("POST", "/apply/", body, content_type=content_type)  # bytes as sent
    assert response.status_code == 400
    assert "提交的内容中含有无效字符" in response.content.decode()


@pytest.mark.django_db
def test_an_uploaded_file_may_hold_nul_bytes(admin_client):
    """Only fields are checked: a PDF is full of NUL bytes."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4\x00\x00binary", content_type="application/pdf")
    response = admin_client.post("/admin/catalog/catalogentry/add/", {"title": "x", "upload": upload})
    assert response.status_code == 200  # the form answers with its own errors
    assert "提交的内容中含有无效字符" not in response.content.decode()


@pytest.mark.django_db
def test_ordinary_requests_pass(client):
    entry = CatalogEntryFactory(title="招商引资优惠政策")
    response = client.get("/catalog/", {"sort": "date"})
    assert response.status_code == 200
    assert entry.title in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("charset", ["gbk", "latin-1", "utf-16", "utf-7", "x-no-such-charset"])
def test_a_form_posted_in_another_charset_answers_400_with_a_clear_page(client, charset):
    body = "applicant_name=张三&info_description=公开".encode("utf-16" if charset == "utf-16" else "gb18030")
    response = client.generic(
        "POST", "/apply/", body, content_type=f"application/x-www-form-urlencoded; charset={charset}"
    )
    assert response.status_code == 400
    assert "表单的字符编码不受支持" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=UTF-8",
        "multipart/form-data; boundary=BoUnDaRy; charset=x-no-such-charset",
    ],
)
def test_a_utf8_form_or_a_multipart_one_reaches_the_form(client, content_type):
    fields = {"applicant_name": "张三", "info_description": "公开"}
    if content_type.startswith("multipart"):
        from django.test.client import encode_multipart

        body = encode_multipart("BoUnDaRy", fields)
    else:
        body = "applicant_name=张三&info_description=公开".encode()
    response = client.generic("POST", "/apply/", body, content_type=content_type)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="张三"' in html  # the form came back with its errors and the posted values


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        b"info_description=" + b"x" * (10 * 1024 * 1024 + 1),  # past DATA_UPLOAD_MAX_MEMORY_SIZE
        "&".join(f"f{i}=1" for i in range(1001)).encode(),  # past DATA_UPLOAD_MAX_NUMBER_FIELDS
    ],
    ids=["too-big", "too-many-fields"],
)
def test_an_oversized_form_answers_400(body):
    client = Client(raise_request_exception=False)
    response = client.generic("POST", "/apply/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()


# The database going away -------------------------------------------------------------------------


def _database_down(error):
    """Every new cursor fails as it does when PostgreSQL is stopped or the socket is closed."""
    return mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=error("connection refused"))


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
@pytest.mark.parametrize("url", ["/", "/catalog/?q=招商", "/apply/", "/organs/jhj/", "/no-such-page/"])
def test_a_database_outage_answers_503_with_a_clear_page(url, error):
    client = Client(raise_request_exception=False)
    with _database_down(error):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "服务暂时不可用" in html
    assert "请几分钟后刷新页面" in html


@pytest.mark.django_db
def test_a_database_outage_answers_503_to_a_signed_in_clerk(alice):
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    with _database_down(OperationalError):
        response = client.get("/admin/catalog/catalogentry/")
    assert response.status_code == 503
    assert "服务暂时不可用" in response.content.decode()


@pytest.mark.django_db
def test_other_errors_still_answer_500(settings):
    client = Client(raise_request_exception=False)
    with mock.patch("apps.portal.views.render", side_effect=RuntimeError("bug")):
        response = client.get("/")
    assert response.status_code == 500
    assert "系统出现错误" in response.content.decode()
