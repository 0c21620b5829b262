"""Production: PostgreSQL, Redis, WhiteNoise, HTTPS behind a reverse proxy.

Refuses to start without a real ``SECRET_KEY`` and a ``DATABASE_URL``.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    DATABASE_URL,
    DATABASES,
    LOGGING,
    MIDDLEWARE,
    PRODUCTION_ENV,
    SECRET_KEY,
)


def _require_real_secret_key(key: str) -> str:
    # The same bar as Django's security.W009 check: long, varied, not a generated dev key.
    if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random string of at least 50 characters "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(64))')."
        )
    return key


if not DATABASE_URL:
    raise ImproperlyConfigured(
        # pragma: allowlist nextline secret (a placeholder in an example URL)
        "DATABASE_URL must be set in production, e.g. postgres://user:password@host:5432/portal"
    )

SECRET_KEY = _require_real_secret_key(SECRET_KEY)
DEBUG = False
ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1"]

DATABASES["default"]["CONN_MAX_AGE"] = PRODUCTION_ENV["CONN_MAX_AGE"]
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# WhiteNoise serves the hashed, compressed static files straight from the app servers.
MIDDLEWARE = [*MIDDLEWARE]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS is terminated by the reverse proxy, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = PRODUCTION_ENV["SECURE_SSL_REDIRECT"]
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = PRODUCTION_ENV["SECURE_HSTS_SECONDS"]
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views override this for their own iframe.

EMAIL_BACKEND = PRODUCTION_ENV["EMAIL_BACKEND"]
DEFAULT_FROM_EMAIL = PRODUCTION_ENV["DEFAULT_FROM_EMAIL"]
EMAIL_HOST = PRODUCTION_ENV["EMAIL_HOST"]
EMAIL_PORT = PRODUCTION_ENV["EMAIL_PORT"]
EMAIL_HOST_USER = PRODUCTION_ENV["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = PRODUCTION_ENV["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = PRODUCTION_ENV["EMAIL_USE_TLS"]

# Logs: one JSON object a line on stdout (portal/logging.py).
LOGGING = {
    **LOGGING,
    "formatters": {"json": {"()": "portal.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
}
