"""登录失败与锁定: the superuser sees who is locked out of the back office and lifts a lockout.

A login is refused once the wrong passwords within the cool-off period reach the limit, for
the account (whatever the address) or for the address (whatever the account). One row is one
account tried from one address with one browser; the two "locked" columns add up the rows of
the same account and of the same address, as django-axes does when it decides.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.db.models import IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt

from apps.accounts.models import LoginAttempt
from apps.organs.admin_scoping import DeclaredFiltersOnly


def failure_limit() -> int:
    return settings.AXES_FAILURE_LIMIT


def recent_attempts() -> QuerySet:
    """Attempts that still count: those within the cool-off period (all, without one)."""
    cool_off = get_cool_off()
    attempts = AccessAttempt.objects.all()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts


def _failures_by(field: str) -> Subquery:
    total = (
        recent_attempts()
        .filter(**{field: OuterRef(field)})
        .order_by()
        .values(field)
        .annotate(total=Sum("failures_since_start"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), 0)


class LockedFilter(admin.SimpleListFilter):
    title = _("锁定状态")
    parameter_name = "locked"

    def lookups(self, request, model_admin):
        return [("yes", _("已锁定")), ("no", _("未锁定"))]

    def queryset(self, request, queryset):
        locked = Q(account_failures__gte=failure_limit()) | Q(address_failures__gte=failure_limit())
        if self.value() == "yes":
            return queryset.filter(locked)
        if self.value() == "no":
            return queryset.exclude(locked)
        return queryset


@admin.register(LoginAttempt)
class LoginAttemptAdmin(DeclaredFiltersOnly, admin.ModelAdmin):
    list_display = [
        "username_display",
        "ip_display",
        "failures_display",
        "attempt_time_display",
        "account_locked",
        "address_locked",
    ]
    list_filter = [LockedFilter]
    search_fields = ["username", "ip_address"]
    actions = ["unlock_accounts", "unlock_addresses"]
    fields = ["username", "ip_address", "user_agent", "path_info", "failures_since_start", "attempt_time"]
    readonly_fields = fields
    list_per_page = 100

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(account_failures=_failures_by("username"), address_failures=_failures_by("ip_address"))
        )

    @admin.display(description=_("账号"), ordering="username")
    def username_display(self, obj: LoginAttempt) -> str:
        return obj.username or "—"

    @admin.display(description=_("网络地址"), ordering="ip_address")
    def ip_display(self, obj: LoginAttempt) -> str:
        return obj.ip_address or "—"

    @admin.display(description=_("失败次数"), ordering="failures_since_start")
    def failures_display(self, obj: LoginAttempt) -> int:
        return obj.failures_since_start

    @admin.display(description=_("最近一次失败"), ordering="attempt_time")
    def attempt_time_display(self, obj: LoginAttempt):
        return obj.attempt_time

    @admin.display(description=_("账号已锁定"), boolean=True)
    def account_locked(self, obj: LoginAttempt) -> bool:
        return obj.account_failures >= failure_limit()

    @admin.display(description=_("地址已锁定"), boolean=True)
    def address_locked(self, obj: LoginAttempt) -> bool:
        return obj.address_failures >= failure_limit()

    # --- superusers only; the rows are written by django-axes, never by hand --------------

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        # Unlocking is by account or by address (below), not row by row.
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("解除所选账号的锁定"), permissions=["delete"])
    def unlock_accounts(self, request, queryset):
        usernames = sorted({u for u in queryset.values_list("username", flat=True) if u})
        for username in usernames:
            AxesProxyHandler.reset_attempts(username=username)
        self._unlocked(request, usernames)

    @admin.action(description=_("解除所选网络地址的锁定"), permissions=["delete"])
    def unlock_addresses(self, request, queryset):
        addresses = sorted({a for a in queryset.values_list("ip_address", flat=True) if a})
        for address in addresses:
            AxesProxyHandler.reset_attempts(ip_address=address)
        self._unlocked(request, addresses)

    def _unlocked(self, request, names: list[str]) -> None:
        self.message_user(
            request,
            ngettext(
                "已解除 %(count)d 项锁定：%(names)s。", "已解除 %(count)d 项锁定：%(names)s。", len(names)
            )
            % {"count": len(names), "names": "、".join(names)},
            messages.SUCCESS,
        )
