"""The catalog back office: scoping by organ, services on save, actions, attachments."""

from __future__ import annotations

import datetime as dt

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from apps.catalog import services
from apps.catalog.enums import Status
from apps.catalog.models import Attachment, CatalogEntry
from tests.factories import CatalogEntryFactory, GenreFactory, ThemeFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CHANGELIST = reverse("admin:catalog_catalogentry_changelist")
ADD = reverse("admin:catalog_catalogentry_add")


def change_url(entry):
    return reverse("admin:catalog_catalogentry_change", args=[entry.pk])


def entry_data(organ, **overrides):
    theme = ThemeFactory()
    genre = GenreFactory()
    data = {
        "organ": organ.pk,
        "title": "关于公布2024年行政许可事项清单的通知",
        "summary": "公布本机关行政许可事项清单。",
        "body": "各有关单位：现将清单公布如下。",
        "publisher": "",
        "doc_number": "牡经合发〔2024〕3号",
        "written_date": "2024-04-28",
        "publish_date": "2024-05-06",
        "effective_date": "",
        "expiry_date": "",
        "validity": "valid",
        "theme": theme.pk,
        "genre": genre.pk,
        "article_item": "5",
        "document_kind": "other",
        "disclosure_mode": "proactive",
        "keywords": "行政许可 清单",
        "withdrawn_reason": "",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def with_upload(data, upload, index=0):
    data = dict(data)
    data["attachments-TOTAL_FORMS"] = str(index + 1)
    data[f"attachments-{index}-file"] = upload
    data[f"attachments-{index}-sort_order"] = "0"
    return data


def change_data(entry, **overrides):
    data = entry_data(
        entry.organ,
        title=entry.title,
        publish_date=entry.publish_date.isoformat(),
        theme=entry.theme_id,
        genre=entry.genre_id,
        doc_number=entry.doc_number,
        written_date="",
        article_item="",
    )
    del data["organ"]
    data.update(overrides)
    return data


@pytest.fixture
def entry_a(organ_a):
    return CatalogEntryFactory(organ=organ_a, title="甲局的通知", publish=False)


@pytest.fixture
def entry_b(organ_b):
    return CatalogEntryFactory(organ=organ_b, title="乙局的内部草稿", publish=False)


# -- changelist ---------------------------------------------------------------------------


def test_changelist_lists_only_the_clerks_organ(client, alice, entry_a, entry_b):
    client.force_login(alice)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    content = response.content.decode()
    assert entry_a.index_number in content
    assert "甲局的通知" in content
    assert "乙局的内部草稿" not in content
    assert entry_b.index_number not in content


def test_changelist_search_finds_by_index_number_title_and_doc_number(client, alice, organ_a):
    hit = CatalogEntryFactory(organ=organ_a, title="关于征收补偿的公告", doc_number="牡经合发〔2024〕9号")
    miss = CatalogEntryFactory(organ=organ_a, title="统计公报")
    client.force_login(alice)
    for term in (hit.index_number, "征收补偿", "〔2024〕9号"):
        content = client.get(CHANGELIST, {"q": term}).content.decode()
        assert hit.title in content
        assert miss.title not in content


def test_changelist_filters_by_first_level_theme(client, alice, organ_a):
    other_theme = ThemeFactory(name="价格", parent=ThemeFactory(name="财政、金融、审计", parent=None))
    kept = CatalogEntryFactory(organ=organ_a, title="政务公开工作要点")
    dropped = CatalogEntryFactory(organ=organ_a, title="价格监测报告", theme=other_theme)
    client.force_login(alice)
    response = client.get(CHANGELIST, {"theme_top": kept.theme.parent_id})
    content = response.content.decode()
    assert kept.title in content
    assert dropped.title not in content


def test_changelist_shows_organ_column_and_filter_to_superusers_only(client, root, alice, entry_a, entry_b):
    client.force_login(root)
    content = client.get(CHANGELIST).content.decode()
    assert "甲局的通知" in content and "乙局的内部草稿" in content
    assert "organ__id__exact" in content
    client.force_login(alice)
    assert "organ__id__exact" not in client.get(CHANGELIST).content.decode()


def _changelist_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_changelist_query_count_does_not_grow_with_rows(client, alice, organ_a, django_assert_num_queries):
    client.force_login(alice)
    CatalogEntryFactory(organ=organ_a)
    client.get(CHANGELIST)  # warm the session and content-type caches
    with django_assert_num_queries(14):
        client.get(CHANGELIST)
    CatalogEntryFactory.create_batch(2, organ=organ_a)
    with django_assert_num_queries(14):
        response = client.get(CHANGELIST)
    assert response.content.decode().count('class="action-select"') == 3


def test_charlie_without_organ_sees_nothing(client, charlie, entry_a, entry_b):
    client.force_login(charlie)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(entry_a)).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert "政府信息公开目录" not in index


def test_staff_with_permissions_but_no_organ_sees_no_rows(client, charlie, entry_a):
    charlie.user_permissions.set(Permission.objects.filter(content_type__app_label="catalog"))
    client.force_login(charlie)
    response = client.get(CHANGELIST)
    assert response.status_code in (200, 403)
    assert "甲局的通知" not in response.content.decode()


# -- another organ's entries, by every URL --------------------------------------------------


def test_clerk_cannot_open_another_organs_change_page(client, alice, entry_b):
    client.force_login(alice)
    response = client.get(change_url(entry_b))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert "乙局的内部草稿" not in client.get(response.url).content.decode()


def test_clerk_cannot_change_another_organs_entry_by_post(client, alice, entry_b):
    client.force_login(alice)
    client.post(change_url(entry_b), change_data(entry_b, title="被篡改"))
    entry_b.refresh_from_db()
    assert entry_b.title == "乙局的内部草稿"


def test_clerk_cannot_delete_another_organs_entry(client, alice, entry_b):
    client.force_login(alice)
    url = reverse("admin:catalog_catalogentry_delete", args=[entry_b.pk])
    assert client.get(url).status_code == 302
    client.post(url, {"post": "yes"})
    assert CatalogEntry.objects.filter(pk=entry_b.pk).exists()


def test_clerk_cannot_read_another_organs_history(client, alice, bob, entry_b):
    LogEntry.objects.log_actions(user_id=bob.pk, queryset=[entry_b], action_flag=1, single_object=True)
    client.force_login(alice)
    response = client.get(reverse("admin:catalog_catalogentry_history", args=[entry_b.pk]))
    assert response.status_code == 302
    assert "乙局的内部草稿" not in client.get(response.url).content.decode()


def test_bulk_publish_with_another_organs_ids_is_refused(client, alice, entry_a, entry_b):
    client.force_login(alice)
    response = client.post(
        CHANGELIST,
        {"action": "publish_selected", "_selected_action": [entry_a.pk, entry_b.pk]},
        follow=True,
    )
    entry_a.refresh_from_db()
    entry_b.refresh_from_db()
    assert entry_b.status == Status.DRAFT
    # The whole action is refused, so the clerk's own row is untouched too.
    assert entry_a.status == Status.DRAFT
    assert "不属于本机关" in response.content.decode()


def test_bulk_publish_with_only_another_organs_ids_changes_nothing(client, alice, entry_b):
    client.force_login(alice)
    client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": [entry_b.pk]})
    entry_b.refresh_from_db()
    assert entry_b.status == Status.DRAFT


def test_autocomplete_returns_only_the_clerks_entries(client, alice, entry_a, entry_b):
    client.force_login(alice)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "catalog", "model_name": "attachment", "field_name": "entry", "term": "局"},
    )
    assert response.status_code == 200
    texts = [item["text"] for item in response.json()["results"]]
    assert any("甲局的通知" in t for t in texts)
    assert not any("乙局" in t for t in texts)


def test_add_form_refuses_another_organ(client, alice, organ_b):
    client.force_login(alice)
    response = client.post(ADD, entry_data(organ_b, title="冒名的条目"))
    assert response.status_code == 200  # the form comes back with an error
    assert response.context["adminform"].form.errors["organ"]
    assert not CatalogEntry.objects.filter(title="冒名的条目").exists()


def test_clerk_cannot_touch_another_organs_attachment_through_own_form(client, alice, entry_a, entry_b):
    foreign = services.attachment_add(
        entry=entry_b, uploaded_file=SimpleUploadedFile("乙.pdf", PDF, content_type="application/pdf")
    )
    client.force_login(alice)
    data = change_data(entry_a)
    data.update(
        {
            "attachments-TOTAL_FORMS": "1",
            "attachments-INITIAL_FORMS": "1",
            "attachments-0-id": str(foreign.pk),
            "attachments-0-entry": str(entry_a.pk),
            "attachments-0-sort_order": "5",
            "attachments-0-DELETE": "on",
        }
    )
    client.post(change_url(entry_a), data)
    foreign.refresh_from_db()
    assert foreign.entry_id == entry_b.pk
    assert foreign.sort_order == 0


# -- saving through the services --------------------------------------------------------------


def test_add_form_saves_through_services_with_index_number(client, alice, organ_a):
    client.force_login(alice)
    response = client.post(ADD, entry_data(organ_a))
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = CatalogEntry.objects.get(title="关于公布2024年行政许可事项清单的通知")
    assert entry.organ == organ_a
    assert entry.index_number == "11231000MB0000001X/2024-00001"
    assert entry.created_by == alice
    assert entry.status == Status.DRAFT
    assert LogEntry.objects.filter(object_id=str(entry.pk)).exists()


def test_the_add_form_saves_a_draft_even_for_a_publisher(client, alice, organ_a):
    """Publishing goes through the review (the 审核与发布 page), never straight from the form."""
    client.force_login(alice)
    assert "publish_now" not in client.get(ADD).content.decode()
    client.post(ADD, entry_data(organ_a, publish_now="on"))
    entry = CatalogEntry.objects.get()
    assert entry.status == Status.DRAFT
    assert entry.published_at is None


def test_change_form_updates_through_services_and_keeps_index_number(client, alice, entry_a):
    client.force_login(alice)
    number = entry_a.index_number
    response = client.post(
        change_url(entry_a), change_data(entry_a, title="甲局的通知（修订）", publish_date="2025-01-02")
    )
    assert response.status_code == 302
    entry_a.refresh_from_db()
    assert entry_a.title == "甲局的通知（修订）"
    assert entry_a.publish_date == dt.date(2025, 1, 2)
    assert entry_a.index_number == number


def test_change_page_shows_index_number_read_only_and_theme_path(client, alice, entry_a):
    client.force_login(alice)
    content = client.get(change_url(entry_a)).content.decode()
    assert entry_a.index_number in content
    assert 'name="index_number"' not in content
    assert 'name="organ"' not in content  # an entry never moves to another organ
    assert "综合政务\\政务公开" in content


def test_add_page_shows_that_the_index_number_is_automatic(client, alice):
    client.force_login(alice)
    assert "保存后自动生成" in client.get(ADD).content.decode()


def test_expiry_before_effective_is_a_form_error(client, alice, organ_a):
    client.force_login(alice)
    response = client.post(ADD, entry_data(organ_a, effective_date="2024-06-01", expiry_date="2024-05-01"))
    assert response.status_code == 200
    assert not CatalogEntry.objects.exists()


# -- actions ----------------------------------------------------------------------------------


def test_bulk_approve_then_bulk_publish(client, alice, organ_a):
    drafts = CatalogEntryFactory.create_batch(2, organ=organ_a, publish=False)
    client.force_login(alice)
    ids = [e.pk for e in drafts]
    response = client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": ids}, follow=True)
    assert "2 个条目尚未审核通过，未发布" in response.content.decode()
    assert set(CatalogEntry.objects.values_list("status", flat=True)) == {Status.DRAFT}

    response = client.post(CHANGELIST, {"action": "approve_selected", "_selected_action": ids}, follow=True)
    assert "已审核通过 2 个条目" in response.content.decode()
    response = client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": ids}, follow=True)
    assert "已发布 2 个条目" in response.content.decode()
    assert set(CatalogEntry.objects.values_list("status", flat=True)) == {Status.PUBLISHED}


def test_bulk_withdraw_asks_for_the_reason_and_keeps_the_record(client, alice, organ_a):
    entry = CatalogEntryFactory(organ=organ_a)
    client.force_login(alice)
    asked = client.post(CHANGELIST, {"action": "withdraw_selected", "_selected_action": [entry.pk]})
    assert asked.status_code == 200
    assert "撤回原因（必填）" in asked.content.decode()
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED

    client.post(
        CHANGELIST,
        {
            "action": "withdraw_selected",
            "_selected_action": [entry.pk],
            "confirm": "1",
            "reason": "文件已失效",
        },
    )
    entry.refresh_from_db()
    assert entry.status == Status.WITHDRAWN
    assert entry.withdrawn_at is not None
    assert entry.withdrawn_reason == "文件已失效"
    assert entry.index_number.endswith("-00001")


def test_the_review_page_approves_and_publishes(client, alice, entry_a):
    client.force_login(alice)
    url = reverse("admin:catalog_catalogentry_review", args=[entry_a.pk])
    assert client.post(url, {"step": "approve", "text": "无涉密内容"}).status_code == 302
    assert client.post(url, {"step": "publish"}).status_code == 302
    entry_a.refresh_from_db()
    assert entry_a.status == Status.PUBLISHED
    assert "无涉密内容" in client.get(change_url(entry_a)).content.decode()


def test_the_review_page_of_another_organs_entry_is_not_found(client, alice, entry_b):
    client.force_login(alice)
    url = reverse("admin:catalog_catalogentry_review", args=[entry_b.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"step": "approve"}).status_code == 404
    entry_b.refresh_from_db()
    assert entry_b.status == Status.DRAFT


def test_publish_actions_need_the_publish_permission(client, alice, entry_a):
    alice.user_permissions.remove(Permission.objects.get(codename="publish_catalogentry"))
    client.force_login(alice)
    content = client.get(CHANGELIST).content.decode()
    assert "publish_selected" not in content
    client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": [entry_a.pk]})
    entry_a.refresh_from_db()
    assert entry_a.status == Status.DRAFT


def test_a_published_entry_shows_its_content_read_only_but_its_validity_editable(client, alice, organ_a):
    entry = CatalogEntryFactory(organ=organ_a)
    client.force_login(alice)
    content = client.get(change_url(entry)).content.decode()
    assert 'name="title"' not in content and 'name="body"' not in content
    assert 'name="validity"' in content and 'name="expiry_date"' in content


def test_published_entries_cannot_be_deleted(client, alice, organ_a):
    entry = CatalogEntryFactory(organ=organ_a)
    client.force_login(alice)
    url = reverse("admin:catalog_catalogentry_delete", args=[entry.pk])
    assert client.get(url).status_code == 403
    client.post(url, {"post": "yes"})
    assert CatalogEntry.objects.filter(pk=entry.pk).exists()


def test_drafts_can_be_deleted_and_their_serial_is_not_reused(client, alice, entry_a, organ_a):
    client.force_login(alice)
    response = client.post(reverse("admin:catalog_catalogentry_delete", args=[entry_a.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not CatalogEntry.objects.filter(pk=entry_a.pk).exists()
    assert CatalogEntryFactory(organ=organ_a).index_number.endswith("-00002")


# -- attachments ------------------------------------------------------------------------------


def test_attachment_upload_keeps_original_name(client, alice, organ_a):
    client.force_login(alice)
    upload = SimpleUploadedFile("许可事项清单.pdf", PDF, content_type="application/octet-stream")
    response = client.post(ADD, with_upload(entry_data(organ_a), upload))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "许可事项清单.pdf"
    assert attachment.size == len(PDF)
    assert attachment.content_type == "application/pdf"
    assert len(attachment.token) == 32
    assert attachment.token in attachment.file.name
    assert "许可" not in attachment.file.name
    assert attachment.file.read() == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00", "类型不允许上传"),
        ("通知.pdf", b"<html><script>alert(1)</script>", "扩展名与文件内容不符"),
        ("表格.xlsx", b"%PDF-1.4", "扩展名与文件内容不符"),
    ],
)
def test_bad_attachment_saves_nothing(client, alice, organ_a, name, content, message):
    client.force_login(alice)
    response = client.post(ADD, with_upload(entry_data(organ_a), SimpleUploadedFile(name, content)))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CatalogEntry.objects.exists()
    assert not Attachment.objects.exists()


def test_oversized_attachment_is_refused_on_change_and_entry_is_not_saved(client, alice, entry_a, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    client.force_login(alice)
    data = with_upload(change_data(entry_a, title="不应保存的新标题"), SimpleUploadedFile("大.pdf", PDF))
    response = client.post(change_url(entry_a), data)
    assert response.status_code == 200
    assert "超过了" in response.content.decode()
    entry_a.refresh_from_db()
    assert entry_a.title == "甲局的通知"
    assert not Attachment.objects.exists()


def test_attachment_can_be_removed_from_the_change_form(
    client, alice, entry_a, django_capture_on_commit_callbacks
):
    attachment = services.attachment_add(entry=entry_a, uploaded_file=SimpleUploadedFile("a.pdf", PDF))
    name = attachment.file.name
    storage = attachment.file.storage
    client.force_login(alice)
    data = change_data(entry_a)
    data.update(
        {
            "attachments-TOTAL_FORMS": "1",
            "attachments-INITIAL_FORMS": "1",
            "attachments-0-id": str(attachment.pk),
            "attachments-0-entry": str(entry_a.pk),
            "attachments-0-sort_order": "0",
            "attachments-0-DELETE": "on",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(entry_a), data)
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not storage.exists(name)


@pytest.mark.parametrize(
    "name",
    [
        "admin:catalog_catalogentry_changelist",
        "admin:catalog_themecategory_changelist",
        "admin:catalog_genre_changelist",
        "admin:organs_organ_changelist",
        "admin:organs_organpage_changelist",
        "admin:organs_membership_changelist",
        "admin:catalog_catalogentry_import",
    ],
)
def test_superuser_opens_every_back_office_list(client, root, entry_a, entry_b, name):
    client.force_login(root)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "政府信息公开管理后台" in response.content.decode()
