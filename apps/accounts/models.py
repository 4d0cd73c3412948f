"""The back office's login lockouts, as the superuser's admin lists them.

django-axes counts wrong passwords per account and per address (settings AXES_*) in its
AccessAttempt table; this proxy only gives that table a Chinese name and a place in the
admin (apps/accounts/admin.py), without a table of its own.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from axes.models import AccessAttempt


class LoginAttempt(AccessAttempt):
    class Meta:
        proxy = True
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败与锁定")
