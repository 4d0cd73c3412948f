"""Roles per organ (信息员, 审核人, 发布人) as Django groups, and the city office's read-only view."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.urls import reverse

import pytest

from apps.organs.models import Membership
from apps.organs.roles import CITY_OFFICE_GROUP, GROUP_NAMES, Role, role_groups_sync, roles_of
from apps.organs.selectors import organs_visible_to
from tests.admin_forms import change_form_data
from tests.factories import CatalogEntryFactory, UserFactory
from tests.roles import city_office_member, clerk_with_roles

pytestmark = pytest.mark.django_db


def perms(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }


def test_the_drafter_writes_the_organs_records_but_neither_reviews_nor_publishes():
    drafter = perms(GROUP_NAMES[Role.DRAFTER])
    assert {"catalog.add_catalogentry", "catalog.change_catalogentry", "proposals.change_proposal"} <= drafter
    assert "applications.view_personal_data" in drafter
    assert not {p for p in drafter if p.split(".")[1].startswith(("review_", "publish_"))}
    # Organs and clerks are the superuser's; logs and frozen versions are append-only.
    assert not {"organs.add_organ", "organs.delete_organ", "organs.change_membership"} & drafter
    assert "reports.change_reportversion" not in drafter
    assert "workdays.change_calendaryear" not in drafter


def test_the_reviewer_and_the_publisher_only_look_besides_their_one_step():
    for role, step in ((Role.REVIEWER, "review_"), (Role.PUBLISHER, "publish_")):
        held = perms(GROUP_NAMES[role])
        assert "catalog.view_catalogentry" in held
        assert {p for p in held if not p.split(".")[1].startswith("view_")} == {
            p for p in held if p.split(".")[1].startswith(step)
        }
        assert "applications.view_personal_data" not in held
    assert "catalog.publish_catalogentry" in perms(GROUP_NAMES[Role.PUBLISHER])


def test_the_city_office_may_only_look():
    held = perms(CITY_OFFICE_GROUP)
    assert "organs.view_all_organs" in held
    assert "catalog.view_catalogentry" in held
    assert all(p.split(".")[1].startswith("view_") for p in held)
    assert "applications.view_personal_data" not in held


def test_role_groups_follow_the_code_when_synced_again():
    group = Group.objects.get(name=GROUP_NAMES[Role.DRAFTER])
    group.permissions.remove(Permission.objects.get(codename="add_catalogentry"))
    group.permissions.add(Permission.objects.get(codename="add_organ"))
    role_groups_sync()
    assert "catalog.add_catalogentry" in perms(group.name)
    assert "organs.add_organ" not in perms(group.name)


def test_the_superuser_sets_a_clerks_roles_on_the_membership(client, root, organ_a):
    user = UserFactory(username="zhang", is_staff=True)
    client.force_login(root)
    response = client.post(
        reverse("admin:organs_membership_add"),
        {"user": user.pk, "organ": organ_a.pk, "roles": [Role.DRAFTER, Role.REVIEWER], "_save": "保存"},
    )
    assert response.status_code == 302
    assert roles_of(user) == {Role.DRAFTER, Role.REVIEWER}

    membership = Membership.objects.get(user=user)
    url = reverse("admin:organs_membership_change", args=[membership.pk])
    page = client.get(url)
    assert "审核人" in client.get(reverse("admin:organs_membership_changelist")).content.decode()
    client.post(url, {**change_form_data(page), "roles": [Role.PUBLISHER]})
    assert roles_of(user) == {Role.PUBLISHER}


def test_roles_keep_a_clerks_other_groups(organ_a):
    other = Group.objects.create(name="档案室")
    user = clerk_with_roles("li", organ_a, Role.REVIEWER)
    user.groups.add(other)
    from apps.organs import services

    services.membership_set_roles(membership=user.membership, roles=[Role.DRAFTER])
    assert set(user.groups.values_list("name", flat=True)) == {"档案室", "信息员"}


def test_a_role_gives_nothing_outside_the_clerks_organ(client, organ_a, organ_b):
    entry_b = CatalogEntryFactory(organ=organ_b, title="乙局的条目")
    drafter = clerk_with_roles("xu", organ_a, Role.DRAFTER, Role.REVIEWER, Role.PUBLISHER)
    client.force_login(drafter)
    assert "乙局的条目" not in client.get(reverse("admin:catalog_catalogentry_changelist")).content.decode()
    assert client.get(reverse("admin:catalog_catalogentry_change", args=[entry_b.pk])).status_code == 302


def test_the_city_office_sees_every_organ(client, organ_a, organ_b):
    CatalogEntryFactory(organ=organ_a, title="甲局的条目")
    CatalogEntryFactory(organ=organ_b, title="乙局的条目")
    client.force_login(city_office_member())
    content = client.get(reverse("admin:catalog_catalogentry_changelist")).content.decode()
    assert "甲局的条目" in content and "乙局的条目" in content
    assert "organ__id__exact" in content  # the organ filter, as for superusers
    organs = client.get(reverse("admin:organs_organ_changelist")).content.decode()
    assert organ_a.name in organs and organ_b.name in organs


def test_the_city_office_changes_nothing(client, organ_a):
    entry = CatalogEntryFactory(organ=organ_a, title="甲局的条目", publish=False)
    client.force_login(city_office_member())
    url = reverse("admin:catalog_catalogentry_change", args=[entry.pk])
    page = client.get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "甲局的条目" in content
    assert 'name="_save"' not in content and 'name="title"' not in content
    assert client.post(url, {"title": "改了", "_save": "保存"}).status_code == 403
    assert client.get(reverse("admin:catalog_catalogentry_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:catalog_catalogentry_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    organ_page = client.get(reverse("admin:organs_organ_change", args=[organ_a.pk])).content.decode()
    assert 'name="phone"' not in organ_page
    entry.refresh_from_db()
    assert entry.title == "甲局的条目"
    assert entry.version == 1


def test_organs_visible_to_the_city_office_are_all_organs(organ_a, organ_b):
    assert set(organs_visible_to(city_office_member())) == {organ_a, organ_b}
    assert list(organs_visible_to(clerk_with_roles("wu", organ_a, Role.DRAFTER))) == [organ_a]
