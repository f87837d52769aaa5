"""The cluster bootstrap engine: resample clusters, recompute every term, exactly.

Design (why it is fast enough for 1M predictions):
- Each Ratio term needs only per-cluster sums of its numerator and denominator, so the samples
  are collapsed to a (clusters x columns) matrix S once. A resample is a vector of cluster
  multiplicities w (C indices drawn with replacement, counted by bincount), and every ratio of
  every metric for a block of resamples is one matrix product W @ S.
- A quantile (median_km) needs the weighted order statistics, not sums. The resampled median
  stays within a few standard errors of the full-sample median, so only a *window* of sorted
  values around it is kept with its clusters, plus per-cluster counts of values below the
  window (one more column of S). The median of a resample is read from the cumulative weights
  inside the window: exact, not approximated. A resample whose median falls outside the window
  (vanishingly rare: the window spans +/- 6 standard errors) is recomputed over all values.
Randomness: numpy's PCG64 seeded with ``seed``; one draw of C indices per resample, in order,
so results depend only on the data, n_resamples and seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

import numpy as np

from analysis.metrics.frame import FloatArray, IntArray
from analysis.metrics.terms import Quantile, Ratio, Term, divide

CHUNK_ELEMENTS = 1 << 22  # weights held per block: 4M float64 = 32 MB
WINDOW_Z = 6.0  # window half-width in standard errors of the resampled rank
WINDOW_MIN_SAMPLES = 256  # extra samples kept on each side of the window


@dataclass
class _QuantilePlan:
    """What a Quantile term needs under resampling (see module docstring)."""

    q: float
    count_col: int
    below_col: int
    window_values: FloatArray
    window_clusters: IntArray
    values: FloatArray  # all finite values, for the rare fallback
    clusters: IntArray
    _sorted: tuple[FloatArray, IntArray] | None = field(default=None, repr=False)

    def sorted_all(self) -> tuple[FloatArray, IntArray]:
        """Return every finite value sorted, with its cluster (computed on first need)."""
        if self._sorted is None:
            order = np.argsort(self.values, kind="stable")
            self._sorted = (self.values[order], self.clusters[order])
        return self._sorted


class _Columns:
    """Distinct per-sample columns, deduplicated by identity, then by content."""

    def __init__(self) -> None:
        self.arrays: list[FloatArray] = []
        self._index: dict[int, int] = {}
        self._totals: list[float] = []
        self._alive: list[FloatArray] = []

    def add(self, array: FloatArray) -> int:
        key = id(array)
        if key not in self._index:
            self._alive.append(array)  # an id is only unique while its array lives
            total = float(array.sum())
            # equal content under another identity (e.g. a quantile's finite mask = has_coords)
            for k, other in enumerate(self.arrays):
                if self._totals[k] == total and np.array_equal(other, array):
                    self._index[key] = k
                    return k
            self._index[key] = len(self.arrays)
            self.arrays.append(array)
            self._totals.append(total)
        return self._index[key]


def _plan_quantile(
    term: Quantile, cluster: IntArray, n_clusters: int, columns: _Columns
) -> _QuantilePlan:
    finite = np.isfinite(term.values)
    idx = np.flatnonzero(finite)
    values, clusters = term.values[idx], cluster[idx]
    count_col = columns.add(finite.astype(np.float64))
    n = values.size
    lo, hi = 0, n - 1
    if n > 4 * WINDOW_MIN_SAMPLES:
        estimate = np.quantile(values, term.q)
        # linearised standard error of the resampled share of values <= estimate
        below_est = np.bincount(clusters, weights=values <= estimate, minlength=n_clusters)
        per_cluster = np.bincount(clusters, minlength=n_clusters)
        se_share = float(np.sqrt(np.sum((below_est - term.q * per_cluster) ** 2))) / n
        centre = term.q * (n - 1)
        half = WINDOW_Z * se_share * n + WINDOW_MIN_SAMPLES
        lo, hi = max(0, int(np.floor(centre - half))), min(n - 1, int(np.ceil(centre + half)))
        if hi - lo + 1 > n // 2:
            lo, hi = 0, n - 1
    if n == 0:
        window = np.zeros(0, dtype=bool)
        below = np.zeros(0, dtype=bool)
    elif lo == 0 and hi == n - 1:
        window = np.ones(n, dtype=bool)
        below = np.zeros(n, dtype=bool)
    else:
        part = np.partition(values, [lo, hi])
        v_lo, v_hi = part[lo], part[hi]
        window = (values >= v_lo) & (values <= v_hi)
        below = values < v_lo
    below_full = np.zeros(term.values.size, dtype=np.float64)
    below_full[idx[below]] = 1.0
    below_col = columns.add(below_full)
    order = np.argsort(values[window], kind="stable")
    return _QuantilePlan(
        q=term.q,
        count_col=count_col,
        below_col=below_col,
        window_values=values[window][order],
        window_clusters=clusters[window][order],
        values=values,
        clusters=clusters,
    )


def _weighted_rank_values(
    sorted_values: FloatArray, cum: FloatArray, ranks: FloatArray
) -> FloatArray:
    """Value at each row's 0-based rank, given the rows' cumulative weights over sorted values."""
    idx = (cum <= ranks[:, None]).sum(axis=1)
    return np.asarray(sorted_values[np.minimum(idx, sorted_values.size - 1)], dtype=np.float64)


def _quantile_block(plan: _QuantilePlan, weights: FloatArray, sums: FloatArray) -> FloatArray:
    total = sums[:, plan.count_col]
    below = sums[:, plan.below_col]
    out = np.full(weights.shape[0], np.nan)
    has = total > 0
    if not has.any():
        return out
    pos = plan.q * (total - 1)
    r1 = np.floor(pos)
    r2 = np.minimum(r1 + 1, total - 1)
    frac = pos - r1
    inside = has.copy()
    if plan.window_values.size:
        cum = np.cumsum(weights[:, plan.window_clusters], axis=1)
        cum += below[:, None]
        inside &= (below <= r1) & (cum[:, -1] > r2)
        rows = np.flatnonzero(inside)
        if rows.size:
            a = _weighted_rank_values(plan.window_values, cum[rows], r1[rows])
            b = _weighted_rank_values(plan.window_values, cum[rows], r2[rows])
            out[rows] = a + frac[rows] * (b - a)
    else:
        inside[:] = False
    for row in np.flatnonzero(has & ~inside):  # outside the window: exact over all values
        values, clusters = plan.sorted_all()
        cum_all = np.cumsum(weights[row, clusters])[None, :]
        a = _weighted_rank_values(values, cum_all, r1[row : row + 1])[0]
        b = _weighted_rank_values(values, cum_all, r2[row : row + 1])[0]
        out[row] = a + frac[row] * (b - a)
    return out


def _single_threaded_blas() -> AbstractContextManager[object]:
    """Limit BLAS to one thread for the skinny weights @ sums product.

    Measured on 2 cores: one thread takes 0.47 s per 1000 resamples of 250k clusters, two take
    1.8 s, and up to 14 s when another process holds a core (the threads spin-wait).
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # optional: without it the product is only slower
        return nullcontext()
    limits: AbstractContextManager[object] = threadpool_limits(limits=1, user_api="blas")
    return limits


def resample_terms(
    terms: Sequence[Term],
    cluster: IntArray,
    n_clusters: int,
    n_resamples: int,
    seed: int,
) -> FloatArray:
    """Return an (n_resamples, len(terms)) array of each term recomputed on cluster resamples."""
    out = np.full((n_resamples, len(terms)), np.nan)
    if n_clusters == 0 or not terms:
        return out
    columns = _Columns()
    ratio_cols: dict[int, tuple[int, int | None]] = {}
    plans: dict[int, _QuantilePlan] = {}
    for j, term in enumerate(terms):
        if isinstance(term, Ratio):
            den = None if term.denominator is None else columns.add(term.denominator)
            ratio_cols[j] = (columns.add(term.numerator), den)
        else:
            plans[j] = _plan_quantile(term, cluster, n_clusters, columns)
    identity = n_clusters == cluster.size and bool(np.all(cluster == np.arange(cluster.size)))
    sums_per_cluster = np.empty((n_clusters, len(columns.arrays)), dtype=np.float64)
    for k, array in enumerate(columns.arrays):
        sums_per_cluster[:, k] = (
            array if identity else np.bincount(cluster, weights=array, minlength=n_clusters)
        )
    widest = max([n_clusters] + [p.window_values.size for p in plans.values()])
    block = max(1, min(n_resamples, CHUNK_ELEMENTS // widest))
    rng = np.random.default_rng(seed)
    weights = np.empty((block, n_clusters), dtype=np.float64)
    for start in range(0, n_resamples, block):
        m = min(block, n_resamples - start)
        for i in range(m):
            # intp draws: bincount of uint32 takes a casting path ~5x slower
            draws = rng.integers(0, n_clusters, size=n_clusters, dtype=np.intp)
            weights[i] = np.bincount(draws, minlength=n_clusters)
        w = weights[:m]
        with _single_threaded_blas():
            sums = w @ sums_per_cluster
        for j, (num, den) in ratio_cols.items():
            out[start : start + m, j] = (
                sums[:, num] if den is None else divide(sums[:, num], sums[:, den])
            )
        for j, plan in plans.items():
            out[start : start + m, j] = _quantile_block(plan, w, sums)
    return out


def percentile_interval(samples: FloatArray, level: float) -> tuple[float, float]:
    """Return the (low, high) percentile interval of bootstrap samples, NaN-aware."""
    finite = samples[np.isfinite(samples)]
    if finite.size == 0:
        return float("nan"), float("nan")
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(finite, [tail, 1.0 - tail])
    return float(low), float(high)
