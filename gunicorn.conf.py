"""gunicorn settings for the portal (``make serve``; ``gunicorn -c gunicorn.conf.py``).

Workers: synchronous, ``2 × cores + 1`` of them (5 on a 2-core machine), gunicorn's own
advice for servers behind a buffering reverse proxy such as nginx, which deals with slow
clients so a worker never waits on one. While one worker waits on PostgreSQL or Redis the
others use the cores. Threaded workers (``gthread``) were measured too: on the 2-core
benchmark machine, 2 workers × 4 threads served cached salary pages and API answers at
rates that swung from one 10-second round to the next by a factor of two or three
(23% to 65% of the bare view's rate in one run), while 5 sync workers held steady at
62–65% (docs/benchmarks.md). Override with ``WEB_CONCURRENCY`` and, for threaded
workers, ``GUNICORN_THREADS``.

Every setting can also be given on the command line, which wins over this file. gunicorn
reads this file from the working directory even without ``-c``.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
keepalive = 5  # seconds an idle keep-alive connection stays open (threaded workers only)
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
