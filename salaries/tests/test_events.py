"""``stats_published``: other apps hear of each statistics run once it has committed, and
one that fails cannot undo or stop the publication."""

import logging

import pytest

from salaries.engine.refresh import salary_stats_refresh
from salaries.events import stats_published
from salaries.models import SalaryStat, StatsRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    runs = []

    def receiver(run, **kwargs):
        runs.append(run)

    stats_published.connect(receiver)
    yield runs
    stats_published.disconnect(receiver)


def test_sent_once_after_the_run_commits_with_the_new_run(
    published, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        summary = salary_stats_refresh(min_offers=5)
    assert heard == []  # not before the commit
    for callback in callbacks:
        callback()
    assert heard == [summary.run] and heard[0] == StatsRun.objects.latest()


def test_a_failing_receiver_is_logged_and_the_figures_stay_published(
    published, django_capture_on_commit_callbacks, caplog
):
    def broken(run, **kwargs):
        raise RuntimeError("receiver broke")

    stats_published.connect(broken)
    try:
        with (
            caplog.at_level(logging.ERROR, logger="salaries.events"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            summary = salary_stats_refresh(min_offers=5)
    finally:
        stats_published.disconnect(broken)
    assert "stats_published receiver" in caplog.text and "receiver broke" in caplog.text
    assert SalaryStat.objects.filter(run=summary.run).count() == summary.slices
