"""The facts and the grouped reads: exact for ids of any size, never two slices in one
group; the numpy reads agree with the database's."""

import numpy as np
import pytest
from django.db import connection

from salaries.engine.aggregation import DIMENSIONS, Aggregation, FactRows, facts_rebuild
from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import (
    CandidateFactory,
    OfferFactory,
    SpecializationFactory,
    TechnologyFactory,
)
from salaries.models import SalaryStat

# Past every bound the old packing had: 20 bits of technology, 28 of specialization.
BIG_TECH = 2**20 + 5
BIG_SPEC = 2**40 + 3


@pytest.mark.django_db
def test_technologies_with_ids_past_the_old_bound_keep_their_own_slices():
    spec = SpecializationFactory(slug="back-end", id=BIG_SPEC)
    small, big = TechnologyFactory(slug="flask", id=5), TechnologyFactory(slug="rust", id=BIG_TECH)
    for i in range(5):
        OfferFactory(specialization=spec, technologies=[small], salary=3000 + i)
    for i in range(7):
        OfferFactory(specialization=spec, technologies=[big], salary=9000 + i)
    salary_stats_refresh()
    by_slice = {
        (s, t): (offers, median)
        for s, t, offers, median in SalaryStat.objects.values_list(
            "specialization_id", "technology_id", "offers", "median"
        )
    }
    assert by_slice == {
        (BIG_SPEC, 5): (5, 3002),
        (BIG_SPEC, BIG_TECH): (7, 9003),
        (None, 5): (5, 3002),
        (None, BIG_TECH): (7, 9003),
        (BIG_SPEC, None): (12, 9001),  # (9000 + 9001) / 2, half up
        (None, None): (12, 9001),
    }


@pytest.mark.django_db
def test_the_facts_hold_every_offer_and_every_technology_with_its_facet_codes():
    spec = SpecializationFactory(slug="back-end")
    flask, django = TechnologyFactory(slug="flask"), TechnologyFactory(slug="django")
    OfferFactory(
        specialization=spec,
        technologies=[flask, django],
        seniority="senior",
        english_level="fluent",
        remote=True,
        country="PL",
        salary=7000,
    )
    OfferFactory(specialization=spec, technologies=[flask], remote=False, salary=3000)
    with connection.cursor() as cursor:
        facts_rebuild(cursor, None)
        cursor.execute("SELECT t, y, p, l, e, r, k FROM salaries_salaryfact ORDER BY p, t")
        rows = cursor.fetchall()
    poland = (ord("P") - 64) * 32 + ord("L") - 64
    assert rows == [
        (0, 2024, 3000, 0, 0, 2, 0),
        (flask.id, 2024, 3000, 0, 0, 2, 0),
        (0, 2024, 7000, 3, 5, 1, poland),
        *sorted(
            [(flask.id, 2024, 7000, 3, 5, 1, poland), (django.id, 2024, 7000, 3, 5, 1, poland)]
        ),
    ]


@pytest.mark.django_db
def test_reads_from_fetched_rows_agree_with_the_database():
    import random

    rng = random.Random(12)
    spec = SpecializationFactory(slug="back-end")
    techs = [TechnologyFactory(slug=f"t{i}") for i in range(3)]
    people = [CandidateFactory() for _ in range(9)]
    for _ in range(60):
        OfferFactory(
            specialization=spec,
            technologies=rng.sample(techs, rng.randint(1, 3)),
            candidate=rng.choice(people),
            seniority=rng.choice(["", "junior", "senior"]),
            english_level=rng.choice(["", "basic", "fluent"]),
            remote=rng.choice([None, True, False]),
            country=rng.choice(["", "UA", "PL"]),
            salary=rng.choice([3000, 4000, 5000, 7000]),
        )
    with connection.cursor() as cursor:
        facts_rebuild(cursor, None)
        cursor.execute("SELECT s, t, y, c, p, l, e, r, k FROM salaries_salaryfact WHERE t <> 0")
        rows = np.array(cursor.fetchall(), dtype=np.int64)
        memory = FactRows(rows, ["s", "t", "y", "c", "p", *DIMENSIONS])
        database = Aggregation(cursor, "t <> 0", [])

        def same(a, b):
            order = lambda m: m[np.lexsort(m.T[::-1])]  # noqa: E731
            assert order(a).tolist() == order(b).tolist()

        for columns in (["t", "y"], ["s", "t", "y", "k"]):
            same(memory.grouped(columns), database.grouped(columns))
            same(memory.people(columns), database.people(columns))
        for d in DIMENSIONS:
            same(memory.alone(["t", "y"], d), database.alone(["t", "y"], d))
