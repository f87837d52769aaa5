"""The Compare page's tables as a lab meeting reads them (presentation mode's static tables)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from analysis.dashboard.leaderboard import format_difference

SLICE_TITLES = {"n": "images", "diff": "A − B", "low": "95% low", "high": "95% high"}


def _points(value: Any) -> str:
    """Print a difference of two shares (0.123) in percentage points ("+12.3 pts")."""
    return format_difference(float(value), "share")


def slice_display(
    table: pd.DataFrame, word: str
) -> tuple[pd.DataFrame, dict[str, Callable[[Any], str]]]:
    """Return ranked slices (``metrics.slices.rank_slices``) for a static table, and printers.

    The differences stay numbers (a static table right-aligns them) and print in percentage
    points: they are differences of two accuracies, not accuracies. "clear" reads yes or no.
    The slice names are left as they are; ``text.inert_table`` escapes them.
    """
    out = pd.DataFrame(
        {
            word: table["slice"].astype(str),
            **{title: table[column] for column, title in SLICE_TITLES.items()},
            "clear": ["yes" if bool(flag) else "no" for flag in table["clear"]],
        }
    )
    return out, {title: _points for title in ("A − B", "95% low", "95% high")}
