"""Two app servers on one PostgreSQL and one Redis: a change made anywhere reaches the pages of both."""

import datetime as dt

import pytest

from apps.catalog import services as catalog_services
from apps.organs import services as organ_services
from tests.factories import CatalogEntryFactory, OrganFactory, OrganPageFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_withdrawn_entry_disappears_from_both_app_servers(app_servers):
    organ = OrganFactory(slug="jhj", name="牡丹江市经济合作促进局")
    OrganPageFactory(organ=organ, body="第一版指南。")
    entry = CatalogEntryFactory(
        organ=organ, title="关于优化营商环境的通知", publish_date=dt.date(2024, 3, 1), article_item=1
    )
    detail = "/" + entry.get_absolute_url().lstrip("/")
    pages = ["/", "/catalog/", "/organs/jhj/", detail]

    for server in app_servers:
        for path in pages:
            server.get(path)  # warm both servers' shared cache
        status, headers, body = server.get("/catalog/")
        assert status == 200
        assert headers["X-Page-Cache"] == "hit"
        assert "关于优化营商环境的通知" in body
        assert "Set-Cookie" not in headers

    catalog_services.entry_withdraw(entry=entry, reason="内容有误")  # in this process: Redis is the link

    for server in app_servers:
        for path in pages[:3]:
            status, headers, body = server.get(path)
            assert status == 200
            assert headers["X-Page-Cache"] == "miss"
            assert "关于优化营商环境的通知" not in body, (server.url, path)
        assert server.get(detail)[0] == 404


def test_an_organ_page_edit_reaches_both_app_servers_and_their_validators(app_servers):
    organ = OrganFactory(slug="tjj")
    page = OrganPageFactory(organ=organ, body="第一版指南。")
    first, second = app_servers
    status, headers, body = first.get("/organs/tjj/guide/")
    assert "第一版指南。" in body
    etag = headers["ETag"]
    assert second.get("/organs/tjj/guide/", **{"If-None-Match": etag})[0] == 304

    organ_services.organ_page_update(page=page, body="第二版指南。")
    organ_services.organ_page_approve(page=page, actor=None)
    organ_services.organ_page_publish(page=page)

    for server in app_servers:
        status, headers, body = server.get("/organs/tjj/guide/", **{"If-None-Match": etag})
        assert status == 200
        assert "第二版指南。" in body
        assert headers["ETag"] != etag
