"""Settings for the 政府信息公开 portal, driven entirely by environment variables.

See .env.example for every variable. Production (DEBUG off) refuses to start
without SECRET_KEY and ALLOWED_HOSTS.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str = "False") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envsecret(name: str) -> str | None:
    """Read NAME, or the file named by NAME_FILE (Docker/systemd secrets)."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return os.environ.get(name)


DEBUG = envbool("DEBUG")

SECRET_KEY = envsecret("SECRET_KEY")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS")
if not DEBUG:
    missing = [n for n, v in (("SECRET_KEY", SECRET_KEY), ("ALLOWED_HOSTS", ALLOWED_HOSTS)) if not v]
    if missing:
        raise ImproperlyConfigured(
            f"{' and '.join(missing)} must be set when DEBUG is off (see .env.example)."
        )
if DEBUG:
    SECRET_KEY = SECRET_KEY or "insecure-development-key-never-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver"]
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "import_export",
    "axes",
    # Not "rest_framework": its locale would override Django's own Chinese messages (forms, admin);
    # the API renders JSON only and needs none of its templates or static files.
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "apps.organs",
    "apps.accounts",
    "apps.catalog",
    "apps.portal",
    "apps.workdays",
    "apps.applications",
    "apps.proactive",
    "apps.litigation",
    "apps.proposals",
    "apps.reports",
    "apps.api",
    "apps.devtools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "disclosure_portal.middleware.RejectNulBytesMiddleware",
    # Last, as django-axes asks: it turns a login refused for too many failures into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "disclosure_portal.urls"
WSGI_APPLICATION = "disclosure_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.portal.context_processors.portal",
            ],
            # {% fragment %}: parts of public pages rendered once per content generation.
            "libraries": {"fragments": "disclosure_portal.fragments"},
        },
    },
]

# Database: PostgreSQL only. DATABASE_URL when set, else the embedded server.
if database_url := os.environ.get("DATABASE_URL"):
    import dj_database_url

    DATABASES = {"default": dj_database_url.parse(database_url, conn_max_age=60)}
else:
    from disclosure_portal.embedded_db import database_settings

    DATABASES = {
        "default": database_settings(
            Path(os.environ.get("EMBEDDED_PG_DIR", BASE_DIR / ".pgdata")),
            name=os.environ.get("EMBEDDED_PG_DB", "portal"),
        )
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 60
# Search bitmaps over a million catalog rows must stay exact: with the default 4 MB a
# bitmap turns lossy and every candidate's search vector is detoasted again (seconds).
# The search index's pending list, which every search statement scans, stays under 256 kB
# (PostgreSQL's default is 4 MB); apps/catalog/search_upkeep.py.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    f"-c work_mem={os.environ.get('DB_WORK_MEM', '32MB')}"
    f" -c gin_pending_list_limit={os.environ.get('DB_GIN_PENDING_LIST_LIMIT', '256kB')}"
)
if test_db_name := os.environ.get("TEST_DB_NAME"):  # parallel test runs on one server
    DATABASES["default"]["TEST"] = {"NAME": test_db_name}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords within
# LOGIN_LOCKOUT_MINUTES for one account (from anywhere) or from one address (for any account),
# logins are refused until that time has passed or a superuser lifts the lockout in the admin
# (登录失败与锁定, apps/accounts). Behind reverse proxies set TRUSTED_PROXY_COUNT (see
# disclosure_portal/client_ip.py), or every visitor shares the proxy's address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Failures while locked out do not prolong the lockout: an attacker could otherwise keep a
# clerk's account shut for good.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "disclosure_portal.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "apps.accounts.views.locked_out"
AXES_ENABLE_ADMIN = False  # apps/accounts lists the lockouts, in Chinese
AXES_DISABLE_ACCESS_LOG = True  # successful logins: Django's own last_login is enough
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Several app servers share their media (attachments, report PDFs, reply documents) on S3-compatible
# storage (MinIO, a cloud's object storage) through django-storages: MEDIA_STORAGE=s3 and the
# variables of docs/deploy.md. The bucket stays private: downloads go through the portal's views,
# which check that the entry is published.
if os.environ.get("MEDIA_STORAGE", "filesystem") == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", "portal-media"),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": envsecret("S3_ACCESS_KEY"),
            "secret_key": envsecret("S3_SECRET_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Caches: the rendered public pages and the content generation that invalidates them
# (disclosure_portal/caching.py), shared by every gunicorn worker. With REDIS_URL, a Redis server
# shared by every app server; without it a file cache on this machine, which needs no extra server
# and serves a cached page about as fast (see docs/deploy.md for the measurements).
# "generation" holds only the content generation's token (see caching._generation_cache).
if redis_url := envsecret("REDIS_URL"):
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal"),
        }
        for alias in ("default", "generation")
    }
else:
    cache_dir = Path(os.environ.get("CACHE_DIR", BASE_DIR / "var" / "cache"))
    # Two demo databases on one machine (make run, make bench-http) never share pages.
    cache_prefix = os.environ.get("CACHE_KEY_PREFIX", os.environ.get("EMBEDDED_PG_DB", "portal"))
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": cache_dir,
            # Pages of older generations are never read again; culling removes them in passing.
            "OPTIONS": {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", 3000)},
            "KEY_PREFIX": cache_prefix,
        },
        "generation": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": cache_dir / "generation",
            "KEY_PREFIX": cache_prefix,
        },
    }
PAGE_CACHE_ALIAS = "default"
# How long a rendered public page is kept (0: never stored; ETags and 304s still answered).
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 600)
# max-age for browsers and shared caches; 0 (the default) makes them revalidate each time, so that a
# withdrawn entry disappears everywhere at once.
PUBLIC_PAGE_MAX_AGE = envint("PUBLIC_PAGE_MAX_AGE", 0)
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Content Security Policy: no inline JS or CSS anywhere on the public site.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# HTTPS: on by default in production (manage.py check --deploy is clean with the environment of
# .env.example); `make run` turns the redirect and secure cookies off for plain HTTP on 127.0.0.1.
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", str(not DEBUG))
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", str(not DEBUG))
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(not DEBUG))
# A load balancer probes the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
# Sent over HTTPS only, so harmless on a plain-HTTP demo; one year, as HSTS preload lists require.
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", str(not DEBUG))
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", str(not DEBUG))
# Behind a TLS-terminating proxy that sets the header (and strips it from clients), e.g.
# SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO; unset when clients reach gunicorn directly.
if proxy_ssl_header := os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (proxy_ssl_header, "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Mail (Django 6.1 MAILERS): applicants' messages, clerks' reminders. Console backend in development.
EMAIL_BACKEND_PATH = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH, "OPTIONS": {}}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": envint("EMAIL_PORT", 25),
        # Messages are sent after the commit, in the request: a hung server must not hang it.
        "timeout": envint("EMAIL_TIMEOUT", 10),
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")

# Messages to applicants at each step (apps/applications/notifications.py), by e-mail through
# MAILERS and by SMS through SMS_BACKEND: the dotted path of a class with send_messages()
# (apps/applications/sms.py); the default only writes the message to the log, "" turns SMS off.
# A transient failure is tried ATTEMPTS times in all, waiting BACKOFF_SECONDS, then twice as long;
# a delivery that still fails is tried again daily for RETRY_DAYS.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "apps.applications.sms.LoggingBackend")
NOTIFICATIONS = {
    "ATTEMPTS": envint("NOTIFICATION_ATTEMPTS", 3),
    "BACKOFF_SECONDS": float(os.environ.get("NOTIFICATION_BACKOFF_SECONDS", "1")),
    "RETRY_DAYS": envint("NOTIFICATION_RETRY_DAYS", 7),
}

# Site identity, shown in the header and feeds.
PORTAL_NAME = os.environ.get("PORTAL_NAME", "政府信息公开")
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")

# Catalog attachments (条例 does not fix a limit; 50 MB fits scanned documents).
ATTACHMENT_MAX_BYTES = envint("ATTACHMENT_MAX_BYTES", 50 * 1024 * 1024)
ATTACHMENT_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ofd", "jpg", "png", "zip"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Open-data API (apps/api, docs/api.md): read-only, anonymous, limited per client address (as
# TRUSTED_PROXY_COUNT tells it) in the default cache.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["apps.api.throttling.AddressRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api": os.environ.get("API_RATE", "120/minute"),
        "downloads": os.environ.get("API_DOWNLOAD_RATE", "30/hour"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "政府信息公开 open data API",
    "DESCRIPTION": "Read-only access to the published catalog, organs, annual reports and statistics. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}
# Rows of one catalog download at most (narrow the filters, e.g. by year, for more).
API_DOWNLOAD_MAX_ROWS = envint("API_DOWNLOAD_MAX_ROWS", 100_000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # The logging SMS backend's messages are its whole output.
    "loggers": {"apps.applications.sms": {"level": "INFO"}},
}
