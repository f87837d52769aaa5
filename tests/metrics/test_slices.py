"""Slice ranking: the paired difference of two runs per country / continent / heading."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.metrics.slices import rank_slices


def _run(correct_by_country: dict[str, float], seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for country, share in correct_by_country.items():
        for i in range(40):
            right = i < share * 40
            rows.append(
                {
                    "sample_id": f"{country}-{i}",
                    "location_id": f"{country}-{i // 2}",  # two headings per location
                    "heading": 0 if i % 2 == 0 else 90,
                    "true_lat": 10.0,
                    "true_lon": 10.0,
                    "true_country": country,
                    "pred_lat": 10.0 + rng.normal(),
                    "pred_lon": 10.0,
                    "pred_country": country if right else "ZZZ",
                    "status": "ok",
                    "distance_km": 5.0 if right else 900.0,
                }
            )
    return pd.DataFrame(rows)


def test_the_slice_where_runs_differ_most_comes_first_with_a_paired_interval() -> None:
    a = _run({"FRA": 0.9, "DEU": 0.5, "USA": 0.5}, seed=1)
    b = _run({"FRA": 0.1, "DEU": 0.5, "USA": 0.45}, seed=2)
    table = rank_slices(a, b, "true_country", n_resamples=200)
    assert table["slice"].tolist()[0] == "FRA"
    top = table.iloc[0]
    assert top["diff"] == pytest.approx(0.8)
    assert top["low"] <= 0.8 <= top["high"] and bool(top["clear"])
    assert not bool(table.set_index("slice").loc["DEU", "clear"])  # no difference there
    assert (table["n"] == 40).all()


def test_heading_and_continent_slices_and_small_slices_dropped() -> None:
    a = _run({"FRA": 0.9, "USA": 0.2}, seed=1)
    b = _run({"FRA": 0.1, "USA": 0.2}, seed=2)
    by_heading = rank_slices(a, b, "heading", n_resamples=100)
    assert sorted(by_heading["slice"]) == [0, 90]
    by_continent = rank_slices(a, b, "true_continent", n_resamples=100)
    assert by_continent["slice"].iloc[0] == "Europe"
    assert rank_slices(a, b, "true_country", min_n=41, n_resamples=50).empty


def test_bad_slice_or_metric_is_refused() -> None:
    a = _run({"FRA": 0.5}, seed=1)
    with pytest.raises(InputError):
        rank_slices(a, a, "model")
    with pytest.raises(InputError):
        rank_slices(a, a, "heading", metric="vibes")
