"""compute_metrics and bootstrap_ci: every registered metric, with location-clustered CIs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

# importing the families registers their metrics (registration order = report order)
import analysis.metrics.country_metrics
import analysis.metrics.distance_metrics  # noqa: F401
from analysis.errors import InputError
from analysis.metrics.data import DEFAULT_CLUSTER, EvalData, prepare
from analysis.metrics.resample import percentile_interval, resample_terms
from analysis.metrics.spec import METRICS, MetricSpec
from analysis.metrics.terms import Term, evaluate


@dataclass(frozen=True)
class ConfidenceInterval:
    """A point estimate with a percentile bootstrap interval [low, high]."""

    estimate: float
    low: float
    high: float

    def contains(self, value: float) -> bool:
        """Return True when ``value`` lies in [low, high]."""
        return self.low <= value <= self.high


def metric_specs(names: Sequence[str] | None = None) -> list[MetricSpec]:
    """Return the specs for ``names`` (default: every registered metric, in order)."""
    return [METRICS.get(name) for name in (METRICS.names() if names is None else names)]


def metric_terms(data: EvalData, specs: Sequence[MetricSpec]) -> list[Term]:
    """Build each spec's term on prepared data."""
    return [spec.fn(data) for spec in specs]


def compute_metrics(
    frame: pd.DataFrame | EvalData, metrics: Sequence[str] | None = None
) -> dict[str, float]:
    """Compute every registered metric (or those named) over an evaluation frame."""
    data = prepare(frame, cluster=None) if not isinstance(frame, EvalData) else frame
    specs = metric_specs(metrics)
    terms = metric_terms(data, specs)
    return {spec.name: evaluate(term) for spec, term in zip(specs, terms, strict=True)}


def check_bootstrap_args(n_resamples: int, level: float) -> None:
    """Raise InputError for a resample count below 1 or a level outside (0, 1)."""
    if int(n_resamples) != n_resamples or n_resamples < 1:
        raise InputError(f"n_resamples must be a positive integer, got {n_resamples!r}")
    if not 0.0 < level < 1.0:
        raise InputError(f"level must be in (0, 1), got {level!r}")


def bootstrap_ci(
    frame: pd.DataFrame | EvalData,
    n_resamples: int = 1000,
    seed: int = 0,
    level: float = 0.95,
    cluster: str | None = DEFAULT_CLUSTER,
    metrics: Sequence[str] | None = None,
) -> dict[str, ConfidenceInterval]:
    """Compute percentile bootstrap intervals for every metric, resampling clusters (locations).

    Args:
        frame: evaluation frame (or prepared EvalData).
        n_resamples: bootstrap resamples (>= 1).
        seed: random seed; same data + seed gives the same intervals.
        level: coverage of the interval, in (0, 1).
        cluster: column whose values group samples that must be resampled together
            (LLMGeo: one location under up to 4 headings). Missing values, or a missing
            ``location_id`` column, make each sample its own cluster; None forces that.
        metrics: names to compute (default: all registered).

    Clusters are numbered by first appearance; resample r draws C cluster indices with
    ``default_rng(seed).integers(0, C, size=C)``, in order. Intervals are percentile
    intervals; a resample where a ratio is undefined is left out of that metric's.
    """
    check_bootstrap_args(n_resamples, level)
    data = prepare(frame, cluster=cluster)
    specs = metric_specs(metrics)
    terms = metric_terms(data, specs)
    resampled_idx = [i for i, spec in enumerate(specs) if spec.resample]
    draws = resample_terms(
        [terms[i] for i in resampled_idx], data.cluster, data.n_clusters, int(n_resamples), seed
    )
    out: dict[str, ConfidenceInterval] = {}
    column = {i: k for k, i in enumerate(resampled_idx)}
    for i, (spec, term) in enumerate(zip(specs, terms, strict=True)):
        estimate = evaluate(term)
        if i in column:
            low, high = percentile_interval(draws[:, column[i]], level)
        else:
            low = high = estimate
        out[spec.name] = ConfidenceInterval(estimate, low, high)
    return out
