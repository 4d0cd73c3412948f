"""manage.py restore FILE [--no-input]: replace the database and the media files with a backup's."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from disclosure_portal.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by manage.py backup: replaces the database's contents and the media files."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--no-input", action="store_false", dest="interactive")

    def handle(self, *args, archive, interactive, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"No backup at {path}.")
        name = connection.settings_dict["NAME"]
        if interactive:
            answer = input(f"Replace everything in database {name!r} with {path.name}? Type 'yes': ")
            if answer.strip() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            manifest = backup_restore(archive=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored database {name!r} from the backup of {manifest['created']} "
            f"({manifest['media_files']} media files)."
        )
