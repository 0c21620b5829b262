"""What the statistics did between runs: the published figures of every slice are copied
after each run (``figures_record``), so two runs can be compared (``figure_moves``) and an
article's topic compared with how it stood when the article was last published.

Only published figures are copied, so a move never shows a figure the disclosure rules
withheld: a median that was withheld in either run takes no part in the comparison.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from articles.newsletter.models import FigureSnapshot
from salaries.models import SalaryStat, Specialization, StatsRun, Technology, slice_subject

# Runs whose figures are kept; older copies are dropped after each run.
RUNS_KEPT = 12


@transaction.atomic
def figures_record(*, run: StatsRun) -> int:
    """Copy the published offers and median of every slice as they stand after ``run``;
    returns how many slices were copied. Running it again for the same run is a no-op."""
    if FigureSnapshot.objects.filter(run=run).exists():
        return 0
    rows = (
        FigureSnapshot(
            run=run,
            specialization_id=spec,
            technology_id=tech,
            year=year,
            offers=offers,
            median=median,
        )
        for spec, tech, year, offers, median in SalaryStat.objects.values_list(
            "specialization_id", "technology_id", "year", "offers", "median"
        ).iterator(chunk_size=2000)
    )
    created = len(FigureSnapshot.objects.bulk_create(rows, batch_size=2000))
    kept = recorded_runs(limit=RUNS_KEPT)
    FigureSnapshot.objects.exclude(run_id__in=kept).delete()
    return created


def recorded_runs(*, limit: int = 2, before: datetime | None = None) -> list[int]:
    """Ids of the newest runs whose figures were copied, newest first (finished before
    ``before`` when given)."""
    runs = StatsRun.objects.filter(
        id__in=FigureSnapshot.objects.values("run_id").distinct()
    ).order_by("-finished_at", "-id")
    if before is not None:
        runs = runs.filter(finished_at__lte=before)
    return list(runs.values_list("id", flat=True)[:limit])


@dataclass(frozen=True)
class Move:
    """One slice's figures in an earlier and a later run."""

    specialization: Specialization | None
    technology: Technology | None
    year: int
    offers_before: int
    offers_after: int
    median_before: int | None
    median_after: int | None

    @property
    def subject(self) -> str:
        return slice_subject(self.specialization, self.technology)

    @property
    def title(self) -> str:
        return f"{self.subject} in {self.year}"

    @property
    def url(self) -> str:
        path = reverse(
            "salaries:salary-page",
            args=[
                self.specialization.slug if self.specialization else "all",
                self.technology.slug if self.technology else "all",
                self.year,
            ],
        )
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path

    @property
    def offers_change(self) -> int:
        return self.offers_after - self.offers_before

    @property
    def median_change(self) -> int | None:
        if self.median_before is None or self.median_after is None:
            return None
        return self.median_after - self.median_before

    @property
    def score(self) -> Fraction:
        return _relative_change(
            self.offers_before, self.offers_after, self.median_before, self.median_after
        )


def _figures(run_id: int, technologies: list[int] | None) -> dict[tuple, tuple]:
    rows = FigureSnapshot.objects.filter(run_id=run_id)
    if technologies is not None:
        rows = rows.filter(technology_id__in=technologies)
    return {
        (spec, tech, year): (offers, median)
        for spec, tech, year, offers, median in rows.values_list(
            "specialization_id", "technology_id", "year", "offers", "median"
        ).iterator(chunk_size=2000)
    }


def figure_moves(
    *,
    technologies: Iterable[Technology] | None = None,
    limit: int | None = 5,
    runs: tuple[int, int] | None = None,
    slices: Iterable[tuple[int | None, int | None]] | None = None,
) -> list[Move]:
    """The slices whose median or offers moved most between two runs (by default the last
    two recorded), largest relative change first; slices of the given technologies only,
    or of the given (specialization id, technology id) pairs. Unchanged slices are left
    out."""
    if runs is None:
        recorded = recorded_runs(limit=2)
        if len(recorded) < 2:
            return []
        runs = (recorded[1], recorded[0])
    tech_ids = None if technologies is None else [tech.pk for tech in technologies]
    before, after = _figures(runs[0], tech_ids), _figures(runs[1], tech_ids)
    wanted = None if slices is None else set(slices)
    moves = []
    for key, (offers, median) in after.items():
        if key not in before or (wanted is not None and key[:2] not in wanted):
            continue
        offers_before, median_before = before[key]
        if (offers_before, median_before) == (offers, median):
            continue
        moves.append((key, offers_before, offers, median_before, median))
    moves.sort(key=_score, reverse=True)
    if limit is not None:
        moves = moves[:limit]
    specs = Specialization.objects.in_bulk({m[0][0] for m in moves if m[0][0]})
    techs = Technology.objects.in_bulk({m[0][1] for m in moves if m[0][1]})
    return [
        Move(
            specialization=specs.get(spec),
            technology=techs.get(tech),
            year=year,
            offers_before=offers_before,
            offers_after=offers_after,
            median_before=median_before,
            median_after=median_after,
        )
        for (spec, tech, year), offers_before, offers_after, median_before, median_after in moves
    ]


def _relative_change(
    offers_before: int, offers_after: int, median_before: int | None, median_after: int | None
) -> Fraction:
    """The larger relative change of the median and of the offers."""
    score = Fraction(abs(offers_after - offers_before), max(offers_before, 1))
    if median_before is not None and median_after is not None:
        score = max(score, Fraction(abs(median_after - median_before), max(median_before, 1)))
    return score


def _score(move) -> tuple[Fraction, int]:
    _, offers_before, offers_after, median_before, median_after = move
    return _relative_change(offers_before, offers_after, median_before, median_after), offers_after
