"""Production settings plus one bare view, for the page benchmark only (``bench/urls.py``).

The benchmark serves the real site and a bare view from the same process, with the same
middleware, database and cache, so the two throughputs compare like for like.
"""

from portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The bare view is not a cached page: like the admin or the API, it skips the page cache's
# lookup, so it stays a bare view.
PAGE_CACHE_SKIP_PREFIXES = [*PAGE_CACHE_SKIP_PREFIXES, "/bench/"]  # noqa: F405
