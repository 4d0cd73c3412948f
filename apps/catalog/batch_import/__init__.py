"""The catalog import, batched: every row checked in Python, everything written in a few statements.

Rules (the clerks rely on them; the admin's import and ``manage.py import_entries`` both come here):
- A new row gets a fresh 索引号 from the organ's IndexSequence (a block reserved with one locked
  upsert, in the order of the file); a row whose 索引号 belongs to the importing organ updates
  that entry as services.entry_update and entry_publish would (the row is locked, its version
  moves on, the review chain's rules apply); any other 索引号 is refused.
- Entries are always created for the importing organ; there is no 机关 column.
- A file with any bad row changes nothing: all runs in one transaction, rolled back when any
  row has a problem (the new entries' search documents are written while the rows are checked;
  the entries and their history once all have passed). Every problem names the line in the
  file (the header is 第1行) and the column.
- Published entries get their search document (search.document_text) and every step its
  RecordEvent, as the services write them; the page cache is invalidated once.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _

import tablib

from apps.catalog import search_upkeep
from apps.catalog.batch_import import writes
from apps.catalog.batch_import.plan import Context, Plan, Problem, index_numbers, new_entry_years, plan_each
from apps.catalog.batch_import.rows import COLUMNS, REQUIRED_COLUMNS, Planned, Vocabulary, header_problems
from apps.catalog.models import CatalogEntry
from apps.catalog.resources.widgets import cell_text
from apps.catalog.services import CHAIN, CONTENT_FIELDS
from apps.organs import review
from apps.organs.models import Organ
from disclosure_portal.caching import content_changed

__all__ = ["COLUMNS", "REQUIRED_COLUMNS", "ImportReport", "Planned", "entries_import"]

#: What an update writes: the content, the state the rules moved, the lock's version.
UPDATED_FIELDS = (
    *CONTENT_FIELDS,
    "status",
    "published_at",
    "withdrawn_at",
    "withdrawn_reason",
    "version",
    "updated_at",
)


@dataclass
class ImportReport:
    rows: list[Planned] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    dry_run: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems and not self.file_errors

    @property
    def created(self) -> int:
        return sum(1 for row in self.rows if row.kind == "new")

    @property
    def updated(self) -> int:
        return sum(1 for row in self.rows if row.kind == "update")

    @property
    def rate(self) -> float:
        return len(self.rows) / self.seconds if self.seconds else 0.0

    @property
    def messages(self) -> list[str]:
        """Every problem, one line each: "第3行「发布日期」：日期格式应为 YYYY-MM-DD"."""
        if self.file_errors:
            # A file-level problem (bad header, no organ) makes row errors meaningless.
            return list(self.file_errors)
        lines = []
        for line, column, message in sorted(self.problems, key=lambda p: p[0]):
            if column:
                text = _("第%(line)d行「%(column)s」：%(message)s")
            else:
                text = _("第%(line)d行：%(message)s")
            lines.append(text % {"line": line, "column": column, "message": message})
        return lines


def entries_import(
    *, organ: Organ | None, user, dataset: tablib.Dataset, dry_run: bool = False
) -> ImportReport:
    """Import a dataset for an organ. Nothing is written when there is any problem, or on a dry run
    (which writes the entries and their history and rolls them back, so that it finds what the
    import would and shows the 索引号 it would give)."""
    started = time.monotonic()
    report = ImportReport(dry_run=dry_run)
    headers = [cell_text(h) for h in (dataset.headers or [])]
    if organ is None:
        report.file_errors = [_("只有机关工作人员可以导入目录条目：请先为账号设置所属机关。")]
    else:
        report.file_errors = header_problems(headers)
    if report.file_errors:
        return report
    try:
        with transaction.atomic():
            context = _context(organ, user, index_numbers(dataset, headers))
            plan = _check_and_write(organ, dataset, headers, context, dry_run=dry_run)
            report.rows, report.problems = plan.rows, plan.problems
            if report.problems or dry_run:
                transaction.set_rollback(True)  # whatever was written goes
            elif report.created or report.updated:
                content_changed()  # bulk writes send no signal
    except DatabaseError as exc:
        report.file_errors = [_("导入未完成，没有任何数据被更改。"), force_str(exc)]
    report.seconds = time.monotonic() - started
    return report


def _context(organ: Organ, user, numbers: list[str]) -> Context:
    existing = writes.lock_existing(organ, numbers)
    probe = CatalogEntry(organ=organ)
    may_publish = review.may_publish(user, probe, CHAIN)
    may_register = may_publish and review.may_review(user, probe, CHAIN)
    return Context(
        organ=organ,
        actor=user,
        vocabulary=Vocabulary.load(),
        existing=existing,
        approvers=writes.last_approvers(existing.values()) if user is not None else {},
        may_register=may_register,
        may_publish=may_publish,
        register_note=review.check_register_published(probe, CHAIN, actor=user) if may_register else "",
        now=timezone.now(),
    )


def _check_and_write(
    organ: Organ, dataset: tablib.Dataset, headers: list[str], context: Context, *, dry_run: bool
) -> Plan:
    """Check every row and write the file; with any problem, return the plan for the caller to roll back.

    The new entries' 索引号 and ids are reserved first, so that their search documents can be
    written while the rows are still being checked: PostgreSQL computes and merges their keys
    meanwhile, on the other processor. The dry run leaves the documents out (and the index alone).
    """
    plan = Plan()
    new_entries = writes.NewEntries(organ, new_entry_years(dataset, headers, context.vocabulary), context.now)
    planned = plan_each(dataset, headers, context, plan)
    with search_upkeep.keys_merged_alongside(0 if dry_run else new_entries.count):
        if dry_run:
            for _entry in _numbered(planned, new_entries, plan):
                pass
        else:
            writes.write_new_documents(_numbered(planned, new_entries, plan))
        if plan.problems:
            return plan
        new = [row.entry for row in plan.rows if row.kind == "new"]
        # A 索引号 that appears twice is one entry: its last state is written, each row's events kept.
        final = list({row.entry.pk: row.entry for row in plan.rows if row.kind == "update"}.values())
        if not dry_run:
            writes.replace_documents(final)
        writes.insert_entries(new)
        writes.update_entries(final, UPDATED_FIELDS)
        events = [(row.entry, event) for row in plan.rows if row.entry is not None for event in row.events]
        writes.write_events(events, context.actor, context.now)
    return plan


def _numbered(
    planned: Iterable[Planned], new_entries: writes.NewEntries, plan: Plan
) -> Iterator[CatalogEntry]:
    """The new entries as they are checked, numbered in the order of the file; none after a problem."""
    for row in planned:
        if row.kind == "new" and not plan.problems:
            new_entries.number(row.entry)
            yield row.entry
