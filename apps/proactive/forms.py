"""Back-office forms: an explicit "不适用" box next to the table-2 numbers."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.organs.locking import VersionedForm
from apps.proactive.enums import Power
from apps.proactive.models import NOT_NEGATIVE, Table2Override, YearTally


def not_applicable_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("不适用"),
        required=False,
        help_text=_("本机关无此项职权时勾选，报告中显示为“/”。"),
    )


class NotApplicableForm(VersionedForm):
    """Each field in ``not_applicable_fields`` has a "<field>_na" checkbox declared next to it.

    An empty number is ambiguous (none this year, or no such power?), so one of the two
    is required: a number (0 included), or the box ticked, which stores None ("/").
    """

    not_applicable_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            for name in self.not_applicable_fields:
                self.fields[f"{name}_na"].initial = getattr(self.instance, name) is None

    def clean(self):
        cleaned = super().clean()
        for name in self.not_applicable_fields:
            if name in self.errors:
                continue
            value, not_applicable = cleaned.get(name), cleaned.get(f"{name}_na")
            if not_applicable and value is not None:
                self.add_error(name, _("已勾选“不适用”，请不要填写数字。"))
            elif not not_applicable and value is None:
                self.add_error(name, _("请填写数字（没有的填0），或勾选“不适用”。"))
        return cleaned


class YearTallyForm(VersionedForm):
    """The not-applicable boxes are the model's own fields (one per power, see YearTally).

    An empty figure is allowed here ("not entered yet"): the report refuses to publish while a
    figure its format prints is neither a number nor not applicable, and says which.
    """

    class Meta:
        model = YearTally
        fields = [
            "organ",
            "year",
            *(
                name
                for power in Power.values
                for name in (f"{power}_not_applicable", *YearTally.FIGURES[power])
            ),
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in YearTally.MEASURES:
            if name in self.fields and name not in YearTally.CHANGES:
                # The form field's own min_value check runs first: give it the model's message.
                self.fields[name].error_messages["min_value"] = NOT_NEGATIVE.message


class Table2OverrideForm(NotApplicableForm):
    not_applicable_fields = ("issued", "repealed", "in_force")
    issued_na = not_applicable_field()
    repealed_na = not_applicable_field()
    in_force_na = not_applicable_field()

    class Meta:
        model = Table2Override
        fields = ["organ", "year", "kind", "issued", "repealed", "in_force", "reason"]
