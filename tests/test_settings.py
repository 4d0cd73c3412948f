"""The one settings module: production refuses to start without its secrets, DEBUG is off by default,
and HTTPS (redirect, HSTS, secure cookies) is on by default."""

import os
import re
import secrets
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


def _documented_production_env() -> dict[str, str]:
    """Every variable .env.example documents, at its documented value (commented or not).

    The placeholder secret is swapped for a generated one, as the file tells the reader to do.
    """
    env = {}
    for line in (BASE / ".env.example").read_text().splitlines():
        if match := re.fullmatch(r"#?\s*([A-Z][A-Z0-9_]*)=(\S*)", line.strip()):
            env[match[1]] = match[2]
    assert env["SECRET_KEY"] == "change-me"
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    # The e2e tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process (Playwright beside live_server); a
    # production environment never has it, and check --deploy rightly reports it.
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "SECRET_KEY", "DEBUG")) and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_documented_production_environment():
    env = _documented_production_env()
    assert env["DEBUG"] == "false"
    assert env["SECURE_PROXY_SSL_HEADER"] == "HTTP_X_FORWARDED_PROTO"
    result = _check_deploy(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_is_clean_with_only_the_two_required_variables():
    """HTTPS, HSTS and secure cookies are the production defaults, not opt-ins."""
    result = _check_deploy({"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "xxgk.example.gov.cn"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_https_is_turned_off():
    result = _check_deploy(
        {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "xxgk.example.gov.cn",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
        }
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout
    assert "security.W008" in result.stderr + result.stdout


def test_the_proxy_header_is_read_from_the_environment():
    result = subprocess.run(
        [sys.executable, "-c", "import disclosure_portal.settings as s; print(s.SECURE_PROXY_SSL_HEADER)"],
        cwd=BASE,
        env={**os.environ, "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')", result.stderr


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_and_https_answers_with_hsts(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    response = client.get("/catalog/?q=x")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/catalog/?q=x"

    response = client.get("/catalog/", headers={"x-forwarded-proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.django_db
def test_the_health_check_is_not_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code != 301
    assert client.get("/healthz/").status_code != 301
