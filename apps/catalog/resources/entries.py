"""Import and export of catalog entries as CSV/XLSX, with Chinese column headers.

The export is django-import-export's. The import keeps the library's pages (upload, dry-run
preview, confirm) but hands the whole file to apps.catalog.batch_import, whose module docstring
holds the rules the clerks rely on: a fresh 索引号 for every new row, updates only through the
importing organ's own 索引号, all or nothing, every error with its line and column.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

import tablib
from import_export import fields, resources
from import_export.results import Error, InvalidRow, Result

from apps.catalog import batch_import
from apps.catalog.batch_import.rows import COLUMNS, REQUIRED_COLUMNS
from apps.catalog.enums import Status, Validity
from apps.catalog.models import CatalogEntry
from apps.catalog.resources.formats import PlainDiff
from apps.catalog.resources.widgets import (
    ArticleItemWidget,
    ChoiceLabelWidget,
    DateWidget,
    GenreWidget,
    TextWidget,
    ThemeWidget,
)
from apps.organs.models import Organ

__all__ = ["COLUMNS", "REQUIRED_COLUMNS", "CatalogEntryResource", "entries_import"]


class CatalogEntryResource(resources.ModelResource):
    index_number = fields.Field(attribute="index_number", column_name=COLUMNS["index_number"], readonly=True)
    title = fields.Field(attribute="title", column_name=COLUMNS["title"], widget=TextWidget())
    summary = fields.Field(attribute="summary", column_name=COLUMNS["summary"], widget=TextWidget())
    body = fields.Field(attribute="body", column_name=COLUMNS["body"], widget=TextWidget())
    doc_number = fields.Field(attribute="doc_number", column_name=COLUMNS["doc_number"], widget=TextWidget())
    written_date = fields.Field(
        attribute="written_date", column_name=COLUMNS["written_date"], widget=DateWidget()
    )
    publish_date = fields.Field(
        attribute="publish_date", column_name=COLUMNS["publish_date"], widget=DateWidget()
    )
    effective_date = fields.Field(
        attribute="effective_date", column_name=COLUMNS["effective_date"], widget=DateWidget()
    )
    expiry_date = fields.Field(
        attribute="expiry_date", column_name=COLUMNS["expiry_date"], widget=DateWidget()
    )
    validity = fields.Field(
        attribute="validity",
        column_name=COLUMNS["validity"],
        widget=ChoiceLabelWidget(Validity, default=Validity.VALID),
    )
    theme = fields.Field(attribute="theme", column_name=COLUMNS["theme"], widget=ThemeWidget())
    genre = fields.Field(attribute="genre", column_name=COLUMNS["genre"], widget=GenreWidget())
    article_item = fields.Field(
        attribute="article_item", column_name=COLUMNS["article_item"], widget=ArticleItemWidget()
    )
    keywords = fields.Field(attribute="keywords", column_name=COLUMNS["keywords"], widget=TextWidget())
    # Status changes are not plain attribute writes: 已发布 on a new row registers a document that
    # is already public (the importer holds both the review and the publish role, the history says
    # so); on an existing approved entry it publishes it. Review and withdrawal (which needs a
    # reason) happen in the admin. See batch_import.rows.wanted_status.
    status = fields.Field(
        attribute="status", column_name=COLUMNS["status"], widget=ChoiceLabelWidget(Status), readonly=True
    )

    class Meta:
        model = CatalogEntry
        fields = tuple(COLUMNS)
        export_order = tuple(COLUMNS)
        import_id_fields = ("index_number",)
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = False
        name = gettext_lazy("政府信息公开目录")

    def __init__(self, *, organ: Organ | None = None, user=None, **kwargs):
        super().__init__(**kwargs)
        self.organ = organ
        self.user = user

    # -- import: the batched service does the work; the library keeps the upload, preview, confirm --

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        """All or nothing, through apps.catalog.batch_import; the result feeds the admin's pages."""
        report = batch_import.entries_import(
            organ=self.organ, user=self.user, dataset=dataset, dry_run=dry_run
        )
        return self.result_of(report)

    def result_of(self, report: batch_import.ImportReport) -> Result:
        result = self.get_result_class()()
        result.diff_headers = list(COLUMNS.values())
        result.import_messages = report.messages
        result.report = report
        if report.file_errors:
            for message in report.file_errors:
                result.append_base_error(Error(ValidationError(message)))
            return result
        by_line: dict[int, list[str]] = {}
        for line, message in zip(
            (p[0] for p in sorted(report.problems, key=lambda p: p[0])), report.messages, strict=True
        ):
            by_line.setdefault(line, []).append(message)
        for line, messages in by_line.items():
            result.invalid_rows.append(InvalidRow(line - 1, ValidationError(messages), ()))
        if report.problems:
            return result
        for planned in report.rows:
            row_result = self.get_row_result_class()()
            row_result.import_type = planned.kind
            if planned.entry is not None:
                row_result.add_instance_info(planned.entry)
                row_result.instance = planned.entry
                if report.dry_run:  # only the preview shows it
                    row_result.diff = self.diff_cells(planned.before, planned.entry)
            result.append_row_result(row_result)
            result.increment_row_result_total(row_result)
        result.total_rows = len(report.rows)
        return result

    def diff_cells(self, before: CatalogEntry | None, after: CatalogEntry) -> list[str]:
        """The preview's cells (PlainDiff's, without exporting each instance twice)."""
        fields = [self.fields[name] for name in COLUMNS]
        new = [field.widget.render(getattr(after, field.attribute)) for field in fields]
        if before is None:
            return PlainDiff.cells([""] * len(new), new, new=True)
        old = [field.widget.render(getattr(before, field.attribute)) for field in fields]
        return PlainDiff.cells(old, new, new=False)

    # -- errors -------------------------------------------------------------------------

    def error_messages(self, result: Result) -> list[str]:
        """Every problem of an import, one line each: "第3行「发布日期」：日期格式应为 YYYY-MM-DD"."""
        return list(getattr(result, "import_messages", []))


def entries_import(
    *, organ: Organ, user, dataset: tablib.Dataset, dry_run: bool = False
) -> tuple[Result, list[str]]:
    """Import a dataset for an organ; returns the result and its error lines (empty if fine).

    Nothing is written when there is any error, or when dry_run is set.
    """
    resource = CatalogEntryResource(organ=organ, user=user)
    result = resource.import_data(dataset, dry_run=dry_run, user=user)
    return result, resource.error_messages(result)
