"""Import a catalog file (CSV or XLSX, the admin's columns) for one organ, all or nothing:

    manage.py import_entries --organ <slug> <file> [--dry-run]

For offices that load large files: the same batched service as the admin's import
(apps/catalog/batch_import), run as the system (the history says 系统). Problems are printed one
per line with their line and column, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.catalog import batch_import
from apps.catalog.resources.formats import CSV, XLSX
from apps.organs.models import Organ


class Command(BaseCommand):
    help = "Import catalog entries from a CSV or XLSX file into an organ (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8 or GBK) or XLSX file with the import's Chinese columns")
        parser.add_argument("--organ", required=True, help="slug of the organ the entries belong to")
        parser.add_argument("--dry-run", action="store_true", help="check and count, then roll back")

    def handle(self, *args, file: str, organ: str, dry_run: bool, **options):
        target = Organ.objects.filter(slug=organ).first()
        if target is None:
            raise CommandError(f"No organ with slug {organ!r}.")
        path = Path(file)
        file_format = XLSX() if path.suffix.lower() == ".xlsx" else CSV()
        try:
            dataset = file_format.create_dataset(path.read_bytes())
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        report = batch_import.entries_import(organ=target, user=None, dataset=dataset, dry_run=dry_run)
        if not report.ok:
            for line in report.messages:
                self.stderr.write(line)
            raise CommandError(f"Nothing imported: {len(report.messages)} problem(s).")
        self.stdout.write(
            self.style.SUCCESS(
                f"{'Dry run, nothing kept' if dry_run else 'Imported'}: {len(report.rows):,} rows "
                f"({report.created:,} new, {report.updated:,} updated) in {report.seconds:.2f} s, "
                f"{report.rate:,.0f} rows/s."
            )
        )
