"""EvalData: the numpy arrays behind an evaluation frame, built once and shared by all metrics.

Strings (statuses, countries, location ids) are factorised to integer codes once, so every
metric, breakdown and bootstrap works on int/float arrays only. Derived arrays (hits, scores,
continents) are computed lazily, on first use.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.errors import InputError
from analysis.metrics.frame import (
    CONTINENT_COLUMNS,
    ERROR_CODES,
    OK_CODE,
    REFUSED_CODE,
    UNKNOWN_CODE,
    FloatArray,
    IntArray,
    _as_text,
    continent_of_code,
    distance_array,
    status_codes,
)

BoolArray = npt.NDArray[np.bool_]
DEFAULT_CLUSTER = "location_id"


def _normalise_label(value: object, upper: bool) -> str | None:
    text = _as_text(value).strip()
    return (text.upper() if upper else text) or None


def shared_codes(columns: list[pd.Series], upper: bool = True) -> tuple[list[str], list[IntArray]]:
    """Factorise label columns onto one vocabulary; -1 marks a missing label.

    ``upper`` upper-cases labels (ISO3 codes); continent names keep their case.
    """
    vocab: dict[str, int] = {}
    out: list[IntArray] = []
    for column in columns:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        lookup = np.empty(len(uniques) + 1, dtype=np.intp)
        for i, value in enumerate(uniques):
            label = _normalise_label(value, upper)
            lookup[i] = -1 if label is None else vocab.setdefault(label, len(vocab))
        lookup[-1] = -1  # factorize's NA sentinel (-1) indexes this last slot
        out.append(lookup[codes] if len(codes) else np.empty(0, dtype=np.intp))
    return list(vocab), out


def cluster_codes(frame: pd.DataFrame, cluster: str | None) -> tuple[IntArray, int]:
    """Return contiguous cluster codes and their count; a missing id is a cluster of its own."""
    n = len(frame)
    if cluster is None or (cluster == DEFAULT_CLUSTER and cluster not in frame.columns):
        return np.arange(n, dtype=np.intp), n
    if cluster not in frame.columns:
        raise InputError(f"evaluation frame has no cluster column {cluster!r}")
    codes, uniques = pd.factorize(frame[cluster], use_na_sentinel=True)
    codes = np.asarray(codes, dtype=np.intp)
    n_clusters = len(uniques)
    missing = codes < 0
    if missing.any():
        n_missing = int(missing.sum())
        codes[missing] = n_clusters + np.arange(n_missing, dtype=np.intp)
        n_clusters += n_missing
    return codes, n_clusters


class EvalData:
    """Numpy view of one evaluation frame; every metric function receives one of these."""

    def __init__(self, frame: pd.DataFrame, cluster: str | None = DEFAULT_CLUSTER) -> None:
        if not isinstance(frame, pd.DataFrame):
            raise InputError(f"evaluation frame must be a DataFrame, got {type(frame).__name__}")
        self.frame = frame
        self.cluster_column = cluster
        self.n = len(frame)
        self.status = status_codes(frame)
        raw = distance_array(frame)
        # only an OK answer has usable coordinates; an 'invalid_coordinates' row may carry junk
        self.distance_km: FloatArray = np.where(self.status == OK_CODE, raw, np.nan)
        self.cluster, self.n_clusters = cluster_codes(frame, cluster)
        country_cols = [
            frame[c] if c in frame.columns else pd.Series([None] * self.n, dtype=object)
            for c in ("true_country", "pred_country")
        ]
        self.countries, (self.true_country, self.pred_country) = shared_codes(country_cols)
        self._hits: dict[float, FloatArray] = {}

    # -- labels --------------------------------------------------------------------------
    @cached_property
    def _continent_codes(self) -> tuple[list[str], IntArray, IntArray]:
        given = [c in self.frame.columns for c in CONTINENT_COLUMNS]
        # both columns given: the geography lookup is not needed (nor imported)
        derived = [] if all(given) else [continent_of_code(c) for c in self.countries]
        if not any(given):
            # fast path: map country codes to continent codes through a small lookup
            names = sorted({c for c in derived if c is not None})
            index = {name: i for i, name in enumerate(names)}
            lookup = np.array([index.get(c or "", -1) for c in derived] + [-1], dtype=np.intp)
            # country code -1 indexes the trailing -1 of the lookup
            return names, lookup[self.true_country], lookup[self.pred_country]
        by_country = np.asarray([*derived, None], dtype=object)
        sides = []
        for column, country in zip(
            CONTINENT_COLUMNS, (self.true_country, self.pred_country), strict=True
        ):
            in_frame = column in self.frame.columns
            sides.append(self.frame[column] if in_frame else pd.Series(by_country[country]))
        vocab, (true_c, pred_c) = shared_codes(sides, upper=False)
        return vocab, true_c, pred_c

    @property
    def continents(self) -> list[str]:
        """Continent names indexed by the continent codes."""
        return self._continent_codes[0]

    @property
    def true_continent(self) -> IntArray:
        """Code of the true continent per sample (-1 = unknown)."""
        return self._continent_codes[1]

    @property
    def pred_continent(self) -> IntArray:
        """Code of the predicted continent per sample (-1 = none)."""
        return self._continent_codes[2]

    # -- per-sample indicators (float64 so they feed bincount weights directly) ------------
    @cached_property
    def ones(self) -> FloatArray:
        """1.0 per sample."""
        return np.ones(self.n, dtype=np.float64)

    @cached_property
    def is_ok(self) -> BoolArray:
        """The model gave a usable answer (status ok)."""
        return np.asarray(self.status == OK_CODE, dtype=np.bool_)

    @cached_property
    def ok(self) -> FloatArray:
        """1.0 where the status is ok."""
        return self.is_ok.astype(np.float64)

    @cached_property
    def unknown(self) -> FloatArray:
        """1.0 where the model said it cannot tell."""
        return np.asarray(self.status == UNKNOWN_CODE, dtype=np.float64)

    @cached_property
    def refused(self) -> FloatArray:
        """1.0 where the model declined."""
        return np.asarray(self.status == REFUSED_CODE, dtype=np.float64)

    @cached_property
    def error(self) -> FloatArray:
        """1.0 for parse errors, invalid coordinates and API errors."""
        return np.isin(self.status, ERROR_CODES).astype(np.float64)

    @cached_property
    def has_true_country(self) -> FloatArray:
        """1.0 where the truth has a country."""
        return np.asarray(self.true_country >= 0, dtype=np.float64)

    @cached_property
    def correct(self) -> FloatArray:
        """1.0 where an ok answer names the true country."""
        hit = self.is_ok & (self.true_country >= 0) & (self.true_country == self.pred_country)
        return np.asarray(hit, dtype=np.float64)

    @cached_property
    def ok_with_truth(self) -> FloatArray:
        """1.0 where the answer is ok and the truth has a country."""
        return np.asarray(self.is_ok & (self.true_country >= 0), dtype=np.float64)

    @cached_property
    def wrong(self) -> FloatArray:
        """1.0 where an ok answer (with a known true country) is not the true country."""
        return np.asarray(self.ok_with_truth - self.correct, dtype=np.float64)

    @cached_property
    def has_true_continent(self) -> FloatArray:
        """1.0 where the truth has a continent."""
        return np.asarray(self.true_continent >= 0, dtype=np.float64)

    @cached_property
    def continent_correct(self) -> FloatArray:
        """1.0 where an ok answer's country lies on the true continent."""
        true_c = self.true_continent
        hit = self.is_ok & (true_c >= 0) & (true_c == self.pred_continent)
        return np.asarray(hit, dtype=np.float64)

    @cached_property
    def has_coords(self) -> FloatArray:
        """1.0 where the prediction has a usable distance."""
        return np.isfinite(self.distance_km).astype(np.float64)

    @cached_property
    def distance_or_zero(self) -> FloatArray:
        """distance_km with 0 where there is none (numerator of mean_km)."""
        return np.nan_to_num(self.distance_km, nan=0.0)

    @cached_property
    def score_or_zero(self) -> FloatArray:
        """GeoGuessr points per sample; a sample without coordinates scores 0."""
        from analysis.geo.distance import geoguessr_score

        score = np.asarray(geoguessr_score(self.distance_km), dtype=np.float64)
        return np.nan_to_num(score, nan=0.0)

    def hit(self, threshold_km: float) -> FloatArray:
        """1.0 where distance_km <= threshold_km (no coordinates = miss)."""
        key = float(threshold_km)
        if key not in self._hits:
            with np.errstate(invalid="ignore"):
                self._hits[key] = (self.distance_km <= key).astype(np.float64)
        return self._hits[key]


def prepare(frame: pd.DataFrame | EvalData, cluster: str | None = DEFAULT_CLUSTER) -> EvalData:
    """Prepare a frame once for several metric calls (reused as is when already prepared)."""
    if isinstance(frame, EvalData):
        if frame.cluster_column == cluster:
            return frame
        return EvalData(frame.frame, cluster=cluster)
    return EvalData(frame, cluster=cluster)
