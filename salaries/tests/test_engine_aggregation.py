"""The grouped reads' slice keys: exact for any ids, never two slices in one key."""

import numpy as np
import pytest

from salaries.engine.aggregation import WHOLE_SLICE, SliceKeyOverflow, SliceKeys
from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import OfferFactory, SpecializationFactory, TechnologyFactory
from salaries.models import SalaryStat

# Past every bound the old packing had: 20 bits of technology, 28 of specialization.
BIG_TECH = 2**20 + 5
BIG_SPEC = 2**40 + 3


def test_keys_round_trip_ids_of_any_size():
    keys = SliceKeys.fitting(
        specs=np.array([3, BIG_SPEC]), techs=np.array([5, BIG_TECH]), years=np.array([2024])
    )
    parts = [
        (3, 5, 2024, 1),
        (3, BIG_TECH, 2024, 1),
        (BIG_SPEC, BIG_TECH, 2024, WHOLE_SLICE),
        (0, BIG_TECH, 2024, 4),
        (0, 0, 2024, WHOLE_SLICE),
    ]
    spec, tech, year, level = (np.array(column) for column in zip(*parts, strict=True))
    packed = keys.encode(spec, tech, year, level).tolist()
    assert len(set(packed)) == len(parts)
    assert [keys.decode(key) for key in packed] == [
        (s or None, t or None, y, lv) for s, t, y, lv in parts
    ]


def test_keys_keep_the_order_of_the_ids():
    keys = SliceKeys.fitting(specs=np.array([9, 2]), techs=np.array([7]), years=np.array([2024]))
    packed = keys.encode(np.array([2, 9]), np.array([7, 7]), np.array([2024] * 2), np.ones(2))
    assert packed[0] < packed[1]


@pytest.mark.parametrize(
    ("spec", "tech", "year", "level"),
    [(4, 5, 2024, 1), (3, 6, 2024, 1), (3, 5, 2**12, 1), (3, 5, 2024, 8), (3, -5, 2024, 1)],
)
def test_a_value_the_keys_were_not_made_for_is_refused_not_cut(spec, tech, year, level):
    keys = SliceKeys.fitting(specs=np.array([3]), techs=np.array([5]), years=np.array([2024]))
    with pytest.raises(SliceKeyOverflow):
        keys.encode(np.array([spec]), np.array([tech]), np.array([year]), np.array([level]))


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
