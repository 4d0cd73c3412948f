"""Extract the searchable text of stored attachments: those never read (--pending, the
default, e.g. after upgrading) or all of them again (--all, e.g. after a better reader).

Each attachment is read and saved in its own transaction, so a long run can be stopped
and started again; --pending then picks up where it stopped.
"""

from __future__ import annotations

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from apps.catalog import services
from apps.catalog.enums import AttachmentTextStatus
from apps.catalog.models import Attachment


class Command(BaseCommand):
    help = "Extract the text of catalog attachments for search (PDF, DOCX, XLSX, plain text)."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--pending", action="store_true", help="only attachments never read (default)")
        which.add_argument("--all", action="store_true", help="every attachment, again")
        parser.add_argument("--batch-size", type=int, default=100, help="attachments loaded at a time")

    def handle(self, *args, all: bool, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        queryset = Attachment.objects.defer("text").select_related("entry").order_by("pk")
        if not all:
            queryset = queryset.filter(text_status=AttachmentTextStatus.PENDING)
        total = queryset.count()
        self.stdout.write(f"{total} attachment(s) to read.")
        outcome: Counter[str] = Counter()
        done, last_pk = 0, 0
        # Keyset batches: re-extracted rows leave the --pending filter, so OFFSET would skip rows.
        while batch := list(queryset.filter(pk__gt=last_pk)[:batch_size]):
            for attachment in batch:
                services.attachment_extract_text(attachment=attachment)
                outcome[attachment.text_status] += 1
            done += len(batch)
            last_pk = batch[-1].pk
            self.stdout.write(f"{done}/{total}")
        summary = ", ".join(
            f"{AttachmentTextStatus(status).label}: {count}" for status, count in sorted(outcome.items())
        )
        self.stdout.write(self.style.SUCCESS(f"Done. {summary}" if summary else "Done."))
