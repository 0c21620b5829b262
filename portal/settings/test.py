"""Settings for the test suite: fast hashing, local-memory cache, a throwaway secret key.

``DATABASE_URL`` still decides the database, so the same suite runs on SQLite and on
PostgreSQL.
"""

import os
import tempfile
from pathlib import Path

from django.core.management.utils import get_random_secret_key

from .base import *  # noqa: F403
from .base import DATABASES, SECRET_KEY

SECRET_KEY = SECRET_KEY or get_random_secret_key()
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "portal-tests",
    }
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
# The newsletter's worker tests run a real worker process on the test database, so on
# SQLite that database is a file (one per test run) rather than in memory.
# The live server's threads then each have a connection of their own: transactions take the
# write lock when they begin (rather than deadlock upgrading a read lock), and wait for it.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("TEST", {})["NAME"] = str(
        Path(tempfile.gettempdir()) / f"portal-test-{os.getpid()}.sqlite3"
    )
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
# Short enough that the kill-and-resume test takes seconds.
NEWSLETTER_LEASE_SECONDS = 1
NEWSLETTER_RETRY_SECONDS = 0.2
