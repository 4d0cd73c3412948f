"""Optimistic locking of the records clerks edit in the back office.

Two clerks may open the same record; without a check, the second save silently overwrites the
first. Every such model inherits ``Versioned``: each save bumps ``version``. The admin form carries
the version the clerk loaded (a hidden field) and ``check_version`` compares it with the row under
``SELECT ... FOR UPDATE``, so the second save is refused with the name and time of the change it
would have overwritten, and the form comes back with the clerk's input. Services that take an
``expected_version`` run the same check, whoever calls them.

Applications keep their own version (apps/applications/services/base.py): same idea, older code.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Versioned(models.Model):
    # Editable so that the admin may name it in a form; VersionedForm makes it a hidden input.
    # db_default: rows written by older code (a data migration's historical models) get 1 too.
    version = models.PositiveIntegerField(gettext_lazy("版本"), default=1, db_default=1)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)


def last_change(record: models.Model) -> tuple[str, object] | None:
    """Who changed the record last in the back office, and when (the admin's log)."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk)
        )
        .select_related("user")
        .order_by("-action_time", "-pk")
        .first()
    )
    if entry is None:
        return None
    return entry.user.get_full_name() or entry.user.get_username(), entry.action_time


def stale_message(record: models.Model) -> str:
    change = last_change(record)
    if change is None:
        return _("该记录已被他人修改，请刷新后重试。您的修改未保存。")
    who, at = change
    return _("该记录已被他人修改（%(who)s，%(when)s），请刷新后重试。您的修改未保存。") % {
        "who": who,
        "when": timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
    }


def lock(record: models.Model, expected_version: int | None = None) -> models.Model:
    """Lock the record's row and return it as stored; refuse if its version is not the one the
    clerk loaded. The instance takes the row's version, so that its save bumps the right number.

    Inside a transaction (every service and the admin's POST), the lock holds until the save, so
    two concurrent saves cannot both pass. ``None`` means the caller loaded nothing to compare.
    """
    current = type(record)._default_manager.select_for_update().get(pk=record.pk)
    if expected_version is not None and current.version != expected_version:
        raise ValidationError(stale_message(record), code="stale")
    record.version = current.version
    return current


def check_version(record: models.Model, expected_version: int | None) -> None:
    """``lock`` for a form: nothing to compare on a new record or without a loaded version."""
    if expected_version is None or record.pk is None:
        return
    lock(record, expected_version)


class VersionedForm(forms.ModelForm):
    """A model form that carries the version it was loaded with and refuses a stale save."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and "version" in self.fields:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        # Compared here, never written back: the saved row's own version is bumped on save.
        expected = cleaned.pop("version", None)
        try:
            check_version(self.instance, expected)
        except ValidationError as error:
            # The stale version is the whole form's problem, not a hidden field's.
            self.add_error(None, error)
        return cleaned


class VersionedAdminMixin:
    """Put the hidden version into every change form of a ModelAdmin (first fieldset)."""

    form = VersionedForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        # A read-only page (no change permission) has no save to protect.
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets
        if any("version" in _flat(options.get("fields", ())) for _name, options in fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options.get("fields", ()), "version"]}), *rest]

    def get_readonly_fields(self, request, obj=None):
        # Never read-only while the page can save: the hidden field must be posted back.
        return [name for name in super().get_readonly_fields(request, obj) if name != "version"]


def _flat(fields) -> list[str]:
    names: list[str] = []
    for field in fields:
        names.extend(field if isinstance(field, (list, tuple)) else [field])
    return names
