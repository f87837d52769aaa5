"""The two shapes a metric can take, and how to evaluate them overall and per group.

A metric function returns a *term* built from per-sample arrays rather than a bare number.
That keeps every metric exactly computable three ways from one definition: on the whole frame,
per group (breakdowns, one bincount) and under the cluster bootstrap (per-cluster sums times
resampling weights), without each metric writing its own resampling code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from analysis.metrics.frame import FloatArray, IntArray

BoolArray = npt.NDArray[np.bool_]
_FEW_GROUPS = 2000  # below this, per-group partitions beat one full sort


@dataclass(frozen=True, eq=False)
class Ratio:
    """sum(numerator) / sum(denominator) over samples; a plain total when denominator is None.

    NaN when the denominator sums to 0 (e.g. answered_accuracy when nothing was answered).
    """

    numerator: FloatArray
    denominator: FloatArray | None = None

    def take(self, idx: IntArray) -> Ratio:
        """Return the term restricted to the samples at ``idx``."""
        den = None if self.denominator is None else self.denominator[idx]
        return Ratio(self.numerator[idx], den)


@dataclass(frozen=True, eq=False)
class Quantile:
    """The ``q``-quantile (numpy 'linear' rule) of the values; NaN values are left out."""

    values: FloatArray
    q: float = 0.5

    def take(self, idx: IntArray) -> Quantile:
        """Return the term restricted to the samples at ``idx``."""
        return Quantile(self.values[idx], self.q)


Term = Ratio | Quantile


def divide(num: FloatArray, den: FloatArray) -> FloatArray:
    """Divide elementwise, NaN where the denominator is 0."""
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


def evaluate(term: Term) -> float:
    """Compute a term's value over all samples."""
    if isinstance(term, Ratio):
        num = float(term.numerator.sum())
        if term.denominator is None:
            return num
        den = float(term.denominator.sum())
        return num / den if den != 0 else float("nan")
    finite = term.values[np.isfinite(term.values)]
    return float(np.quantile(finite, term.q)) if finite.size else float("nan")


def evaluate_grouped_many(
    terms: Sequence[Term], groups: IntArray, n_groups: int
) -> list[FloatArray]:
    """Compute several terms per group, summing each distinct per-sample array only once."""
    keep: BoolArray | None = None
    if groups.size and int(groups.min()) < 0:
        keep = groups >= 0
        groups = groups[keep]
    sums: dict[int, FloatArray] = {}

    def group_sum(array: FloatArray) -> FloatArray:
        if id(array) not in sums:
            weights = array if keep is None else array[keep]
            sums[id(array)] = np.bincount(groups, weights=weights, minlength=n_groups).astype(
                np.float64
            )
        return sums[id(array)]

    out: list[FloatArray] = []
    for term in terms:
        if isinstance(term, Ratio):
            num = group_sum(term.numerator)
            den = term.denominator
            out.append(num if den is None else divide(num, group_sum(den)))
        else:
            values = term.values if keep is None else term.values[keep]
            out.append(grouped_quantile(values, groups, n_groups, term.q))
    return out


def grouped_quantile(values: FloatArray, groups: IntArray, n_groups: int, q: float) -> FloatArray:
    """Compute the q-quantile of the finite values of each group (NaN for an empty group)."""
    finite = np.isfinite(values)
    v, g = values[finite], groups[finite]
    counts = np.bincount(g, minlength=n_groups)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    out = np.full(n_groups, np.nan)
    if n_groups <= _FEW_GROUPS:
        # group by a radix sort of small codes, then one O(k) partition per group: cheaper
        # than sorting every value
        v_grouped = v[np.argsort(g.astype(np.int16), kind="stable")]
        for k in np.flatnonzero(counts):
            out[k] = np.quantile(v_grouped[starts[k] : starts[k] + counts[k]], q)
        return out
    # many groups: sort by value, then stable-sort by group, so each group comes out ascending
    by_value = np.argsort(v, kind="stable")
    v_sorted = v[by_value[np.argsort(g[by_value], kind="stable")]]
    has = counts > 0
    pos = q * (counts[has] - 1)
    lo = np.floor(pos).astype(np.intp)
    hi = np.minimum(lo + 1, counts[has] - 1)
    frac = pos - lo
    base = starts[has]
    low_v, high_v = v_sorted[base + lo], v_sorted[base + hi]
    out[has] = low_v + frac * (high_v - low_v)
    return out
