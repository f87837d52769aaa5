"""Paired comparison of two runs on the same samples: McNemar and a paired cluster bootstrap."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import InputError
from analysis.metrics.compute import ConfidenceInterval, check_bootstrap_args, metric_specs
from analysis.metrics.data import DEFAULT_CLUSTER, EvalData
from analysis.metrics.resample import percentile_interval, resample_terms
from analysis.metrics.terms import evaluate

PAIRED_METRICS = ("country_accuracy", "median_km", "acc_25km", "acc_750km")


@dataclass(frozen=True)
class PairedComparison:
    """Run A versus run B on their common samples; every difference is A minus B.

    ``only_a``: samples A got right (country) and B wrong; ``only_b`` the reverse. McNemar's
    exact test uses only these discordant pairs. ``dropped_a`` / ``dropped_b``: samples present
    in one run only, left out of everything here.
    """

    n: int
    dropped_a: int
    dropped_b: int
    both_right: int
    only_a: int
    only_b: int
    both_wrong: int
    mcnemar_p: float
    accuracy_a: float
    accuracy_b: float
    median_km_a: float
    median_km_b: float
    diff_accuracy: ConfidenceInterval
    diff_median_km: ConfidenceInterval
    diff_acc_25km: ConfidenceInterval
    diff_acc_750km: ConfidenceInterval
    n_resamples: int
    level: float


def mcnemar_exact_p(only_a: int, only_b: int) -> float:
    """Return McNemar's exact two-sided p-value: binomial(only_a + only_b, 1/2) on discordants."""
    if only_a < 0 or only_b < 0:
        raise InputError(f"discordant counts must be >= 0, got {only_a}, {only_b}")
    n = only_a + only_b
    if n == 0:
        return 1.0
    from scipy.stats import binom

    return float(min(1.0, 2.0 * binom.cdf(min(only_a, only_b), n, 0.5)))


def _join(frame_a: pd.DataFrame, frame_b: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    for name, frame in (("A", frame_a), ("B", frame_b)):
        if "sample_id" not in frame.columns:
            raise InputError(f"run {name}: evaluation frame has no 'sample_id' column")
        dup = frame["sample_id"].duplicated()
        if dup.any():
            example = frame["sample_id"][dup].iloc[0]
            raise InputError(
                f"run {name}: sample_id must be unique, {int(dup.sum())} duplicate(s) "
                f"(e.g. {example!r})"
            )
    index_b = pd.Index(frame_b["sample_id"]).get_indexer(frame_a["sample_id"])
    rows_a = np.flatnonzero(index_b >= 0)
    return rows_a, index_b[rows_a]


def _check_same_truth(data_a: EvalData, data_b: EvalData, sample_ids: pd.Series) -> None:
    # the two runs must score the same images: differing truth means two different datasets
    a = np.asarray([*data_a.countries, None], dtype=object)[data_a.true_country]
    b = np.asarray([*data_b.countries, None], dtype=object)[data_b.true_country]
    differ = np.flatnonzero((a != b) & (data_a.true_country >= 0) & (data_b.true_country >= 0))
    if differ.size:
        i = int(differ[0])
        raise InputError(
            f"runs disagree on the true country of {differ.size} common sample(s), e.g. "
            f"{sample_ids.iloc[i]!r}: {a[i]} vs {b[i]}; are they runs of the same dataset?"
        )


def paired_comparison(
    frame_a: pd.DataFrame,
    frame_b: pd.DataFrame,
    n_resamples: int = 1000,
    seed: int = 0,
    level: float = 0.95,
    cluster: str | None = DEFAULT_CLUSTER,
) -> PairedComparison:
    """Compare two runs on their common samples (inner join on sample_id), A minus B.

    The bootstrap resamples locations (clusters of run A's ``cluster`` column) and applies the
    same resample to both runs, so the intervals account for the pairing.
    """
    check_bootstrap_args(n_resamples, level)
    frame_a = frame_a.frame if isinstance(frame_a, EvalData) else frame_a
    frame_b = frame_b.frame if isinstance(frame_b, EvalData) else frame_b
    rows_a, rows_b = _join(frame_a, frame_b)
    if rows_a.size == 0:
        raise InputError("the two runs share no sample_id: nothing to compare")
    sub_a = frame_a.iloc[rows_a].reset_index(drop=True)
    sub_b = frame_b.iloc[rows_b].reset_index(drop=True)
    data_a = EvalData(sub_a, cluster=cluster)
    data_b = EvalData(sub_b, cluster=None)
    _check_same_truth(data_a, data_b, sub_a["sample_id"])
    right_a, right_b = data_a.correct > 0, data_b.correct > 0
    only_a = int((right_a & ~right_b).sum())
    only_b = int((~right_a & right_b).sum())
    specs = metric_specs(PAIRED_METRICS)
    terms_a = [s.fn(data_a) for s in specs]
    terms_b = [s.fn(data_b) for s in specs]
    draws = resample_terms(
        terms_a + terms_b, data_a.cluster, data_a.n_clusters, int(n_resamples), seed
    )
    k = len(specs)
    diffs: dict[str, ConfidenceInterval] = {}
    for j, spec in enumerate(specs):
        estimate = evaluate(terms_a[j]) - evaluate(terms_b[j])
        low, high = percentile_interval(draws[:, j] - draws[:, k + j], level)
        diffs[spec.name] = ConfidenceInterval(estimate, low, high)
    return PairedComparison(
        n=int(rows_a.size),
        dropped_a=len(frame_a) - int(rows_a.size),
        dropped_b=len(frame_b) - int(rows_a.size),
        both_right=int((right_a & right_b).sum()),
        only_a=only_a,
        only_b=only_b,
        both_wrong=int((~right_a & ~right_b).sum()),
        mcnemar_p=mcnemar_exact_p(only_a, only_b),
        accuracy_a=evaluate(terms_a[0]),
        accuracy_b=evaluate(terms_b[0]),
        median_km_a=evaluate(terms_a[1]),
        median_km_b=evaluate(terms_b[1]),
        diff_accuracy=diffs["country_accuracy"],
        diff_median_km=diffs["median_km"],
        diff_acc_25km=diffs["acc_25km"],
        diff_acc_750km=diffs["acc_750km"],
        n_resamples=int(n_resamples),
        level=level,
    )
