"""Back office of the annual reports: compile, edit the narrative, preview, check and publish.

Scoped with OrganScopedAdmin: a clerk compiles only their organ's reports; a government's clerk
compiles the government's report, which rolls up its departments. Every action calls the services.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.applications import selectors as application_selectors
from apps.litigation import selectors as litigation_selectors
from apps.organs.admin_review import ReviewAdminMixin
from apps.organs.admin_scoping import OrganScopedAdmin
from apps.organs.locking import VersionedAdminMixin
from apps.proactive import selectors as proactive_selectors
from apps.proactive.enums import Channel
from apps.proposals import selectors as proposal_selectors
from apps.reports import services
from apps.reports.checks import CheckFailure
from apps.reports.formats import format_of
from apps.reports.models import AnnualReport, ReportSection, ReportVersion
from apps.reports.narrative import proactive_figures
from apps.reports.pdf import MissingGlyphError
from apps.reports.selectors import admin_change_url
from apps.reports.vocabulary import (
    channels,
    table3_column_label,
    table3_row_label,
    table4_groups,
    table4_measures,
)

DRILLDOWN_LIMIT = 500


def _channel_figure(stats, code: str) -> int | str:
    """A channel's figure in the preview's data table: items, or for 印发资料 the copies with
    their unit and qualifier (2500余册), as the report prints them."""
    if code == Channel.PRINTED:
        return proactive_figures(stats)["printed"] or "0册"
    return (stats.get("channels") or {}).get(code, 0)


class ReportSectionInline(admin.TabularInline):
    model = ReportSection
    fields = ["heading", "text", "auto"]
    readonly_fields = ["heading", "auto"]
    extra = 0
    can_delete = False
    max_num = 0  # the format fixes the sections

    @admin.display(description=gettext_lazy("部分"))
    def heading(self, obj: ReportSection) -> str:
        spec = format_of(obj.report.format).section(obj.code)
        if spec is None:
            return obj.code
        return spec.heading.format(next_year=obj.report.year + 1) or _("导语")

    @admin.display(description=gettext_lazy("来源"))
    def auto(self, obj: ReportSection) -> str:
        if not obj.generated_text:
            return _("人工撰写")
        return _("已人工修改") if obj.edited_by_staff else _("按统计数据自动生成")


class ReportVersionInline(admin.TabularInline):
    model = ReportVersion
    fields = ["number", "published_at", "published_by", "correction_note", "pdf_sha256", "public_link"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("公开页面"))
    def public_link(self, obj: ReportVersion) -> str:
        if obj.pk is None or obj.number is None:  # a row posted back without its id: not a version
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("查看"))


@admin.register(AnnualReport)
class AnnualReportAdmin(ReviewAdminMixin, VersionedAdminMixin, OrganScopedAdmin):
    review_chain = services.CHAIN
    list_display = ["organ", "year", "format", "status", "review_state", "compiled_at"]
    list_filter = ["status", "format", "year"]
    list_select_related = ["organ"]
    search_fields = ["organ__name"]
    change_form_template = "reports/admin/change_form.html"
    fields = [
        "organ",
        "year",
        "format",
        "status",
        "compiled_at",
        "signature",
        "signed_on",
        "dedicated_expenditure",
        "dedicated_expenditure_note",
        "review_status",
        "review_history",
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["status", "compiled_at", "review_status", "review_history"]
        if obj is not None:
            readonly += ["organ", "year"]
            if obj.versions.exists():
                readonly.append("format")
        return readonly

    def get_inlines(self, request, obj):
        return [ReportSectionInline, ReportVersionInline] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        # A report with a published version is a public record; drafts may be deleted.
        if obj is not None and obj.versions.exists():
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        self.check_organ(request, obj)
        if not change:
            created = services.report_create(
                organ=obj.organ,
                year=obj.year,
                report_format=obj.format,
                signature=obj.signature,
                signed_on=obj.signed_on,
                dedicated_expenditure=obj.dedicated_expenditure,
                dedicated_expenditure_note=obj.dedicated_expenditure_note,
                actor=request.user,
            )
            obj.pk = created.pk
            obj._state.adding = False
        else:
            services.report_update(
                report=AnnualReport.objects.get(pk=obj.pk),
                actor=request.user,
                **{name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data},
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is ReportSection:
            texts = {
                f.instance.code: f.cleaned_data["text"]
                for f in formset.forms
                if f.has_changed() and "text" in f.cleaned_data
            }
            if texts:
                services.report_update(report=form.instance, texts=texts, actor=request.user)
            # construct_change_message reads these; the sections were saved by the service.
            formset.new_objects, formset.deleted_objects = [], []
            formset.changed_objects = [(f.instance, ["text"]) for f in formset.forms if f.has_changed()]
            return
        super().save_formset(request, form, formset, change)

    # --- the steps of the 审核与发布 page (publishing is also the 发布 page's, with its checks) -----

    def review_approve(self, request, obj, text):
        services.report_approve(report=obj, actor=request.user, opinion=text)

    def review_return(self, request, obj, text):
        services.report_return(report=obj, actor=request.user, opinion=text)

    def review_publish(self, request, obj, text):
        try:
            services.report_publish(report=obj, user=request.user, correction_note=text)
        except services.ReportCheckFailed as exc:
            raise ValidationError([_("检查未通过，不能发布。"), *(f.message for f in exc.failures)]) from exc
        except MissingGlyphError as exc:
            raise ValidationError(str(exc)) from exc

    # --- custom views -------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/compile/", wrap(self.compile_view), name="reports_annualreport_compile"),
            path("<int:pk>/preview/", wrap(self.preview_view), name="reports_annualreport_preview"),
            path("<int:pk>/publish/", wrap(self.publish_view), name="reports_annualreport_publish"),
            path("<int:pk>/cell/", wrap(self.cell_view), name="reports_annualreport_cell"),
            *super().get_urls(),
        ]

    def _report(self, request, pk: int, *, change: bool = False) -> AnnualReport:
        report = get_object_or_404(self.get_queryset(request).select_related("organ"), pk=pk)
        allowed = (
            self.has_change_permission(request, report)
            if change
            else self.has_view_permission(request, report)
        )
        if not allowed:
            raise PermissionDenied
        return report

    def _change_url(self, report: AnnualReport) -> str:
        return reverse("admin:reports_annualreport_change", args=[report.pk])

    def compile_view(self, request, pk: int):
        report = self._report(request, pk, change=True)
        if request.method != "POST":
            return HttpResponseRedirect(self._change_url(report))
        services.report_compile(report=report)
        self.message_user(request, _("已按最新记录刷新统计数据和自动生成的正文。"), messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(report))

    def _link_builder(self, report: AnnualReport):
        base = reverse("admin:reports_annualreport_cell", args=[report.pk])

        def link(table: str, /, **params) -> str:
            return f"{base}?{urlencode({'table': table, **params})}"

        return link

    def _context(self, request, report: AnnualReport, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": report,
            "report": report,
            "change_url": self._change_url(report),
            **extra,
        }

    def preview_view(self, request, pk: int):
        report = self._report(request, pk)
        link = self._link_builder(report)
        failures = services.report_check(report=report)
        stats = report.statistics or {}
        proposals = stats.get("proposals") or {}
        context = self._context(
            request,
            report,
            title=_("预览：%(report)s") % {"report": report},
            document=services.report_render_html(report=report, link=link),
            failures=failures,
            channel_rows=[
                (label, _channel_figure(stats, code), link("channel", channel=code))
                for code, label in channels()
            ],
            proposal_rows=[
                (label, (proposals.get(kind) or {}).get("total", 0), link("proposals", kind=kind))
                for kind, label in (("npc", _("人大代表建议")), ("cppcc", _("政协委员提案")))
            ],
        )
        return TemplateResponse(request, "reports/admin/preview.html", context)

    def publish_view(self, request, pk: int):
        # The 发布人 only looks at the report; the service checks their role and the review.
        report = self._report(request, pk)
        failures: list[CheckFailure] = []
        error = ""
        if request.method == "POST":
            try:
                version = services.report_publish(
                    report=report, user=request.user, correction_note=request.POST.get("correction_note", "")
                )
            except services.ReportCheckFailed as exc:
                failures = exc.failures
                error = _("检查未通过，不能发布。")
            except (ValidationError, MissingGlyphError) as exc:
                error = " ".join(getattr(exc, "messages", [str(exc)]))
            else:
                self.message_user(
                    request,
                    format_html(
                        _('已发布第{}版。<a href="{}">查看公开页面</a>'),
                        version.number,
                        version.get_absolute_url(),
                    ),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(self._change_url(report))
        context = self._context(
            request,
            report,
            title=_("发布：%(report)s") % {"report": report},
            failures=failures,
            error=error,
            next_number=(report.versions.count() + 1),
        )
        return TemplateResponse(request, "reports/admin/publish.html", context)

    def cell_view(self, request, pk: int):
        """The records one number of the report counts, with links to their change pages."""
        report = self._report(request, pk)
        stats = report.statistics or {}
        organ_ids = stats.get("organ_ids") or [report.organ_id]
        q = request.GET
        try:
            table = q.get("table")
            if table == "table3":
                label = f"表三「{table3_row_label(q['row'])}」×「{table3_column_label(q['column'])}」"
                qs = application_selectors.applications_in_cell(
                    organ_ids=organ_ids, year=report.year, row=q["row"], column=q["column"]
                )
            elif table == "table4":
                group, measure = dict(table4_groups())[q["group"]], dict(table4_measures())[q["measure"]]
                label = f"表四「{group}」×「{measure}」"
                qs = litigation_selectors.cases_in_cell(
                    organ_ids=organ_ids, year=report.year, group=q["group"], measure=q["measure"]
                )
            elif table == "channel":
                label = _("主动公开：%(channel)s") % {"channel": dict(channels())[q["channel"]]}
                qs = proactive_selectors.publications_in(
                    organ_ids=organ_ids, year=report.year, channel=q["channel"]
                )
            elif table == "proposals":
                label = _("建议提案：%(kind)s") % {"kind": q["kind"]}
                qs = proposal_selectors.proposals_in(organ_ids=organ_ids, year=report.year, kind=q["kind"])
            else:
                raise KeyError(table)
        except (KeyError, ValueError):
            self.message_user(request, _("无效的统计单元格。"), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:reports_annualreport_preview", args=[report.pk]))
        total = qs.count()
        records = [(obj, admin_change_url(obj, obj.pk)) for obj in qs[:DRILLDOWN_LIMIT]]
        context = self._context(
            request,
            report,
            title=label,
            label=label,
            records=records,
            total=total,
            limit=DRILLDOWN_LIMIT,
            preview_url=reverse("admin:reports_annualreport_preview", args=[report.pk]),
        )
        return TemplateResponse(request, "reports/admin/cell.html", context)
