"""Consensus point: geometric median on the sphere, against hand cases and an independent optimiser."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from analysis.live.consensus import geometric_median

R_KM = 6371.0


def _gc_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # Haversine in plain math, written independently of analysis.geo and of the vector maths
    # under test (the law of cosines would lose ~0.1 km of precision on short distances).
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * R_KM * math.asin(math.sqrt(min(1.0, h)))


def _total_km(point: tuple[float, float], guesses: list[tuple[float, float]]) -> float:
    return sum(_gc_km(point[0], point[1], lat, lon) for lat, lon in guesses)


def test_one_guess_is_its_own_consensus() -> None:
    assert geometric_median([(-33.9, 18.4)]) == pytest.approx((-33.9, 18.4))


def test_no_usable_guess_gives_none() -> None:
    assert geometric_median([]) is None
    assert geometric_median([(math.nan, 3.0), (4.0, math.nan)]) is None


def test_identical_guesses_are_the_consensus() -> None:
    assert geometric_median([(5.0, 6.0)] * 4) == pytest.approx((5.0, 6.0))


def test_nan_guesses_are_ignored() -> None:
    assert geometric_median([(math.nan, 0.0), (12.0, 34.0)]) == pytest.approx((12.0, 34.0))


def test_three_guesses_symmetric_around_the_pole_meet_at_the_pole() -> None:
    # Rotating the three points by 120 degrees maps the set onto itself: the unique median is
    # on the rotation axis, and the north pole is far closer than the south pole.
    lat, _lon = geometric_median([(60.0, 0.0), (60.0, 120.0), (60.0, -120.0)]) or (0, 0)
    assert lat == pytest.approx(90.0, abs=1e-6)


def test_guesses_mirrored_across_the_equator_give_a_point_on_the_equator() -> None:
    guesses = [(10.0, 30.0), (-10.0, 30.0), (0.0, 50.0)]
    median = geometric_median(guesses)
    assert median is not None
    assert median[0] == pytest.approx(0.0, abs=1e-7)
    assert 30.0 < median[1] < 50.0
    # Fermat point of a triangle with all angles < 120 deg: each pair of guesses is seen under
    # 120 deg. Check the angle at the median between the two mirrored guesses (planar, small).
    lon = median[1]
    seen_under_deg = 2.0 * math.degrees(math.atan2(10.0, lon - 30.0))
    assert seen_under_deg == pytest.approx(120.0, abs=1.0)


def test_a_point_held_by_half_the_guesses_is_the_median_not_the_mean() -> None:
    paris = (48.8566, 2.3522)
    median = geometric_median([paris, paris, (-33.87, 151.21)])
    assert median == pytest.approx(paris, abs=1e-9)


def test_two_guesses_give_the_midpoint_of_the_arc() -> None:
    assert geometric_median([(10.0, 0.0), (20.0, 0.0)]) == pytest.approx((15.0, 0.0))


def test_guesses_across_the_antimeridian_stay_in_the_pacific() -> None:
    median = geometric_median([(0.0, 179.0), (0.0, -179.0)])
    assert median is not None
    assert abs(median[1]) == pytest.approx(180.0)


def test_order_of_guesses_does_not_matter() -> None:
    guesses = [(40.4, -3.7), (48.85, 2.35), (52.52, 13.4), (51.5, -0.12), (41.9, 12.5)]
    first = geometric_median(guesses)
    second = geometric_median(list(reversed(guesses)))
    assert first is not None and second is not None
    assert _gc_km(*first, *second) < 1e-3


def _reference_minimum(guesses: list[tuple[float, float]]) -> float:
    """Minimise the summed distance with scipy from every guess (independent method)."""
    best = math.inf
    for start in guesses:
        found = minimize(
            lambda x: _total_km((float(x[0]), float(x[1])), guesses),
            x0=np.array(start),
            method="Nelder-Mead",
            options={"xatol": 1e-9, "fatol": 1e-9, "maxiter": 4000},
        )
        best = min(best, float(found.fun))
    return best


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(min_value=-50, max_value=50), st.floats(min_value=-60, max_value=60)),
        min_size=3,
        max_size=7,
    )
)
def test_median_is_at_least_as_good_as_an_independent_optimiser(
    guesses: list[tuple[float, float]],
) -> None:
    median = geometric_median(guesses)
    assert median is not None
    assert -90.0 <= median[0] <= 90.0 and -180.0 <= median[1] <= 180.0
    ours = _total_km(median, guesses)
    # Within a part per million (+1 m) of the optimum: far below anything visible on the map,
    # and Weiszfeld's last metres near a guess are slow to converge.
    reference = _reference_minimum(guesses)
    assert ours <= reference * (1 + 1e-6) + 1e-3  # km
    # ... and never worse than simply picking the best of the guesses.
    assert ours <= min(_total_km(g, guesses) for g in guesses) + 1e-6
