"""manage.py backup [--output var/backups/]: the database and the media files in one tar file
(disclosure_portal/backup.py; docs/deploy.md says how to schedule and test it)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from disclosure_portal.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database (pg_dump) and the media files into one tar file."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="var/backups", help="a folder, or a file name ending in .tar")

    def handle(self, *args, output, **options):
        try:
            path = backup_create(output=Path(output))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup written to {path} ({path.stat().st_size / 1e6:.1f} MB)")
