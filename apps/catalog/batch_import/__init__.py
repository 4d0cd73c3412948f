"""The catalog import, batched: every row checked in Python first, then written in a few statements.

Rules (the clerks rely on them; the admin's import and ``manage.py import_entries`` both come here):
- A new row gets a fresh 索引号 from the organ's IndexSequence (a block reserved with one locked
  upsert, in the order of the file); a row whose 索引号 belongs to the importing organ updates
  that entry as services.entry_update and entry_publish would (the row is locked, its version
  moves on, the review chain's rules apply); any other 索引号 is refused.
- Entries are always created for the importing organ; there is no 机关 column.
- A file with any bad row changes nothing: nothing is written until every row has passed, all
  in one transaction. Every problem names the line in the file (the header is 第1行) and the column.
- Published entries get their search document (search.document_text) and every step its
  RecordEvent, as the services write them; the page cache is invalidated once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _

import tablib

from apps.catalog import search_upkeep
from apps.catalog.batch_import import writes
from apps.catalog.batch_import.plan import Context, Plan, Problem, index_numbers, plan_rows
from apps.catalog.batch_import.rows import COLUMNS, REQUIRED_COLUMNS, Planned, Vocabulary, header_problems
from apps.catalog.enums import Status
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
            plan = plan_rows(dataset, headers, context)
            report.rows, report.problems = plan.rows, plan.problems
            if report.problems:
                transaction.set_rollback(True)  # only locks were taken
            else:
                _write(organ, user, plan, now=context.now, dry_run=dry_run)
                if dry_run:
                    transaction.set_rollback(True)
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


def _write(organ: Organ, user, plan: Plan, *, now, dry_run: bool) -> None:
    new = [row.entry for row in plan.rows if row.kind == "new"]
    writes.number_new_entries(organ, new)
    writes.take_ids(new, now)
    # A 索引号 that appears twice is one entry: its last state is written, each row's events kept.
    final = {row.entry.pk: row.entry for row in plan.rows if row.kind == "update"}
    # Derived from rows already checked: the dry run leaves them out (and the index alone).
    documents = [] if dry_run else [*new, *final.values()]
    published = sum(1 for entry in documents if entry.status == Status.PUBLISHED)
    # The search documents first (their foreign key is checked at commit), so that their keys
    # are merged into the index on the other processor while the entries and events are written.
    with search_upkeep.keys_merged_alongside(published):
        if documents:
            writes.write_documents(documents, existing_ids=set(final))
        writes.insert_entries(new)
        writes.update_entries(list(final.values()), UPDATED_FIELDS)
        events = [(row.entry, event) for row in plan.rows if row.entry is not None for event in row.events]
        writes.write_events(events, user, now)
