"""The facts and the grouped reads: exact for ids of any size, never two slices in one
group; the facts read back equal the table, and every grouped read equals a plain
Python count over the same rows."""

import random
from collections import Counter, defaultdict

import numpy as np
import pytest
from django.db import connection

from salaries.engine import aggregation
from salaries.engine.aggregation import (
    DIMENSIONS,
    FACT_COLUMNS,
    FactRows,
    facts_publish,
    facts_rebuild,
    unique_rows,
)
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
        _rebuild(cursor)
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


def _random_offers(rng, *, offers=60, people=9):
    spec = SpecializationFactory(slug="back-end")
    techs = [TechnologyFactory(slug=f"t{i}") for i in range(3)]
    candidates = [CandidateFactory() for _ in range(people)]
    for _ in range(offers):
        OfferFactory(
            specialization=spec,
            technologies=rng.sample(techs, rng.randint(1, 3)),
            candidate=rng.choice(candidates),
            offered_on=f"{rng.choice([2023, 2024])}-05-01",
            seniority=rng.choice(["", "junior", "senior"]),
            english_level=rng.choice(["", "basic", "fluent"]),
            remote=rng.choice([None, True, False]),
            country=rng.choice(["", "UA", "PL"]),
            salary=rng.choice([3000, 4000, 5000, 7000]),
        )


def _rebuild(cursor, year=None) -> dict:
    """Rebuild and publish the facts; return what each year's ``YearFacts`` held, as
    sorted rows per (year, technologies)."""
    given = {}
    with facts_rebuild(cursor, year) as facts:
        for year_facts in facts:
            for technologies in (True, False):
                read = year_facts.of(technologies=technologies)
                columns = (read.columns[name].tolist() for name in FACT_COLUMNS)
                given[year_facts.year, technologies] = sorted(zip(*columns, strict=True))
    facts_publish(cursor, facts.table)
    return given


def _table(cursor, year, technologies):
    condition = "t <> 0" if technologies else "t = 0"
    cursor.execute(
        f"SELECT {', '.join(FACT_COLUMNS)} FROM salaries_salaryfact "  # noqa: S608
        f"WHERE y = %s AND {condition}",
        [year],
    )
    return sorted(cursor.fetchall())


@pytest.mark.django_db
@pytest.mark.parametrize("chunk", [8 * 1024 * 1024, 100], ids=["one chunk", "records cut"])
@pytest.mark.parametrize("ahead", [True, False], ids=["read ahead", "read after"])
def test_the_facts_each_year_gives_equal_the_table_it_publishes(chunk, ahead, monkeypatch):
    # Small chunks cut records (and the streams' headers) across reads and writes; a
    # year is read while the one before is worked on, or after it.
    monkeypatch.setattr(aggregation, "_COPY_CHUNK", chunk)
    monkeypatch.setattr(aggregation, "READ_AHEAD_BYTES", 2**40 if ahead else 0)
    _random_offers(random.Random(3))
    with connection.cursor() as cursor:
        given = _rebuild(cursor)
        assert sorted(given) == [(2023, False), (2023, True), (2024, False), (2024, True)]
        for (year, technologies), rows in given.items():
            assert rows == _table(cursor, year, technologies) and rows


@pytest.mark.django_db
def test_a_one_year_rebuild_keeps_the_other_years_facts_as_they_were():
    rng = random.Random(5)
    _random_offers(rng)
    with connection.cursor() as cursor:
        _rebuild(cursor)
        before = {key: _table(cursor, *key) for key in [(2023, True), (2023, False)]}
        OfferFactory(
            specialization=SpecializationFactory(slug="front-end"),
            technologies=[TechnologyFactory(slug="vue")],
            offered_on="2024-02-01",
        )
        given = _rebuild(cursor, 2024)
        assert sorted(given) == [(2024, False), (2024, True)]
        for key in [(2024, True), (2024, False)]:
            assert given[key] == _table(cursor, *key)
        assert {key: _table(cursor, *key) for key in before} == before
        cursor.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM salaries_salaryfact")
        (rows, ids) = cursor.fetchone()
        assert rows == ids


def _reference(rows, columns, dimension=None):
    """The grouped reads, counted one row at a time."""
    at = {name: i for i, name in enumerate(FACT_COLUMNS)}
    key = lambda row, names: tuple(row[at[n]] for n in names)  # noqa: E731
    grouped = Counter(key(row, [*columns, "p"]) for row in rows)
    per_candidate = Counter(key(row, [*columns, "c"]) for row in rows)
    people = defaultdict(list)
    for (*group, _), offers in per_candidate.items():
        people[tuple(group)].append(offers)
    codes = defaultdict(set)
    for row in rows:
        codes[key(row, [*columns, "c"])].add(row[at[dimension]]) if dimension else None
    alone = Counter(
        (*group[:-1], next(iter(found))) for group, found in codes.items() if len(found) == 1
    )
    return (
        sorted((*k, n) for k, n in grouped.items()),
        sorted((*k, len(v), max(v)) for k, v in people.items()),
        sorted((*k, n) for k, n in alone.items()),
    )


@pytest.mark.parametrize("big", [False, True], ids=["packed", "wide ids"])
def test_grouped_reads_equal_a_row_by_row_count(big):
    rng = random.Random(12)
    # Wide ids leave no room to pack a row into one integer: the other way must agree.
    spec_ids = [2**40 + 3, 7] if big else [1, 2]
    rows = [
        (
            rng.choice(spec_ids),
            rng.choice([0, 5, 9]),
            rng.choice([2023, 2024]),
            rng.choice([11, 12, 13, 2**35 if big else 14]),
            rng.choice([3000, 4000, 5000]),
            *(rng.randint(0, 3) for _ in DIMENSIONS),
        )
        for _ in range(400)
    ]
    matrix = np.array(rows, dtype=np.int64)
    facts = FactRows({name: matrix[:, i] for i, name in enumerate(FACT_COLUMNS)})
    for columns in (["y"], ["t", "y"], ["s", "t", "y"], ["s", "t", "y", "k"]):
        for d in DIMENSIONS:
            grouped, people, alone = _reference(rows, columns, d)
            assert facts.grouped(columns).tolist() == [list(r) for r in grouped]
            assert facts.people(columns).tolist() == [list(r) for r in people]
            assert facts.alone(columns, d).tolist() == [list(r) for r in alone]


def test_unique_rows_matches_numpy_in_and_out_of_order():
    rng = np.random.default_rng(4)
    for matrix in (
        rng.integers(0, 5, size=(300, 3)),
        np.sort(rng.integers(0, 5, size=(300, 1)), axis=0),
        np.array([[2**62, 1], [3, 2**61], [3, 2**61]], dtype=np.int64),
    ):
        unique, inverse = unique_rows(matrix)
        expected, expected_inverse = np.unique(matrix, axis=0, return_inverse=True)
        assert unique.tolist() == expected.tolist()
        assert inverse.tolist() == expected_inverse.ravel().tolist()
