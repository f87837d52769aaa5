"""Target plan: every point inside its country, spread evenly, deterministic per seed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.collect.plan import all_countries, plan_targets, resolve_countries, sample_points
from analysis.errors import InputError
from analysis.geo.countries import country_of

# big, tiny, multi-part, long and thin, crossing the antimeridian
VARIED = ["FRA", "NOR", "CHL", "IDN", "RUS", "FJI", "USA", "VAT", "MCO", "SGP", "NZL", "GRC",
          "KIR", "CAN", "LSO"]  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31), iso3=st.sampled_from(VARIED))
def test_every_point_lies_inside_its_country(seed: int, iso3: str) -> None:
    for lat, lon in sample_points(iso3, 6, seed):
        assert country_of(lat, lon, tolerance_km=0) == iso3, (lat, lon)


def test_plan_spreads_per_country_and_is_deterministic() -> None:
    countries = resolve_countries(["FRA", "Deutschland", "peru"])
    assert countries == ["FRA", "DEU", "PER"]
    first = plan_targets(countries, 4, seed=7)
    assert first == plan_targets(countries, 4, seed=7)
    assert [t.iso3 for t in first] == ["FRA"] * 4 + ["DEU"] * 4 + ["PER"] * 4
    assert len({t.target_id for t in first}) == 12
    assert all(len(t.points) == 1 for t in first)
    other = plan_targets(countries, 4, seed=8)
    assert {t.points for t in other}.isdisjoint({t.points for t in first})


def test_extending_a_plan_keeps_the_targets_already_planned() -> None:
    small = plan_targets(["FRA", "DEU"], 2, seed=3)
    bigger = plan_targets(["DEU", "ITA", "FRA"], 5, seed=3)
    by_id = {t.target_id: t for t in bigger}
    for target in small:  # resuming with more countries or targets moves nothing done
        assert by_id[target.target_id] == target


def test_points_spread_over_the_country_not_one_corner() -> None:
    points = sample_points("USA", 200, seed=0)
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    # the contiguous US spans ~25-49 N and ~125-67 W; uniform draws reach far both ways
    assert min(lats) < 32 and max(lats) > 44
    assert min(lons) < -115 and max(lons) > -80


def test_unknown_or_merged_country_is_refused_with_the_reason() -> None:
    with pytest.raises(InputError, match="Atlantis"):
        resolve_countries(["FRA", "Atlantis"])
    with pytest.raises(InputError, match="inside FRA"):
        resolve_countries(["REU"])
    with pytest.raises(InputError, match="no country"):
        resolve_countries([" "])


def test_all_countries_covers_the_world() -> None:
    codes = all_countries()
    assert len(codes) > 200
    assert {"FRA", "XKX", "PSE", "TWN"} <= set(codes)
