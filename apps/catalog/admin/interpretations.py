"""政策解读 in the back office: link an entry to the entries that interpret it, and the other way round.

Both inlines sit on the entry's change form, so only the organ that owns the entry edits its links
(OrganScopedAdmin scopes the form). The other end is named by its 索引号: the organ's own entry in
any state, or another organ's published entry. Every write goes through apps.catalog.services.

未关联解读的规范性文件 lists the published normative documents without a published 解读: a
warning for the clerk, never a block on publishing.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT, ManagementForm
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.catalog import services
from apps.catalog.enums import Status
from apps.catalog.models import CatalogEntry, Interpretation, NormativeWithoutInterpretation
from apps.catalog.selectors.interpretations import normative_without_interpretation
from apps.organs.admin_scoping import OrganScopedAdmin


class LinkForm(forms.ModelForm):
    """One link, the other end typed as its 索引号 (fixed once saved: delete the row to change it)."""

    other_index_number = forms.CharField(
        label=_("索引号"), max_length=60, widget=forms.TextInput(attrs={"size": 32})
    )

    class Meta:
        model = Interpretation
        fields = ("kind", "sort_order")

    def __init__(self, *args, other_field: str, entry: CatalogEntry, **kwargs):
        super().__init__(*args, **kwargs)
        # The field of Interpretation that names the other end, and the entry whose page this is.
        self.other_field, self.entry = other_field, entry
        self.other = None
        field = self.fields["other_index_number"]
        if self.instance.pk:
            self.other = getattr(self.instance, self.other_field)
            field.initial = self.other.index_number
            field.disabled = True
            field.required = False
        field.help_text = _("本机关的条目，或其他机关已发布的条目。")

    def clean_other_index_number(self):
        if self.instance.pk:
            return self.other.index_number
        number = self.cleaned_data["other_index_number"].strip()
        entry = self.entry
        other = (
            CatalogEntry.objects.filter(Q(organ_id=entry.organ_id) | Q(status=Status.PUBLISHED))
            .filter(index_number=number)
            .select_related("organ")
            .first()
        )
        if other is None:
            raise ValidationError(_("没有找到这个索引号的本机关条目或已发布条目。"))
        if other.pk == entry.pk:
            raise ValidationError(_("一个条目不能解读它自己。"))
        self.other = other
        return number


class LinkFormSet(BaseInlineFormSet):
    """Saves through the services; a post that leaves this section out changes none of its links.

    The entry's form is posted by the clerk's browser, but also by scripts and older clients that
    know nothing of 政策解读: without this section's management form they save the entry and leave
    its links as they were, instead of failing the whole form.
    """

    #: This page's entry is the "policy" end (its 解读 are listed) or the "interpretation" end.
    entry_field = "policy"

    @property
    def other_field(self) -> str:
        return "interpretation" if self.entry_field == "policy" else "policy"

    @cached_property
    def management_form(self):
        if self.is_bound and self.add_prefix(TOTAL_FORM_COUNT) not in self.data:
            form = ManagementForm(
                {self.add_prefix(TOTAL_FORM_COUNT): 0, self.add_prefix(INITIAL_FORM_COUNT): 0},
                auto_id=self.auto_id,
                prefix=self.prefix,
                renderer=self.renderer,
            )
            form.full_clean()
            return form
        return super().management_form

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "other_field": self.other_field, "entry": self.instance}

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form in self.deleted_forms or form.other is None:
                continue
            if form.other.pk in seen:
                form.add_error("other_index_number", _("这两个条目已经关联。"))
            seen.add(form.other.pk)

    def save(self, commit=True):
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        for form in self.deleted_forms:
            if form.instance.pk:
                services.interpretation_unlink(link=form.instance)
                self.deleted_objects.append(form.instance)
        for form in self.forms:
            if form in self.deleted_forms or not form.has_changed():
                continue
            kind, sort_order = form.cleaned_data["kind"], form.cleaned_data.get("sort_order") or 0
            if form.instance.pk:
                services.interpretation_update(link=form.instance, kind=kind, sort_order=sort_order)
                self.changed_objects.append((form.instance, form.changed_data))
                continue
            ends = {self.entry_field: self.instance, self.other_field: form.other}
            link = services.interpretation_link(
                **ends, kind=kind, sort_order=sort_order, organ=self.instance.organ
            )
            self.new_objects.append(link)
        return [*self.new_objects, *(obj for obj, _changed in self.changed_objects)]


class PolicyLinkFormSet(LinkFormSet):
    entry_field = "policy"


class InterpretedLinkFormSet(LinkFormSet):
    entry_field = "interpretation"


class _LinkInline(admin.TabularInline):
    model = Interpretation
    form = LinkForm
    extra = 0
    fields = ("other_index_number", "other_title", "kind", "sort_order")
    readonly_fields = ("other_title",)

    def get_queryset(self, request):
        other = "interpretation" if self.fk_name == "policy" else "policy"
        return (
            super()
            .get_queryset(request)
            .select_related(other)
            .only("kind", "sort_order", "policy_id", "interpretation_id", *self._other_fields(other))
        )

    @staticmethod
    def _other_fields(other: str) -> list[str]:
        return [f"{other}__{name}" for name in ("index_number", "title", "status", "organ_id")]

    def other_entry(self, obj: Interpretation) -> CatalogEntry | None:
        if not obj.pk:
            return None
        return obj.interpretation if self.fk_name == "policy" else obj.policy

    @admin.display(description=_("名称"))
    def other_title(self, obj: Interpretation):
        other = self.other_entry(obj)
        if other is None:
            return "-"
        if other.status != Status.PUBLISHED:
            return format_html("{}（{}）", other.title, other.get_status_display())
        return format_html('<a href="{}">{}</a>', other.get_absolute_url(), other.title)


class InterpretationInline(_LinkInline):
    """On a policy document: the entries that interpret it."""

    fk_name = "policy"
    formset = PolicyLinkFormSet
    verbose_name = _("政策解读")
    verbose_name_plural = _("政策解读（文字解读、图解、视频解读、问答）")


class InterpretedPolicyInline(_LinkInline):
    """On a 解读: the policy documents it interprets."""

    fk_name = "interpretation"
    formset = InterpretedLinkFormSet
    verbose_name = _("解读对象")
    verbose_name_plural = _("解读对象（本条目解读的政策文件）")


@admin.register(NormativeWithoutInterpretation)
class NormativeWithoutInterpretationAdmin(OrganScopedAdmin):
    """未关联解读的规范性文件: read-only; each row opens the entry's own change form."""

    list_display = ("index_number", "entry_title", "doc_number", "publish_date")
    list_display_links = None
    list_select_related = ("organ",)
    search_fields = ("index_number", "title", "doc_number")
    search_help_text = _("按索引号、名称或发文字号查找")
    list_per_page = 50
    ordering = ("-publish_date", "-id")
    show_full_result_count = False  # the list is already the organ's; one COUNT is enough

    def get_queryset(self, request):
        return normative_without_interpretation(super().get_queryset(request)).defer("body")

    def get_list_display(self, request):
        if self._sees_all(request):
            return (*self.list_display, "organ")
        return self.list_display

    @admin.display(description=_("名称"), ordering="title")
    def entry_title(self, obj: CatalogEntry):
        url = reverse("admin:catalog_catalogentry_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.title)

    # The list is a view of the catalog: whoever reads the catalog reads it, and nobody writes here.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("catalog.view_catalogentry")

    def has_module_permission(self, request):
        return self.has_view_permission(request) and super().has_module_permission(request)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
