"""Back-office forms of the organs app: a clerk's membership with their roles."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.organs.locking import VersionedForm
from apps.organs.models import Membership
from apps.organs.roles import Role, roles_of


class MembershipForm(VersionedForm):
    roles = forms.MultipleChoiceField(
        label=_("角色"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("信息员起草和修改，审核人进行保密审查（通过或退回），发布人发布和撤回。"),
    )

    class Meta:
        model = Membership
        fields = ["user", "organ"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["roles"].initial = sorted(roles_of(self.instance.user))
