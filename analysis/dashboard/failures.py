"""The failure map's tables (worst failures, one image's guesses) as presentation mode prints them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from analysis.dashboard.leaderboard import format_value

# source column -> title, in the order a lab meeting reads a failure: how far off, whose guess,
# the truth, the guess, and why it is not an answer (status)
FAILURE_TITLES = {
    "distance_km": "error",
    "label": "run",
    "true_country": "truth",
    "pred_country": "guess",
    "status": "status",
}
DEFAULT_ROWS = 10


def _km(value: Any) -> str:
    return format_value(float(value), "km")


def failure_display(
    table: pd.DataFrame, rows: int = DEFAULT_ROWS
) -> tuple[pd.DataFrame, dict[str, Callable[[Any], str]]]:
    """Return the first `rows` failures under short titles for a static table, and printers.

    ``table`` has run labels in ``label`` (``names.with_display_column``); columns it lacks are
    left out. The error stays a number (right-aligned) and prints in km; a missing error (no
    coordinates) prints as the table's missing-cell mark. Names are left as they are:
    ``text.inert_table`` escapes them.
    """
    columns = {source: title for source, title in FAILURE_TITLES.items() if source in table}
    out = table.head(rows)[list(columns)].rename(columns=columns).reset_index(drop=True)
    return out, ({"error": _km} if "error" in out else {})
