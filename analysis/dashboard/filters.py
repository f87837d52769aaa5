"""Filter an evaluation frame the way the map page's controls describe, and rank failures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.dashboard.state import ViewState

# the map's error slider stops: the accuracy thresholds, then up to half the Earth's circumference
ERROR_STOPS_KM: tuple[int, ...] = (0, 1, 25, 200, 750, 2500, 5000, 10000, 20038)


def snap_error_range(
    low_km: float | None, high_km: float | None, stops: tuple[int, ...] = ERROR_STOPS_KM
) -> tuple[int, int]:
    """Return the slider range (stops) that holds ``[low_km, high_km]`` (None: open end).

    A range typed into a URL rarely sits on a stop; it is widened to the nearest stops around
    it, so the map shows at least what the link asked for (resetting it would show everything).
    """
    low = stops[0] if low_km is None else max((s for s in stops if s <= low_km), default=stops[0])
    high = (
        stops[-1] if high_km is None else min((s for s in stops if s >= high_km), default=stops[-1])
    )
    if low > high:  # an inverted range in the URL: keep the user's two numbers, in order
        low, high = snap_error_range(high_km, low_km, stops)
    return low, high


def is_correct(frame: pd.DataFrame) -> pd.Series:
    """Return True where the predicted country equals the true country (status ok only)."""
    same = frame["pred_country"].astype("string") == frame["true_country"].astype("string")
    return (same.fillna(False) & (frame["status"] == "ok")).astype(bool)


def apply_filters(frame: pd.DataFrame, state: ViewState) -> pd.DataFrame:
    """Keep the rows matching every active filter of ``state`` (runs are selected upstream).

    An error range keeps only predictions with coordinates: a missing guess has no error to test.
    ``continents`` needs a ``true_continent`` column (``analysis.metrics.add_continents``).
    """
    return frame[filter_mask(frame, state)]


def filter_mask(frame: pd.DataFrame, state: ViewState) -> npt.NDArray[np.bool_]:
    """Return the boolean row mask of ``apply_filters`` (positions, not index labels)."""
    mask = np.ones(len(frame), dtype=bool)
    if state.true_countries:
        mask &= frame["true_country"].isin(state.true_countries).to_numpy()
    if state.pred_country:
        mask &= (
            (frame["pred_country"].astype("string") == state.pred_country).fillna(False).to_numpy()
        )
    if state.continents and "true_continent" in frame:
        mask &= frame["true_continent"].isin(state.continents).to_numpy()
    if state.statuses:
        mask &= frame["status"].isin(state.statuses).to_numpy()
    if state.outcome != "all":
        correct = is_correct(frame).to_numpy()
        mask &= correct if state.outcome == "correct" else ~correct
    distance = frame["distance_km"].to_numpy(dtype=float, na_value=np.nan)
    if state.err_min_km is not None:
        mask &= distance >= state.err_min_km
    if state.err_max_km is not None:
        mask &= distance <= state.err_max_km
    if state.headings:
        mask &= frame["heading"].isin(state.headings).to_numpy()
    box = parse_box(state.box)
    if box is not None:
        mask &= box.contains(frame["true_lat"].to_numpy(float), frame["true_lon"].to_numpy(float))
    return mask


@dataclass(frozen=True)
class Box:
    """An area of the map in degrees; west > east means it crosses the antimeridian."""

    south: float
    north: float
    west: float
    east: float

    def contains(self, lats: npt.NDArray[np.float64], lons: npt.NDArray[np.float64]) -> Any:
        """Return which (lat, lon) points lie inside the box (edges included)."""
        inside_lat = (lats >= self.south) & (lats <= self.north)
        if self.west <= self.east:
            return inside_lat & (lons >= self.west) & (lons <= self.east)
        return inside_lat & ((lons >= self.west) | (lons <= self.east))

    def to_param(self) -> str:
        """Return the box as its URL value, "south,north,west,east"."""
        return ",".join(f"{v:g}" for v in (self.south, self.north, self.west, self.east))


WHOLE_WORLD = Box(-90.0, 90.0, -180.0, 180.0)


def parse_box(text: str | None) -> Box | None:
    """Read "south,north,west,east" (degrees) from a link; None when absent or unreadable."""
    if not text:
        return None
    try:
        south, north, west, east = (float(part) for part in text.split(","))
    except ValueError:
        return None
    values_ok = -90 <= south < north <= 90 and -180 <= west <= 180 and -180 <= east <= 180
    if not values_ok or west == east:
        return None
    box = Box(south, north, west, east)
    return None if box == WHOLE_WORLD else box


def worst_failures(frame: pd.DataFrame, k: int = 200) -> pd.DataFrame:
    """Return the k worst predictions: largest error first, then guesses without coordinates."""
    # order positions only, then take k rows: sorting all columns of 1M rows took ~1 s
    by_error = _largest_first(frame, len(frame))
    no_coords = np.flatnonzero(frame["distance_km"].isna().to_numpy())
    top = np.concatenate([by_error, no_coords])[: max(k, 0)]
    head = frame.iloc[top]
    ranked = head.assign(correct=is_correct(head))
    cols = [
        c
        for c in (
            "run",
            "sample_id",
            "true_country",
            "pred_country",
            "status",
            "distance_km",
            "heading",
            "correct",
        )
        if c in ranked
    ]
    return ranked[cols].reset_index(drop=True)


def filter_options(frame: pd.DataFrame) -> dict[str, list[object]]:
    """Return the values each filter can take in ``frame`` (sorted, missing values dropped)."""

    def values(col: str) -> list[object]:
        if col not in frame:
            return []
        return sorted(frame[col].dropna().unique().tolist())

    return {
        "true_country": values("true_country"),
        "pred_country": values("pred_country"),
        "true_continent": values("true_continent"),
        "status": values("status"),
        "heading": values("heading"),
    }


def line_mask(
    frame: pd.DataFrame, state: ViewState, selected_sample: str | None = None
) -> pd.Series:
    """Return which rows get an error line, by ``state.lines`` (aligned with ``frame``).

    ``worst``: the ``state.worst_n`` largest errors; ``country``: rows whose true country is
    ``state.line_country``; ``selection``: the selected image's rows; ``all``: every row.
    """
    if state.lines == "all":
        return pd.Series(True, index=frame.index)
    if state.lines == "country":
        return frame["true_country"].astype("string").eq(state.line_country or "").fillna(False)
    if state.lines == "selection":
        return frame["sample_id"].astype("string").eq(selected_sample or "").fillna(False)
    worst = frame.index[_largest_first(frame, state.worst_n)]
    return pd.Series(frame.index.isin(worst), index=frame.index)


def _largest_first(frame: pd.DataFrame, k: int) -> npt.NDArray[np.intp]:
    """Return the positions of the ``k`` largest errors, largest first (ties in frame order).

    NumPy on positions, not a pandas sort of the column: ~0.1 s instead of ~0.6 s at 1M rows.
    Stable descending is a stable ascending sort of the negated error.
    """
    distance = frame["distance_km"].to_numpy(dtype=float, na_value=np.nan)
    with_coords = np.flatnonzero(~np.isnan(distance))
    return with_coords[np.argsort(-distance[with_coords], kind="stable")][: max(k, 0)]
