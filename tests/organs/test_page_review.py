"""The 指南 and 制度 go through the review chain: a draft is not public, a published page stays
online unchanged while its next version is drafted and reviewed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

import pytest

from apps.organs import review, services
from apps.organs.enums import ReviewState
from apps.organs.models import OrganPage
from apps.organs.roles import Role
from tests.admin_forms import change_form_data
from tests.roles import clerk_with_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(organ_a, drafter):
    return services.organ_page_create(
        organ=organ_a, kind=OrganPage.Kind.GUIDE, title="政府信息公开指南", body="第一版。", actor=drafter
    )


def public(client, organ) -> str:
    return client.get(reverse("portal:organ_guide", args=[organ.slug])).content.decode()


def test_a_draft_guide_is_not_public_until_reviewed_and_published(
    client, organ_a, guide, reviewer, publisher
):
    assert "尚未发布" in public(client, organ_a)
    with pytest.raises(ValidationError, match="发布前须经审核人审核通过"):
        services.organ_page_publish(page=guide, actor=publisher)
    services.organ_page_approve(page=guide, actor=reviewer, opinion="同意。")
    services.organ_page_publish(page=guide, actor=publisher)
    assert "第一版。" in public(client, organ_a)
    assert [(e.action, e.actor_label) for e in review.history(guide)] == [
        ("created", "xinxiyuan"),
        ("approved", "shenheren"),
        ("published", "fabuer"),
    ]


def test_a_published_guide_stays_online_while_its_revision_is_reviewed(
    client, organ_a, guide, drafter, reviewer, publisher
):
    services.organ_page_approve(page=guide, actor=reviewer)
    services.organ_page_publish(page=guide, actor=publisher)
    services.organ_page_update(page=guide, actor=drafter, body="第二版。")
    assert guide.status == ReviewState.DRAFT
    page = public(client, organ_a)
    assert "第一版。" in page and "第二版。" not in page

    services.organ_page_return(page=guide, actor=reviewer, opinion="办公时间写错了。")
    services.organ_page_update(page=guide, actor=drafter, body="第二版（改）。")
    services.organ_page_approve(page=guide, actor=reviewer)
    services.organ_page_publish(page=guide, actor=publisher)
    assert "第二版（改）。" in public(client, organ_a)
    changed = [e for e in review.history(guide) if e.action == "changed"]
    assert [(c.changes[0]["old"], c.changes[0]["new"]) for c in changed] == [
        ("第一版。", "第二版。"),
        ("第二版。", "第二版（改）。"),
    ]


def test_roles_and_the_four_eyes_rule_hold_for_pages(organ_a, guide, drafter, publisher):
    with pytest.raises(PermissionDenied):
        services.organ_page_approve(page=guide, actor=drafter)
    both = clerk_with_roles("liang", organ_a, Role.DRAFTER, Role.REVIEWER)
    services.organ_page_update(page=guide, actor=both, title="改过的标题")
    with pytest.raises(ValidationError, match="不能审核自己的稿件"):
        services.organ_page_approve(page=guide, actor=both)


def test_the_admin_page_shows_the_published_version_and_the_history(
    client, organ_a, guide, reviewer, publisher
):
    services.organ_page_approve(page=guide, actor=reviewer)
    services.organ_page_publish(page=guide, actor=publisher)
    client.force_login(publisher)
    content = client.get(reverse("admin:organs_organpage_change", args=[guide.pk])).content.decode()
    assert "公开的版本" in content and "第一版。" in content
    assert 'class="review-history"' in content
    assert 'name="body"' not in content  # the publisher does not edit


def test_the_drafter_edits_in_the_admin_and_the_page_goes_back_to_draft(
    client, organ_a, guide, drafter, reviewer
):
    services.organ_page_approve(page=guide, actor=reviewer)
    client.force_login(drafter)
    url = reverse("admin:organs_organpage_change", args=[guide.pk])
    response = client.post(url, {**change_form_data(client.get(url)), "body": "改过的正文"})
    assert response.status_code == 302
    guide.refresh_from_db()
    assert (guide.status, guide.body) == (ReviewState.DRAFT, "改过的正文")
