"""breakdown per group and accuracy_curve."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.metrics import accuracy_curve, breakdown, compute_metrics
from tests.metrics.helpers import synthetic, ten_samples
from tests.support.frames import float_at, row_values


def test_breakdown_by_country_by_hand() -> None:
    b = breakdown(ten_samples(), "true_country").set_index("true_country")
    assert row_values(b.loc["FRA", ["n", "n_locations"]]) == [2, 1]  # two headings, one place
    assert row_values(b.loc["USA", ["n", "n_locations"]]) == [2, 2]
    assert row_values(b.loc["CHN", ["n", "n_locations"]]) == [2, 1]
    assert b.loc["FRA", "country_accuracy"] == 1.0
    assert b.loc["DEU", "country_accuracy"] == 0.0
    assert b.loc["CHN", "unknown_rate"] == 1.0
    assert b.loc["FRA", "median_km"] == pytest.approx(20.0)
    assert math.isnan(float_at(b, "USA", "median_km"))  # no coordinates at all
    assert b["n"].tolist()[:3] == [2, 2, 2]  # sorted by n, then name
    assert b.index.tolist()[:3] == ["CHN", "FRA", "USA"]


def test_each_group_equals_the_metrics_of_its_subset() -> None:
    f = synthetic(120, seed=9)
    f.loc[f.index % 5 == 0, "status"] = "refused"
    for by in ("true_country", "heading", "true_continent"):
        table = breakdown(f, by)
        key_values = table[by].tolist()
        column = f[by] if by in f.columns else None
        for key, row in zip(key_values, table.to_dict("records"), strict=False):
            if column is not None:
                subset = f[column == key]
            else:
                from analysis.metrics import add_continents

                g = add_continents(f)
                subset = f[g["true_continent"] == key]
            expected = compute_metrics(subset)
            assert row["n"] == expected["n"]
            for name, value in expected.items():
                if name != "n":
                    assert row[name] == pytest.approx(value, nan_ok=True), (by, key, name)


def test_breakdown_by_heading_is_sorted_by_heading() -> None:
    b = breakdown(ten_samples(), "heading")
    assert b["heading"].tolist() == [0, 90]
    assert b["n"].tolist() == [8, 2]


def test_missing_group_key_comes_last_as_na() -> None:
    f = ten_samples()
    f.loc[9, "true_country"] = None
    b = breakdown(f, "true_country")
    assert pd.isna(b["true_country"].iloc[-1])
    assert b["n"].iloc[-1] == 1


def test_unknown_column_raises() -> None:
    with pytest.raises(InputError, match="cannot break down by 'nope'"):
        breakdown(ten_samples(), "nope")


def test_breakdown_with_intervals_per_continent() -> None:
    f = synthetic(150, seed=3)
    b = breakdown(f, "true_continent", ci=True, n_resamples=200)
    for name in ("country_accuracy", "median_km"):
        assert (b[f"{name}_low"] <= b[name]).all()
        assert (b[name] <= b[f"{name}_high"]).all()
    # fewer locations, wider interval: the smallest continent vs the largest
    width = b["country_accuracy_high"] - b["country_accuracy_low"]
    assert width.iloc[-1] > width.iloc[0]


def test_accuracy_curve_by_hand_and_consistent_with_acc_metrics() -> None:
    f = ten_samples()
    curve = accuracy_curve(f, [0, 10, 25, 200, 750, 2500, 20000])
    assert list(curve.columns) == ["threshold_km", "share"]
    assert curve["share"].tolist() == pytest.approx([0.0, 0.1, 0.1, 0.3, 0.5, 0.5, 0.6])
    m = compute_metrics(f)
    for k in (25, 200, 750, 2500):
        assert curve.loc[curve["threshold_km"] == k, "share"].item() == m[f"acc_{k}km"]


@pytest.mark.parametrize("bad", [[-1.0], [float("nan")], [[1.0, 2.0]]])
def test_accuracy_curve_rejects_bad_thresholds(bad: list[object]) -> None:
    with pytest.raises(InputError, match="thresholds_km"):
        accuracy_curve(ten_samples(), bad)  # type: ignore[arg-type]


def test_accuracy_curve_is_monotone() -> None:
    shares = accuracy_curve(synthetic(50), np.geomspace(1, 20000, 40).tolist())["share"]
    assert (np.diff(shares.to_numpy()) >= 0).all()
    assert isinstance(shares, pd.Series)
