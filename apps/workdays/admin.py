"""Back office of the calendar: superusers edit (through the services), clerks may only look."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from apps.organs.admin_scoping import DeclaredFiltersOnly
from apps.organs.locking import VersionedAdminMixin
from apps.workdays import services
from apps.workdays.enums import DayKind
from apps.workdays.models import CalendarDay, CalendarYear

WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


class _SuperuserEditsAdmin(DeclaredFiltersOnly, admin.ModelAdmin):
    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    fields = ["date", "kind", "name", "source"]
    extra = 0
    ordering = ["date"]

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(CalendarYear)
class CalendarYearAdmin(VersionedAdminMixin, _SuperuserEditsAdmin):
    list_display = ["year", "confirmed", "holiday_count", "workday_count", "source", "updated_at"]
    list_filter = ["confirmed"]
    inlines = [CalendarDayInline]
    fields = ["year", "confirmed", "source", "note"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_holidays=Count("days", filter=Q(days__kind=DayKind.HOLIDAY)),
                n_workdays=Count("days", filter=Q(days__kind=DayKind.WORKDAY)),
            )
        )

    @admin.display(description=_("节假日天数"), ordering="n_holidays")
    def holiday_count(self, obj: CalendarYear) -> int:
        return obj.n_holidays

    @admin.display(description=_("调休上班日数"), ordering="n_workdays")
    def workday_count(self, obj: CalendarYear) -> int:
        return obj.n_workdays

    def get_readonly_fields(self, request, obj=None):
        # The days hang on the year: renumbering it would put them in the wrong year.
        return ["year"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        services.calendar_year_save(
            year=obj.year, confirmed=obj.confirmed, source=obj.source, note=obj.note, instance=obj
        )

    def save_formset(self, request, form, formset, change):
        days = formset.save(commit=False)
        for day in formset.deleted_objects:
            services.calendar_day_delete(calendar_day=day)
        for day in days:
            services.calendar_day_save(
                day=day.date, kind=day.kind, name=day.name, source=day.source, instance=day
            )

    def delete_model(self, request, obj):
        services.calendar_year_delete(calendar_year=obj)

    def delete_queryset(self, request, queryset):
        for calendar_year in queryset:
            services.calendar_year_delete(calendar_year=calendar_year)


@admin.register(CalendarDay)
class CalendarDayAdmin(VersionedAdminMixin, _SuperuserEditsAdmin):
    list_display = ["date", "weekday", "kind", "name", "year_confirmed", "source"]
    list_filter = ["kind", "calendar_year__confirmed", "calendar_year"]
    search_fields = ["name"]
    date_hierarchy = "date"
    fields = ["date", "kind", "name", "source"]
    list_select_related = ["calendar_year"]

    @admin.display(description=_("星期"))
    def weekday(self, obj: CalendarDay) -> str:
        return "星期" + WEEKDAYS[obj.date.weekday()]

    @admin.display(description=_("年度已确认"), boolean=True, ordering="calendar_year__confirmed")
    def year_confirmed(self, obj: CalendarDay) -> bool:
        return obj.calendar_year.confirmed

    def save_model(self, request, obj, form, change):
        services.calendar_day_save(
            day=obj.date, kind=obj.kind, name=obj.name, source=obj.source, instance=obj
        )

    def delete_model(self, request, obj):
        services.calendar_day_delete(calendar_day=obj)

    def delete_queryset(self, request, queryset):
        for calendar_day in queryset.select_related("calendar_year"):
            services.calendar_day_delete(calendar_day=calendar_day)
