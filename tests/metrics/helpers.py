"""Small evaluation frames shared by the metrics tests."""

from __future__ import annotations

import numpy as np
import pandas as pd


def frame(rows: list[tuple[object, ...]], columns: str) -> pd.DataFrame:
    """Build a frame from tuples; ``columns`` is a space-separated header."""
    return pd.DataFrame(rows, columns=columns.split())


def ten_samples() -> pd.DataFrame:
    """Ten answers: 4 right, 2 wrong, 2 unknown, 1 refusal, 1 API error (hand-checked)."""
    return frame(
        [
            ("s0", "L0", 0, "FRA", "FRA", "ok", 10.0),
            ("s1", "L0", 90, "FRA", "FRA", "ok", 30.0),
            ("s2", "L1", 0, "BRA", "BRA", "ok", 150.0),
            ("s3", "L2", 0, "JPN", "JPN", "ok", 600.0),
            ("s4", "L3", 0, "DEU", "FRA", "ok", 700.0),  # wrong country, right continent
            ("s5", "L4", 0, "ARG", "CHN", "ok", 18000.0),  # wrong country and continent
            ("s6", "L5", 0, "CHN", None, "unknown", np.nan),
            ("s7", "L5", 90, "CHN", None, "unknown", np.nan),
            ("s8", "L6", 0, "USA", None, "refused", np.nan),
            ("s9", "L7", 0, "USA", None, "api_error", np.nan),
        ],
        "sample_id location_id heading true_country pred_country status distance_km",
    )


def synthetic(
    n_locations: int,
    headings: int = 4,
    p_correct: float = 0.6,
    seed: int = 0,
    correlated: bool = False,
) -> pd.DataFrame:
    """Random frame of ``n_locations`` x ``headings``; ``correlated``: one outcome per location."""
    rng = np.random.default_rng(seed)
    countries = np.array(["FRA", "DEU", "BRA", "JPN", "USA", "KEN"])
    n = n_locations * headings
    loc = np.repeat(np.arange(n_locations), headings)
    true_c = countries[rng.integers(0, countries.size, n_locations)][loc]
    draw = rng.random(n_locations)[loc] if correlated else rng.random(n)
    right = draw < p_correct
    wrong_c = countries[rng.integers(0, countries.size, n)]
    pred_c = np.where(right, true_c, wrong_c)
    dist = rng.lognormal(6.0, 1.5, n_locations)[loc] if correlated else rng.lognormal(6.0, 1.5, n)
    dist = np.where(right, dist / 10.0, dist)
    return pd.DataFrame(
        {
            "sample_id": [f"s{i}" for i in range(n)],
            "location_id": [f"L{i}" for i in loc],
            "heading": np.tile(np.arange(headings) * 90, n_locations),
            "true_country": true_c,
            "pred_country": pred_c,
            "status": "ok",
            "distance_km": dist,
        }
    )
