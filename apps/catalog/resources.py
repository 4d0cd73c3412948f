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

import datetime as dt
import re
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.encoding import force_str
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import tablib
from import_export import fields, resources, widgets
from import_export.formats import base_formats
from import_export.results import Result, RowResult

from apps.catalog import services
from apps.catalog.enums import ArticleTwentyItem, Status, Validity
from apps.catalog.models import CatalogEntry, Genre, ThemeCategory
from apps.organs.models import Organ

DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
THEME_SEPARATORS = ("\\", "＼", "/", "／")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def chinese_numeral(text: str) -> int | None:
    """一 … 十九 (enough for 条例第二十条's fifteen items)."""
    if not text or any(ch not in CHINESE_DIGITS for ch in text):
        return None
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + CHINESE_DIGITS[text[1]] if len(text) == 2 else None
    if len(text) == 1:
        return CHINESE_DIGITS[text]
    if len(text) == 2 and text[1] == "十":
        return CHINESE_DIGITS[text[0]] * 10
    if len(text) == 3 and text[1] == "十":
        return CHINESE_DIGITS[text[0]] * 10 + CHINESE_DIGITS[text[2]]
    return None


class DateWidget(widgets.Widget):
    """YYYY-MM-DD text, or a real date cell from Excel/WPS."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = _text(value)
        if not text:
            return None
        match = DATE_RE.match(text)
        if not match:
            raise ValueError(_("日期格式应为 YYYY-MM-DD"))
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise ValueError(_("日期「%(value)s」不存在") % {"value": text}) from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class ChoiceLabelWidget(widgets.Widget):
    """A TextChoices field written as its Chinese label (有效, 已发布 …)."""

    def __init__(self, choices, *, default=None):
        super().__init__()
        self.choices = choices
        self.default = default

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return self.default
        for choice in self.choices:
            if text in (str(choice.label), str(choice.value)):
                return choice.value
        raise ValueError(
            _("应为以下之一：%(labels)s") % {"labels": "、".join(str(c.label) for c in self.choices)}
        )

    def render(self, value, obj=None, **kwargs):
        for choice in self.choices:
            if choice.value == value:
                return str(choice.label)
        return ""


class ArticleItemWidget(widgets.Widget):
    """条例第二十条 item: "（一）…" as exported, or just 1 / 一 / （一）."""

    pattern = re.compile(r"^(?:第二十条)?(?:第)?[（(]?([一二三四五六七八九十]+|\d+)[)）]?")

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        match = self.pattern.match(text)
        number = None
        if match:
            token = match.group(1)
            number = int(token) if token.isdigit() else chinese_numeral(token)
        if number not in ArticleTwentyItem.values:
            raise ValueError(_("应为第二十条的项号（一）至（十五），如“（一）”或“1”"))
        return number

    def render(self, value, obj=None, **kwargs):
        return str(ArticleTwentyItem(value).label) if value else ""


class ThemeWidget(widgets.Widget):
    """主题分类 as 一级\\二级 (or just 一级), the form used on detail pages."""

    def __init__(self):
        super().__init__()
        self._by_path: dict[str, ThemeCategory] | None = None

    def _themes(self) -> dict[str, ThemeCategory]:
        if self._by_path is None:
            self._by_path = {t.path: t for t in ThemeCategory.objects.select_related("parent")}
        return self._by_path

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        for sep in THEME_SEPARATORS[1:]:
            text = text.replace(sep, "\\")
        path = "\\".join(part.strip() for part in text.split("\\"))
        theme = self._themes().get(path)
        if theme is None:
            raise ValueError(
                _("找不到主题分类「%(value)s」，应写作“一级\\二级”，如“综合政务\\政务公开”")
                % {"value": _text(value)}
            )
        return theme

    def render(self, value, obj=None, **kwargs):
        return value.path if value else ""


class GenreWidget(widgets.Widget):
    def __init__(self):
        super().__init__()
        self._by_name: dict[str, Genre] | None = None

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        if self._by_name is None:
            self._by_name = {g.name: g for g in Genre.objects.all()}
        genre = self._by_name.get(text)
        if genre is None:
            raise ValueError(
                _("找不到体裁「%(value)s」，可用的体裁：%(names)s")
                % {"value": text, "names": "、".join(self._by_name)}
            )
        return genre

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return _text(value)


class CSV(base_formats.CSV):
    """CSV as Chinese office software writes and reads it.

    Excel and WPS save "CSV" in GB18030/GBK unless told otherwise, and open UTF-8 CSV
    correctly only with a byte-order mark. So: read bytes and accept both encodings;
    write UTF-8 with a BOM.
    """

    ENCODINGS = ("utf-8-sig", "gb18030")

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            for encoding in self.ENCODINGS:
                try:
                    in_stream = in_stream.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise ValueError(_("无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV 文件。"))
        return super().create_dataset(in_stream, **kwargs)

    def export_data(self, dataset, **kwargs):
        return super().export_data(dataset, **kwargs).encode("utf-8-sig")


class XLSX(base_formats.XLSX):
    pass


FORMATS = [CSV, XLSX]


class PlainDiff(resources.Diff):
    """The import preview without diff_match_patch's inline style="" (blocked by the CSP)."""

    def as_html(self):
        cells = []
        for old, new in zip(self.left, self.right, strict=False):
            old_text = Truncator(force_str(old or "")).chars(80)
            new_text = Truncator(force_str(new or "")).chars(80)
            if self.new or old_text == new_text:
                cells.append(escape(new_text))
            else:
                cells.append(format_html("<del>{}</del> <ins>{}</ins>", old_text, new_text))
        # Every cell went through escape() or format_html() above.
        return [mark_safe(cell) for cell in cells]


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
    # Status changes are not plain attribute writes: they go through entry_publish /
    # entry_withdraw after the save (see import_instance and do_instance_save).
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
        if all(_text(value) == "" for value in row.values()):
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
        headers = [_text(h) for h in (dataset.headers or [])]
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
        number = _text(row.get(COLUMNS["index_number"]))
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
            raise ValidationError({"status": _("已发布或已撤回的条目不能改回草稿")})
        if wanted == Status.WITHDRAWN and current != Status.PUBLISHED:
            raise ValidationError({"status": _("只有已发布的条目可以撤回")})
        if self.user is None or not self.user.has_perm("catalog.publish_catalogentry"):
            raise ValidationError({"status": _("您没有发布或撤回目录条目的权限")})
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
            services.entry_insert(entry=instance, publish=wanted == Status.PUBLISHED)
            return
        services.entry_update(entry=instance)
        if wanted == Status.PUBLISHED:
            services.entry_publish(entry=instance)
        elif wanted == Status.WITHDRAWN:
            services.entry_withdraw(entry=instance)

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


def entries_export(*, queryset: Iterable[CatalogEntry]) -> tablib.Dataset:
    return CatalogEntryResource().export(queryset=queryset)
