"""The reads of the published statistics and the partner keys: what callers rely on."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from salaries.models import SalaryStat, StatsRun
from salaries.partner_keys import partner_key_create
from salaries.selectors import (
    partner_key_get,
    partner_keys_forget,
    salary_stat_get,
    salary_stat_history,
    salary_stat_latest,
    salary_stat_previous_year,
    salary_stat_ranking,
    salary_stat_related,
    salary_stat_sitemap,
    salary_stat_years,
    specialization_list,
    statistics_snapshot,
    stats_run_latest,
    technology_list,
)


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


# --- One slice: the cell for these slugs and year ---


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("specialization", "technology"),
    [("back-end", "flask"), ("Back-End", "FLASK"), (" back-end ", "flask ")],
)
def test_a_slice_is_found_by_its_slugs_in_any_case(published, specialization, technology):
    stat = salary_stat_get(specialization=specialization, technology=technology, year=2024)
    assert (stat.specialization.slug, stat.technology.slug, stat.year) == (
        "back-end",
        "flask",
        2024,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("specialization", "technology", "expected"),
    [
        ("all", "flask", (None, "flask")),
        ("back-end", "ALL", ("back-end", None)),
        ("All", "all", (None, None)),
    ],
)
def test_all_names_the_roll_up_row(published, specialization, technology, expected):
    stat = salary_stat_get(specialization=specialization, technology=technology, year=2024)
    found = (
        stat.specialization.slug if stat.specialization else None,
        stat.technology.slug if stat.technology else None,
    )
    assert found == expected


@pytest.mark.django_db
def test_unknown_slugs_and_years_find_no_slice(published):
    assert salary_stat_get(specialization="back-ned", technology="flask", year=2024) is None
    assert salary_stat_get(specialization="back-end", technology="flask", year=2019) is None
    assert salary_stat_latest(specialization="back-end", technology="cobol") is None


@pytest.mark.django_db
def test_history_lists_every_year_of_one_slice_oldest_first(published):
    history = salary_stat_history(specialization="back-end", technology="Flask")
    assert [stat.year for stat in history] == [2023, 2024]
    assert {stat.technology.slug for stat in history} == {"flask"}
    rollup = salary_stat_history(specialization="all", technology="all")
    assert [(stat.specialization, stat.technology) for stat in rollup] == [(None, None)] * 2


@pytest.mark.django_db
def test_latest_is_the_newest_year_unless_a_year_is_asked_for(published):
    assert salary_stat_latest(specialization="back-end", technology="flask").year == 2024
    older = salary_stat_latest(specialization="back-end", technology="flask", year=2023)
    assert older.year == 2023 and older.technology.slug == "flask"
    assert salary_stat_latest(specialization="back-end", technology="flask", year=2022) is None
    assert salary_stat_latest(specialization="front-end", technology="all").year == 2024


@pytest.mark.django_db
def test_a_slice_links_to_its_salary_page(published):
    stat = salary_stat_get(specialization="all", technology="flask", year=2024)
    assert stat.get_absolute_url() == "/salaries/all/flask/2024/"


# --- Lists ---


@pytest.mark.django_db
def test_ranking_is_every_technology_of_a_specialization_most_offered_first(published):
    ranking = salary_stat_ranking(specialization="back-end", year=2024)
    assert [stat.technology.slug for stat in ranking] == ["flask", "django", "fastapi"]
    assert [stat.offers for stat in ranking] == sorted((s.offers for s in ranking), reverse=True)
    rollup = salary_stat_ranking(specialization="ALL", year=2024)
    assert {stat.specialization for stat in rollup} == {None}
    assert {stat.technology.slug for stat in rollup} == {"flask", "django", "fastapi", "react"}
    assert salary_stat_ranking(specialization="back-end", year=2020) == []


@pytest.mark.django_db
def test_related_are_the_technologies_editors_related_else_the_most_offered(published):
    flask = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    assert [stat.technology.slug for stat in salary_stat_related(stat=flask)] == [
        "django",
        "fastapi",
    ]
    django = salary_stat_get(specialization="back-end", technology="django", year=2024)
    # Django's only related technology is Flask (the relation is symmetrical).
    assert [stat.technology.slug for stat in salary_stat_related(stat=django)] == ["flask"]
    published["flask"].related.clear()
    # Without related technologies: the others of the same scope, never the page itself.
    assert [stat.technology.slug for stat in salary_stat_related(stat=flask)] == [
        "django",
        "fastapi",
    ]
    rollup = salary_stat_get(specialization="all", technology="all", year=2024)
    others = salary_stat_related(stat=rollup, limit=2)
    assert len(others) == 2 and {stat.specialization for stat in others} == {None}


@pytest.mark.django_db
def test_previous_year_keys_each_slice_in_one_query(published, django_assert_num_queries):
    rows = list(SalaryStat.objects.filter(year=2024))
    with django_assert_num_queries(1):
        previous = salary_stat_previous_year(rows)
    flask = next(row for row in rows if row.technology and row.technology.slug == "flask")
    key = (flask.specialization_id, flask.technology_id, 2024)
    assert previous[key].year == 2023
    assert previous[key].offers == (
        salary_stat_get(specialization="back-end", technology="flask", year=2023).offers
    )
    assert (None, None, 2024) in previous  # the roll-up of every offer
    django = next(row for row in rows if row.technology and row.technology.slug == "django")
    assert (django.specialization_id, django.technology_id, 2024) not in previous
    assert salary_stat_previous_year([]) == {}


@pytest.mark.django_db
def test_years_are_the_years_with_figures_newest_first(published):
    assert salary_stat_years() == [2024, 2023]


@pytest.mark.django_db
def test_sitemap_lists_only_slices_with_published_figures(published):
    urls = {stat.get_absolute_url() for stat in salary_stat_sitemap()}
    assert "/salaries/back-end/flask/2024/" in urls
    assert "/salaries/back-end/fastapi/2024/" not in urls  # 3 offers: withheld
    assert "/salaries/all/all/2023/" in urls


@pytest.mark.django_db
def test_catalogue_lists_are_by_name(catalogue):
    assert [s.name for s in specialization_list()] == ["Back-End", "Front-End"]
    technologies = list(technology_list())
    assert [t.name for t in technologies] == ["Django", "FastAPI", "Flask", "React"]
    flask = next(t for t in technologies if t.slug == "flask")
    assert {t.slug for t in flask.related.all()} == {"django", "fastapi"}


@pytest.mark.django_db
def test_the_latest_run_is_the_newest():
    first, second = new_run(), new_run()
    assert stats_run_latest() == second != first


# --- Partner keys ---


@pytest.mark.django_db
def test_a_partner_key_is_read_once_then_from_the_cache(django_assert_num_queries):
    created, _ = partner_key_create(partner_name="Acme")
    with django_assert_num_queries(1):
        key = partner_key_get(prefix=created.prefix)
    assert key == created and key.partner.name == "Acme"
    with django_assert_num_queries(0):
        assert partner_key_get(prefix=created.prefix) == created
    partner_keys_forget(prefixes=[created.prefix])
    with django_assert_num_queries(1):
        assert partner_key_get(prefix=created.prefix) == created


@pytest.mark.django_db
def test_an_unknown_prefix_is_remembered_as_missing(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert partner_key_get(prefix="nosuchkey") is None
    with django_assert_num_queries(0):
        assert partner_key_get(prefix="nosuchkey") is None


@pytest.mark.django_db
def test_lists_read_names_and_links_without_a_query_per_row(published, django_assert_num_queries):
    """Pages print each row's names and link: that costs the list's one query, however
    many rows there are."""
    with django_assert_num_queries(1):
        ranking = salary_stat_ranking(specialization="all", year=2024)
        assert [stat.get_absolute_url() for stat in ranking] and [
            stat.technology.name for stat in ranking
        ]
    flask = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    with django_assert_num_queries(1):
        assert [(stat.technology.name, stat.subject) for stat in salary_stat_related(stat=flask)]
    with django_assert_num_queries(1):
        assert [stat.get_absolute_url() for stat in salary_stat_sitemap()]
    with django_assert_num_queries(1):
        assert [
            stat.get_absolute_url()
            for stat in salary_stat_history(specialization="back-end", technology="flask")
        ]


@pytest.mark.django_db
def test_any_leaves_out_the_roll_ups_that_all_names(published):
    """The explorer's "any technology" lists the named technologies; "all" is the roll-up."""
    named = SalaryStat.objects.filter(year=2024).without_rollups(technology=True)
    assert None not in {stat.technology_id for stat in named}
    assert None in {stat.specialization_id for stat in named}, "the other side stays open"
    both = SalaryStat.objects.without_rollups(specialization=True, technology=True)
    assert all(stat.specialization_id and stat.technology_id for stat in both)
    rollups = SalaryStat.objects.filter(year=2024).cell(technology="all")
    assert {stat.technology_id for stat in rollups} == {None}
    assert named.count() + rollups.count() == SalaryStat.objects.filter(year=2024).count()
