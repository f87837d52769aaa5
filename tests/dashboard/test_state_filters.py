"""URL state round trips and forgiving decoding; map filters; worst-failure ranking."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.dashboard.filters import apply_filters, filter_options, is_correct, worst_failures
from analysis.dashboard.state import OUTCOMES, STATUS_VALUES, ViewState, resolve_names

names = (
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)


@given(
    runs=st.lists(names, max_size=4, unique=True),
    countries=st.lists(st.sampled_from(["FRA", "DEU", "USA", "XKX"]), max_size=3, unique=True),
    statuses=st.lists(st.sampled_from(STATUS_VALUES), max_size=3, unique=True),
    outcome=st.sampled_from(OUTCOMES),
    err=st.one_of(st.none(), st.floats(0, 20000).map(lambda v: float(f"{v:g}"))),
    headings=st.lists(st.sampled_from([0, 90, 180, 270]), max_size=4, unique=True),
    sample=st.one_of(st.none(), names),
    present=st.booleans(),
)
def test_state_round_trips_through_params(
    runs: list[str],
    countries: list[str],
    statuses: list[str],
    outcome: str,
    err: float | None,
    headings: list[int],
    sample: str | None,
    present: bool,
) -> None:
    state = ViewState(
        dataset="d",
        runs=tuple(runs),
        true_countries=tuple(countries),
        statuses=tuple(statuses),
        outcome=outcome,
        err_max_km=err,
        headings=tuple(sorted(headings)),
        sample=sample,
        present=present,
    )
    assert ViewState.from_params(state.to_params()) == state


def test_defaults_encode_to_nothing() -> None:
    assert ViewState().to_params() == {}
    assert ViewState.from_params({}) == ViewState()


def test_bad_values_are_dropped_not_raised() -> None:
    state = ViewState.from_params(
        {
            "status": ["ok", "bogus"],
            "outcome": "maybe",
            "min_km": "abc",
            "max_km": "-5",
            "heading": ["90", "north"],
            "present": "perhaps",
            "country": ["fra"],
            "runs": ["", " a "],
        }
    )
    assert state.statuses == ("ok",)
    assert state.outcome == "all"
    assert state.err_min_km is None and state.err_max_km is None
    assert state.headings == (90,)
    assert state.present is False
    assert state.true_countries == ("FRA",)
    assert state.runs == ("a",)


def test_resolve_names_expands_hand_typed_commas_and_reports_unknowns() -> None:
    found, missing = resolve_names(["a,b", "zzz", "c"], ["a", "b", "c", "x,y"])
    assert found == ["a", "b", "c"] and missing == ["zzz"]
    found, _ = resolve_names(["x,y"], ["a", "x,y"])
    assert found == ["x,y"]  # a real name containing a comma wins


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "run": ["r"] * 6,
            "sample_id": list("abcdef"),
            "heading": [0, 90, 0, 90, 180, 270],
            "true_country": ["FRA", "FRA", "DEU", "DEU", "USA", "USA"],
            "true_continent": [
                "Europe",
                "Europe",
                "Europe",
                "Europe",
                "North America",
                "North America",
            ],
            "pred_country": ["FRA", "DEU", "DEU", None, "USA", "CAN"],
            "status": ["ok", "ok", "ok", "refused", "unknown", "ok"],
            "distance_km": [10.0, 600.0, 30.0, np.nan, np.nan, 3000.0],
        }
    )


def test_is_correct_needs_status_ok() -> None:
    # an 'unknown' row that still carries the right country (a parser leftover) is not correct
    assert is_correct(_frame()).tolist() == [True, False, True, False, False, False]


def test_each_filter() -> None:
    f = _frame()

    def ids(state: ViewState) -> str:
        return "".join(apply_filters(f, state)["sample_id"])

    assert ids(ViewState(true_countries=("DEU",))) == "cd"
    assert ids(ViewState(pred_country="DEU")) == "bc"
    assert ids(ViewState(continents=("North America",))) == "ef"
    assert ids(ViewState(statuses=("refused", "unknown"))) == "de"
    assert ids(ViewState(outcome="correct")) == "ac"
    assert ids(ViewState(outcome="wrong")) == "bdef"
    assert ids(ViewState(err_min_km=25.0, err_max_km=1000.0)) == "bc"
    assert ids(ViewState(headings=(90,))) == "bd"
    assert ids(ViewState(true_countries=("FRA",), outcome="wrong")) == "b"
    assert ids(ViewState()) == "abcdef"


def test_worst_failures_largest_error_first_then_no_coordinates() -> None:
    worst = worst_failures(_frame(), k=5)
    assert worst["sample_id"].tolist() == ["f", "b", "c", "a", "d"]
    assert "correct" in worst.columns


def test_filter_options_sorted_without_missing() -> None:
    opts = filter_options(_frame())
    assert opts["pred_country"] == ["CAN", "DEU", "FRA", "USA"]
    assert opts["heading"] == [0, 90, 180, 270]


@pytest.mark.parametrize(
    ("asked", "snapped"),
    [
        ((None, None), (0, 20038)),
        ((25.0, 750.0), (25, 750)),  # on the stops: kept as is
        ((300.0, 1000.0), (200, 2500)),  # widened outwards to the nearest stops
        ((0.5, None), (0, 20038)),
        ((None, 30000.0), (0, 20038)),  # beyond the last stop
        ((5000.0, 100.0), (25, 5000)),  # inverted in the URL: read in order
    ],
)
def test_error_range_snaps_outwards_to_slider_stops(
    asked: tuple[float | None, float | None], snapped: tuple[int, int]
) -> None:
    from analysis.dashboard.filters import ERROR_STOPS_KM, snap_error_range

    low, high = snap_error_range(*asked)
    assert (low, high) == snapped
    assert low in ERROR_STOPS_KM and high in ERROR_STOPS_KM
    values = [v for v in asked if v is not None]
    assert all(low <= v for v in values) and all(
        v <= high or v > ERROR_STOPS_KM[-1] for v in values
    )


def test_new_controls_round_trip_and_clamp() -> None:
    state = ViewState(
        lines="country",
        worst_n=7,
        line_country="DEU",
        large="aggregate",
        sort="best",
        gallery_n=48,
        slice_by="heading",
    )
    assert ViewState.from_params(state.to_params()) == state
    odd = ViewState.from_params({"lines": "most", "worst": "9999", "n": "x", "slice": "nope"})
    assert odd.lines == "worst" and odd.worst_n == 500 and odd.gallery_n == 24
    assert odd.slice_by == "true_country"


def test_line_mask_modes() -> None:
    from analysis.dashboard.filters import line_mask

    f = _frame()

    def pick(state: ViewState, selected: str | None = None) -> str:
        return "".join(f[line_mask(f, state, selected)]["sample_id"])

    assert pick(ViewState(lines="worst", worst_n=2)) == "bf"
    assert pick(ViewState(lines="country", line_country="FRA")) == "ab"
    assert pick(ViewState(lines="selection"), "c") == "c"
    assert pick(ViewState(lines="selection")) == ""
    assert pick(ViewState(lines="all")) == "abcdef"


def test_area_box_reads_forgivingly_and_crosses_the_antimeridian() -> None:
    import numpy as np

    from analysis.dashboard.filters import Box, parse_box

    assert parse_box("40,60,-10,20") == Box(40.0, 60.0, -10.0, 20.0)
    for bad in (None, "", "1,2,3", "a,b,c,d", "60,40,0,10", "0,10,5,5", "0,100,0,10"):
        assert parse_box(bad) is None, bad
    assert parse_box("-90,90,-180,180") is None  # the whole world filters nothing
    pacific = parse_box("-50,10,170,-170")  # west > east: across the antimeridian
    assert pacific is not None
    lats = np.array([0.0, 0.0, 0.0, 20.0])
    lons = np.array([175.0, -175.0, 0.0, 175.0])
    assert pacific.contains(lats, lons).tolist() == [True, True, False, False]
    assert parse_box(pacific.to_param()) == pacific
