"""Haversine, GeoGuessr score and great-circle paths against properties and independent figures."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.geo.distance import (
    EARTH_RADIUS_KM,
    GEOGUESSR_SCALE_KM,
    destination_point,
    geoguessr_score,
    great_circle_path,
    haversine_km,
    haversine_sql,
    split_at_antimeridian,
)

lats = st.floats(min_value=-90.0, max_value=90.0, allow_nan=False)
lons = st.floats(min_value=-180.0, max_value=180.0, allow_nan=False)
HALF_CIRCUMFERENCE_KM = math.pi * EARTH_RADIUS_KM


# --- properties -------------------------------------------------------------------------------


@given(lats, lons, lats, lons)
def test_symmetric(lat1: float, lon1: float, lat2: float, lon2: float) -> None:
    assert haversine_km(lat1, lon1, lat2, lon2) == pytest.approx(
        haversine_km(lat2, lon2, lat1, lon1), abs=1e-9
    )


@given(lats, lons)
def test_zero_on_identity(lat: float, lon: float) -> None:
    assert haversine_km(lat, lon, lat, lon) == 0.0


@given(lats, lons, lats, lons)
def test_bounded_by_half_circumference(lat1: float, lon1: float, lat2: float, lon2: float) -> None:
    d = haversine_km(lat1, lon1, lat2, lon2)
    assert 0.0 <= d <= HALF_CIRCUMFERENCE_KM + 1e-9


@given(lats, st.floats(min_value=0.0, max_value=0.5))
def test_antimeridian_neighbours_are_close(lat: float, gap_deg: float) -> None:
    # 179.75 E and 179.75 W are 0.5 degrees of longitude apart, not 359.5
    d = haversine_km(lat, 180.0 - gap_deg / 2, lat, -180.0 + gap_deg / 2)
    assert d <= gap_deg * 111.2 + 1e-9


@given(lats, lons, lats, lons, lats, lons)
def test_triangle_inequality(
    la: float, oa: float, lb: float, ob: float, lc: float, oc: float
) -> None:
    ab = haversine_km(la, oa, lb, ob)
    bc = haversine_km(lb, ob, lc, oc)
    ac = haversine_km(la, oa, lc, oc)
    assert ac <= ab + bc + 1e-6


@given(lons, lons)
def test_poles_ignore_longitude(lon1: float, lon2: float) -> None:
    assert haversine_km(90.0, lon1, 90.0, lon2) == pytest.approx(0.0, abs=1e-9)
    assert haversine_km(90.0, lon1, -90.0, lon2) == pytest.approx(HALF_CIRCUMFERENCE_KM, abs=1e-6)


@given(lats, lons)
def test_longitude_wraps(lat: float, lon: float) -> None:
    assert haversine_km(lat, lon, lat, lon + 360.0) == pytest.approx(0.0, abs=1e-6)


# --- hand-computed cases ----------------------------------------------------------------------


def test_one_degree_of_latitude() -> None:
    # 2 * pi * 6371 / 360 = 111.19492664...
    assert haversine_km(10.0, 20.0, 11.0, 20.0) == pytest.approx(111.194926644, abs=1e-6)


def test_quarter_circumference_equator_to_pole() -> None:
    assert haversine_km(0.0, 0.0, 90.0, 0.0) == pytest.approx(10007.543398, abs=1e-5)


def test_antipodes_on_equator() -> None:
    assert haversine_km(0.0, 30.0, 0.0, -150.0) == pytest.approx(20015.086796, abs=1e-5)


def test_one_degree_of_longitude_at_60_degrees_is_about_half() -> None:
    # at 60 N a small longitude step is cos(60) = 1/2 of the equatorial one
    assert haversine_km(60.0, 0.0, 60.0, 0.01) == pytest.approx(
        0.5 * haversine_km(0.0, 0.0, 0.0, 0.01), rel=1e-5
    )


def test_paris_london() -> None:
    # widely quoted great-circle figure ~343-344 km
    assert 340.0 < haversine_km(48.8566, 2.3522, 51.5074, -0.1278) < 346.0


def test_vectorised_broadcast_and_nan() -> None:
    d = haversine_km(np.array([0.0, np.nan, 0.0]), 0.0, np.array([1.0, 1.0, np.nan]), 0.0)
    assert isinstance(d, np.ndarray) and d.shape == (3,)
    assert d[0] == pytest.approx(111.194926644, abs=1e-6)
    assert np.isnan(d[1]) and np.isnan(d[2])
    assert isinstance(haversine_km(0.0, 0.0, 1.0, 1.0), float)
    assert math.isnan(haversine_km(float("nan"), 0.0, 1.0, 1.0))


def test_geoguessr_score_shape() -> None:
    assert geoguessr_score(0.0) == 5000.0
    assert geoguessr_score(GEOGUESSR_SCALE_KM) == pytest.approx(5000.0 / math.e)
    assert math.isnan(geoguessr_score(float("nan")))
    scores = geoguessr_score(np.array([0.0, 100.0, 20000.0]))
    assert isinstance(scores, np.ndarray)
    assert np.all(np.diff(scores) < 0)


# --- independent published figures: OSV-5M select.csv -----------------------------------------


@pytest.fixture(scope="module")
def osv5m(shared_data: Path) -> pd.DataFrame:
    return pd.read_csv(shared_data / "osv5m" / "select.csv")


def test_osv5m_rows_distance_and_score(osv5m: pd.DataFrame) -> None:
    for suffix in ("", "_base"):
        true_lat, true_lon = osv5m["true_lat"], osv5m["true_lon"]
        d = haversine_km(true_lat, true_lon, osv5m[f"pred_lat{suffix}"], osv5m[f"pred_lon{suffix}"])
        np.testing.assert_allclose(d, osv5m[f"distance{suffix}"], rtol=0, atol=1e-6)
        np.testing.assert_allclose(
            geoguessr_score(osv5m[f"distance{suffix}"]), osv5m[f"score{suffix}"], rtol=0, atol=1e-6
        )


def test_osv5m_summary(osv5m: pd.DataFrame) -> None:
    d = haversine_km(osv5m["true_lat"], osv5m["true_lon"], osv5m["pred_lat"], osv5m["pred_lon"])
    assert isinstance(d, np.ndarray) and len(d) == 50
    assert float(np.median(d)) == pytest.approx(361.58, abs=0.005)
    assert float(np.mean(geoguessr_score(d))) == pytest.approx(3290.73, abs=0.005)
    shares = [float(np.mean(d <= k)) for k in (1, 25, 200, 750, 2500)]
    assert shares == pytest.approx([0.02, 0.12, 0.36, 0.66, 0.86])
    d_base = haversine_km(
        osv5m["true_lat"], osv5m["true_lon"], osv5m["pred_lat_base"], osv5m["pred_lon_base"]
    )
    assert float(np.median(d_base)) == pytest.approx(1554.52, abs=0.005)
    assert float(np.mean(geoguessr_score(d_base))) == pytest.approx(1778.50, abs=0.005)


# --- SQL twin ---------------------------------------------------------------------------------


def test_haversine_sql_matches_numpy() -> None:
    rng = np.random.default_rng(7)
    n = 5000
    frame = pd.DataFrame(
        {
            "lat_a": rng.uniform(-90, 90, n),
            "lon_a": rng.uniform(-180, 180, n),
            "lat_b": rng.uniform(-90, 90, n),
            "lon_b": rng.uniform(-180, 180, n),
        }
    )
    # edge rows: identical points, antipodes, poles, antimeridian neighbours
    frame.loc[0] = [12.5, 45.0, 12.5, 45.0]
    frame.loc[1] = [33.0, 10.0, -33.0, -170.0]
    frame.loc[2] = [90.0, 0.0, -90.0, 77.0]
    frame.loc[3] = [0.0, 179.9, 0.0, -179.9]
    con = duckdb.connect()
    con.register("pts", frame)
    sql = haversine_sql("lat_a", "lon_a", "lat_b", "lon_b")
    got = con.execute(f"SELECT {sql} AS d FROM pts").fetchnumpy()["d"]
    want = haversine_km(frame["lat_a"], frame["lon_a"], frame["lat_b"], frame["lon_b"])
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)


def test_haversine_sql_propagates_null() -> None:
    sql = haversine_sql("a", "b", "c", "d")
    row = (
        duckdb.connect()
        .execute(f"SELECT {sql} FROM (SELECT NULL::DOUBLE a, 0.0 b, 1.0 c, 0.0 d)")
        .fetchone()
    )
    assert row == (None,)


def test_haversine_sql_refuses_injection() -> None:
    with pytest.raises(ValueError):
        haversine_sql("lat; DROP TABLE x", "b", "c", "d")


# --- great-circle paths -----------------------------------------------------------------------


@settings(max_examples=60)
@given(lats, lons, lats, lons, st.integers(min_value=2, max_value=50))
def test_path_endpoints_and_even_spacing(
    lat1: float, lon1: float, lat2: float, lon2: float, n: int
) -> None:
    path = great_circle_path(lat1, lon1, lat2, lon2, n_points=n)
    assert len(path) == n
    assert path[0] == (lat1, lon1) and path[-1] == (lat2, lon2)
    total = haversine_km(lat1, lon1, lat2, lon2)
    from_start = [haversine_km(lat1, lon1, la, lo) for la, lo in path]
    # distance from the start grows monotonically to the total, in equal steps
    assert all(b >= a - 1e-6 for a, b in itertools.pairwise(from_start))
    steps = [haversine_km(*p, *q) for p, q in itertools.pairwise(path)]
    assert sum(steps) == pytest.approx(total, abs=1e-5)
    if total > 1.0:
        assert max(steps) - min(steps) < 1e-5


def test_path_passes_near_the_pole_between_meridians() -> None:
    # 80 N 0 E to 80 N 180 E: the great circle goes over the North Pole
    path = great_circle_path(80.0, 0.0, 80.0, 180.0, n_points=3)
    assert path[1][0] == pytest.approx(90.0, abs=1e-9)


def test_path_antipodal_is_a_half_circle() -> None:
    path = great_circle_path(0.0, 0.0, 0.0, 180.0, n_points=11)
    steps = [haversine_km(*p, *q) for p, q in itertools.pairwise(path)]
    assert sum(steps) == pytest.approx(HALF_CIRCUMFERENCE_KM, abs=1e-6)


def test_path_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        great_circle_path(0, 0, 1, 1, n_points=1)
    with pytest.raises(ValueError):
        great_circle_path(91, 0, 1, 1)


def test_split_at_antimeridian() -> None:
    # Tokyo -> San Francisco crosses 180
    path = great_circle_path(35.68, 139.69, 37.77, -122.42, n_points=40)
    pieces = split_at_antimeridian(path)
    assert len(pieces) == 2
    assert pieces[0][-1][1] == 180.0 and pieces[1][0][1] == -180.0
    assert pieces[0][-1][0] == pieces[1][0][0]
    for piece in pieces:
        assert all(abs(q[1] - p[1]) <= 180.0 for p, q in itertools.pairwise(piece))
    # Paris -> New York does not
    assert len(split_at_antimeridian(great_circle_path(48.85, 2.35, 40.71, -74.0))) == 1
    assert split_at_antimeridian([]) == []


@given(lats, lons, st.floats(min_value=0, max_value=360), st.floats(min_value=0, max_value=5000))
def test_destination_point_distance(lat: float, lon: float, bearing: float, dist: float) -> None:
    lat2, lon2 = destination_point(lat, lon, bearing, dist)
    assert haversine_km(lat, lon, lat2, lon2) == pytest.approx(dist, abs=1e-6)
