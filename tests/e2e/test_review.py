"""The 保密审查 in real headless Chromium: a 信息员 drafts a catalog entry, the 审核人 returns it with
an opinion, the 信息员 reads the opinion and fixes the entry, the 审核人 approves, the 发布人
publishes, and a citizen finds it in the public catalog, which never showed it before."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from apps.catalog.enums import Status
from apps.catalog.models import CatalogEntry
from apps.organs import review
from apps.organs.roles import Role
from tests.factories import GenreFactory, ThemeFactory
from tests.roles import clerk_with_roles

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")
TITLE = "关于2025年度重点项目招商推介会的通知"


def _sign_in(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pass-word-123")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return context, page


def _open_review_page(page, entry):
    page.goto(f"/admin/catalog/catalogentry/{entry.pk}/change/")
    page.get_by_role("link", name="审核与发布", exact=True).click()
    page.wait_for_url(f"**/admin/catalog/catalogentry/{entry.pk}/review/")


def test_a_draft_is_returned_fixed_approved_published_and_public(page, browser, live_server, organ_a):
    SHOTS.mkdir(parents=True, exist_ok=True)
    clerk_with_roles("xinxiyuan", organ_a, Role.DRAFTER)
    clerk_with_roles("shenheren", organ_a, Role.REVIEWER)
    clerk_with_roles("fabuer", organ_a, Role.PUBLISHER)
    theme = ThemeFactory(name="招商引资", parent=ThemeFactory(name="商贸、海关、旅游", parent=None))
    GenreFactory(name="通知")

    # The 信息员 drafts the entry.
    drafter_context, drafter = _sign_in(browser, live_server, "xinxiyuan")
    drafter.goto("/admin/catalog/catalogentry/add/")
    drafter.fill("#id_title", TITLE)
    drafter.fill("#id_publish_date", "2025-03-10")
    drafter.select_option("#id_theme", str(theme.pk))
    drafter.select_option("#id_genre", label="通知")
    drafter.fill("#id_summary", "定于3月20日举办推介会，联系人张三，手机13900000000。")
    drafter.click("input[name=_save]")
    entry = CatalogEntry.objects.get(title=TITLE)
    assert entry.status == Status.DRAFT
    page.goto("/catalog/")
    expect(page.locator("body")).not_to_contain_text(TITLE)

    # The 审核人 returns it: a private mobile number has no place in a public notice.
    reviewer_context, reviewer = _sign_in(browser, live_server, "shenheren")
    _open_review_page(reviewer, entry)
    expect(reviewer.locator("#review-state")).to_have_text("草稿")
    expect(reviewer.get_by_role("button", name="发布")).to_have_count(0)  # not the reviewer's step
    reviewer.fill("#id_text", "内容概述含个人手机号，请删除后再提交。")
    reviewer.get_by_role("button", name="退回修改").click()
    expect(reviewer.locator("body")).to_contain_text("退回修改")
    reviewer.screenshot(path=str(SHOTS / "review_returned.png"), full_page=True)

    # The 信息员 reads the opinion on the change form and fixes the entry.
    drafter.goto(f"/admin/catalog/catalogentry/{entry.pk}/change/")
    expect(drafter.locator("body")).to_contain_text("内容概述含个人手机号，请删除后再提交。")
    drafter.fill("#id_summary", "定于3月20日举办推介会，咨询电话0453-6000000。")
    drafter.click("input[name=_save]")
    entry.refresh_from_db()
    assert entry.status == Status.DRAFT

    # The 审核人 approves.
    _open_review_page(reviewer, entry)
    reviewer.fill("#id_text", "已删除个人信息，无涉密内容，同意公开。")
    reviewer.get_by_role("button", name="审核通过").click()
    expect(reviewer.locator("body")).to_contain_text("审核通过")
    entry.refresh_from_db()
    assert entry.status == Status.REVIEWED

    # The 发布人 publishes.
    publisher_context, publisher = _sign_in(browser, live_server, "fabuer")
    _open_review_page(publisher, entry)
    expect(publisher.locator("#review-state")).to_have_text("审核通过")
    publisher.get_by_role("button", name="发布").click()
    expect(publisher.locator("body")).to_contain_text("已发布")
    publisher.screenshot(path=str(SHOTS / "review_published.png"), full_page=True)

    # The citizen finds it in the public catalog, without the number the reviewer caught.
    page.goto("/catalog/")
    link = page.get_by_role("link", name=TITLE)
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("body")).to_contain_text("咨询电话0453-6000000")
    expect(page.locator("body")).not_to_contain_text("13900000000")

    # The history says who did what, with the opinions.
    steps = [(e.action, e.actor_label, e.opinion) for e in review.history(entry)]
    assert steps == [
        ("created", "xinxiyuan", ""),
        ("returned", "shenheren", "内容概述含个人手机号，请删除后再提交。"),
        ("changed", "xinxiyuan", ""),
        ("approved", "shenheren", "已删除个人信息，无涉密内容，同意公开。"),
        ("published", "fabuer", ""),
    ]
    drafter.goto(f"/admin/catalog/catalogentry/{entry.pk}/change/")
    history = drafter.locator("table.review-history")
    expect(history).to_contain_text("fabuer")
    assert re.search(r"内容概述.*13900000000.*→.*0453-6000000", history.inner_text(), re.S)
    for context in (drafter_context, reviewer_context, publisher_context):
        context.close()
