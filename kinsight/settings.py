"""Kinsight settings: every value an operator may change comes from the environment.

The environment variables are documented in docs/configuration.md (a test keeps the two in step).
"""

from __future__ import annotations

from datetime import timedelta
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
    # The API's browsable docs from ninja's own static files, not a CDN (offline, and the CSP).
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
]

# Background work (notification delivery) runs through django-tasks with its database backend,
# so the queue lives in the store on SQLite and PostgreSQL alike (docs/adr/0002-...).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kinsight.access.ratelimit.RateLimitMiddleware",
    "kinsight.access.twofactor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-axes wants to be last: it turns a lockout raised while signing in into its page.
    "axes.middleware.AxesMiddleware",
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

# Lockout after repeated failed sign-ins (django-axes): counted per username and client address,
# so that a stranger guessing cannot lock a practitioner out of their own desk; guessing from many
# addresses is slowed by the per-address rate limit below and stopped by the second factor. A
# successful sign-in clears the count; `manage.py axes_reset_username NAME` lifts a lockout early.
AXES_FAILURE_LIMIT = env_int("KINSIGHT_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("KINSIGHT_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "kinsight.access.ratelimit.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
if AXES_FAILURE_LIMIT < 1:
    raise ImproperlyConfigured("KINSIGHT_LOCKOUT_FAILURES: must be at least 1")

# Two-factor sign-in (django-otp, TOTP) for every role. The demo's users skip it; the test suite
# turns it on in the tests about it (settings.KINSIGHT_TWO_FACTOR = True).
KINSIGHT_TWO_FACTOR = KINSIGHT_ENV == "production"
OTP_TOTP_ISSUER = env_str("KINSIGHT_TOTP_ISSUER", "Kinsight")

# OpenID Connect sign-in (mozilla-django-oidc), off unless a client id is given. A claim of the
# identity provider's token names an existing user; nobody is ever created from a sign-in.
OIDC_RP_CLIENT_ID = env_str("KINSIGHT_OIDC_CLIENT_ID")
KINSIGHT_OIDC = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env_secret("KINSIGHT_OIDC_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("KINSIGHT_OIDC_AUTHORIZATION_URL")
OIDC_OP_TOKEN_ENDPOINT = env_str("KINSIGHT_OIDC_TOKEN_URL")
OIDC_OP_USER_ENDPOINT = env_str("KINSIGHT_OIDC_USERINFO_URL")
OIDC_OP_JWKS_ENDPOINT = env_str("KINSIGHT_OIDC_JWKS_URL")
OIDC_RP_SIGN_ALGO = env_choice("KINSIGHT_OIDC_SIGN_ALGO", ["RS256", "ES256", "HS256"], "RS256")
OIDC_RP_SCOPES = env_str("KINSIGHT_OIDC_SCOPES", "openid email profile")
KINSIGHT_OIDC_CLAIM = env_str("KINSIGHT_OIDC_CLAIM", "email")
KINSIGHT_OIDC_USER_FIELD = env_choice("KINSIGHT_OIDC_USER_FIELD", ["email", "username"], "email")
# True only when the identity provider itself asks for a second factor: then its sign-in counts
# as two-factor here; otherwise the user still gives a Kinsight TOTP code after it.
KINSIGHT_OIDC_MFA = env_bool("KINSIGHT_OIDC_MFA", False)
KINSIGHT_OIDC_LABEL = env_str("KINSIGHT_OIDC_LABEL", "Sign in with your organisation's account")
OIDC_CREATE_USER = False
OIDC_USE_PKCE = True
# A failed OIDC sign-in comes back to the sign-in page, which says so.
LOGIN_REDIRECT_URL_FAILURE = "/sign-in/?oidc=failed"
OIDC_STORE_ID_TOKEN = False
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
if KINSIGHT_OIDC:
    _needed = {
        "KINSIGHT_OIDC_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
        "KINSIGHT_OIDC_AUTHORIZATION_URL": OIDC_OP_AUTHORIZATION_ENDPOINT,
        "KINSIGHT_OIDC_TOKEN_URL": OIDC_OP_TOKEN_ENDPOINT,
        "KINSIGHT_OIDC_USERINFO_URL": OIDC_OP_USER_ENDPOINT,
        "KINSIGHT_OIDC_JWKS_URL": OIDC_OP_JWKS_ENDPOINT or OIDC_RP_SIGN_ALGO == "HS256",
    }
    _missing = [name for name, value in _needed.items() if not value]
    if _missing:
        raise ImproperlyConfigured(
            f"KINSIGHT_OIDC_CLIENT_ID is set, so these are needed too: {', '.join(_missing)}"
        )

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    *(["kinsight.access.oidc.ExistingUserOIDCBackend"] if KINSIGHT_OIDC else []),
]

# Rate limits, per minute: sign-in attempts (password and code) per client address, and API
# requests per caller (token, user or address). 0 turns a limit off; the suite turns them off
# except in the tests about them, whose clients all come from one address.
_limits_on = KINSIGHT_ENV != "test"
KINSIGHT_RATE_SIGN_IN = env_int("KINSIGHT_RATE_SIGN_IN", 20 if _limits_on else 0)
KINSIGHT_RATE_API = env_int("KINSIGHT_RATE_API", 600 if _limits_on else 0)
# Behind a reverse proxy every request comes from the proxy's address; with this set to the
# number of proxies in front, the client's address is read from X-Forwarded-For instead.
KINSIGHT_PROXY_COUNT = env_int("KINSIGHT_PROXY_COUNT", 0)

# Case records are read in the UK; moments without an offset are UK local time.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path.cwd() / "var" / "static"
# Serve static files straight from the apps: the embedded install has no collectstatic step.
WHITENOISE_USE_FINDERS = True

# A sign-in ends after KINSIGHT_SESSION_SECONDS whatever happens, and (by default) when the
# browser is closed: on a shared office machine the next person must sign in again.
SESSION_COOKIE_AGE = env_int("KINSIGHT_SESSION_SECONDS", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("KINSIGHT_SESSION_ENDS_WITH_BROWSER", True)
if SESSION_COOKIE_AGE < 60:
    raise ImproperlyConfigured("KINSIGHT_SESSION_SECONDS: must be at least 60")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env_list("KINSIGHT_CSRF_TRUSTED_ORIGINS")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
_production = KINSIGHT_ENV == "production"
SESSION_COOKIE_SECURE = _production
CSRF_COOKIE_SECURE = _production
SECURE_HSTS_SECONDS = env_int("KINSIGHT_HSTS_SECONDS", 365 * 24 * 60 * 60 if _production else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("KINSIGHT_HSTS_PRELOAD", _production)
SECURE_SSL_REDIRECT = env_bool("KINSIGHT_SSL_REDIRECT", _production)
# A load balancer's health check may come over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^api/health$"]
if env_bool("KINSIGHT_BEHIND_TLS_PROXY", False):
    # The proxy ends TLS and says so; it must strip this header from what clients send.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# A strict Content Security Policy: scripts, styles, fonts and pictures from Kinsight itself
# only; no inline script or style anywhere, no framing, no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# How many feed lines are written in one transaction: large enough to be fast, small enough that a
# killed ingest loses little work (it is redone idempotently on the next run).
# 20,000 rather than 5,000: at a million events, a quarter of the transactions each write an
# index page once for four times the rows (docs/performance.md).
INGEST_BATCH_LINES = env_int("KINSIGHT_INGEST_BATCH_LINES", 20000)
if INGEST_BATCH_LINES < 1:
    raise ImproperlyConfigured("KINSIGHT_INGEST_BATCH_LINES: must be at least 1")

# The largest feed body `POST /api/feeds` takes (it is streamed to disk, never held in memory).
KINSIGHT_FEED_MAX_BYTES = env_int("KINSIGHT_FEED_MAX_BYTES", 1 << 30)
# Form posts are small: Django refuses a larger body with 400 before any view reads it. The feed
# routes read their body as a stream, which this limit does not touch.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("KINSIGHT_MAX_FORM_BYTES", 1 << 20)

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

# Where the private keys of anonymised packs made on the review page are kept (never downloaded
# from that page; see docs/review-pack.md). Created readable by the server's user only.
KINSIGHT_REVIEW_KEYS_DIR = Path(
    env_str("KINSIGHT_REVIEW_KEYS_DIR") or Path.cwd() / "var" / "review-keys"
)
# How long a break-glass grant (opening a record outside one's scope, with a reason) lasts.
KINSIGHT_BREAK_GLASS_MINUTES = env_int("KINSIGHT_BREAK_GLASS_MINUTES", 60)
if KINSIGHT_BREAK_GLASS_MINUTES < 1:
    raise ImproperlyConfigured("KINSIGHT_BREAK_GLASS_MINUTES: must be at least 1")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("KINSIGHT_LOG_LEVEL", "WARNING")},
}
