"""What the statistics did between two runs, checked against an independent reference on
random data; and what follows each run: the figures are kept and a draft issue "Salary
figures updated" waits for editors, never sent by itself."""

import random
from fractions import Fraction

import pytest
from django_tasks_db.models import DBTaskResult

from articles.figures import RUNS_KEPT, figure_moves, figures_record, recorded_runs
from articles.newsletter.models import FigureSnapshot, NewsletterIssue, NewsletterSend
from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import add_offers
from salaries.models import SalaryStat

pytestmark = pytest.mark.django_db


def published_now() -> dict:
    return {
        (s.specialization_id, s.technology_id, s.year): (s.offers, s.median)
        for s in SalaryStat.objects.all()
    }


def reference_moves(before: dict, after: dict, technologies=None) -> list[tuple]:
    """(score, offers after, slice) of every slice in both runs whose figures changed,
    the score being the larger relative change of the median (when published in both)
    and of the offers."""
    moves = []
    for key, (offers, median) in after.items():
        if key not in before or before[key] == (offers, median):
            continue
        if technologies is not None and key[1] not in technologies:
            continue
        old_offers, old_median = before[key]
        score = Fraction(abs(offers - old_offers), old_offers)
        if old_median is not None and median is not None:
            score = max(score, Fraction(abs(median - old_median), old_median))
        moves.append((score, offers, key))
    return sorted(moves, key=lambda m: (m[0], m[1]), reverse=True)


def refresh(capture):
    with capture(execute=True):
        return salary_stats_refresh(min_offers=5).run


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_moves_between_the_last_two_runs_match_a_reference_on_random_data(
    catalogue, django_capture_on_commit_callbacks, seed
):
    rng = random.Random(seed)
    specs = [catalogue["back-end"], catalogue["front-end"]]
    techs = [catalogue[slug] for slug in ("flask", "django", "fastapi", "react")]
    for _ in range(6):
        add_offers(rng.choice(specs), rng.sample(techs, 2), 2024, rng.randint(5, 40), rng=rng)
    refresh(django_capture_on_commit_callbacks)
    before = published_now()
    for _ in range(3):  # new offers move some slices and leave others as they were
        add_offers(rng.choice(specs), [rng.choice(techs)], 2024, rng.randint(1, 25), rng=rng)
    refresh(django_capture_on_commit_callbacks)
    after = published_now()

    expected = reference_moves(before, after)
    moves = figure_moves(limit=None)
    assert expected, "the random data should move something"
    assert [(m.score, m.offers_after) for m in moves] == [(e[0], e[1]) for e in expected]
    assert {
        (
            m.specialization.pk if m.specialization else None,
            m.technology.pk if m.technology else None,
            m.year,
        )
        for m in moves
    } == {e[2] for e in expected}
    for move in moves:  # nothing a disclosure rule withheld is shown as a figure
        key = (
            move.specialization.pk if move.specialization else None,
            move.technology.pk if move.technology else None,
            move.year,
        )
        assert (move.offers_before, move.median_before) == before[key]
        assert (move.offers_after, move.median_after) == after[key]

    flask = catalogue["flask"]
    only_flask = reference_moves(before, after, technologies={flask.pk})
    assert [(m.score, m.offers_after) for m in figure_moves(technologies=[flask], limit=None)] == [
        (e[0], e[1]) for e in only_flask
    ]
    assert len(figure_moves(limit=2)) == min(2, len(expected))


def test_fewer_than_two_runs_move_nothing_and_copies_are_kept_for_a_bounded_number_of_runs(
    published, django_capture_on_commit_callbacks
):
    assert figure_moves() == []
    run = refresh(django_capture_on_commit_callbacks)
    assert FigureSnapshot.objects.filter(run=run).count() == SalaryStat.objects.count()
    assert figure_moves() == []
    assert figures_record(run=run) == 0  # recorded once
    for _ in range(RUNS_KEPT + 2):
        refresh(django_capture_on_commit_callbacks)
    assert len(recorded_runs(limit=100)) == RUNS_KEPT


def test_each_run_prepares_one_draft_that_is_never_sent_by_itself(
    published, django_capture_on_commit_callbacks, admin_user
):
    first = refresh(django_capture_on_commit_callbacks)
    draft = NewsletterIssue.objects.get()
    assert draft.subject == "Salary figures updated" and draft.prepared_for_run == first
    assert [block.block_type for block in draft.body] == ["what_changed"]
    assert f"{first.slices:,} slices" in draft.intro

    second = refresh(django_capture_on_commit_callbacks)
    draft.refresh_from_db()
    assert NewsletterIssue.objects.count() == 1 and draft.prepared_for_run == second

    # Once an editor has worked on it, the next run leaves it alone and starts another.
    draft.save_revision(user=admin_user)
    refresh(django_capture_on_commit_callbacks)
    assert NewsletterIssue.objects.count() == 2
    assert not NewsletterSend.objects.exists() and not DBTaskResult.objects.exists()


def test_a_run_rolled_back_records_nothing(published):
    """Inside a transaction that never commits (as here), nothing follows the run."""
    salary_stats_refresh(min_offers=5)
    assert not FigureSnapshot.objects.exists() and not NewsletterIssue.objects.exists()
