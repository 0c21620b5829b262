"""Local development: what ``make demo`` and ``make run`` use.

Runs without Redis or PostgreSQL. The secret key is made on first use and kept in an
ignored ``.secret_key`` file, so sessions survive restarts and nothing secret is committed.
"""

from pathlib import Path

from django.core.management.utils import get_random_secret_key

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, BASE_DIR, DEBUG, SECRET_KEY


def local_secret_key(path: Path) -> str:
    """Return the key kept in ``path``, making a new random one there on first use."""
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        key = ""
    if not key:
        key = get_random_secret_key()
        path.write_text(key + "\n")
        path.chmod(0o600)
    return key


SECRET_KEY = SECRET_KEY or local_secret_key(BASE_DIR / ".secret_key")
DEBUG = True if DEBUG is None else DEBUG
ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
