"""Settings shared by every environment.

The environment is read here, once, in the block below; ``dev``, ``test`` and
``production`` only decide what to do when a variable is missing.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF

from portal.cache import redis_cache

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# --- Environment (read once, typed) -------------------------------------------------------
# Every variable this project reads, with its type and default; the README's Configuration
# table lists the same names (portal/tests/test_settings.py compares them). Two rules hold
# for all of them: an empty variable counts as unset, and values are taken literally
# (django-environ would read a value starting with "$" as the name of another variable, and
# Django's generated secret keys may start with "$": every "$" reaches it escaped).
env = environ.Env()
env.ENVIRON = {
    name: value.replace("$", "\\$") for name, value in os.environ.items() if value.strip()
}
env.escape_proxy = True

SECRET_KEY = env.str("SECRET_KEY", default="")
DATABASE_URL = env.str("DATABASE_URL", default="")
REDIS_URL = env.str("REDIS_URL", default="")
# None when unset: dev.py turns it on; test.py and production.py keep it off.
DEBUG = env.bool("DEBUG", default=None)
# Empty when unset: dev.py and production.py fall back to the local addresses.
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", cast=str.strip, default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", cast=str.strip, default=[])
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
API_ANON_RATE = env.str("API_ANON_RATE", default="60/hour")
API_PARTNER_RATE = env.str("API_PARTNER_RATE", default="1000/hour")
# Partner API responses: how long clients may reuse one (seconds), and how long the server
# keeps it (a new statistics run makes it stale sooner).
API_MAX_AGE = env.int("API_MAX_AGE", default=300)
API_CACHE_SECONDS = env.int("API_CACHE_SECONDS", default=60 * 60 * 24)
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", cast=str.strip, default=[])
# Reverse proxies in front of the app servers that append to X-Forwarded-For (nginx: 1).
# Unset or 0: the peer address is the client. One rule for every limit and log
# (portal.client_address); API_NUM_PROXIES is the older name of the same setting.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=env.int("API_NUM_PROXIES", default=0))
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
# Disclosure control: a cell (a slice or one level of it) publishes money figures only from
# SALARY_MIN_OFFERS offers by SALARY_MIN_CANDIDATES distinct candidates up, while its
# busiest candidate holds less than SALARY_MAX_CANDIDATE_SHARE of its offers (a decimal,
# compared exactly); p10 and p90 also need SALARY_MIN_CANDIDATES_TAILS candidates.
SALARY_MIN_OFFERS = env.int("SALARY_MIN_OFFERS", default=5)
SALARY_MIN_CANDIDATES = env.int("SALARY_MIN_CANDIDATES", default=5)
SALARY_MAX_CANDIDATE_SHARE = env.float("SALARY_MAX_CANDIDATE_SHARE", default=0.5)
SALARY_MIN_CANDIDATES_TAILS = env.int("SALARY_MIN_CANDIDATES_TAILS", default=10)
# Public salary pages: the same two durations for browsers and shared caches, and for the
# rendered page the server keeps.
SALARY_PAGE_MAX_AGE = env.int("SALARY_PAGE_MAX_AGE", default=300)
SALARY_PAGE_CACHE_SECONDS = env.int("SALARY_PAGE_CACHE_SECONDS", default=60 * 60 * 24)
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
# Where to report a vulnerability (/.well-known/security.txt, RFC 9116): a mailto: or https:
# URI. Empty: security@ the host the request came to.
SECURITY_CONTACT = env.str("SECURITY_CONTACT", default="")
# The newsletter: how many mails a minute the background worker hands to the SMTP server
# (the provider's limit), across every worker.
NEWSLETTER_RATE_PER_MINUTE = env.int("NEWSLETTER_RATE_PER_MINUTE", default=300)
# Read here, applied by production.py only: development and the tests run without HTTPS,
# SMTP or kept database connections, whatever the environment says.
PRODUCTION_ENV = {
    "CONN_MAX_AGE": env.int("CONN_MAX_AGE", default=60),
    "SECURE_SSL_REDIRECT": env.bool("SECURE_SSL_REDIRECT", default=True),
    "SECURE_HSTS_SECONDS": env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365),
    "EMAIL_BACKEND": env.str(
        "EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"
    ),
    "DEFAULT_FROM_EMAIL": env.str("DEFAULT_FROM_EMAIL", default="DevSalaries <noreply@localhost>"),
    # The SMTP server the newsletter's mail goes through.
    "EMAIL_HOST": env.str("EMAIL_HOST", default="localhost"),
    "EMAIL_PORT": env.int("EMAIL_PORT", default=25),
    "EMAIL_HOST_USER": env.str("EMAIL_HOST_USER", default=""),
    "EMAIL_HOST_PASSWORD": env.str("EMAIL_HOST_PASSWORD", default=""),
    "EMAIL_USE_TLS": env.bool("EMAIL_USE_TLS", default=False),
}

# --- Applications -------------------------------------------------------------------------
INSTALLED_APPS = [
    "portal",
    "articles",
    "salaries",
    "wagtail.contrib.forms",
    "wagtail.contrib.table_block",
    "wagtail.api.v2",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above the page cache, so cached pages carry the policy too.
    "csp.middleware.CSPMiddleware",
    # Before CommonMiddleware, so its headers reach every API response, redirects included.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before anything reads the query string: a NUL in it is a 400.
    "portal.middleware.NullCharacterMiddleware",
    # Cached public pages are answered here, above the layers they do not need.
    "portal.response_cache.PageCacheMiddleware",
    # Below the page cache: cached pages still answer while the database restarts.
    "portal.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site_frame",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {
    "default": environ.Env.db_url_config(DATABASE_URL or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A faceted answer on demand sorts the candidate ids of a slice's offers (tens of
    # thousands for a roll-up): 16 MB per sort keeps them in memory, where PostgreSQL's
    # 4 MB default spills them to disk (docs/benchmarks.md). An explicit setting wins.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c work_mem=16MB")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------
if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal",
            "TIMEOUT": 60 * 60,
        }
    }

# django-redis: every Redis error of a cache call is a miss or a skipped write (portal.cache).
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "portal.cache.ignored"

# --- Auth ---------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# Brute-force protection for the admin login (django-axes): five failed attempts for one
# username from one address lock that pair out for fifteen minutes; a success resets.
# Attempts are kept in the database, so every app server enforces the same lockout.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
# The site's one client-address rule (the real visitor behind trusted proxies only).
AXES_CLIENT_IP_CALLABLE = "portal.client_address.client_address"
AXES_VERBOSE = False

# --- I18N ---------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Upload limits: request bodies (forms, API) up to 5 MB; image and document uploads in the
# admin up to 20 MB (nginx's client_max_body_size matches), images up to 40 megapixels.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024

# --- Content Security Policy (django-csp) -------------------------------------------------
# Scripts only from this site, inline ones only with the request's nonce (the admin's editor,
# which still runs inline scripts, is allowed them by a decorator on its URLs in
# portal.urls); styles from this site plus inline ones (the Wagtail admin and Swagger UI set
# style attributes); images from this site and data: URIs; no plugins; forms post only
# here; framed only by this site (the admin's live preview).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Wagtail ------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "DevSalaries"
# The admin loads nothing from other sites (the Content Security Policy allows none):
# no Gravatar avatars, no check for new Wagtail releases.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt", "xlsx", "zip"]

# --- Background tasks (django-tasks with its database backend) ----------------------------
# Wagtail's own small tasks (search and reference index) keep running inline ("default");
# mail goes through the "background" backend: a row in the database that the worker
# (`manage.py db_worker --backend background`, see docs/deploy.md) picks up.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# Sending: a worker holds the one sending lease while it mails, renewing it with every mail;
# a worker that dies lets it lapse and the next run takes over after this many seconds.
NEWSLETTER_LEASE_SECONDS = 60
# One task run sends for at most this long, then queues its continuation, so confirmation
# mails never wait long behind a large send.
NEWSLETTER_TASK_SECONDS = 30
# An SMTP failure is retried after 1, 2, 4, ... times this many seconds, this many attempts
# in all, then recorded as failed.
NEWSLETTER_RETRY_SECONDS = 60
NEWSLETTER_MAX_ATTEMPTS = 5
# An SMTP server that stops answering must not hold a worker forever.
EMAIL_TIMEOUT = 30

# --- REST framework (set once, here) ------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "salaries.negotiation.FormatNegotiation",
    "DEFAULT_PAGINATION_CLASS": "salaries.pagination.CitedPagination",
    "PAGE_SIZE": 50,
    # Ordering is part of each FilterSet, so pages and the API order the same way.
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["salaries.authentication.PartnerKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # Per key at its partner's rate, per client address without a key; counters live in
    # the shared cache, so every app server enforces the same limit.
    "DEFAULT_THROTTLE_CLASSES": ["salaries.throttling.PartnerRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_RATE, "partner": API_PARTNER_RATE},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "salaries.api_base.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "DevSalaries Partner API",
    "DESCRIPTION": (
        "Salary statistics of developers by specialization, technology and year, computed "
        "from job offers: offers, distinct candidates, offer-weighted median and "
        "percentiles, mean, a histogram in $500 bands and a breakdown by seniority.\n\n"
        "Authenticate with `Authorization: Api-Key <key>`; without a key a low anonymous "
        "rate applies. Every response says when the figures were computed "
        "(`computed_at`), links to the methodology and gives the minimum sample size under "
        "which money figures are withheld. The partner guide is at `/api/`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PREPROCESSING_HOOKS": ["salaries.schema.partner_endpoints_only"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "salaries.schema.facet_entries_are_closed",
        "salaries.schema.csv_is_text",
        "salaries.schema.query_errors_component",
        "salaries.schema.empty_query_values_are_absent",
        "salaries.schema.this_site_as_server",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "TAGS": [
        {"name": "stats", "description": "Published salary statistics, one item per slice."},
        {"name": "catalogue", "description": "Specializations and technologies that exist."},
    ],
}

# --- CORS (partners' browser widgets) -----------------------------------------------------
# Off unless CORS_ALLOWED_ORIGINS lists origins, e.g. https://jobs.example.com; only the
# read-only API is ever shared, and only the headers a widget needs are exposed.
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "authorization", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Last-Modified",
    "Link",
    "Retry-After",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
]

# --- Product settings ---------------------------------------------------------------------
# Disclosure control (SALARY_MIN_* and SALARY_MAX_CANDIDATE_SHARE, read at the top), stated
# in the partner API's description.
SPECTACULAR_SETTINGS["DESCRIPTION"] += (
    "\n\nNo figure may reveal one person's salary. A slice, and each seniority level of "
    "it on its own, publishes money figures (median, percentiles, mean, histogram) only "
    f"when it has at least {SALARY_MIN_OFFERS} offers from at least "
    f"{SALARY_MIN_CANDIDATES} distinct candidates, and the candidate with the most offers "
    f"holds less than {SALARY_MAX_CANDIDATE_SHARE:g} of them. A seniority level also needs "
    "the slice's other offers (other levels and none) to be none or to come from at least "
    f"{SALARY_MIN_CANDIDATES} candidates, so that two published figures cannot be "
    f"subtracted. `p10` and `p90` need at least {SALARY_MIN_CANDIDATES_TAILS} candidates. "
    "A withheld figure is `null`; `offers` and `candidates` are always published; "
    "`withheld` names the first rule that failed (`min_offers`, `min_candidates`, "
    "`dominance`, `complement`), or `tails` when only `p10` and `p90` are withheld, or is "
    "`null`."
)

# --- Logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # A Redis that is down or full: one warning a minute, not one per request.
    "filters": {"once_a_minute": {"()": "portal.cache.OncePerMinute"}},
    "loggers": {
        "portal.cache.ignored": {"filters": ["once_a_minute"]},
        "django.db.backends": {"level": "WARNING"},
        # One line per background task (search index, reference index) is noise.
        "django_tasks": {"level": "WARNING"},
    },
}
