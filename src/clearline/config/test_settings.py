"""Test settings: the production settings with jobs run inline and fast password hashing."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault(
    "CLEARLINE_HOME", os.path.join(os.path.dirname(__file__), "..", "..", "..", "var", "test")
)

from . import settings as _production
from .settings import *  # noqa: F403

if os.environ.get("REDIS_URL"):
    # Each xdist worker gets its own Redis database, so cache.clear() in one never wipes another's state.
    _worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    REDIS_URL = os.environ["REDIS_URL"].rsplit("/", 1)[0] + f"/{1 + _worker % 15}"
    CACHES = {"default": {**_production.CACHES["default"], "LOCATION": REDIS_URL}}
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
    }
    HUEY = {**HUEY, "url": REDIS_URL}  # noqa: F405
else:  # the embedded cache on disk, a directory per xdist worker
    _directory = f"{_production.CACHES['default']['LOCATION']}-{os.environ.get('PYTEST_XDIST_WORKER', 'gw0')}"
    CACHES = {"default": {**_production.CACHES["default"], "LOCATION": _directory}}

HUEY = {**HUEY, "immediate": True}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; production uses scrypt
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

if DATABASES["default"]["ENGINE"] == "clearline.core.sqlite":  # noqa: F405
    # A file per xdist worker (pytest-django appends _gw0, _gw1 ...), beside the development data.
    DATABASES["default"]["TEST"] = {"NAME": str(CLEARLINE_HOME / "test-db.sqlite3")}  # noqa: F405
