"""Helpers shared by the salaries tests: the partner API's slices (``published``), and for
the command tests: running a command as an operator would, the
import format's header and rows, and what the database holds."""

import datetime
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import OfferFactory, SpecializationFactory, TechnologyFactory
from salaries.models import Candidate, Offer, OfferTechnology, Specialization, Technology

HEADER = "offer_id,candidate_id,offered_on,specialization,technologies,salary,seniority"
GOOD_ROWS = [
    "o1,c1,2024-01-10,back-end,python;flask,7000,senior",
    "o2,c1,2024-02-10,back-end,python;django,6500,middle",
    "o3,c2,2023-03-10,front-end,react,5000,junior",
]


def write(tmp_path, rows, name="offers.csv", header=HEADER):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def run(*args, stdin=None, monkeypatch=None):
    out, err = StringIO(), StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    try:
        call_command("import_offers", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return 1, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


def snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (Offer, OfferTechnology, Candidate, Specialization, Technology)
    }


def run_command(*args) -> str:
    """A command's standard output; a ``CommandError`` propagates."""
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture(name="published")
def api_slices():
    """A few slices for the partner API tests: Back End × Flask in 2023 (thin) and 2024,
    Front End × React (thin)."""
    back_end = SpecializationFactory(slug="back-end", name="Back End")
    front_end = SpecializationFactory(slug="front-end", name="Front End")
    flask = TechnologyFactory(slug="flask", name="Flask")
    react = TechnologyFactory(slug="react", name="React")
    flask.related.add(react)
    for i, salary in enumerate([5000, 6000, 7000, 8000, 9000, 9900]):
        OfferFactory(
            specialization=back_end,
            technologies=[flask],
            salary=salary,
            seniority="senior" if i % 2 else "junior",
        )
    for salary in (3000, 3500):
        OfferFactory(specialization=front_end, technologies=[react], salary=salary)
    OfferFactory(
        specialization=back_end,
        technologies=[flask],
        salary=4000,
        offered_on=datetime.date(2023, 2, 1),
    )
    salary_stats_refresh(min_offers=5)
