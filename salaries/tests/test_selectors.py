"""Reading the published statistics as of one moment."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from salaries.models import StatsRun
from salaries.selectors import statistics_snapshot, stats_run_latest


def new_run() -> StatsRun:
    now = timezone.now()
    return StatsRun.objects.create(started_at=now, finished_at=now, slices=0, offers=0, seconds=0.0)


@pytest.mark.django_db(transaction=True)
def test_a_run_committed_during_a_read_is_not_seen_by_that_read():
    """A page reads several queries; a statistics run that commits between two of them
    must stay invisible until the page is done (PostgreSQL: REPEATABLE READ)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers against an open read transaction")
    first = new_run()
    with statistics_snapshot():
        with connection.cursor() as cursor:
            cursor.execute("SHOW transaction_isolation")
            assert cursor.fetchone()[0] == "repeatable read"
        assert stats_run_latest() == first

        def publish():  # another app server's statistics run, on its own connection
            new_run()
            connections.close_all()

        writer = threading.Thread(target=publish)
        writer.start()
        writer.join()
        assert StatsRun.objects.count() == 1 and stats_run_latest() == first
    assert StatsRun.objects.count() == 2


@pytest.mark.django_db
def test_inside_a_transaction_already_begun_it_leaves_the_transaction_alone():
    with statistics_snapshot():
        assert stats_run_latest() is None
