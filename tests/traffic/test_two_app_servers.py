"""Two app servers on one PostgreSQL and one Redis: every kind of change, made anywhere, reaches the
pages of both at once (the content generation lives in Redis)."""

import datetime as dt

import pytest
import time_machine

from apps.catalog import services as catalog_services
from apps.organs import services as organ_services
from apps.proposals import services as proposal_services
from apps.proposals.enums import PublishMode, ResultCode
from apps.reports import services as report_services
from tests.factories import CatalogEntryFactory, OrganFactory, OrganPageFactory
from tests.factories.records import ProposalFactory, YearTallyFactory
from tests.factories.reports import AnnualReportFactory, fill_required_sections

pytestmark = pytest.mark.django_db(transaction=True)


def on_both(servers, path: str, **headers) -> list[tuple[int, dict, str]]:
    return [server.get(path, **headers) for server in servers]


def warm(servers, *paths: str) -> None:
    """Each page once on each server: the second server already answers from the shared cache."""
    for path in paths:
        for server in servers:
            server.get(path)
        status, headers, _body = servers[-1].get(path)
        assert headers["X-Page-Cache"] == "hit", path


def test_every_kind_of_change_reaches_both_app_servers(app_servers):
    organ = OrganFactory(slug="jhj", name="牡丹江市经济合作促进局")
    page = OrganPageFactory(organ=organ, body="第一版指南。")
    entry = CatalogEntryFactory(
        organ=organ, title="关于优化营商环境的通知", publish_date=dt.date(2024, 3, 1), article_item=1
    )
    detail = entry.get_absolute_url()
    warm(
        app_servers,
        "/",
        "/catalog/",
        "/organs/jhj/",
        detail,
        "/organs/jhj/guide/",
        "/reports/jhj/",
        "/proposals/",
    )

    # Editing an entry: the first server renders the page anew, the second reuses that render.
    catalog_services.entry_update(entry=entry, title="关于进一步优化营商环境的通知")
    answers = on_both(app_servers, detail)
    assert all("关于进一步优化营商环境的通知" in body for _status, _headers, body in answers)
    assert [headers["X-Page-Cache"] for _status, headers, _body in answers] == ["miss", "hit"]

    # Publishing a new one.
    draft = CatalogEntryFactory(organ=organ, title="新发布的招商公告", publish=False)
    catalog_services.entry_approve(entry=draft, actor=None)
    catalog_services.entry_publish(entry=draft)
    for _status, _headers, body in on_both(app_servers, "/catalog/"):
        assert "新发布的招商公告" in body

    # An organ page, with its validator.
    etag = app_servers[0].get("/organs/jhj/guide/")[1]["ETag"]
    assert app_servers[1].get("/organs/jhj/guide/", **{"If-None-Match": etag})[0] == 304
    organ_services.organ_page_update(page=page, body="第二版指南。")
    organ_services.organ_page_approve(page=page, actor=None)
    organ_services.organ_page_publish(page=page)
    for status, headers, body in on_both(app_servers, "/organs/jhj/guide/", **{"If-None-Match": etag}):
        assert status == 200
        assert "第二版指南。" in body
        assert headers["ETag"] != etag

    # An annual report.
    YearTallyFactory(organ=organ, year=2024)
    report_services.report_publish(report=fill_required_sections(AnnualReportFactory(organ=organ, year=2024)))
    for _status, _headers, body in on_both(app_servers, "/reports/jhj/"):
        assert "/reports/jhj/2024/" in body

    # A reply to a proposal (public from its publication date, which has passed).
    proposal = ProposalFactory(organ=organ, title="关于加快老旧小区改造的提案")
    with time_machine.travel(dt.datetime(2024, 9, 1, 4, tzinfo=dt.UTC)):
        proposal_services.proposal_reply(
            proposal=proposal, reply_date=dt.date(2024, 6, 1), result_code=ResultCode.A
        )
        proposal_services.proposal_publish(
            proposal=proposal,
            mode=PublishMode.SUMMARY,
            publish_date=dt.date(2024, 8, 1),
            summary="已列入计划。",
        )
    for _status, _headers, body in on_both(app_servers, "/proposals/"):
        assert "关于加快老旧小区改造的提案" in body

    # Withdrawing: gone from every page of both servers.
    warm(app_servers, "/", "/catalog/", "/organs/jhj/", detail)
    catalog_services.entry_withdraw(entry=entry, reason="内容有误")
    for path in ("/", "/catalog/", "/organs/jhj/"):
        for status, _headers, body in on_both(app_servers, path):
            assert status == 200
            assert "优化营商环境" not in body, path
    assert [status for status, _h, _b in on_both(app_servers, detail)] == [404, 404]


def test_a_clerks_pages_are_not_shared_between_servers(app_servers, alice):
    first, second = app_servers
    # A logged-in clerk's request carries the session cookie: never stored, never served from the cache.
    status, headers, _body = first.get("/catalog/", Cookie="sessionid=whatever")
    assert headers["X-Page-Cache"] == "bypass"
    assert "private" in headers["Cache-Control"]
    assert second.get("/catalog/")[1]["X-Page-Cache"] == "miss"
