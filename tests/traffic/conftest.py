"""A real Redis server and real app servers (gunicorn) for the scale-out tests.

Each test that asks for them gets a redis-server of its own on a free port with its data in a temporary
folder, stopped afterwards. Without Debian's redis-server the tests are skipped, except in CI
(REQUIRE_E2E=1, set by .ci/run, which installs it): there they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import E2E_REQUIRED

BASE = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until(ready, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start within {timeout:.0f} s")


@pytest.fixture
def redis_url(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        if E2E_REQUIRED:
            pytest.fail("REQUIRE_E2E=1 but redis-server is not installed (apt-get install redis-server).")
        pytest.skip("redis-server is not installed (make scale-deps installs it)")
    port = free_port()
    server = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(tmp_path),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def answers() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    try:
        _wait_until(answers, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


@dataclass
class AppServer:
    url: str
    process: subprocess.Popen
    log: Path

    def get(self, path: str, **headers) -> tuple[int, dict[str, str], str]:
        # One site name for every server, as nginx passes it (proxy_set_header Host $host): the page
        # keys contain the absolute URL.
        request = urllib.request.Request(self.url + path, headers={"Host": "localhost", **headers})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def app_servers(redis_url, transactional_db, settings, tmp_path):
    """Two gunicorn app servers on the test database and one Redis, as in docs/deploy.md."""
    from django.db import connection

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "portal",
        }
    }
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "DEBUG": "false",
        "SECRET_KEY": "test-only-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SETTINGS_MODULE": "tests.traffic.server_settings",
    }
    if database_url := os.environ.get("DATABASE_URL"):
        from urllib.parse import urlparse

        env["DATABASE_URL"] = (
            urlparse(database_url)._replace(path="/" + connection.settings_dict["NAME"]).geturl()
        )
    else:
        env["EMBEDDED_PG_DB"] = connection.settings_dict["NAME"]
    servers = []
    try:
        for number in range(2):
            log = open(tmp_path / f"gunicorn-{number}.log", "wb")
            port = free_port()
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "disclosure_portal.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--log-level",
                    "warning",
                ],
                cwd=BASE,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            log.close()
            server = AppServer(f"http://127.0.0.1:{port}", process, tmp_path / f"gunicorn-{number}.log")
            servers.append(server)

        def healthy(server: AppServer) -> bool:
            if server.process.poll() is not None:
                raise RuntimeError(server.log.read_text())
            try:
                return server.get("/healthz")[0] == 200
            except OSError:
                return False

        for server in servers:
            _wait_until(lambda s=server: healthy(s), "gunicorn")
        yield servers
    finally:
        for server in servers:
            server.process.terminate()
        for server in servers:
            server.process.wait(timeout=20)
