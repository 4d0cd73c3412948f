"""The environment chooses where the cache and the media live: Redis and S3 for several app servers, a
file cache and the filesystem for one."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent.parent

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import storages
storage = storages["default"]
print(json.dumps({
    "cache": type(caches["default"]).__name__,
    "cache_location": str(settings.CACHES["default"]["LOCATION"]),
    "generation_location": str(settings.CACHES["generation"]["LOCATION"]),
    "storage": type(storage).__name__,
    "bucket": getattr(storage, "bucket_name", None),
    "endpoint": getattr(storage, "endpoint_url", None),
    "acl": getattr(storage, "default_acl", None),
}))
"""


def _settings(**env) -> dict:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "MEDIA_STORAGE", "DJANGO_SETTINGS_MODULE"} and not k.startswith("S3_")
    }
    clean.update(
        SECRET_KEY="s3cret",
        ALLOWED_HOSTS="xxgk.example.gov.cn",
        DJANGO_SETTINGS_MODULE="disclosure_portal.settings",
    )
    clean.update(env)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=BASE, env=clean, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_one_server_needs_no_extra_service():
    found = _settings(CACHE_DIR="/tmp/portal-cache")
    assert found["cache"] == "FileBasedCache"
    assert found["cache_location"] == "/tmp/portal-cache"
    # Culling old pages never reaches the generation token.
    assert found["generation_location"] == "/tmp/portal-cache/generation"
    assert found["storage"] == "FileSystemStorage"


def test_several_servers_share_redis_and_an_s3_bucket(tmp_path):
    secret = tmp_path / "s3_secret"
    secret.write_text("very-secret\n")
    found = _settings(
        REDIS_URL="redis://:pw@10.0.0.30:6379/0",
        MEDIA_STORAGE="s3",
        S3_BUCKET="portal-media",
        S3_ENDPOINT_URL="https://minio.internal:9000",
        S3_ACCESS_KEY="portal",
        S3_SECRET_KEY_FILE=str(secret),
    )
    assert found["cache"] == "RedisCache"
    assert found["cache_location"] == found["generation_location"] == "redis://:pw@10.0.0.30:6379/0"
    assert found["storage"] == "S3Storage"
    assert found["bucket"] == "portal-media"
    assert found["endpoint"] == "https://minio.internal:9000"
    assert found["acl"] == "private"
