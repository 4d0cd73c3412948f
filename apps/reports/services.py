"""Every write to the annual reports: create, refresh numbers, edit, check and publish.

The admin, the management command, the demo builder and the tests call these functions; none of them
writes a report or a version directly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.organs import review
from apps.organs.enums import RecordAction, ReviewState
from apps.organs.locking import lock
from apps.organs.models import Organ
from apps.reports.checks import CheckFailure, RecordRef, run_checks
from apps.reports.compile import gather_statistics
from apps.reports.enums import ReportFormat, ReportStatus
from apps.reports.formats import Facts, format_of
from apps.reports.models import AnnualReport, ReportSection, ReportVersion
from apps.reports.pdf import render_report_pdf
from apps.reports.rendering import LinkBuilder, render_document, render_pdf_html
from apps.reports.selectors import application_membership_problems, record_ref_factory


class ReportCheckFailed(Exception):
    """Publishing refused: the checks found inconsistencies (failures name the cells and records)."""

    def __init__(self, failures: list[CheckFailure]):
        self.failures = failures
        super().__init__("; ".join(f.message for f in failures))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sync_sections(report: AnnualReport, stats: Mapping[str, Any]) -> None:
    """Create the format's sections and refresh generated text that staff have not changed."""
    fmt = format_of(report.format)
    facts = Facts(
        stats=stats,
        year=report.year,
        organ_name=report.organ.display_name,
        dedicated_expenditure=report.dedicated_expenditure,
        dedicated_expenditure_note=report.dedicated_expenditure_note,
    )
    existing = {section.code: section for section in report.sections.all()}
    to_create, to_update = [], []
    for position, spec in enumerate(fmt.narrative_sections()):
        generated = fmt.generate(spec.code, facts)
        section = existing.get(spec.code)
        if section is None:
            to_create.append(
                ReportSection(
                    report=report, code=spec.code, position=position, text=generated, generated_text=generated
                )
            )
            continue
        edited = section.edited_by_staff
        changed = section.position != position or section.generated_text != generated
        section.position = position
        if not edited:
            changed = changed or section.text != generated
            section.text = generated
        section.generated_text = generated
        if changed:
            to_update.append(section)
    ReportSection.objects.bulk_create(to_create)
    ReportSection.objects.bulk_update(to_update, ["position", "text", "generated_text"])


CHAIN = review.Chain(
    state_field="review_state",
    review_permission="reports.review_annualreport",
    publish_permission="reports.publish_annualreport",
    reviewable=frozenset({ReviewState.DRAFT, ReviewState.PUBLISHED}),
)
REPORT_FIELDS = ("format", "signature", "signed_on", "dedicated_expenditure", "dedicated_expenditure_note")


@transaction.atomic
def report_create(
    *,
    organ: Organ,
    year: int,
    report_format: str = ReportFormat.NATIONAL_2021,
    signature: str = "",
    signed_on: str = "",
    dedicated_expenditure: Decimal | None = None,
    dedicated_expenditure_note: str = "",
    actor=None,
) -> AnnualReport:
    report = AnnualReport(
        organ=organ,
        year=year,
        format=report_format,
        signature=signature or organ.display_name,
        signed_on=signed_on,
        dedicated_expenditure=dedicated_expenditure,
        dedicated_expenditure_note=dedicated_expenditure_note,
    )
    report.full_clean()
    report.save()
    review.record_event(report, action=RecordAction.CREATED, actor=actor, state=report.review_state)
    return report_compile(report=report)


@transaction.atomic
def report_compile(*, report: AnnualReport) -> AnnualReport:
    """Refresh the numbers from the records (fixed number of queries) and the generated sentences."""
    stats = gather_statistics(organ=report.organ, year=report.year)
    report.statistics = stats
    report.compiled_at = timezone.now()
    report.save(update_fields=["statistics", "compiled_at", "updated_at"])
    _sync_sections(report, stats)
    return report


@transaction.atomic
def report_update(
    *, report: AnnualReport, texts: Mapping[str, str] | None = None, actor=None, **fields: Any
) -> AnnualReport:
    """Edit the narrative (texts by section code) and the report's own fields (signature, …).

    A change makes the working copy a draft to review again; the published versions stay as they are.
    """
    allowed = {"format", "signature", "signed_on", "dedicated_expenditure", "dedicated_expenditure_note"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "format" in fields and report.versions.exists() and fields["format"] != report.format:
        raise ValidationError(_("报告已发布，不能更改报告格式。"))
    stored = lock(report)
    report.review_state = stored.review_state
    for name, value in fields.items():
        setattr(report, name, value)
    changes = review.changes_between(stored, report, [name for name in REPORT_FIELDS if name in fields])
    changes += _text_changes(report, texts or {})
    if changes:
        report.review_state = ReviewState.DRAFT
    report.full_clean()
    report.save()
    if changes:
        review.record_event(
            report, action=RecordAction.CHANGED, actor=actor, state=report.review_state, changes=changes
        )
    if texts:
        valid = {spec.code for spec in format_of(report.format).narrative_sections()}
        bad = set(texts) - valid
        if bad:
            raise ValidationError(_("没有这些部分：%(codes)s") % {"codes": ", ".join(sorted(bad))})
        sections = {s.code: s for s in report.sections.filter(code__in=list(texts))}
        for code, text in texts.items():
            section = sections[code]
            section.text = text.replace("\r\n", "\n").strip()
            section.full_clean()
        ReportSection.objects.bulk_update(list(sections.values()), ["text"])
    if fields:  # the expenditure fields feed generated sentences
        _sync_sections(report, report.statistics or {})
    return report


def _text_changes(report: AnnualReport, texts: Mapping[str, str]) -> list[dict]:
    """The sections whose text the edit changes, for the history (headings as the report prints them)."""
    if not texts:
        return []
    fmt = format_of(report.format)
    old = dict(report.sections.filter(code__in=list(texts)).values_list("code", "text"))
    changes = []
    for code, text in texts.items():
        new = text.replace("\r\n", "\n").strip()
        if code in old and old[code] != new:
            spec = fmt.section(code)
            label = (spec.heading.format(next_year=report.year + 1) if spec is not None else "") or _("导语")
            changes.append({"field": f"section:{code}", "label": label, "old": old[code], "new": new})
    return changes


@transaction.atomic
def report_approve(*, report: AnnualReport, actor, opinion: str = "") -> AnnualReport:
    """保密审查 of the working copy before it is published as a version."""
    report.review_state = lock(report).review_state
    review.approve(report, CHAIN, actor=actor, opinion=opinion)
    return report


@transaction.atomic
def report_return(*, report: AnnualReport, actor, opinion: str) -> AnnualReport:
    report.review_state = lock(report).review_state
    review.send_back(report, CHAIN, actor=actor, opinion=opinion)
    return report


def report_texts(report: AnnualReport) -> dict[str, str]:
    return {section.code: section.text for section in report.sections.all()}


def report_check(*, report: AnnualReport, stats: Mapping[str, Any] | None = None) -> list[CheckFailure]:
    """Every check of checks.py on the report's numbers (compiled now unless given) and narrative."""
    stats = stats if stats is not None else report.statistics
    problems, model = application_membership_problems(
        organ_ids=stats.get("organ_ids") or [report.organ_id], year=report.year
    )
    texts = report_texts(report)
    next_year = report.year + 1
    required = [
        (spec.code, spec.heading.format(next_year=next_year), texts.get(spec.code, ""))
        for spec in format_of(report.format).narrative_sections()
        if spec.required
    ]
    organ_name, tally_ref = _tally_refs(stats.get("table2") or {}, year=report.year)
    return run_checks(
        stats,
        report_format=report.format,
        membership_problems=problems,
        record_ref=record_ref_factory(model),
        organ_name=organ_name,
        tally_ref=tally_ref,
        required_sections=required,
    )


def _tally_refs(table2: Mapping[str, Any], *, year: int):
    """Name and link (the organ's 表二年度数据, or the form to enter it) of the organs that have not
    entered a table-2 figure. One query, and only when some figure is not entered."""
    owing = {int(pk) for pks in (table2.get("not_entered") or {}).values() for pk in pks}
    names = dict(Organ.objects.filter(pk__in=owing).values_list("pk", "name")) if owing else {}
    tally_ids = {int(pk): tally for pk, tally in (table2.get("tally_ids") or {}).items()}

    def organ_name(pk: int) -> str:
        return names.get(pk, f"#{pk}")

    def tally_ref(pk: int) -> RecordRef:
        label = _("%(organ)s %(year)d年表二年度数据") % {"organ": organ_name(pk), "year": year}
        if pk in tally_ids:
            return RecordRef(label, reverse("admin:proactive_yeartally_change", args=[tally_ids[pk]]))
        return RecordRef(
            label, f"{reverse('admin:proactive_yeartally_add')}?{urlencode({'organ': pk, 'year': year})}"
        )

    return organ_name, tally_ref


def report_render_html(
    *,
    report: AnnualReport,
    link: LinkBuilder | None = None,
    published_on=None,
    table3_split: int | None = None,
) -> str:
    published_on = published_on or timezone.localdate()
    return render_document(
        organ_name=report.organ.name,
        year=report.year,
        report_format=report.format,
        stats=report.statistics or {},
        texts=report_texts(report),
        signature=report.signature or report.organ.display_name,
        signed_on=report.signed_on or f"{published_on.year}年{published_on.month}月",
        link=link,
        table3_split=table3_split,
    )


def report_render_pdf(*, report: AnnualReport, published_on=None) -> bytes:
    """The report as PDF; table 3 is split across two pages only where, kept whole, it would
    leave the page before it mostly blank (pdf.render_report_pdf)."""
    title = f"{report.organ.name}{report.title}"

    def html_for(table3_split: int | None) -> str:
        document = report_render_html(report=report, published_on=published_on, table3_split=table3_split)
        return render_pdf_html(document=document, title=title)

    return render_report_pdf(html_for)


@transaction.atomic
def report_publish(*, report: AnnualReport, user=None, correction_note: str = "") -> ReportVersion:
    """Compile, check, and freeze statistics, HTML and PDF (with SHA-256) as a new version.

    The working copy must have been approved by a 审核人 and ``user`` must hold the 发布人 role;
    the system (``user=None``: the command, demo data) records its own approval. Refused
    (ReportCheckFailed) while a check fails. Version 1 is the first publication; any later version
    is a correction and needs a note saying what changed.
    """
    report = AnnualReport.objects.select_for_update().select_related("organ").get(pk=report.pk)
    if user is None and report.review_state != ReviewState.REVIEWED:
        report.review_state = ReviewState.REVIEWED
        review.record_event(
            report,
            action=RecordAction.APPROVED,
            actor=None,
            state=report.review_state,
            note=_("系统发布（命令行或演示数据），未经人工审核。"),
        )
    note = review.check_publish(report, CHAIN, actor=user)
    last = report.versions.order_by("-number").values_list("number", flat=True).first() or 0
    number = last + 1
    correction_note = correction_note.strip()
    if number > 1 and not correction_note:
        raise ValidationError(_("更正后重新发布须填写更正说明。"))
    report_compile(report=report)
    failures = report_check(report=report)
    if failures:
        raise ReportCheckFailed(failures)
    now = timezone.now()
    html = report_render_html(report=report, published_on=timezone.localdate(now))
    pdf = report_render_pdf(report=report, published_on=timezone.localdate(now))
    version = ReportVersion(
        report=report,
        number=number,
        statistics=report.statistics,
        html=html,
        html_sha256=_sha256(html.encode("utf-8")),
        pdf_sha256=_sha256(pdf),
        published_at=now,
        published_by=user if getattr(user, "pk", None) else None,
        correction_note=correction_note if number > 1 else "",
    )
    version.pdf.save(f"{report.organ.slug}-{report.year}-v{number}.pdf", ContentFile(pdf), save=False)
    version.full_clean()
    version.save()
    report.status = ReportStatus.PUBLISHED
    report.review_state = ReviewState.PUBLISHED
    report.save(update_fields=["status", "review_state", "updated_at"])
    review.record_event(
        report,
        action=RecordAction.PUBLISHED,
        actor=user,
        state=report.review_state,
        opinion=correction_note if number > 1 else "",
        note=" ".join(filter(None, [_("第%(number)d版。") % {"number": number}, note])),
    )
    return version
