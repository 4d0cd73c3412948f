"""`make bench-http`: the public pages under wrk, served as `make run` serves them, beside a bare view.

Three gunicorn servers with the settings of `make run` (3 workers, access log): the portal with its page
cache, the portal with the page cache off (PAGE_CACHE_SECONDS=0: every request renders, the per-process
fragments still help), and the bare "hello" view (bare_settings). Each page is loaded with
``wrk -t2 -c32`` after a short warm-up; the bare view is measured before, between and after the pages
and its mean is the yardstick of the ratios, because on a shared machine the absolute figures move
with the load (the load average is printed). Then a mixed load of every kind of page, searches for
years and document numbers included, at 64 connections.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
WORKERS = 3  # as `make run`


@dataclass
class Load:
    """What wrk reports for one run."""

    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    socket_errors: int
    non_2xx: int

    @property
    def errors(self) -> int:
        return self.socket_errors + self.non_2xx


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS_MS[unit]


def parse_wrk(output: str) -> Load:
    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+(\S+)", output, re.M)
        return _ms(match.group(1)) if match else float("nan")

    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Load(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=latency("50"),
        p99_ms=latency("99"),
        requests=int(re.search(r"(\d+) requests in", output).group(1)),
        socket_errors=sum(int(n) for n in socket_errors.groups()) if socket_errors else 0,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
    )


def wrk(url: str, *, seconds: int, connections: int, script: Path | None = None) -> Load:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script is not None:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(*, ready_path: str, log: Path, **env: str) -> Iterator[str]:
    """A gunicorn server as `make run` starts it, with env added to this process's environment.

    Its access log goes nowhere (it is written, as with `make run`); its error log to ``log``.
    """
    port = _free_port()
    errors = log.open("wb")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "disclosure_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--access-logfile",
            "-",
        ],
        cwd=BASE,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=errors,
    )
    errors.close()
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(url + ready_path, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def round_robin_script(paths: list[str], directory: Path) -> Path:
    """A wrk Lua script that requests the paths in turn (each thread from its own offset)."""
    quoted = ",\n".join(f'  "{p}"' for p in paths)
    script = directory / "mixed.lua"
    script.write_text(
        f"""local paths = {{
{quoted}
}}
local i = 0
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7919)
end
function init(args)
  i = tonumber(offset) or 0
end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
""",
        encoding="utf-8",
    )
    return script


def wrk_available() -> bool:
    return shutil.which("wrk") is not None
