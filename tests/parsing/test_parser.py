"""The staged decision of parse_answer: its documented rules, invariants, and robustness."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.geo.countries import country_info, country_of
from analysis.parsing import parse_answer, parsed_to_dict
from analysis.types import CoordsSource, PredictionStatus

OK = PredictionStatus.OK


def test_only_a_country_gets_its_representative_point() -> None:
    parsed = parse_answer("Country: Kenya")
    info = country_info("KEN")
    assert (parsed.status, parsed.country_iso3) == (OK, "KEN")
    assert (parsed.lat, parsed.lon) == (info.rep_lat, info.rep_lon)
    assert parsed.coords_source is CoordsSource.COUNTRY_POINT


def test_only_coordinates_get_the_country_containing_them() -> None:
    parsed = parse_answer('{"lat": -1.2921, "lon": 36.8219}')  # Nairobi
    assert (parsed.status, parsed.country_iso3) == (OK, "KEN")
    assert parsed.coords_source is CoordsSource.MODEL


def test_inconsistent_country_and_coordinates_are_kept_as_given() -> None:
    parsed = parse_answer('{"country": "France", "lat": 52.52, "lon": 13.405}')  # Berlin
    assert (parsed.country_iso3, parsed.lat, parsed.lon) == ("FRA", 52.52, 13.405)
    assert parsed.coords_source is CoordsSource.MODEL


def test_out_of_range_is_invalid_and_keeps_the_country() -> None:
    parsed = parse_answer("Country: Japan\nLatitude: 139.6917\nLongitude: 35.6895")
    assert parsed.status is PredictionStatus.INVALID_COORDINATES
    assert parsed.country_iso3 == "JPN"
    assert parsed.lat is None and parsed.lon is None and parsed.coords_source is None
    assert "not corrected" in parsed.detail  # flagged as a likely swap, never silently fixed


def test_unknown_placeholder_zero_point_is_unknown() -> None:
    assert parse_answer('{"country": "unknown", "lat": 0.0, "lon": 0.0}').status is (
        PredictionStatus.UNKNOWN
    )
    # a real answer at (0, 0) stays an answer
    zero = parse_answer('{"lat": 0.0, "lon": 0.0}')
    assert (zero.status, zero.lat, zero.lon) == (OK, 0.0, 0.0)


def test_structured_answer_beats_prose() -> None:
    text = "The signs look Spanish, but the plates are Portuguese.\nCountry: Portugal"
    assert parse_answer(text).country_iso3 == "PRT"


def test_coordinates_in_prose_complete_a_json_country() -> None:
    text = 'Near 48.8566° N, 2.3522° E.\n{"country": "France"}'
    parsed = parse_answer(text)
    assert (parsed.country_iso3, parsed.lat, parsed.lon) == ("FRA", 48.8566, 2.3522)
    assert parsed.coords_source is CoordsSource.MODEL


def test_very_long_reply_keeps_its_final_answer() -> None:
    text = "The road is long and straight. " * 5000 + '\n{"country": "Chile"}'
    assert parse_answer(text).country_iso3 == "CHL"


def test_full_width_characters_are_folded() -> None:
    parsed = parse_answer("緯度：３５．６８\n経度：１３９．７６")
    assert (parsed.status, parsed.lat, parsed.lon) == (OK, 35.68, 139.76)


def test_dict_view_is_json_ready() -> None:
    out = parsed_to_dict(parse_answer("Country: Peru"))
    assert json.loads(json.dumps(out)) == out
    assert out["status"] == "ok" and out["coords_source"] == "country_point"


lats = st.floats(-90, 90, allow_nan=False).map(lambda v: round(v, 5))
lons = st.floats(-180, 180, allow_nan=False).map(lambda v: round(v, 5))
FORMS = [
    lambda a, o: f"Coordinates: {a}, {o}",
    lambda a, o: f"Latitude: {a}\nLongitude: {o}",
    lambda a, o: json.dumps({"lat": a, "lon": o}),
    lambda a, o: f"```json\n{json.dumps({'coordinates': [a, o]})}\n```",
    lambda a, o: f"**Lat/Lon:** {a:.5f}, {o:.5f}",
]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(lat=lats, lon=lons, form=st.sampled_from(range(len(FORMS))))
def test_formatted_coordinates_round_trip_through_the_parser(
    lat: float, lon: float, form: int
) -> None:
    parsed = parse_answer(FORMS[form](lat, lon))
    assert parsed.status is OK, parsed.detail
    assert parsed.lat is not None and parsed.lon is not None
    assert (parsed.lat, parsed.lon) == pytest.approx((lat, lon), abs=1e-9)
    assert parsed.coords_source is CoordsSource.MODEL
    assert parsed.country_iso3 == country_of(lat, lon)


JUNK_ALPHABET = st.sampled_from(
    list("{}[]()\":,;.-+0123456789 NSEWnsew°'′″\n\t*#`|=_")
    + ["country", "lat", "lon", "Coordinates", "unknown", "France", "null", "\\", "国家", "：", "º"]
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(max_size=400), st.lists(JUNK_ALPHABET, max_size=80).map("".join)))
def test_any_text_gives_a_consistent_answer(text: str) -> None:
    parsed = parse_answer(text)
    assert parsed.status is not PredictionStatus.API_ERROR
    assert parsed.detail
    has_coords = parsed.lat is not None and parsed.lon is not None
    assert (parsed.lat is None) == (parsed.lon is None)
    if has_coords:
        assert parsed.lat is not None and parsed.lon is not None
        assert -90 <= parsed.lat <= 90 and -180 <= parsed.lon <= 180
        assert parsed.coords_source is not None
    if parsed.status is OK:
        assert parsed.country_iso3 is not None or has_coords
    else:
        assert not has_coords and parsed.coords_source is None
