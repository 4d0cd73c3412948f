"""The import's check: every row read, checked and turned into a planned write, in Python.

plan_each runs inside the COPY of the new entries' search documents (batch_import._check_and_write),
on the same connection: it must not query the database. What it needs is loaded into Context first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

import tablib

from apps.catalog.batch_import import rows
from apps.catalog.batch_import.rows import COLUMNS, Event, Planned, Vocabulary
from apps.catalog.enums import Status
from apps.catalog.models import CatalogEntry
from apps.catalog.resources.widgets import cell_text
from apps.organs.enums import RecordAction
from apps.organs.models import Organ

Problem = tuple[int, str | None, str]  # line, column header (None: the whole row), message


@dataclass
class Context:
    organ: Organ
    actor: object
    vocabulary: Vocabulary
    existing: dict[str, CatalogEntry]  # by 索引号: the latest state, row after row
    approvers: dict[int, int | None]
    may_register: bool  # may import rows as 已发布 (both roles)
    may_publish: bool
    register_note: str
    now: dt.datetime

    @cached_property
    def blank(self) -> CatalogEntry:
        return CatalogEntry(organ=self.organ, created_by=self.actor, status=Status.DRAFT)


@dataclass
class Plan:
    rows: list[Planned] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def refuse(self, line: int, errors: dict[str, list]) -> None:
        for name, messages in errors.items():
            column = None if name == NON_FIELD_ERRORS else column_label(name)
            self.problems.extend((line, column, str(message)) for message in messages)


def column_label(name: str) -> str:
    if name in COLUMNS:
        return COLUMNS[name]
    try:
        return str(CatalogEntry._meta.get_field(name).verbose_name)
    except Exception:
        return name


def index_numbers(dataset: tablib.Dataset, headers: list[str]) -> list[str]:
    if COLUMNS["index_number"] not in headers:
        return []
    position = headers.index(COLUMNS["index_number"])
    return [number for values in dataset if (number := cell_text(values[position]))]


def plan_each(dataset: tablib.Dataset, headers: list[str], context: Context, plan: Plan) -> Iterator[Planned]:
    """Check the rows one at a time into ``plan``, yielding each planned write as it is added
    (blank lines and refused rows yield nothing; a refused row's problems are in ``plan``)."""
    positions = _positions(headers)
    content = {name: i for name, i in positions.items() if name not in ("index_number", "status")}
    for line, values in enumerate(dataset, start=2):
        kind = _kind(values, positions)
        if kind == "skip":
            plan.rows.append(Planned(line, "skip"))
            continue
        cells = {name: values[i] for name, i in content.items()}
        status = values[positions["status"]] if "status" in positions else None
        planned = len(plan.rows)
        if kind == "update":
            number = cell_text(values[positions["index_number"]])
            _plan_update(plan, line, number, cells, status, context)
        else:
            _plan_new(plan, line, cells, status, context)
        if len(plan.rows) > planned:
            yield plan.rows[-1]


def new_entry_years(dataset: tablib.Dataset, headers: list[str], vocabulary: Vocabulary) -> list[int]:
    """The 发布日期 year of each row that is to be a new entry, in the order of the file.

    Read before the rows are checked, so that their 索引号 can be reserved first (with the
    reader the check uses: the same years). A date that cannot be read is left out; its row
    is refused, and then nothing is written.
    """
    positions = _positions(headers)
    if "publish_date" not in positions:
        return []
    read = vocabulary.readers["publish_date"]
    years = []
    for values in dataset:
        if _kind(values, positions) == "new":
            try:
                day = read(values[positions["publish_date"]])
            except ValueError:
                continue
            if day is not None:
                years.append(day.year)
    return years


def _positions(headers: list[str]) -> dict[str, int]:
    return {name: headers.index(label) for name, label in COLUMNS.items() if label in headers}


def _kind(values, positions: dict[str, int]) -> str:
    if all(cell_text(value) == "" for value in values):
        # Spreadsheets often carry blank lines at the end; they are not entries.
        return "skip"
    if "index_number" in positions and cell_text(values[positions["index_number"]]):
        return "update"
    return "new"


def _read_row(entry: CatalogEntry, cells: dict, status_cell, *, current: str, is_new: bool, context: Context):
    """Set the row's cells on ``entry``; return its errors and the state its 状态 cell asks for."""
    errors = rows.read_cells(entry, cells, context.vocabulary)
    wanted = None
    if status_cell is not None:  # the file has a 状态 column
        try:
            wanted = rows.wanted_status(
                status_cell,
                current=current,
                is_new=is_new,
                may_register=context.may_register,
                may_publish=context.may_publish,
            )
        except ValueError as e:
            errors["status"] = [str(e)]
    errors.update(rows.model_errors(entry, cells, exclude=set(errors)))
    return errors, wanted


def _plan_new(plan: Plan, line: int, cells: dict, status_cell, context: Context) -> None:
    entry = rows.snapshot(context.blank)  # a copy is ten times cheaper than Model.__init__
    errors, wanted = _read_row(entry, cells, status_cell, current=Status.DRAFT, is_new=True, context=context)
    if errors:
        plan.refuse(line, errors)
        return
    entry.index_year = entry.publish_date.year
    events = [Event(RecordAction.CREATED, Status.DRAFT)]
    if wanted == Status.PUBLISHED:
        entry.status, entry.published_at = Status.PUBLISHED, context.now
        events.append(Event(RecordAction.PUBLISHED, Status.PUBLISHED, note=context.register_note))
    plan.rows.append(Planned(line, "new", entry, None, events))


def _plan_update(plan: Plan, line: int, number: str, cells: dict, status_cell, context: Context) -> None:
    before = context.existing.get(number)
    if before is None:
        message = _("本机关没有索引号为「%(number)s」的条目（新增条目请将索引号留空）") % {"number": number}
        plan.refuse(line, {"index_number": [message]})
        return
    after = rows.snapshot(before)
    errors, wanted = _read_row(
        after, cells, status_cell, current=before.status, is_new=False, context=context
    )
    if errors:
        plan.refuse(line, errors)
        return
    try:
        events = rows.apply_update(before, after, actor=context.actor, vocabulary=context.vocabulary)
        if wanted == Status.PUBLISHED:
            approver = context.approvers.get(after.pk)
            events.append(rows.apply_publish(after, actor=context.actor, approver=approver, now=context.now))
    except ValidationError as e:
        plan.refuse(line, {NON_FIELD_ERRORS: e.messages})
        return
    after.updated_at = context.now
    context.existing[number] = after  # a second row with this 索引号 starts from here
    plan.rows.append(Planned(line, "update", after, before, events))
