"""The failure map's tables as presentation mode prints them."""

from __future__ import annotations

import math

import pandas as pd

from analysis.dashboard.failures import failure_display
from analysis.dashboard.text import MISSING_CELL, inert_table


def _worst(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sample_id": [f"s{i}" for i in range(n)],
            "distance_km": [19_000.0 - i for i in range(n - 1)] + [math.nan],
            "label": ["<b>m</b> · basic"] * n,
            "run": ["m-basic"] * n,
            "true_country": ["FRA"] * n,
            "pred_country": ["NZL"] * (n - 1) + [None],
            "status": ["ok"] * (n - 1) + ["refused"],
            "heading": [90] * n,
        }
    )


def test_the_first_rows_in_reading_order_with_the_error_in_km() -> None:
    frame, formats = failure_display(_worst(14))
    assert list(frame.columns) == ["error", "run", "truth", "guess", "status"]
    assert len(frame) == 10  # a screenful; the grid in normal mode holds them all
    assert formats["error"](frame["error"][0]) == "19,000 km"
    assert pd.api.types.is_float_dtype(frame["error"])  # a number: right-aligned


def test_a_guess_without_coordinates_shows_the_missing_mark_and_names_stay_text() -> None:
    html = inert_table(*failure_display(_worst(3))).to_html()
    assert MISSING_CELL in html and "refused" in html
    assert "<b>m</b>" not in html  # the run label is escaped, never markup


def test_columns_the_table_lacks_are_left_out() -> None:
    guesses = _worst(2)[["label", "distance_km", "pred_country", "status"]]
    frame, _ = failure_display(guesses, rows=len(guesses))
    assert list(frame.columns) == ["error", "run", "guess", "status"] and len(frame) == 2
