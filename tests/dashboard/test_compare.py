"""The Compare page's slice table as presentation mode prints it."""

from __future__ import annotations

import pandas as pd

from analysis.dashboard.compare import slice_display
from analysis.dashboard.text import inert_table


def _ranked() -> pd.DataFrame:
    # the shape metrics.slices.rank_slices returns: shares, not percentages
    return pd.DataFrame(
        {
            "slice": ["FRA", "**BRA**"],
            "n": [40, 12],
            "diff": [0.125, -0.04],
            "low": [0.05, -0.2],
            "high": [0.2, 0.12],
            "clear": [True, False],
        }
    )


def test_differences_print_in_percentage_points_and_stay_numbers() -> None:
    frame, formats = slice_display(_ranked(), "country")
    assert list(frame.columns) == ["country", "images", "A − B", "95% low", "95% high", "clear"]
    assert [formats["A − B"](v) for v in frame["A − B"]] == ["+12.5 pts", "-4.0 pts"]
    assert [formats["95% low"](v) for v in frame["95% low"]] == ["+5.0 pts", "-20.0 pts"]
    assert frame["clear"].tolist() == ["yes", "no"]
    # numbers stay numbers, so the static table right-aligns them
    assert pd.api.types.is_numeric_dtype(frame["A − B"]) and pd.api.types.is_integer_dtype(
        frame["images"]
    )


def test_a_hostile_slice_name_is_escaped_in_the_static_table() -> None:
    html = inert_table(*slice_display(_ranked(), "country")).to_html()
    assert "**BRA**" not in html and "BRA" in html  # Markdown emphasis made inert
    assert "+12.5 pts" in html and "-20.0 pts" in html
