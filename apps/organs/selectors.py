"""Reads about organs that other apps use."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from apps.organs.models import Organ, OrganQuerySet


def organ_for_user(user: AbstractBaseUser | AnonymousUser) -> Organ | None:
    """The organ a clerk works for; None for superusers and users without one."""
    if not user.is_authenticated:
        return None
    membership = getattr(user, "membership", None)
    return membership.organ if membership is not None else None


def organs_visible_to(user) -> OrganQuerySet:
    """Organs whose records the user may see in the back office (deny by default)."""
    if user.is_active and user.is_superuser:
        return Organ.objects.all()
    organ = organ_for_user(user)
    if organ is None:
        return Organ.objects.none()
    return Organ.objects.filter(pk=organ.pk)


def public_organs() -> OrganQuerySet:
    return Organ.objects.active().select_related("parent")
