"""The cluster bootstrap engine: resample clusters, recompute every term, exactly.

Design (why it is fast enough for 1M predictions):
- Each Ratio term needs only per-cluster sums of its numerator and denominator, so the samples
  are collapsed to a (clusters x columns) matrix S once. A resample is a vector of cluster
  multiplicities w (C indices drawn with replacement, counted per cluster), and every ratio of
  every metric for a block of resamples is one matrix product W @ S. For big jobs the next
  block of W is drawn on a worker thread while the current one is multiplied (same stream).
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

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from analysis.metrics.frame import FloatArray, IntArray
from analysis.metrics.terms import Quantile, Ratio, Term, divide

if TYPE_CHECKING:
    from threadpoolctl import ThreadpoolController

CHUNK_ELEMENTS = 1 << 22  # weights held per block: 4M float64 = 32 MB
WINDOW_Z = 6.0  # window half-width in standard errors of the resampled rank
WINDOW_MIN_SAMPLES = 256  # extra samples kept on each side of the window
PIPELINE_MIN_DRAWS = 1 << 22  # below this many draws a worker thread costs more than it saves
CALLER_COUNTS_EVERY = 4  # the multiplying thread counts every 4th resample: balances the two


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


@lru_cache(maxsize=1)
def _blas_controller() -> ThreadpoolController | None:
    # building a controller scans the loaded libraries (~2 ms): once per process, not per call
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # optional: without it the product is only slower
        return None
    return ThreadpoolController()


def _single_threaded_blas() -> AbstractContextManager[object]:
    """Limit BLAS to one thread for the skinny weights @ sums product.

    Measured on 2 cores: one thread takes 0.47 s per 1000 resamples of 250k clusters, two take
    1.8 s, and up to 14 s when another process holds a core (the threads spin-wait).
    """
    controller = _blas_controller()
    if controller is None:
        return nullcontext()
    limits: AbstractContextManager[object] = controller.limit(limits=1, user_api="blas")
    return limits


def _count_into(row: FloatArray, draws: IntArray) -> None:
    """Write the multiplicity of each cluster in ``draws`` into ``row``.

    ``np.add.at`` into the reused row, not ``bincount``: bincount allocates a fresh counts
    array per resample and, beside the draws, that made glibc hand the memory back and fault
    it in again (~1000 page faults per resample, 2-3x slower in total).
    """
    row[:] = 0.0
    np.add.at(row, draws, 1.0)


def _draw_block(
    rng: np.random.Generator, out: FloatArray, n_clusters: int, defer_every: int = 0
) -> list[tuple[int, IntArray]]:
    """Draw each row's resample in stream order and count it into ``out``.

    With ``defer_every`` = k, every k-th row is left uncounted and returned as (row, draws),
    for the caller to count: that balances the two threads of the pipeline.
    """
    deferred: list[tuple[int, IntArray]] = []
    for i in range(out.shape[0]):
        # intp draws: the documented stream (rng.integers(0, C, size=C) per resample)
        draws = rng.integers(0, n_clusters, size=n_clusters, dtype=np.intp)
        if defer_every and i % defer_every == defer_every - 1:
            deferred.append((i, draws))
        else:
            _count_into(out[i], draws)
    return deferred


def _weight_blocks(
    rng: np.random.Generator, n_clusters: int, n_resamples: int, block: int
) -> Iterator[FloatArray]:
    """Yield the resamples' weights block by block, in stream order.

    Big jobs draw the next block on a worker thread while the caller multiplies the current
    one (numpy's generator, add.at and np.dot release the GIL): on 2 cores this takes most of
    the 1000 x 250k draws off the critical path. One worker, FIFO: the stream order is kept.
    """
    sizes = [min(block, n_resamples - start) for start in range(0, n_resamples, block)]
    if len(sizes) == 1 or n_clusters * n_resamples < PIPELINE_MIN_DRAWS:
        weights = np.empty((block, n_clusters), dtype=np.float64)
        for m in sizes:
            _draw_block(rng, weights[:m], n_clusters)
            yield weights[:m]
        return
    buffers = [np.empty((block, n_clusters), dtype=np.float64) for _ in range(2)]
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bootstrap-draws") as pool:
        pending = pool.submit(
            _draw_block, rng, buffers[0][: sizes[0]], n_clusters, CALLER_COUNTS_EVERY
        )
        for k in range(len(sizes)):
            deferred = pending.result()
            current = buffers[k % 2][: sizes[k]]
            if k + 1 < len(sizes):
                # the other buffer is free: the caller is done with block k - 1
                nxt = buffers[(k + 1) % 2][: sizes[k + 1]]
                pending = pool.submit(_draw_block, rng, nxt, n_clusters, CALLER_COUNTS_EVERY)
            for i, draws in deferred:
                _count_into(current[i], draws)
            yield current


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
    start = 0
    with _single_threaded_blas():
        for w in _weight_blocks(rng, n_clusters, n_resamples, block):
            m = w.shape[0]
            # np.dot, not the @ operator: on this numpy, matmul holds the GIL through the BLAS
            # call, which would stall the worker drawing the next block
            sums = np.dot(w, sums_per_cluster)
            for j, (num, den) in ratio_cols.items():
                out[start : start + m, j] = (
                    sums[:, num] if den is None else divide(sums[:, num], sums[:, den])
                )
            for j, plan in plans.items():
                out[start : start + m, j] = _quantile_block(plan, w, sums)
            start += m
    return out


def percentile_interval(samples: FloatArray, level: float) -> tuple[float, float]:
    """Return the (low, high) percentile interval of bootstrap samples, NaN-aware."""
    finite = samples[np.isfinite(samples)]
    if finite.size == 0:
        return float("nan"), float("nan")
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(finite, [tail, 1.0 - tail])
    return float(low), float(high)
