"""The one settings module: production refuses to start without its secrets; DEBUG is off by default."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parent.parent


def _import_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import disclosure_portal.settings as s; print('DEBUG', s.DEBUG)"],
        cwd=BASE,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "SECRET_KEY and ALLOWED_HOSTS must be set"),
        ({"SECRET_KEY": "s3cret"}, "ALLOWED_HOSTS must be set"),
        ({"ALLOWED_HOSTS": "xxgk.example.gov.cn"}, "SECRET_KEY must be set"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(env, missing):
    result = _import_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_debug_is_off_unless_asked_for():
    result = _import_settings(SECRET_KEY="s3cret", ALLOWED_HOSTS="xxgk.example.gov.cn")
    assert result.returncode == 0, result.stderr
    assert "DEBUG False" in result.stdout


def test_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "key"
    secret.write_text("from-a-file\n")
    result = subprocess.run(
        [sys.executable, "-c", "import disclosure_portal.settings as s; print(s.SECRET_KEY)"],
        cwd=BASE,
        env={**os.environ, "SECRET_KEY": "", "SECRET_KEY_FILE": str(secret), "ALLOWED_HOSTS": "x"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "from-a-file"
