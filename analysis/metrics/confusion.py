"""Confusion matrices (true x predicted country or continent) and the most frequent mistakes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.errors import InputError
from analysis.metrics.data import EvalData, prepare
from analysis.metrics.frame import IntArray, continent_of_code

NONE_LABEL = "unknown/none"  # column for samples without a predicted country/continent
OTHER_LABEL = "other"  # row/column for labels outside the top_n
ORDERS: tuple[str, ...] = ("frequency", "continent", "confusion")


def _labels(data: EvalData, level: str) -> tuple[IntArray, IntArray, list[str]]:
    if level == "country":
        true, pred, names = data.true_country, data.pred_country, data.countries
    elif level == "continent":
        true, pred, names = data.true_continent, data.pred_continent, data.continents
    else:
        raise InputError(f"level must be 'country' or 'continent', got {level!r}")
    # a non-ok answer has no prediction, whatever a pred_country column may hold
    return true, np.where(data.is_ok, pred, -1), list(names)


def _top_labels(true: IntArray, names: list[str], top_n: int | None) -> list[int]:
    counts = np.bincount(true[true >= 0], minlength=len(names))
    present = [i for i in range(len(names)) if counts[i] > 0]
    present.sort(key=lambda i: (-int(counts[i]), names[i]))  # ties: alphabetical, stable output
    return present if top_n is None else present[:top_n]


def _by_continent(top: list[int], names: list[str], level: str) -> list[int]:
    """Group labels by continent (alphabetical), most frequent first within each."""
    if level != "country":
        return top
    rank = {label: i for i, label in enumerate(top)}
    continent = {i: continent_of_code(names[i]) or "~" for i in top}  # unknown ones last
    return sorted(top, key=lambda i: (continent[i], rank[i]))


def _by_confusion(top: list[int], true: IntArray, pred: IntArray, n_names: int) -> list[int]:
    """Chain labels so that each sits next to the one it is most often confused with.

    Greedy: start at the most frequent label, then repeatedly step to the unplaced label with
    the largest confusion in either direction with the last placed one (frequency breaks ties
    and restarts a chain once no confusion links to the rest), so blocks of mutually confused
    countries (Balkans, Andes) form visible squares near the diagonal.
    """
    ok = (true >= 0) & (pred >= 0)
    pairs = np.zeros((n_names, n_names), dtype=np.int64)
    np.add.at(pairs, (true[ok], pred[ok]), 1)
    mutual = pairs + pairs.T
    np.fill_diagonal(mutual, 0)
    left = list(top)  # frequency order
    order = [left.pop(0)]
    while left:
        weights = mutual[order[-1], left]
        step = int(np.argmax(weights)) if weights.max() > 0 else 0
        order.append(left.pop(step))
    return order


def confusion_matrix(
    frame: pd.DataFrame | EvalData,
    top_n: int | None = 20,
    level: str = "country",
    normalize: bool = True,
    order: str = "frequency",
) -> pd.DataFrame:
    """Count true (rows) x predicted (columns) labels, row-normalised when asked.

    Rows: the ``top_n`` most frequent true labels (``None``: every true label in the data), then
    'other' for the rest (when any), ordered by ``order``: ``frequency`` (most images first),
    ``continent`` (grouped by continent) or ``confusion`` (mutually confused labels adjacent).
    Columns: the same labels, then 'other' (a prediction outside them) and 'unknown/none'
    (no usable answer, or an answer with no country). Samples whose truth has no label are
    left out. With ``normalize`` each row sums to 1 (shares of that true label's samples).
    """
    if top_n is not None and (int(top_n) != top_n or top_n < 1):
        raise InputError(f"top_n must be a positive integer or None, got {top_n!r}")
    if order not in ORDERS:
        raise InputError(f"order must be one of {', '.join(ORDERS)}, got {order!r}")
    data = prepare(frame, cluster=None) if not isinstance(frame, EvalData) else frame
    true, pred, names = _labels(data, level)
    top = _top_labels(true, names, None if top_n is None else int(top_n))
    if order == "continent":
        top = _by_continent(top, names, level)
    elif order == "confusion":
        top = _by_confusion(top, true, pred, len(names))
    k = len(top)
    slot = np.full(len(names) + 1, k, dtype=np.intp)  # default: 'other'
    slot[top] = np.arange(k)
    keep = true >= 0
    rows = slot[true[keep]]
    p = pred[keep]
    cols = np.where(p >= 0, slot[p], k + 1)
    n_rows, n_cols = k + 1, k + 2
    counts = np.bincount(rows * n_cols + cols, minlength=n_rows * n_cols).reshape(n_rows, n_cols)
    row_labels = [names[i] for i in top] + [OTHER_LABEL]
    if counts[k].sum() == 0:  # no true label beyond the top: no 'other' row
        counts, row_labels = counts[:k], row_labels[:k]
    col_labels = [names[i] for i in top] + [OTHER_LABEL, NONE_LABEL]
    values: np.ndarray = counts
    if normalize:
        totals = counts.sum(axis=1, keepdims=True)
        values = counts / np.where(totals == 0, 1, totals)
    out = pd.DataFrame(
        values,
        index=pd.Index(row_labels, name="true"),
        columns=pd.Index(col_labels, name="predicted"),
    )
    return out


def top_confusions(
    frame: pd.DataFrame | EvalData, k: int = 20, level: str = "country"
) -> pd.DataFrame:
    """Rank the most frequent (true, predicted) mistakes between two different labels.

    ``share`` is count / all samples of that true label, so 0.4 reads "40% of this country's
    images were taken for that one". Non-answers are not mistakes here (see unknown_rate).
    """
    if int(k) != k or k < 1:
        raise InputError(f"k must be a positive integer, got {k!r}")
    data = prepare(frame, cluster=None) if not isinstance(frame, EvalData) else frame
    true, pred, names = _labels(data, level)
    n_labels = len(names)
    per_true = np.bincount(true[true >= 0], minlength=n_labels)
    wrong = (true >= 0) & (pred >= 0) & (true != pred)
    pair_codes, pair_counts = np.unique(
        true[wrong].astype(np.int64) * n_labels + pred[wrong], return_counts=True
    )
    ranked = sorted(
        range(pair_codes.size),
        key=lambda j: (
            -int(pair_counts[j]),
            names[int(pair_codes[j]) // n_labels],
            names[int(pair_codes[j]) % n_labels],
        ),
    )[: int(k)]
    t = [int(pair_codes[j]) // n_labels for j in ranked]
    counts = np.asarray([pair_counts[j] for j in ranked], dtype=np.int64)
    return pd.DataFrame(
        {
            "true": [names[i] for i in t],
            "predicted": [names[int(pair_codes[j]) % n_labels] for j in ranked],
            "count": counts,
            "share": counts / np.asarray([per_true[i] for i in t], dtype=np.float64),
        }
    )
