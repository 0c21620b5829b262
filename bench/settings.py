"""Production settings plus one bare view, for the page benchmark only (``bench/urls.py``).

The benchmark serves the real site and a bare view from the same process, with the same
middleware, database and cache, so the two throughputs compare like for like.
"""

from portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The bare views are not cached pages (their views carry no cache_params), so the page
# cache does not look them up: they stay bare.
