"""Reading and checking an import file's rows in Python, before anything is written.

Each row becomes a planned write (a new entry, or the next state of an existing one) or the
problems that refuse it. The rules are the services' (apps/catalog/services.py) applied to
instances in memory: a changed reviewed, returned or withdrawn entry goes back to draft, a
published one may change only its validity and dates, publishing needs the review. A 索引号
that appears twice is applied twice, in the order of the file, as saving row by row would.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext as _

from apps.catalog.enums import Status, Validity
from apps.catalog.models import CatalogEntry, Genre, ThemeCategory
from apps.catalog.resources.widgets import (
    ArticleItemWidget,
    ChoiceLabelWidget,
    DateWidget,
    GenreWidget,
    ThemeWidget,
    cell_text,
)
from apps.catalog.services import CHANGEABLE_WHILE_PUBLISHED, CONTENT_FIELDS
from apps.organs.enums import RecordAction
from apps.organs.review import REOPENED_BY_CHANGE

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
TEXT_FIELDS = ("title", "summary", "body", "doc_number", "keywords")
#: Checked elsewhere (the organ is the importer's, the 索引号 is allocated) or through the dicts.
_NOT_CLEANED = ("organ", "created_by", "index_number", "index_year", "index_serial")
_NUL = ProhibitNullCharactersValidator()
_STATUS = ChoiceLabelWidget(Status)
_ALL_FIELDS = frozenset(f.name for f in CatalogEntry._meta.concrete_fields)
_REQUIRED_FIELDS = ("title", "publish_date", "theme", "genre")


@dataclass
class Event:
    action: str
    state: str
    changes: list[dict] = field(default_factory=list)
    note: str = ""


@dataclass
class Planned:
    """One row's write: ``entry`` is the state after the row, ``before`` the state it started from."""

    line: int
    kind: str  # "new", "update" or "skip"
    entry: CatalogEntry | None = None
    before: CatalogEntry | None = None
    events: list[Event] = field(default_factory=list)


@dataclass
class Vocabulary:
    """The cell readers, with 主题分类 and 体裁 loaded once (one query each)."""

    themes: ThemeWidget
    genres: GenreWidget
    theme_text: dict[int, str]
    genre_text: dict[int, str]
    readers: dict

    @classmethod
    def load(cls) -> Vocabulary:
        themes, genres = ThemeWidget(), GenreWidget()
        themes._by_path = {t.path: t for t in ThemeCategory.objects.select_related("parent")}
        genres._by_name = {g.name: g for g in Genre.objects.all()}
        dates = DateWidget()
        readers = {name: cell_text for name in TEXT_FIELDS}
        readers.update(
            {
                "written_date": dates.clean,
                "publish_date": dates.clean,
                "effective_date": dates.clean,
                "expiry_date": dates.clean,
                "validity": ChoiceLabelWidget(Validity, default=Validity.VALID).clean,
                "theme": themes.clean,
                "genre": genres.clean,
                "article_item": ArticleItemWidget().clean,
            }
        )
        return cls(
            themes=themes,
            genres=genres,
            theme_text={t.pk: t.path for t in themes._by_path.values()},
            genre_text={g.pk: g.name for g in genres._by_name.values()},
            readers=readers,
        )


def header_problems(headers: list[str]) -> list[str]:
    known = set(COLUMNS.values())
    unknown = [h for h in headers if h and h not in known]
    if unknown:
        return [
            _("第1行（表头）有无法识别的列：%(unknown)s。可用的列：%(known)s。")
            % {"unknown": "、".join(unknown), "known": "、".join(COLUMNS.values())}
        ]
    missing = [h for h in REQUIRED_COLUMNS if h not in headers]
    if missing:
        return [_("第1行（表头）缺少必需的列：%(missing)s。") % {"missing": "、".join(missing)}]
    return []


def read_cells(entry: CatalogEntry, cells: dict[str, object], vocabulary: Vocabulary) -> dict[str, list]:
    """Set the row's cells on the entry (only the columns the file has); return the cells' errors."""
    errors: dict[str, list] = {}
    for name, raw in cells.items():
        try:
            value = vocabulary.readers[name](raw)
            if name in TEXT_FIELDS:
                _NUL(value)
        except ValueError as e:
            errors[name] = [str(e)]
            continue
        except ValidationError as e:
            errors[name] = list(e.messages)
            continue
        setattr(entry, name, value)
    return errors


def model_errors(entry: CatalogEntry, cells: Iterable[str], exclude: set[str]) -> dict[str, list]:
    """full_clean() without a query: foreign keys were found in the dicts, the constraint is checked here.

    Only the fields the file sets (and the required ones) are cleaned: the others hold a default
    or what is stored.
    """
    exclude = set(_ALL_FIELDS - set(cells) - set(_REQUIRED_FIELDS)) | set(exclude) | set(_NOT_CLEANED)
    if entry.theme_id is not None:
        exclude.add("theme")
    if entry.genre_id is not None:
        exclude.add("genre")
    errors: dict[str, list] = {}
    try:
        entry.clean_fields(exclude=exclude)
    except ValidationError as e:
        errors = {name: list(messages) for name, messages in e.message_dict.items()}
    if entry.effective_date and entry.expiry_date and entry.expiry_date < entry.effective_date:
        constraint = next(
            c for c in CatalogEntry._meta.constraints if c.name == "expiry_not_before_effective"
        )
        errors.setdefault(NON_FIELD_ERRORS, []).append(constraint.get_violation_error_message())
    return errors


def wanted_status(cell, *, current: str, is_new: bool, may_register: bool, may_publish: bool) -> str | None:
    """The 状态 column: only 已发布 moves an entry (review and withdrawal happen in the admin)."""
    wanted = _STATUS.clean(cell)
    if wanted is None or wanted == current:
        return None
    if wanted == Status.DRAFT:
        if current in (Status.RETURNED, Status.REVIEWED):
            return None  # not yet public: a changed row sends it back to draft by itself
        raise ValueError(_("已发布或已撤回的条目不能改回草稿"))
    if wanted in (Status.RETURNED, Status.REVIEWED):
        raise ValueError(_("审核（通过或退回）请在后台的“审核与发布”页面进行"))
    if wanted == Status.WITHDRAWN:
        raise ValueError(_("撤回须说明原因，请在后台逐条或批量撤回"))
    # 已发布: a new row registers a document that is already public (its review is vouched for by
    # the importer, who holds both roles); an existing entry must have passed the review.
    if is_new:
        if not may_register:
            raise ValueError(_("导入已发布的条目须同时具有审核人和发布人角色"))
    elif current != Status.REVIEWED:
        raise ValueError(_("条目尚未审核通过，不能发布"))
    elif not may_publish:
        raise ValueError(_("您没有发布目录条目的权限"))
    return wanted


def _field_text(entry: CatalogEntry, name: str, vocabulary: Vocabulary) -> str:
    """review.changes_between's text of a value, with themes and genres from the dicts."""
    model_field = CatalogEntry._meta.get_field(name)
    value = getattr(entry, model_field.attname)
    if value in (None, ""):
        return ""
    if name == "theme":
        return vocabulary.theme_text.get(value, str(value))
    if name == "genre":
        return vocabulary.genre_text.get(value, str(value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def changes(before: CatalogEntry, after: CatalogEntry, vocabulary: Vocabulary) -> list[dict]:
    changed = []
    for name in CONTENT_FIELDS:
        attname = CatalogEntry._meta.get_field(name).attname
        if getattr(before, attname) == getattr(after, attname):
            continue
        changed.append(
            {
                "field": name,
                "label": str(CatalogEntry._meta.get_field(name).verbose_name),
                "old": _field_text(before, name, vocabulary),
                "new": _field_text(after, name, vocabulary),
            }
        )
    return changed


def apply_update(before: CatalogEntry, after: CatalogEntry, *, actor, vocabulary: Vocabulary) -> list[Event]:
    """services.entry_update on the in-memory instance: the changes, their rules, the event."""
    changed = changes(before, after, vocabulary)
    if changed and after.status == Status.PUBLISHED and actor is not None:
        locked = [c["label"] for c in changed if c["field"] not in CHANGEABLE_WHILE_PUBLISHED]
        if locked:
            raise ValidationError(
                _(
                    "已发布的条目只能修改有效性和生效、废止日期。要修改“%(fields)s”，请先撤回，改好后重新审核发布。"
                )
                % {"fields": "、".join(locked)}
            )
    if changed and after.status in REOPENED_BY_CHANGE:
        after.status = Status.DRAFT
    after.version += 1
    return [Event(RecordAction.CHANGED, after.status, changed)] if changed else []


def apply_publish(entry: CatalogEntry, *, actor, approver: int | None, now) -> Event:
    """services.entry_publish in memory (the role was checked with the 状态 cell)."""
    if entry.status != Status.REVIEWED:
        raise ValidationError(
            _("“%(state)s”状态的记录不能发布：发布前须经审核人审核通过。")
            % {"state": Status(entry.status).label}
        )
    note = _("发布人同时是审核人。") if actor is not None and approver == actor.pk else ""
    entry.status, entry.published_at = Status.PUBLISHED, now
    entry.withdrawn_at, entry.withdrawn_reason = None, ""
    entry.version += 1
    return Event(RecordAction.PUBLISHED, Status.PUBLISHED, note=note)


def snapshot(entry: CatalogEntry) -> CatalogEntry:
    return copy.copy(entry)
