"""Kinsight settings: every value an operator may change comes from the environment.

The environment variables are documented in docs/configuration.md (a test keeps the two in step).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from kinsight.lib.env import env_bool, env_choice, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent

# production: the default, strict; demo: `make demo` on a laptop; test: the test suite.
KINSIGHT_ENV = env_choice("KINSIGHT_ENV", ["production", "demo", "test"], "production")

SECRET_KEY = env_secret("KINSIGHT_SECRET_KEY")
if not SECRET_KEY and KINSIGHT_ENV in ("demo", "test"):
    SECRET_KEY = "insecure-" + KINSIGHT_ENV + "-only-key-never-used-in-production"  # noqa: S105
# In production an empty key is left empty on purpose: commands that never sign anything (ingest,
# replay, synth) still run, and anything that would sign (sessions, the web app) fails loudly.

DEBUG = env_bool("KINSIGHT_DEBUG", False)
ALLOWED_HOSTS = env_list("KINSIGHT_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

# The embedded default is a SQLite file under ./var/ so that a fresh checkout needs no set-up.
DEFAULT_SQLITE = Path.cwd() / "var" / "kinsight.sqlite3"
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"


def _database(url: str) -> dict[str, Any]:
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except Exception as exc:  # noqa: BLE001 - dj_database_url raises several kinds
        raise ImproperlyConfigured(f"DATABASE_URL: cannot use {url!r}: {exc}") from None
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # WAL lets the web app read while an ingest writes; IMMEDIATE avoids the
            # "database is locked" upgrade deadlock between two writers.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                " PRAGMA busy_timeout=30000; PRAGMA cache_size=-64000;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    elif engine == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {})
    else:
        raise ImproperlyConfigured(
            f"DATABASE_URL: only sqlite:// and postgres:// stores are supported, got {engine!r}"
        )
    return config


DATABASES = {"default": _database(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "kinsight.access",
    "kinsight.audit",
    "kinsight.feeds",
    "kinsight.people",
    "kinsight.chronology",
    "kinsight.rules",
    "kinsight.reviews",
    "kinsight.web",
    "kinsight.api",
    "kinsight.connect",
    "django_tasks",
    "django_tasks_db",
]

# Background work (notification delivery) runs through django-tasks with its database backend,
# so the queue lives in the store on SQLite and PostgreSQL alike (docs/adr/0002-...).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kinsight.urls"
WSGI_APPLICATION = "kinsight.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_USER_MODEL = "access.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if KINSIGHT_ENV == "test":
    # Argon2 is deliberately slow; the suite creates many users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/sign-in/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Case records are read in the UK; moments without an offset are UK local time.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path.cwd() / "var" / "static"
# Serve static files straight from the apps: the embedded install has no collectstatic step.
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_AGE = env_int("KINSIGHT_SESSION_SECONDS", 8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if KINSIGHT_ENV == "production":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# How many feed lines are written in one transaction: large enough to be fast, small enough that a
# killed ingest loses little work (it is redone idempotently on the next run).
INGEST_BATCH_LINES = env_int("KINSIGHT_INGEST_BATCH_LINES", 5000)
if INGEST_BATCH_LINES < 1:
    raise ImproperlyConfigured("KINSIGHT_INGEST_BATCH_LINES: must be at least 1")

# The largest feed body `POST /api/feeds` takes (it is streamed to disk, never held in memory).
KINSIGHT_FEED_MAX_BYTES = env_int("KINSIGHT_FEED_MAX_BYTES", 1 << 30)

# Notifications: the address links in messages start with, the sender, and the mail server.
KINSIGHT_BASE_URL = env_str("KINSIGHT_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env_str("KINSIGHT_FROM_EMAIL", "kinsight@localhost")
EMAIL_HOST = env_str("KINSIGHT_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("KINSIGHT_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("KINSIGHT_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_secret("KINSIGHT_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("KINSIGHT_EMAIL_TLS", False)

# A TOML file of the partnership's rule thresholds (docs/rules.md); empty: the defaults.
KINSIGHT_RULES_FILE = env_str("KINSIGHT_RULES_FILE")
# A TOML file of retention periods in years per kind of record (kinsight retention); empty: keep.
KINSIGHT_RETENTION_FILE = env_str("KINSIGHT_RETENTION_FILE")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("KINSIGHT_LOG_LEVEL", "WARNING")},
}
