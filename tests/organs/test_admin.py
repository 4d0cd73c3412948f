"""Organ back office: contacts for clerks, 指南/制度 pages scoped by organ, memberships for superusers."""

from __future__ import annotations

from django.urls import reverse

import pytest

from apps.organs.models import Membership, Organ, OrganPage
from tests.factories import OrganPageFactory

pytestmark = pytest.mark.django_db


def organ_change(organ):
    return reverse("admin:organs_organ_change", args=[organ.pk])


def contact_post(organ, **overrides):
    data = {
        "office_name": "办公室",
        "office_address": "牡丹江市东安区太平路1号",
        "postal_code": "157000",
        "office_hours": "工作日 8:30-11:30，13:30-17:00",
        "phone": "0453-1234567",
        "fax": "0453-1234568",
        "email": "gk@example.gov.cn",
        "website": "https://www.example.gov.cn/",
    }
    data.update(overrides)
    return data


def test_clerk_changes_only_the_contacts_of_own_organ(client, alice, organ_a):
    client.force_login(alice)
    page = client.get(organ_change(organ_a)).content.decode()
    assert 'name="phone"' in page
    assert 'name="name"' not in page and 'name="code"' not in page
    response = client.post(
        organ_change(organ_a),
        contact_post(organ_a, name="被改掉的名称", code="11231000MB0000009X", phone="0453-7654321"),
    )
    assert response.status_code == 302
    organ_a.refresh_from_db()
    assert organ_a.phone == "0453-7654321"
    assert organ_a.office_address == "牡丹江市东安区太平路1号"
    assert organ_a.name == "牡丹江市经济合作促进局"
    assert organ_a.code == "11231000MB0000001X"


def test_clerk_gets_a_chinese_message_for_a_bad_email(client, alice, organ_a):
    client.force_login(alice)
    response = client.post(organ_change(organ_a), contact_post(organ_a, email="不是邮箱"))
    assert response.status_code == 200
    assert "输入一个有效的 Email 地址" in response.content.decode()


def test_clerk_cannot_see_or_change_another_organ(client, alice, organ_a, organ_b):
    client.force_login(alice)
    listing = client.get(reverse("admin:organs_organ_changelist")).content.decode()
    assert "牡丹江市经济合作促进局" in listing
    assert "牡丹江市统计局" not in listing
    assert client.get(organ_change(organ_b)).status_code in (302, 403)
    client.post(organ_change(organ_b), contact_post(organ_b, phone="0453-0000001"))
    organ_b.refresh_from_db()
    assert organ_b.phone != "0453-0000001"


def test_clerk_cannot_add_or_delete_organs(client, alice, organ_a):
    client.force_login(alice)
    assert client.get(reverse("admin:organs_organ_add")).status_code == 403
    assert (
        client.post(reverse("admin:organs_organ_delete", args=[organ_a.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Organ.objects.filter(pk=organ_a.pk).exists()


def test_superuser_creates_an_organ_through_the_service(client, root):
    client.force_login(root)
    data = contact_post(
        None,
        name="牡丹江市司法局",
        short_name="市司法局",
        slug="sfj",
        kind="department",
        code="11231000MB0000003X",
        parent="",
        is_active="on",
        sort_order="100",
    )
    response = client.post(reverse("admin:organs_organ_add"), data)
    assert response.status_code == 302
    assert Organ.objects.get(slug="sfj").phone == "0453-1234567"


def test_superuser_gets_a_chinese_message_for_a_bad_code(client, root):
    client.force_login(root)
    data = contact_post(None, name="某局", slug="mj", kind="department", code="123", sort_order="1")
    response = client.post(reverse("admin:organs_organ_add"), data)
    assert response.status_code == 200
    assert "请输入18位统一社会信用代码或9位组织机构代码" in response.content.decode()


def test_charlie_sees_no_organs(client, charlie, organ_a):
    client.force_login(charlie)
    assert client.get(reverse("admin:organs_organ_changelist")).status_code == 403
    assert client.get(reverse("admin:organs_organpage_changelist")).status_code == 403


# -- 指南 / 制度 pages -----------------------------------------------------------------------


def test_pages_list_shows_own_pages_with_update_time(client, alice, organ_a, organ_b):
    OrganPageFactory(organ=organ_a, title="甲局公开指南")
    OrganPageFactory(organ=organ_b, title="乙局公开指南")
    client.force_login(alice)
    content = client.get(reverse("admin:organs_organpage_changelist")).content.decode()
    assert "甲局公开指南" in content
    assert "乙局公开指南" not in content
    assert "发布时间" in content and "审核状态" in content


def test_clerk_edits_own_page(client, alice, organ_a):
    page = OrganPageFactory(organ=organ_a, title="旧标题")
    client.force_login(alice)
    url = reverse("admin:organs_organpage_change", args=[page.pk])
    response = client.post(
        url, {"title": "政府信息公开指南（2025年版）", "body": "一、主动公开\n\n二、依申请公开"}
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title == "政府信息公开指南（2025年版）"


def test_clerk_cannot_edit_or_create_another_organs_page(client, alice, organ_b):
    page = OrganPageFactory(organ=organ_b, title="乙局指南")
    client.force_login(alice)
    url = reverse("admin:organs_organpage_change", args=[page.pk])
    assert client.get(url).status_code == 302
    client.post(url, {"title": "篡改", "body": "篡改"})
    page.refresh_from_db()
    assert page.title == "乙局指南"
    response = client.post(
        reverse("admin:organs_organpage_add"),
        {"organ": organ_b.pk, "kind": "rules", "title": "冒名制度", "body": "正文"},
    )
    assert response.status_code == 200
    assert not OrganPage.objects.filter(title="冒名制度").exists()


def test_clerk_creates_own_page_and_duplicates_are_refused(client, alice, organ_a):
    client.force_login(alice)
    add = reverse("admin:organs_organpage_add")
    data = {"organ": organ_a.pk, "kind": "rules", "title": "政府信息公开制度", "body": "第一条"}
    assert client.post(add, data).status_code == 302
    response = client.post(add, data)
    assert response.status_code == 200
    assert OrganPage.objects.filter(organ=organ_a, kind="rules").count() == 1


# -- memberships ----------------------------------------------------------------------------


def test_memberships_are_for_superusers_only(client, alice, root):
    client.force_login(alice)
    url = reverse("admin:organs_membership_changelist")
    assert client.get(url).status_code == 403
    assert client.get(reverse("admin:organs_membership_change", args=[alice.membership.pk])).status_code in (
        302,
        403,
    )
    client.force_login(root)
    content = client.get(url).content.decode()
    assert "alice" in content


def test_superuser_assigns_a_clerk(client, root, charlie, organ_b):
    client.force_login(root)
    response = client.post(reverse("admin:organs_membership_add"), {"user": charlie.pk, "organ": organ_b.pk})
    assert response.status_code == 302
    assert Membership.objects.get(user=charlie).organ == organ_b
