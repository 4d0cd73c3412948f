"""Project-wide request guards (disclosure_portal/middleware.py)."""

import pytest


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
def test_ordinary_requests_pass(client):
    assert client.get("/catalog/", {"q": "招商"}).status_code == 200
