from __future__ import annotations

from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from apps.catalog.models import CatalogEntry
from apps.catalog.selectors import normative_document_counts
from apps.organs.admin_scoping import OrganScopedAdmin
from apps.organs.locking import VersionedAdminMixin
from apps.organs.selectors import organ_for_user
from apps.proactive import services
from apps.proactive.enums import Power
from apps.proactive.forms import Table2OverrideForm, YearTallyForm
from apps.proactive.models import NOT_ENTERED, Publication, Table2Override, YearTally

NOT_APPLICABLE = "/"


def _or_slash(value):
    return NOT_APPLICABLE if value is None else value


@admin.register(Publication)
class PublicationAdmin(VersionedAdminMixin, OrganScopedAdmin):
    list_display = ["date", "channel", "title", "count", "copies", "approximation", "organ", "catalog_entry"]
    list_filter = ["channel"]
    list_select_related = ["organ", "catalog_entry"]
    date_hierarchy = "date"
    search_fields = ["title", "note"]
    raw_id_fields = ["catalog_entry"]
    fields = [
        "organ",
        "channel",
        "date",
        "title",
        "count",
        "copies",
        "approximation",
        "detail",
        "catalog_entry",
        "note",
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "catalog_entry" and not self._is_global(request):
            organ = organ_for_user(request.user)
            kwargs["queryset"] = (
                CatalogEntry.objects.filter(organ=organ) if organ else CatalogEntry.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        self.check_organ(request, obj)
        services.publication_save(publication=obj)

    def delete_model(self, request, obj):
        services.publication_delete(publication=obj)

    def delete_queryset(self, request, queryset):
        for publication in queryset:
            services.publication_delete(publication=publication)


_ONLY_2019 = _("仅2019年试行格式（2019、2020年度报告）印出。")
_DECISIONS = _("处理决定数量两种格式都印出；上一年项目数量、本年增/减仅2019年试行格式印出。")
_FEES = _("收费金额仅2021年格式印出；上一年项目数量、本年增/减仅2019年试行格式印出。")


def _tally_fieldset(power: str, caption: str, description) -> tuple:
    rows = [f"{power}_not_applicable", tuple(YearTally.FIGURES[power])]
    return (
        format_lazy("{} {}", caption, Power(power).label),
        {"fields": rows, "description": description},
    )


@admin.register(YearTally)
class YearTallyAdmin(VersionedAdminMixin, OrganScopedAdmin):
    form = YearTallyForm
    fieldsets = [
        (None, {"fields": ["organ", "year"]}),
        _tally_fieldset(Power.LICENSING, "第二十条第（五）项", _DECISIONS),
        _tally_fieldset(Power.OTHER_SERVICES, "第二十条第（五）项", _ONLY_2019),
        _tally_fieldset(Power.PUNISHMENT, "第二十条第（六）项", _DECISIONS),
        _tally_fieldset(Power.ENFORCEMENT, "第二十条第（六）项", _DECISIONS),
        _tally_fieldset(Power.FEES, "第二十条第（八）项", _FEES),
        _tally_fieldset(Power.PROCUREMENT, "第二十条第（九）项", _ONLY_2019),
        (None, {"fields": ["updated_by", "updated_at"]}),
    ]
    list_display = [
        "year",
        "organ",
        "licensing_display",
        "punishment_display",
        "enforcement_display",
        "fees_display",
    ]
    list_filter = ["year"]
    list_select_related = ["organ"]
    readonly_fields = ["updated_by", "updated_at"]

    @staticmethod
    def _state(obj: YearTally, measure: str):
        value = obj.state(measure)
        if value is None:
            return NOT_APPLICABLE
        return _("未填报") if value == NOT_ENTERED else value

    @admin.display(description=_("行政许可"))
    def licensing_display(self, obj):
        return self._state(obj, "licensing")

    @admin.display(description=_("行政处罚"))
    def punishment_display(self, obj):
        return self._state(obj, "punishment")

    @admin.display(description=_("行政强制"))
    def enforcement_display(self, obj):
        return self._state(obj, "enforcement")

    @admin.display(description=_("行政事业性收费（万元）"))
    def fees_display(self, obj):
        return self._state(obj, "fees_wan_yuan")

    def save_model(self, request, obj, form, change):
        self.check_organ(request, obj)
        services.year_tally_save(tally=obj, updated_by=request.user)


@admin.register(Table2Override)
class Table2OverrideAdmin(VersionedAdminMixin, OrganScopedAdmin):
    form = Table2OverrideForm
    fields = [
        "organ",
        "year",
        "kind",
        "catalog_counts",
        ("issued", "issued_na"),
        ("repealed", "repealed_na"),
        ("in_force", "in_force_na"),
        "reason",
        "set_by",
        "set_at",
    ]
    list_display = [
        "year",
        "organ",
        "kind",
        "issued_display",
        "repealed_display",
        "in_force_display",
        "set_by",
    ]
    list_filter = ["year", "kind"]
    list_select_related = ["organ", "set_by"]
    readonly_fields = ["catalog_counts", "set_by", "set_at"]

    @admin.display(description=_("本年制发件数"))
    def issued_display(self, obj):
        return _or_slash(obj.issued)

    @admin.display(description=_("本年废止件数"))
    def repealed_display(self, obj):
        return _or_slash(obj.repealed)

    @admin.display(description=_("现行有效件数"))
    def in_force_display(self, obj):
        return _or_slash(obj.in_force)

    @admin.display(description=_("目录自动统计（制发/废止/现行有效）"))
    def catalog_counts(self, obj):
        # Shown next to the hand counts so that the reviewer sees what is being replaced.
        if obj is None or obj.pk is None:
            return "—"
        counts = normative_document_counts(organ_ids=[obj.organ_id], year=obj.year)[obj.kind]
        return f"{counts['issued']} / {counts['repealed']} / {counts['in_force']}"

    def save_model(self, request, obj, form, change):
        self.check_organ(request, obj)
        services.table2_override_save(override=obj, set_by=request.user)

    def delete_model(self, request, obj):
        services.table2_override_clear(override=obj)

    def delete_queryset(self, request, queryset):
        for override in queryset:
            services.table2_override_clear(override=override)
