"""Who may do what in the back office: the clerks' roles per organ, and the city's office.

条例第十七条 asks for a 保密审查 before anything is published. Offices split the work:

- 信息员 drafts and edits the organ's records;
- 审核人 does the review: approves a draft or returns it with an opinion;
- 发布人 publishes what was approved (and withdraws it, with a reason).

Each role is a Django group carrying its permissions, created and kept in step with the code by
``role_groups_sync`` after every migrate (apps/organs/apps.py). A clerk works for one organ (Membership is one-to-one with the user),
so the groups of a clerk are their roles in that organ; the superuser sets them on the clerk's
Membership. An organ may let one person hold several roles for the same record
(``Organ.combined_roles_allowed``); the history then says so. The services check the roles
(``may_review``, ``may_publish``), the admin hides what a role may not do.

The city's 政务公开办 sees every organ's records, read-only: its group has the view
permissions and ``organs.view_all_organs``, nothing that writes.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _

#: The apps whose records clerks keep.
CLERK_APPS = (
    "organs",
    "catalog",
    "applications",
    "proactive",
    "litigation",
    "proposals",
    "reports",
    "workdays",
)
#: Models clerks may look at but never write: reference data and superusers' business,
#: append-only logs and frozen versions.
READ_ONLY_MODELS = {
    ("organs", "membership"),
    ("organs", "recordevent"),
    ("catalog", "themecategory"),
    ("catalog", "genre"),
    ("applications", "applicationevent"),
    ("reports", "reportversion"),
    ("workdays", "calendaryear"),
    ("workdays", "calendarday"),
}
#: Permissions no role gets: organs and clerks are the superuser's.
SUPERUSER_ONLY = {("organs", "add_organ"), ("organs", "delete_organ"), ("organs", "view_membership")}
#: The city office's permission to read every organ's records.
CITY_OFFICE_PERMISSION = "organs.view_all_organs"
#: Seeing an applicant's identity number, phone and address unmasked.
PERSONAL_DATA_PERMISSION = ("applications", "view_personal_data")


class Role(models.TextChoices):
    DRAFTER = "drafter", _("信息员")
    REVIEWER = "reviewer", _("审核人")
    PUBLISHER = "publisher", _("发布人")


#: Group names (Chinese, as the superuser sees them in the admin).
GROUP_NAMES: dict[str, str] = {
    Role.DRAFTER: "信息员",
    Role.REVIEWER: "审核人",
    Role.PUBLISHER: "发布人",
}
CITY_OFFICE_GROUP = "市政务公开办（只读）"


def _model_of(codename: str) -> str:
    return codename.split("_", 1)[1]


def group_permissions(group: str, available: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """The (app_label, codename) pairs a group holds, out of the permissions that exist."""
    drafter, reviewer, publisher = (GROUP_NAMES[role] for role in Role)
    chosen: set[tuple[str, str]] = set()
    for pair in available:
        app_label, codename = pair
        if app_label not in CLERK_APPS or pair in SUPERUSER_ONLY:
            continue
        action = codename.split("_", 1)[0]
        if f"{app_label}.{codename}" == CITY_OFFICE_PERMISSION:
            wanted = group == CITY_OFFICE_GROUP
        elif pair == PERSONAL_DATA_PERMISSION:
            wanted = group == drafter  # the clerk who registers and answers applications
        elif action == "view":
            wanted = True
        elif action in ("add", "change", "delete"):
            wanted = group == drafter and (app_label, _model_of(codename)) not in READ_ONLY_MODELS
        else:
            wanted = (action, group) in (("review", reviewer), ("publish", publisher))
        if wanted:
            chosen.add(pair)
    return chosen


def role_groups_sync() -> None:
    """Create the role groups and the city office's group, and set exactly their permissions."""
    from django.contrib.auth.models import Group, Permission

    permissions = list(Permission.objects.values_list("content_type__app_label", "codename", "pk"))
    available = [(app_label, codename) for app_label, codename, _pk in permissions]
    ids = {(app_label, codename): pk for app_label, codename, pk in permissions}
    for name in (*GROUP_NAMES.values(), CITY_OFFICE_GROUP):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set([ids[pair] for pair in group_permissions(name, available)])


def is_city_office(user) -> bool:
    """A member of the city's 政务公开办: reads every organ, writes nothing.

    A clerk of an organ stays a clerk of that organ, whatever permissions they were given.
    """
    return (
        user.is_authenticated
        and user.is_active
        and not user.is_superuser
        and getattr(user, "membership", None) is None
        and user.has_perm(CITY_OFFICE_PERMISSION)
    )


def sees_all_organs(user) -> bool:
    return user.is_authenticated and user.is_active and (user.is_superuser or is_city_office(user))


def roles_of(user) -> set[str]:
    """The roles a clerk holds in their organ (the role groups they belong to)."""
    names = set(user.groups.values_list("name", flat=True))
    return {role for role, name in GROUP_NAMES.items() if name in names}
