"""gunicorn settings for the portal (``make serve``; ``gunicorn -c gunicorn.conf.py``).

Workers and threads: one process per core, four threads each (``gthread``). A request
spends much of its time waiting on PostgreSQL or Redis, with the GIL released, so threads
keep a core busy while another request waits; processes give every core its own GIL. On
the 2-core benchmark machine this (2 × 4) served the cached salary page and the bare view
best of the layouts tried (2 × 4, 3 × 2, 4 × 2; see docs/benchmarks.md). Override with
``WEB_CONCURRENCY`` and ``GUNICORN_THREADS``.

Every setting can also be given on the command line, which wins over this file. gunicorn
reads this file from the working directory even without ``-c``.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
keepalive = 5  # seconds an idle keep-alive connection stays open (behind a proxy: above its)
timeout = 30  # a worker silent this long is killed and replaced
graceful_timeout = 30
# Workers are not recycled (max_requests): at thousands of requests a second any useful
# bound would restart a worker every few seconds. Set GUNICORN_CMD_ARGS="--max-requests N"
# to recycle if a leak ever shows.
# The reverse proxy on this host sets X-Forwarded-Proto; trust it from loopback only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# No access log by default: the reverse proxy keeps one. "-" writes it to stdout.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
