"""Import and export of catalog entries as CSV/XLSX, with Chinese column headers.

Rules (the clerks rely on them):
- Every row is saved through the catalog services, so a new row gets a fresh 索引号 from
  the organ's sequence and its search vectors; a row whose 索引号 belongs to the
  importing organ updates that entry; any other 索引号 is refused.
- Entries are always created for the importing organ; there is no 机关 column.
- A file with any bad row changes nothing: the whole file runs in one transaction that
  is rolled back on any error, and the admin always does a dry run first.
- Every error names the line in the file (the header is 第1行) and the column.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import tablib
from import_export import fields, resources
from import_export.results import Result, RowResult

from apps.catalog import services
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
    cell_text,
)
from apps.catalog.services import CHAIN
from apps.organs import review
from apps.organs.models import Organ

COLUMNS: dict[str, str] = {
    "index_number": "索引号",
    "title": "名称",
    "summary": "内容概述",
    "body": "正文",
    "doc_number": "发文字号",
    "written_date": "成文日期",
    "publish_date": "发布日期",
    "effective_date": "生效日期",
    "expiry_date": "废止日期",
    "validity": "有效性",
    "theme": "主题分类",
    "genre": "体裁",
    "article_item": "第二十条项",
    "keywords": "关键词",
    "status": "状态",
}
REQUIRED_COLUMNS = ("名称", "发布日期", "主题分类", "体裁")


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
    # reason) happen in the admin. See _wanted_status and do_instance_save.
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

    # -- import ---------------------------------------------------------------------------

    def get_diff_class(self):
        return PlainDiff

    def import_row(self, row, instance_loader, **kwargs):
        # Spreadsheets often carry blank lines at the end; they are not entries.
        if all(cell_text(value) == "" for value in row.values()):
            row_result = self.get_row_result_class()()
            row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            return row_result
        return super().import_row(row, instance_loader, **kwargs)

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        """All or nothing: one transaction, rolled back on any row error or validation error."""
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True, **kwargs
        )

    def before_import(self, dataset: tablib.Dataset, **kwargs):
        if self.organ is None:
            raise ValidationError(_("只有机关工作人员可以导入目录条目：请先为账号设置所属机关。"))
        headers = [cell_text(h) for h in (dataset.headers or [])]
        dataset.headers = headers
        known = set(COLUMNS.values())
        unknown = [h for h in headers if h and h not in known]
        if unknown:
            raise ValidationError(
                _("第1行（表头）有无法识别的列：%(unknown)s。可用的列：%(known)s。")
                % {"unknown": "、".join(unknown), "known": "、".join(COLUMNS.values())}
            )
        missing = [h for h in REQUIRED_COLUMNS if h not in headers]
        if missing:
            raise ValidationError(
                _("第1行（表头）缺少必需的列：%(missing)s。") % {"missing": "、".join(missing)}
            )
        if COLUMNS["index_number"] not in headers:
            dataset.append_col([""] * len(dataset), header=COLUMNS["index_number"])

    def get_instance(self, instance_loader, row):
        number = cell_text(row.get(COLUMNS["index_number"]))
        if not number:
            return None
        # Only this organ's entries: another organ's 索引号 reads as unknown, so an import
        # can neither update it nor learn whether it exists.
        entry = CatalogEntry.objects.filter(organ=self.organ, index_number=number).first()
        if entry is None:
            raise ValidationError(
                {
                    "index_number": _("本机关没有索引号为「%(number)s」的条目（新增条目请将索引号留空）")
                    % {"number": number}
                }
            )
        return entry

    def init_instance(self, row=None):
        return CatalogEntry(organ=self.organ, created_by=self.user)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        try:
            instance._import_status = self._wanted_status(instance, row)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _wanted_status(self, instance: CatalogEntry, row) -> str | None:
        column = COLUMNS["status"]
        if column not in row:
            return None
        try:
            wanted = self.fields["status"].widget.clean(row[column])
        except ValueError as e:
            raise ValidationError({"status": str(e)}) from None
        current = instance.status if instance.pk else Status.DRAFT
        if wanted is None or wanted == current:
            return None
        if wanted == Status.DRAFT:
            if current in (Status.RETURNED, Status.REVIEWED):
                return None  # not yet public: a changed row sends it back to draft by itself
            raise ValidationError({"status": _("已发布或已撤回的条目不能改回草稿")})
        if wanted in (Status.RETURNED, Status.REVIEWED):
            raise ValidationError({"status": _("审核（通过或退回）请在后台的“审核与发布”页面进行")})
        if wanted == Status.WITHDRAWN:
            raise ValidationError({"status": _("撤回须说明原因，请在后台逐条或批量撤回")})
        # 已发布: a new row registers a document that is already public (its review is vouched for
        # by the importer, who holds both roles); an existing entry must have passed the review.
        if instance.pk is None:
            if not (
                review.may_review(self.user, instance, CHAIN)
                and review.may_publish(self.user, instance, CHAIN)
            ):
                raise ValidationError({"status": _("导入已发布的条目须同时具有审核人和发布人角色")})
        elif current != Status.REVIEWED:
            raise ValidationError({"status": _("条目尚未审核通过，不能发布")})
        elif not review.may_publish(self.user, instance, CHAIN):
            raise ValidationError({"status": _("您没有发布目录条目的权限")})
        return wanted

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        # The 索引号 is assigned by the service at save time.
        exclude = set(errors) | {"index_number", "index_year", "index_serial"}
        try:
            instance.full_clean(exclude=exclude, validate_unique=validate_unique)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        wanted = getattr(instance, "_import_status", None)
        if is_create:
            instance.created_by = self.user
            services.entry_insert(entry=instance, publish=wanted == Status.PUBLISHED)
            return
        services.entry_update(entry=instance, actor=self.user)
        if wanted == Status.PUBLISHED:
            services.entry_publish(entry=instance, actor=self.user)

    # -- errors -------------------------------------------------------------------------

    def column_for(self, name: str) -> str | None:
        if name == NON_FIELD_ERRORS:
            return None
        if name in COLUMNS:
            return COLUMNS[name]
        try:
            return force_str(CatalogEntry._meta.get_field(name).verbose_name)
        except Exception:
            return name

    def error_messages(self, result: Result) -> list[str]:
        """Every problem of an import, one line each: "第3行「发布日期」：日期格式应为 YYYY-MM-DD"."""
        if result.base_errors:
            # A file-level problem (bad header, no organ) makes row errors meaningless.
            lines: list[str] = []
            for error in result.base_errors:
                exc = error.error
                lines.extend(exc.messages if isinstance(exc, ValidationError) else [force_str(exc)])
            return lines
        problems: list[tuple[int, str]] = []
        for invalid in result.invalid_rows:
            line = invalid.number + 1  # the header is line 1
            for name, messages in invalid.error_dict.items():
                column = self.column_for(name)
                for message in messages:
                    if column:
                        text = _("第%(line)d行「%(column)s」：%(message)s")
                    else:
                        text = _("第%(line)d行：%(message)s")
                    problems.append((line, text % {"line": line, "column": column, "message": message}))
        for number, errors in result.row_errors():
            for error in errors:
                problems.append(
                    (
                        number + 1,
                        _("第%(line)d行：无法保存（%(error)s）")
                        % {"line": number + 1, "error": force_str(error.error)},
                    )
                )
        return [text for _line, text in sorted(problems, key=lambda p: p[0])]


def entries_import(
    *, organ: Organ, user, dataset: tablib.Dataset, dry_run: bool = False
) -> tuple[Result, list[str]]:
    """Import a dataset for an organ; returns the result and its error lines (empty if fine).

    Nothing is written when there is any error, or when dry_run is set.
    """
    resource = CatalogEntryResource(organ=organ, user=user)
    result = resource.import_data(dataset, dry_run=dry_run, user=user)
    return result, resource.error_messages(result)
