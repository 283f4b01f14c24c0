"""Settings from environment variables only (shared/contract.md).

Infrastructure lives here; business policy (hours, targets, templates, topics) is data in the database.
The same code runs embedded (SQLite, Huey on SQLite, in-memory channel layer, local-memory cache) or scaled
out (PostgreSQL, Redis) depending only on DATABASE_URL and REDIS_URL.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent.parent
CLEARLINE_HOME = Path(os.environ.get("CLEARLINE_HOME", "./var")).resolve()

DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set unless DEBUG is on (see .env.example)")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105 - DEBUG only
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

SUPPORT_DOMAIN = os.environ.get("CLEARLINE_SUPPORT_DOMAIN", "example.com").strip().lower()
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
# The carrier's REST API for callbacks, SMS and recordings (Twilio, or a Twilio-compatible carrier's address).
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_API_URL = os.environ.get("TWILIO_API_URL", "https://api.twilio.com").rstrip("/")
SMTP_LISTEN = os.environ.get("CLEARLINE_SMTP_LISTEN", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
# Threads that run request code in one web process (each keeps its own database connection). With a web
# process per core, 2 beat 4 on both databases (fewer threads contend for a process's GIL; decision 0009).
WEB_THREADS = max(1, int(os.environ.get("CLEARLINE_WEB_THREADS", "2")))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "huey.contrib.djhuey",
    "channels",
    "clearline.core",
    "clearline.org",
    "clearline.accounts",
    "clearline.audit",
    "clearline.sla",
    "clearline.crypto",
    "clearline.cases",
    "clearline.kb",
    "clearline.notices",
    "clearline.feedback",
    "clearline.compliance",
    "clearline.channels.email",
    "clearline.channels.voice",
    "clearline.web",
    "clearline.console",
    "clearline.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "clearline.web.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "clearline.config.urls"
ASGI_APPLICATION = "clearline.config.asgi.application"
AUTH_USER_MODEL = "accounts.Staff"
LOGIN_URL = "console:login"

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
                "clearline.web.context.public_pages",
            ],
        },
    },
]


PREPARE_THRESHOLD = 5  # psycopg's own default


def database_config() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
        # Parameters bound by the server, not quoted into the SQL by Python: less client CPU per statement.
        # Statements a connection repeats (every intake's, delivery's and webhook's) are prepared on their
        # fifth use, so PostgreSQL stops parsing and planning them; Django turns that off unless asked.
        # `?prepare_threshold=off` in DATABASE_URL turns it off (a transaction pooler before PgBouncer 1.21).
        options = {
            "server_side_binding": True,
            "prepare_threshold": PREPARE_THRESHOLD,
            **config.get("OPTIONS", {}),
        }
        if str(options["prepare_threshold"]).lower() in ("off", "none"):
            options["prepare_threshold"] = None
        config["OPTIONS"] = options
        if config["ENGINE"] == "django.db.backends.postgresql":
            config["ENGINE"] = "clearline.core.postgresql"  # a cheaper connection health check
        return config
    CLEARLINE_HOME.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "clearline.core.sqlite",  # Django's SQLite backend + an in-process writer lock
        "NAME": str(CLEARLINE_HOME / "clearline.sqlite3"),
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait (busy timeout)
            # instead of failing with "database is locked" on upgrade from a read transaction.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
    }


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "clearline.core.cache.SharedRedisCache", "LOCATION": REDIS_URL}}
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
    }
    HUEY: dict[str, Any] = {
        "huey_class": "clearline.core.jobs.JobsOnRedis",
        "name": "clearline",
        "url": REDIS_URL,
        "immediate": False,
        "consumer": {"workers": 4, "worker_type": "thread"},
    }
else:
    # One cache on disk for every process of the embedded shape (web processes, job consumer, commands): a
    # login throttle or a rate limit counts each attempt whichever process answered it; increments are atomic.
    CACHES = {
        "default": {
            "BACKEND": "diskcache.DjangoCache",
            "LOCATION": str(CLEARLINE_HOME / "cache"),
            "DATABASE_TIMEOUT": 1.0,  # waits up to 1 s for another process's write (diskcache: 10 ms)
        }
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    HUEY = {
        "huey_class": "clearline.core.jobs.EmbeddedHuey",
        "name": "clearline",
        "filename": str(CLEARLINE_HOME / "jobs.sqlite3"),
        "immediate": False,
        # The SQLite queue is polled; Huey's default backs off to a poll every 10 s when idle, so the first
        # acknowledgement after a quiet spell waited up to 10 s. One poll a second per worker costs nothing.
        "consumer": {"workers": 2, "worker_type": "thread", "max_delay": 1.0},
    }


def email_config(url: str) -> dict[str, Any]:
    if not url:
        return {"EMAIL_BACKEND": "clearline.core.mail.OutboxBackend"}
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps", "submission"}:
        raise ImproperlyConfigured(
            f"EMAIL_URL must be smtp://, smtps:// or submission://, got {parts.scheme!r}"
        )
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "127.0.0.1",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": parts.username or "",
        "EMAIL_HOST_PASSWORD": parts.password or "",
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": parts.scheme == "submission",
        "EMAIL_TIMEOUT": 20,
    }


globals().update(email_config(os.environ.get("EMAIL_URL", "")))
OUTBOX_DIR = CLEARLINE_HOME / "outbox"
DEFAULT_FROM_EMAIL = f"support@{SUPPORT_DOMAIN}"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

STORAGES = {
    "default": {
        "BACKEND": "clearline.core.storage.DurableFileStorage",
        "OPTIONS": {"location": str(CLEARLINE_HOME / "media")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
STATIC_URL = "/static/"
STATIC_ROOT = CLEARLINE_HOME / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves app static files from finders meanwhile
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("ro", "Română")]
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
OTP_TOTP_ISSUER = "Clearline"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG and env_bool("CLEARLINE_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = 8 * 3600

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # The job consumer logs problems, not every task: with no handler of its own, `run_huey` would add one at
    # INFO on top of the root's, and each task start and finish was written twice (4 lines a task).
    "loggers": {"huey": {"handlers": ["console"], "level": "WARNING", "propagate": False}},
}
