"""Coordinate syntax: formatted coordinates round-trip; prose numbers are not coordinates."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.parsing.coords import (
    find_coordinate_pairs,
    in_range,
    parse_coordinate,
    parse_coordinate_pair,
)

# Six decimals, as models write them; rounding first makes the expected value exact.
lats = st.floats(-90, 90, allow_nan=False).map(lambda v: round(v, 6))
lons = st.floats(-180, 180, allow_nan=False).map(lambda v: round(v, 6))


def _hemi(value: float, pos: str, neg: str) -> str:
    return pos if value >= 0 else neg


DECIMAL_STYLES = [
    lambda a, o: f"{a:.6f}, {o:.6f}",
    lambda a, o: f"({a:.6f}, {o:.6f})",
    lambda a, o: f"{a:.6f},{o:.6f}",
    lambda a, o: f"{abs(a):.6f}° {_hemi(a, 'N', 'S')}, {abs(o):.6f}° {_hemi(o, 'E', 'W')}",
    lambda a, o: f"{abs(a):.6f}{_hemi(a, 'N', 'S')} {abs(o):.6f}{_hemi(o, 'E', 'W')}",
    lambda a, o: f"{_hemi(a, 'N', 'S')} {abs(a):.6f}, {_hemi(o, 'E', 'W')} {abs(o):.6f}",
    lambda a, o: f"{abs(o):.6f}° {_hemi(o, 'E', 'W')}, {abs(a):.6f}° {_hemi(a, 'N', 'S')}",
    lambda a, o: (
        f"{abs(a):.6f} {_hemi(a, 'north', 'south')}, {abs(o):.6f} {_hemi(o, 'east', 'west')}"
    ),
    lambda a, o: (
        f"{_hemi(a, '北纬', '南纬')}{abs(a):.6f}°，{_hemi(o, '东经', '西经')}{abs(o):.6f}°"
    ),
]


@settings(max_examples=300)
@given(lat=lats, lon=lons, style=st.sampled_from(range(len(DECIMAL_STYLES))))
def test_formatted_decimal_pairs_round_trip(lat: float, lon: float, style: int) -> None:
    text = "The photo was taken at " + DECIMAL_STYLES[style](lat, lon) + "."
    pairs = find_coordinate_pairs(text)
    assert len(pairs) == 1, (text, pairs)
    assert pairs[0].lat == pytest.approx(lat, abs=1e-9)
    assert pairs[0].lon == pytest.approx(lon, abs=1e-9)


@st.composite
def dms(draw: st.DrawFn, max_deg: int) -> tuple[int, int, float, int]:
    sign = draw(st.sampled_from([1, -1]))
    deg = draw(st.integers(0, max_deg - 1))
    minutes = draw(st.integers(0, 59))
    seconds = round(draw(st.floats(0, 59.9, allow_nan=False)), 1)
    return deg, minutes, seconds, sign


def _dms_text(part: tuple[int, int, float, int], pos: str, neg: str, primes: bool) -> str:
    deg, minutes, seconds, sign = part
    m, s = ("′", "″") if primes else ("'", '"')
    return f"{deg}°{minutes:02d}{m}{seconds:04.1f}{s}{pos if sign > 0 else neg}"


def _dms_value(part: tuple[int, int, float, int]) -> float:
    deg, minutes, seconds, sign = part
    return sign * (deg + minutes / 60 + seconds / 3600)


@settings(max_examples=300)
@given(lat=dms(90), lon=dms(180), primes=st.booleans(), sep=st.sampled_from([" ", ", ", "; "]))
def test_formatted_dms_pairs_round_trip(
    lat: tuple[int, int, float, int], lon: tuple[int, int, float, int], primes: bool, sep: str
) -> None:
    text = _dms_text(lat, "N", "S", primes) + sep + _dms_text(lon, "E", "W", primes)
    pair = parse_coordinate_pair(text)
    assert pair is not None, text
    assert pair.lat == pytest.approx(_dms_value(lat), abs=1e-9)
    assert pair.lon == pytest.approx(_dms_value(lon), abs=1e-9)


@given(deg=st.integers(0, 89), minutes=st.floats(0, 59.99, allow_nan=False), south=st.booleans())
def test_degrees_decimal_minutes(deg: int, minutes: float, south: bool) -> None:
    minutes = round(minutes, 2)
    token = parse_coordinate(f"{deg}° {minutes:.2f}' {'S' if south else 'N'}")
    assert token is not None
    assert token.axis == "lat"
    assert token.value == pytest.approx((-1 if south else 1) * (deg + minutes / 60), abs=1e-9)


@pytest.mark.parametrize(
    "text",
    [
        "version 3.5 4.0",
        "between 10 and 20 km",
        "In 2023, 1.5 million people visited",
        "it has 12 lanes, 4 exits",
        "<box>120, 45, 300, 410</box>",
        "48,85, 2,35",  # decimal commas without marks: ambiguous, not read
        "52,52° N, 13,40° O",  # "O": ouest/oeste (west) or Ost (east)? not guessed
        "48 N, 2 N",  # two latitudes
    ],
)
def test_prose_numbers_are_not_pairs(text: str) -> None:
    assert find_coordinate_pairs(text) == []


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("S 33.87 E 151.21", -33.87, 151.21),
        ("33.87 S 151.21 E", -33.87, 151.21),
        ("40.4168° N 3.7038° W", 40.4168, -3.7038),
        ("139.65 longitude, 35.67 latitude", 35.67, 139.65),
        ("35.6762° N latitude, 139.6503° E longitude", 35.6762, 139.6503),
        ("-34.6,-58.4", -34.6, -58.4),
        ("48,8566° N, 2,3522° E", 48.8566, 2.3522),
        ("48.85 nord, 2.35 est", 48.85, 2.35),
        ("34.05 north, 118.24 west", 34.05, -118.24),
        ("-33.9 S, 18.4 E", -33.9, 18.4),  # a minus and an S both mean south
        ("北緯35.68度、東経139.77度", 35.68, 139.77),
    ],
)
def test_written_pairs(text: str, lat: float, lon: float) -> None:
    pairs = find_coordinate_pairs(text)
    assert [v for p in pairs for v in (p.lat, p.lon)] == pytest.approx([lat, lon])  # one pair


def test_later_pair_found_after_a_false_start() -> None:
    pairs = find_coordinate_pairs("12.5 and 48.85, 2.35")
    assert [(p.lat, p.lon) for p in pairs] == [(48.85, 2.35)]


def test_labelled_pairs_accept_integers() -> None:
    assert find_coordinate_pairs("12, 45") == []
    pairs = find_coordinate_pairs("12, 45", labelled=True)
    assert [(p.lat, p.lon) for p in pairs] == [(12.0, 45.0)]


def test_contradictory_and_invalid_tokens() -> None:
    assert parse_coordinate("N 48.85 S") is None
    assert parse_coordinate("48°75'N") is None  # 75 minutes
    assert parse_coordinate("48.85 E latitude") is None
    token = parse_coordinate("2.35 W")
    assert token is not None and (token.value, token.axis) == (-2.35, "lon")


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [(90, 180, True), (-90, -180, True), (90.0001, 0, False), (0, -180.5, False)],
)
def test_in_range(lat: float, lon: float, expected: bool) -> None:
    assert in_range(lat, lon) is expected
