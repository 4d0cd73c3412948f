"""The review chain of catalog entries (条例第十七条 保密审查): 信息员 drafts, 审核人 approves or
returns with an opinion, 发布人 publishes and withdraws with a reason; the history keeps every step."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.utils import InternalError
from django.urls import reverse

import pytest

from apps.catalog import services
from apps.catalog.enums import Status, Validity
from apps.organs import review
from apps.organs.models import RecordEvent
from apps.organs.roles import Role
from tests.admin_forms import change_form_data
from tests.factories import CatalogEntryFactory
from tests.roles import city_office_member, clerk_with_roles

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def draft(organ_a, drafter):
    return CatalogEntryFactory(organ=organ_a, created_by=drafter, title="关于征求意见的通知", publish=False)


def steps(entry) -> list[tuple[str, str, str]]:
    return [(e.action, e.actor_label, e.state) for e in review.history(entry)]


def test_a_draft_cannot_be_published_without_a_review(draft, publisher):
    with pytest.raises(ValidationError, match="发布前须经审核人审核通过"):
        services.entry_publish(entry=draft, actor=publisher)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.published_at is None


def test_the_publish_step_is_not_offered_before_the_review(client, draft, publisher):
    client.force_login(publisher)
    url = reverse("admin:catalog_catalogentry_review", args=[draft.pk])
    page = client.get(url).content.decode()
    assert 'value="publish"' not in page
    assert client.post(url, {"step": "publish"}).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_returned_fixed_approved_published_and_its_history(draft, drafter, reviewer, publisher):
    services.entry_return(entry=draft, actor=reviewer, opinion="第二段涉及内部人员信息，请删除。")
    assert draft.status == Status.RETURNED
    services.entry_update(entry=draft, actor=drafter, summary="已删去内部人员信息。")
    assert draft.status == Status.DRAFT
    services.entry_approve(entry=draft, actor=reviewer, opinion="无涉密内容，同意公开。")
    services.entry_publish(entry=draft, actor=publisher)

    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert steps(draft) == [
        ("created", "xinxiyuan", "draft"),
        ("returned", "shenheren", "returned"),
        ("changed", "xinxiyuan", "draft"),
        ("approved", "shenheren", "reviewed"),
        ("published", "fabuer", "published"),
    ]
    events = list(review.history(draft))
    assert events[1].opinion == "第二段涉及内部人员信息，请删除。"
    assert events[2].changes == [
        {
            "field": "summary",
            "label": "内容概述",
            "old": "就做好政务公开工作有关事项通知如下。",
            "new": "已删去内部人员信息。",
        }
    ]
    assert events[3].opinion == "无涉密内容，同意公开。"


def test_returning_needs_an_opinion(draft, reviewer):
    with pytest.raises(ValidationError, match="退回修改须填写审核意见"):
        services.entry_return(entry=draft, actor=reviewer, opinion="  ")
    assert not review.history(draft).filter(action="returned").exists()


def test_editing_an_approved_entry_sends_it_back_to_review(draft, drafter, reviewer, publisher):
    services.entry_approve(entry=draft, actor=reviewer)
    services.entry_update(entry=draft, actor=drafter, body="改过的正文")
    assert draft.status == Status.DRAFT
    with pytest.raises(ValidationError):
        services.entry_publish(entry=draft, actor=publisher)


def test_an_attachment_added_to_an_approved_entry_sends_it_back(draft, drafter, reviewer):
    services.entry_approve(entry=draft, actor=reviewer)
    services.attachment_add(entry=draft, uploaded_file=SimpleUploadedFile("附件.pdf", PDF), actor=drafter)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    last = review.history(draft).last()
    assert (last.action, last.changes[0]["label"], last.changes[0]["new"]) == ("changed", "附件", "附件.pdf")


def test_the_reviewer_may_not_approve_a_draft_they_wrote(organ_a, reviewer):
    both = clerk_with_roles("liang", organ_a, Role.DRAFTER, Role.REVIEWER)
    own = CatalogEntryFactory(organ=organ_a, created_by=both, publish=False)
    with pytest.raises(ValidationError, match="不能审核自己的稿件"):
        services.entry_approve(entry=own, actor=both)
    # ... nor one they changed after someone else wrote it.
    services.entry_update(entry=own, actor=reviewer, title="审核人改的标题")
    with pytest.raises(ValidationError, match="不能审核自己的稿件"):
        services.entry_approve(entry=own, actor=reviewer)


def test_an_organ_may_let_one_person_hold_both_roles_and_the_history_says_so(organ_a):
    organ_a.combined_roles_allowed = True
    organ_a.save()
    both = clerk_with_roles("liang", organ_a, Role.DRAFTER, Role.REVIEWER)
    own = CatalogEntryFactory(organ=organ_a, created_by=both, publish=False)
    services.entry_approve(entry=own, actor=both)
    assert own.status == Status.REVIEWED
    assert review.history(own).last().note == "审核人同时是本稿的起草或修改人（本机关允许一人兼任多个角色）。"


def test_each_role_takes_only_its_own_step(draft, drafter, reviewer, publisher, organ_b):
    with pytest.raises(PermissionDenied):
        services.entry_approve(entry=draft, actor=drafter)
    with pytest.raises(PermissionDenied):
        services.entry_approve(entry=draft, actor=publisher)
    services.entry_approve(entry=draft, actor=reviewer)
    with pytest.raises(PermissionDenied):
        services.entry_publish(entry=draft, actor=reviewer)
    # A reviewer and a publisher of another organ have no role here.
    with pytest.raises(PermissionDenied):
        services.entry_return(
            entry=draft, actor=clerk_with_roles("b_rev", organ_b, Role.REVIEWER), opinion="x"
        )
    with pytest.raises(PermissionDenied):
        services.entry_publish(entry=draft, actor=clerk_with_roles("b_pub", organ_b, Role.PUBLISHER))
    with pytest.raises(PermissionDenied):
        services.entry_publish(entry=draft, actor=city_office_member())
    assert steps(draft)[-1][0] == "approved"


def test_withdrawal_needs_a_reason_which_the_history_keeps(organ_a, publisher):
    entry = CatalogEntryFactory(organ=organ_a)
    with pytest.raises(ValidationError, match="撤回须说明原因"):
        services.entry_withdraw(entry=entry, actor=publisher, reason=" ")
    services.entry_withdraw(entry=entry, actor=publisher, reason="文件已被新文件替代")
    entry.refresh_from_db()
    assert (entry.status, entry.withdrawn_reason) == (Status.WITHDRAWN, "文件已被新文件替代")
    assert review.history(entry).last().opinion == "文件已被新文件替代"


def test_a_published_entrys_content_waits_for_a_withdrawal_but_its_validity_may_change(organ_a, drafter):
    entry = CatalogEntryFactory(organ=organ_a)
    with pytest.raises(ValidationError, match="请先撤回"):
        services.entry_update(entry=entry, actor=drafter, title="悄悄改的标题")
    entry.refresh_from_db()
    services.entry_update(entry=entry, actor=drafter, validity=Validity.REPEALED)
    entry.refresh_from_db()
    assert (entry.status, entry.validity) == (Status.PUBLISHED, Validity.REPEALED)
    assert entry.title != "悄悄改的标题"
    with pytest.raises(ValidationError, match="不能增删附件"):
        services.attachment_add(entry=entry, uploaded_file=SimpleUploadedFile("新.pdf", PDF), actor=drafter)


def test_a_withdrawn_entry_is_edited_reviewed_and_published_again(organ_a, drafter, reviewer, publisher):
    entry = CatalogEntryFactory(organ=organ_a)
    services.entry_withdraw(entry=entry, actor=publisher, reason="有误")
    services.entry_update(entry=entry, actor=drafter, title="更正后的标题")
    assert entry.status == Status.DRAFT
    with pytest.raises(ValidationError, match="只能删除草稿"):
        services.entry_delete(entry=entry, actor=drafter)  # its 索引号 was public
    services.entry_approve(entry=entry, actor=reviewer)
    services.entry_publish(entry=entry, actor=publisher)
    entry.refresh_from_db()
    assert (entry.status, entry.title, entry.withdrawn_reason) == (Status.PUBLISHED, "更正后的标题", "")


def test_a_deleted_draft_keeps_its_history(draft, drafter):
    pk = draft.pk
    services.entry_delete(entry=draft, actor=drafter)
    events = RecordEvent.objects.filter(object_id=pk, content_type__model="catalogentry")
    assert [e.action for e in events] == ["created", "deleted"]


def test_the_history_is_append_only(draft):
    event = review.history(draft).get()
    event.opinion = "改写历史"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    for sql in ("UPDATE organs_recordevent SET opinion = 'x'", "DELETE FROM organs_recordevent"):
        with pytest.raises(InternalError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)
    assert review.history(draft).get().opinion == ""


def test_the_change_page_shows_the_state_the_last_opinion_and_the_history(client, draft, drafter, reviewer):
    services.entry_return(entry=draft, actor=reviewer, opinion="请补充发文字号。")
    services.entry_update(entry=draft, actor=drafter, doc_number="牡经合发〔2024〕9号")
    client.force_login(drafter)
    content = client.get(reverse("admin:catalog_catalogentry_change", args=[draft.pk])).content.decode()
    assert "退回修改（shenheren，" in content and "请补充发文字号。" in content
    assert "<strong>发文字号</strong>：（空） → 牡经合发〔2024〕9号" in content
    history = content[content.index('class="review-history"') :]
    assert history.index("新建") < history.index("退回修改") < history.index("修改</td>")


def test_a_stale_review_page_cannot_publish_twice(client, organ_a, reviewer, publisher, draft):
    services.entry_approve(entry=draft, actor=reviewer)
    client.force_login(publisher)
    url = reverse("admin:catalog_catalogentry_review", args=[draft.pk])
    assert client.post(url, {"step": "publish"}).status_code == 302
    assert client.post(url, {"step": "publish"}).status_code == 403  # no longer offered
    assert [a for a, _who, _state in steps(draft)].count("published") == 1


def test_the_drafters_edit_in_the_admin_is_recorded_with_the_diff(client, draft, drafter):
    client.force_login(drafter)
    url = reverse("admin:catalog_catalogentry_change", args=[draft.pk])
    data = change_form_data(client.get(url))
    assert client.post(url, {**data, "title": "关于征求意见的通知（修订）"}).status_code == 302
    last = review.history(draft).last()
    assert (last.action, last.actor_label) == ("changed", "xinxiyuan")
    assert last.changes == [
        {"field": "title", "label": "名称", "old": "关于征求意见的通知", "new": "关于征求意见的通知（修订）"}
    ]
