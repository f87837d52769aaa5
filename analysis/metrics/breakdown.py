"""Metrics per group (country, continent, heading, ...) and accuracy-within-distance curves."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.errors import InputError
from analysis.metrics.compute import check_bootstrap_args, metric_specs, metric_terms
from analysis.metrics.data import DEFAULT_CLUSTER, EvalData, prepare
from analysis.metrics.frame import FloatArray, IntArray
from analysis.metrics.resample import percentile_interval, resample_terms
from analysis.metrics.terms import evaluate_grouped_many

BREAKDOWN_KEYS = ("true_country", "true_continent", "heading")
CI_METRICS_DEFAULT = ("country_accuracy", "acc_25km", "acc_750km", "median_km")


def _group_codes(data: EvalData, by: str) -> tuple[IntArray, list[object]]:
    """Return per-sample group codes (-1 = missing key) and the group labels."""
    if by == "true_country":
        return data.true_country, list(data.countries)
    if by == "true_continent":
        return data.true_continent, list(data.continents)
    if by == "pred_country":
        return data.pred_country, list(data.countries)
    if by not in data.frame.columns:
        known = ", ".join(BREAKDOWN_KEYS)
        raise InputError(f"cannot break down by {by!r}: no such column (usual keys: {known})")
    codes, uniques = pd.factorize(data.frame[by], sort=True, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.intp), list(uniques)


def _locations_per_group(data: EvalData, groups: IntArray, n_groups: int) -> FloatArray:
    keep = groups >= 0
    g, c = groups[keep], data.cluster[keep]
    if data.n_clusters * n_groups <= 1 << 26:
        seen = np.zeros(data.n_clusters * n_groups, dtype=bool)
        seen[c * n_groups + g] = True
        pairs = np.flatnonzero(seen) % n_groups
    else:
        pairs = np.unique(c.astype(np.int64) * n_groups + g) % n_groups
    return np.bincount(pairs, minlength=n_groups).astype(np.float64)


def breakdown(
    frame: pd.DataFrame | EvalData,
    by: str,
    metrics: Sequence[str] | None = None,
    ci: bool = False,
    ci_metrics: Sequence[str] = CI_METRICS_DEFAULT,
    n_resamples: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> pd.DataFrame:
    """Compute n, n_locations and each metric per group of ``by``.

    Args:
        frame: evaluation frame (or prepared EvalData).
        by: true_country, true_continent, heading, or any other column of the frame.
        metrics: metric names (default: every registered metric except n, which is a column).
        ci: also add ``<metric>_low`` / ``<metric>_high`` for ``ci_metrics``, each group
            bootstrapped on its own locations (costs one bootstrap over the whole frame).

    Rows are sorted by n (descending) for labels, by key for numeric keys such as heading; a
    row whose key is missing (e.g. no true country) comes last with a missing (NA) key.
    """
    data = prepare(frame, cluster=DEFAULT_CLUSTER)
    groups, labels = _group_codes(data, by)
    n_groups = len(labels)
    specs = [spec for spec in metric_specs(metrics) if spec.name != "n"]
    terms = metric_terms(data, specs)
    has_missing = bool((groups < 0).any())
    if has_missing:  # the missing key becomes its own last group
        groups = np.where(groups < 0, n_groups, groups)
        labels = [*labels, None]
        n_groups += 1
    table: dict[str, object] = {
        by: pd.array(labels),  # nullable dtype: integer headings stay integers beside NA
        "n": np.bincount(groups, minlength=n_groups),
        "n_locations": _locations_per_group(data, groups, n_groups).astype(np.int64),
    }
    for spec, values in zip(specs, evaluate_grouped_many(terms, groups, n_groups), strict=True):
        table[spec.name] = values
    out = pd.DataFrame(table)
    if ci:
        check_bootstrap_args(n_resamples, level)
        _add_group_ci(out, data, groups, n_groups, ci_metrics, n_resamples, seed, level)
    numeric_key = pd.api.types.is_numeric_dtype(pd.Series([x for x in labels if x is not None]))
    order = (
        out.sort_values(by, kind="stable", na_position="last")
        if numeric_key
        else out.assign(_missing=out[by].isna()).sort_values(
            ["_missing", "n", by], ascending=[True, False, True], kind="stable"
        )
    )
    return order.drop(columns=["_missing"], errors="ignore").reset_index(drop=True)


def _add_group_ci(
    out: pd.DataFrame,
    data: EvalData,
    groups: IntArray,
    n_groups: int,
    names: Sequence[str],
    n_resamples: int,
    seed: int,
    level: float,
) -> None:
    specs = metric_specs(names)
    terms = metric_terms(data, specs)
    bounds = np.full((n_groups, len(specs), 2), np.nan)
    order = np.argsort(groups, kind="stable")
    counts = np.bincount(groups, minlength=n_groups)
    for g, idx in enumerate(np.split(order, np.cumsum(counts)[:-1])):
        if idx.size == 0:
            continue
        clusters, local_codes = np.unique(data.cluster[idx], return_inverse=True)
        draws = resample_terms(
            [t.take(idx) for t in terms],
            local_codes.astype(np.intp),
            clusters.size,
            n_resamples,
            seed,
        )
        for j in range(len(specs)):
            bounds[g, j] = percentile_interval(draws[:, j], level)
    for j, spec in enumerate(specs):
        out[f"{spec.name}_low"] = bounds[:, j, 0]
        out[f"{spec.name}_high"] = bounds[:, j, 1]


def accuracy_curve(frame: pd.DataFrame | EvalData, thresholds_km: Sequence[float]) -> pd.DataFrame:
    """Return the share of all samples within each distance (no coordinates = miss)."""
    thresholds = np.asarray(list(thresholds_km), dtype=np.float64)
    if thresholds.ndim != 1 or not np.all(np.isfinite(thresholds)) or (thresholds < 0).any():
        raise InputError("thresholds_km must be finite, non-negative distances in km")
    data = prepare(frame, cluster=None) if not isinstance(frame, EvalData) else frame
    finite = np.sort(data.distance_km[np.isfinite(data.distance_km)])
    within = np.searchsorted(finite, thresholds, side="right")
    share = within / data.n if data.n else np.full(thresholds.size, np.nan)
    return pd.DataFrame({"threshold_km": thresholds, "share": share})
