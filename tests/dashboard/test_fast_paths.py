"""Fast paths of the dashboard give what the plain pandas versions they replaced gave."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.dashboard.filters import apply_filters, is_correct, line_mask, worst_failures
from analysis.dashboard.gallery import gallery_cards
from analysis.dashboard.state import ViewState


def _frame(seed: int, n_samples: int = 60) -> pd.DataFrame:
    """Two runs with tied errors, missing coordinates and a missing sample id."""
    rng = np.random.default_rng(seed)
    parts = []
    for run in ("a", "b"):
        order = rng.permutation(n_samples)
        distance = rng.choice([5.0, 100.0, 100.0, 900.0, np.nan, 2500.0], n_samples)
        parts.append(
            pd.DataFrame(
                {
                    "run": run,
                    "sample_id": [f"s{i:03d}" for i in order],
                    "true_country": rng.choice(["FRA", "DEU", "USA"], n_samples),
                    "true_continent": "Europe",
                    "true_lat": 1.0,
                    "true_lon": 2.0,
                    "heading": rng.choice([0, 90], n_samples),
                    "pred_country": rng.choice(
                        np.array(["FRA", "DEU", None], dtype=object), n_samples
                    ),
                    "status": np.where(np.isnan(distance), "refused", "ok"),
                    "distance_km": distance,
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    frame.loc[3, "sample_id"] = None
    return frame.astype({"sample_id": "str", "pred_country": "str"})


def _reference_order(frame: pd.DataFrame, state: ViewState, k: int) -> pd.Series:
    """The ranking gallery_cards used before (isin over strings, groupby, full sort)."""
    kept_ids = apply_filters(frame, state)["sample_id"].unique()
    rows = frame[frame["sample_id"].isin(kept_ids)]
    key = rows["distance_km"].astype(float).groupby(rows["sample_id"]).max()
    return key.sort_values(ascending=state.sort == "best", kind="stable", na_position="last").head(
        k
    )


def _reference_worst(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    """worst_failures as it was: every column sorted."""
    ranked = frame.assign(
        _no_coords=frame["distance_km"].isna(), correct=is_correct(frame)
    ).sort_values(["_no_coords", "distance_km"], ascending=[True, False], kind="stable")
    cols = ["run", "sample_id", "true_country", "pred_country", "status", "distance_km"]
    cols += ["heading", "correct"]
    return ranked[cols].head(k).reset_index(drop=True)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("k", [1, 5, 24, 200])
@pytest.mark.parametrize("sort", ["worst", "best"])
def test_gallery_order_matches_reference(seed: int, k: int, sort: str) -> None:
    frame = _frame(seed)
    state = ViewState(runs=("b", "a"), sort=sort, outcome="wrong" if seed % 2 else "all")
    cards = gallery_cards(frame, state, pd.DataFrame({"sample_id": [], "image_path": []}), k=k)
    expected = _reference_order(frame, state, k)
    assert cards["sample_id"].tolist() == expected.index.tolist()
    np.testing.assert_array_equal(cards["key_km"].to_numpy(float), expected.to_numpy(float))
    for guesses in cards["guesses"]:
        assert [g[0] for g in guesses] == ["b", "a"][: len(guesses)]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("k", [0, 1, 7, 200])
def test_worst_failures_matches_reference(seed: int, k: int) -> None:
    frame = _frame(seed)
    pd.testing.assert_frame_equal(worst_failures(frame, k=k), _reference_worst(frame, k))


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("worst_n", [0, 1, 7, 500])
def test_line_mask_worst_matches_reference(seed: int, worst_n: int) -> None:
    frame = _frame(seed).iloc[::-1]  # index labels out of order, as after a filter
    state = ViewState(lines="worst", worst_n=worst_n)
    distance = frame["distance_km"].astype(float)
    top = distance.dropna().sort_values(ascending=False, kind="stable").head(worst_n)
    expected = pd.Series(frame.index.isin(top.index), index=frame.index)
    pd.testing.assert_series_equal(line_mask(frame, state), expected)
