"""Clerks with roles (apps/organs/roles.py), as the superuser would set them on a membership."""

from __future__ import annotations

from django.contrib.auth.models import Group

from apps.organs import services
from apps.organs.roles import CITY_OFFICE_GROUP
from tests.factories import UserFactory


def clerk_with_roles(username: str, organ, *roles: str):
    user = UserFactory(username=username, is_staff=True)
    services.membership_create(user=user, organ=organ, roles=roles)
    return user


def city_office_member(username: str = "city"):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=CITY_OFFICE_GROUP))
    return user
