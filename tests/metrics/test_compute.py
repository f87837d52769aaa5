"""compute_metrics on hand-computed frames, frame validation, the metric registry."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.metrics import (
    METRICS,
    add_continents,
    compute_metrics,
    evaluation_frame,
    prepare,
)
from tests.metrics.helpers import frame, ten_samples

CONTRACT_NAMES = [
    "n",
    "country_accuracy",
    "unknown_rate",
    "refusal_rate",
    "error_rate",
    "wrong_rate",
    "answered_rate",
    "answered_accuracy",
    "coords_coverage",
    "acc_1km",
    "acc_25km",
    "acc_200km",
    "acc_750km",
    "acc_2500km",
    "median_km",
    "mean_km",
    "geoguessr_mean",
    "continent_accuracy",
]


def test_ten_samples_by_hand() -> None:
    m = compute_metrics(ten_samples())
    assert m["n"] == 10
    assert m["country_accuracy"] == pytest.approx(0.4)  # 4 right of 10
    assert m["wrong_rate"] == pytest.approx(0.2)
    assert m["unknown_rate"] == pytest.approx(0.2)
    assert m["refusal_rate"] == pytest.approx(0.1)
    assert m["error_rate"] == pytest.approx(0.1)
    assert m["answered_rate"] == pytest.approx(0.6)
    assert m["answered_accuracy"] == pytest.approx(4 / 6)
    assert m["coords_coverage"] == pytest.approx(0.6)
    # distances 10, 30, 150, 600, 700, 18000 km; 4 samples have none
    assert m["acc_1km"] == 0.0
    assert m["acc_25km"] == pytest.approx(0.1)
    assert m["acc_200km"] == pytest.approx(0.3)
    assert m["acc_750km"] == pytest.approx(0.5)
    assert m["acc_2500km"] == pytest.approx(0.5)
    assert m["median_km"] == pytest.approx((150 + 600) / 2)
    assert m["mean_km"] == pytest.approx(19490 / 6)
    points = sum(5000 * math.exp(-d / 1492.7) for d in (10, 30, 150, 600, 700, 18000))
    assert m["geoguessr_mean"] == pytest.approx(points / 10)  # no guess = 0 points
    # Europe x3 (one of them DEU -> FRA), South America, Asia right; ARG -> CHN wrong
    assert m["continent_accuracy"] == pytest.approx(0.5)


def test_outcome_rates_partition_all_samples() -> None:
    m = compute_metrics(ten_samples())
    parts = ["country_accuracy", "wrong_rate", "unknown_rate", "refusal_rate", "error_rate"]
    assert sum(m[k] for k in parts) == pytest.approx(1.0)


def test_every_contract_metric_is_registered_with_unit_and_direction() -> None:
    assert set(CONTRACT_NAMES) <= set(METRICS.names())
    assert set(compute_metrics(ten_samples())) == set(METRICS.names())
    for name in METRICS.names():
        spec = METRICS.get(name)
        assert spec.name == name
        assert spec.unit in {"count", "share", "km", "points"}
        assert spec.higher_is_better in (True, False, None)
    assert METRICS.get("median_km").higher_is_better is False
    assert METRICS.get("country_accuracy").higher_is_better is True


def test_distance_is_computed_from_coordinates_when_missing() -> None:
    f = frame(
        [("a", "ok", 0.0, 0.0, 0.0, 1.0), ("b", "ok", 0.0, 0.0, 0.0, -2.0)],
        "sample_id status true_lat true_lon pred_lat pred_lon",
    )
    one_degree_km = 2 * math.pi * 6371.0 / 360  # 111.19 km along the equator
    m = compute_metrics(f)
    assert m["median_km"] == pytest.approx(1.5 * one_degree_km)
    filled = evaluation_frame(f)
    assert filled["distance_km"].tolist() == pytest.approx([one_degree_km, 2 * one_degree_km])
    assert "location_id" in filled.columns  # missing contract columns are added empty


def test_missing_distance_values_are_filled_but_given_ones_kept() -> None:
    f = frame(
        [("a", "ok", 0.0, 0.0, 0.0, 1.0, np.nan), ("b", "ok", 0.0, 0.0, 0.0, 1.0, 5.0)],
        "sample_id status true_lat true_lon pred_lat pred_lon distance_km",
    )
    out = evaluation_frame(f)["distance_km"].tolist()
    assert out[0] == pytest.approx(111.19, abs=0.01)
    assert out[1] == 5.0


def test_a_distance_on_a_non_ok_row_is_ignored() -> None:
    f = frame(
        [("a", "ok", 100.0), ("b", "invalid_coordinates", 1.0)],
        "sample_id status distance_km",
    )
    m = compute_metrics(f)
    assert m["coords_coverage"] == 0.5
    assert m["acc_25km"] == 0.0
    assert m["median_km"] == 100.0


def test_frame_without_country_columns_gives_nan_country_metrics() -> None:
    m = compute_metrics(frame([("a", "ok", 5.0)], "sample_id status distance_km"))
    assert math.isnan(m["country_accuracy"])
    assert math.isnan(m["answered_accuracy"])
    assert m["acc_25km"] == 1.0


def test_empty_frame_gives_zero_n_and_nan_rates() -> None:
    m = compute_metrics(ten_samples().iloc[0:0])
    assert m["n"] == 0
    assert math.isnan(m["country_accuracy"])
    assert math.isnan(m["median_km"])


def test_status_enum_members_and_lowercase_codes_are_accepted() -> None:
    from analysis.types import PredictionStatus

    f = ten_samples()
    f["status"] = [PredictionStatus(s) for s in f["status"]]
    f["pred_country"] = f["pred_country"].str.lower()
    assert compute_metrics(f)["country_accuracy"] == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda f: f.assign(status=["ok"] * 9 + ["maybe"]), "unknown status 'maybe'"),
        (lambda f: f.drop(columns=["status"]), "no 'status' column"),
        (lambda f: f.assign(status=[None] + ["ok"] * 9), "status is missing in 1 row"),
        (lambda f: f.drop(columns=["distance_km"]), "needs 'distance_km' or all of"),
        (lambda f: f.assign(distance_km=[-1.0] + [1.0] * 9), "negative or infinite"),
        (lambda f: f.assign(distance_km=["far"] * 10), "'distance_km' is not numeric"),
    ],
)
def test_bad_frames_raise_input_error(
    mutate: Callable[[pd.DataFrame], pd.DataFrame], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        compute_metrics(mutate(ten_samples()))


def test_add_continents_adds_missing_columns_and_keeps_given_ones() -> None:
    out = add_continents(ten_samples())
    assert out["true_continent"].tolist()[:6] == [
        "Europe",
        "Europe",
        "South America",
        "Asia",
        "Europe",
        "South America",
    ]
    assert out["pred_continent"].tolist()[5] == "Asia"
    assert out["pred_continent"].isna().sum() == 4
    custom = ten_samples().assign(true_continent="X", pred_continent="X")
    assert add_continents(custom)["true_continent"].eq("X").all()
    # given continent columns are what continent_accuracy uses
    assert compute_metrics(custom)["continent_accuracy"] == pytest.approx(0.6)


def test_prepared_data_gives_the_same_metrics() -> None:
    f = ten_samples()
    assert compute_metrics(prepare(f)) == pytest.approx(compute_metrics(f), nan_ok=True)


def test_input_frame_is_not_modified() -> None:
    f = ten_samples()
    before = f.copy()
    compute_metrics(f)
    evaluation_frame(f)
    add_continents(f)
    pd.testing.assert_frame_equal(f, before)


def test_given_continent_names_keep_their_case_and_mix_with_derived_ones() -> None:
    f = ten_samples().assign(true_continent=add_continents(ten_samples())["true_continent"])
    # only true_continent given: pred continents are derived from pred_country
    cm_names = set(prepare(f).continents)
    assert {"Europe", "Asia", "South America"} <= cm_names
    assert compute_metrics(f)["continent_accuracy"] == pytest.approx(0.5)
