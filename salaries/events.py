"""Signals that ``salaries`` sends for other apps to act on, so that it never has to know
them (the articles app listens; ``salaries`` never imports it).

``stats_published`` is sent once a statistics run has committed, with ``run`` (the new
``StatsRun``). Receivers are called robustly: one that fails is logged and does not undo
or stop the publication.
"""

import logging

from django.dispatch import Signal

logger = logging.getLogger(__name__)

stats_published = Signal()


def stats_published_send(run) -> None:
    for receiver, error in stats_published.send_robust(sender=type(run), run=run):
        if isinstance(error, Exception):
            logger.error(
                "stats_published receiver %r failed", receiver, exc_info=(type(error), error, None)
            )
