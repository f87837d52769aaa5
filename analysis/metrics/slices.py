"""Where two runs differ most: slices (country, continent, heading) ranked by paired difference.

Each slice is compared with ``paired_comparison`` on the images both runs answered, so every
interval is a paired bootstrap over locations (clusters), exactly as for the whole dataset.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.errors import InputError
from analysis.metrics.frame import add_continents
from analysis.metrics.paired import paired_comparison

SLICE_COLUMNS = ("true_country", "true_continent", "heading")
# PairedComparison field holding each metric's A - B interval
_DIFF_FIELD = {
    "country_accuracy": "diff_accuracy",
    "acc_25km": "diff_acc_25km",
    "acc_750km": "diff_acc_750km",
    "median_km": "diff_median_km",
}
RESULT_COLUMNS = ["slice", "n", "diff", "low", "high", "clear"]


def rank_slices(
    frame_a: pd.DataFrame,
    frame_b: pd.DataFrame,
    by: str,
    *,
    metric: str = "country_accuracy",
    n_resamples: int = 500,
    seed: int = 0,
    min_n: int = 5,
    level: float = 0.95,
) -> pd.DataFrame:
    """Rank the slices of ``by`` by the paired difference A minus B of ``metric``, largest first.

    Args:
        frame_a, frame_b: evaluation frames of two runs of the same dataset.
        by: ``true_country``, ``true_continent`` or ``heading`` (truth of run A's rows).
        metric: country_accuracy, acc_25km, acc_750km or median_km.
        min_n: slices with fewer common images are left out (their intervals say nothing).

    Returns:
        Columns slice, n (common images), diff (A - B), low, high (``level`` interval) and clear
        (the interval excludes 0), sorted by absolute difference, then n.
    """
    if by not in SLICE_COLUMNS:
        raise InputError(f"cannot slice by {by!r}; use one of {', '.join(SLICE_COLUMNS)}")
    if metric not in _DIFF_FIELD:
        raise InputError(f"no paired difference for {metric!r}; use one of {sorted(_DIFF_FIELD)}")
    if by == "true_continent" and "true_continent" not in frame_a:
        frame_a = add_continents(frame_a)
    common = set(frame_a["sample_id"]) & set(frame_b["sample_id"])
    frame_a = frame_a[frame_a["sample_id"].isin(common)]
    b_by_id = frame_b.set_index("sample_id", drop=False)
    rows = []
    for value, part_a in frame_a.groupby(by, sort=True, dropna=True):
        if len(part_a) < min_n:
            continue
        part_b = b_by_id.loc[part_a["sample_id"]].reset_index(drop=True)
        result = paired_comparison(part_a, part_b, n_resamples=n_resamples, seed=seed, level=level)
        ci = getattr(result, _DIFF_FIELD[metric])
        if not math.isfinite(ci.estimate):
            continue
        rows.append(
            {
                "slice": value,
                "n": result.n,
                "diff": ci.estimate,
                "low": ci.low,
                "high": ci.high,
                "clear": bool(ci.low > 0 or ci.high < 0),
            }
        )
    table = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    if table.empty:
        return table
    order = table.assign(_size=table["diff"].abs()).sort_values(
        ["_size", "n"], ascending=[False, False], kind="stable"
    )
    return order.drop(columns="_size").reset_index(drop=True)
