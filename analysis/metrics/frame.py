"""Evaluation frames: validate them, fill missing distances, attach continents.

An evaluation frame has one row per (run, sample) and the columns listed in ``FRAME_COLUMNS``
(see docs/architecture.md). Only ``status`` and a way to get distances (``distance_km`` or the
four coordinate columns) are strictly required; a frame without country columns simply gets NaN
country metrics.
"""

from __future__ import annotations

from enum import Enum

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.errors import InputError
from analysis.types import FRAME_COLUMNS, PredictionStatus

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

COORD_COLUMNS = ("true_lat", "true_lon", "pred_lat", "pred_lon")
CONTINENT_COLUMNS = ("true_continent", "pred_continent")

# Status codes used internally: position in PredictionStatus (OK = 0).
STATUS_ORDER: tuple[PredictionStatus, ...] = tuple(PredictionStatus)
STATUS_CODE: dict[str, int] = {s.value: i for i, s in enumerate(STATUS_ORDER)}
OK_CODE = STATUS_CODE[PredictionStatus.OK.value]
UNKNOWN_CODE = STATUS_CODE[PredictionStatus.UNKNOWN.value]
REFUSED_CODE = STATUS_CODE[PredictionStatus.REFUSED.value]
ERROR_CODES = tuple(
    STATUS_CODE[s.value]
    for s in (
        PredictionStatus.PARSE_ERROR,
        PredictionStatus.INVALID_COORDINATES,
        PredictionStatus.API_ERROR,
    )
)


def _as_text(value: object) -> str:
    return str(value.value) if isinstance(value, Enum) else str(value)


def status_codes(frame: pd.DataFrame) -> npt.NDArray[np.int8]:
    """Return the status column as int8 codes (index in PredictionStatus); raise on bad values."""
    if "status" not in frame.columns:
        raise InputError("evaluation frame has no 'status' column")
    codes, uniques = pd.factorize(frame["status"], use_na_sentinel=True)
    if len(codes) and int(codes.min(initial=0)) < 0:
        missing = int((codes < 0).sum())
        raise InputError(f"evaluation frame: status is missing in {missing} row(s)")
    lookup = np.empty(len(uniques), dtype=np.int8)
    bad: list[str] = []
    for i, value in enumerate(uniques):
        code = STATUS_CODE.get(_as_text(value))
        if code is None:
            bad.append(repr(value))
            code = -1
        lookup[i] = code
    if bad:
        allowed = ", ".join(STATUS_CODE)
        raise InputError(f"evaluation frame: unknown status {', '.join(bad)}; allowed: {allowed}")
    return lookup[codes] if len(codes) else np.empty(0, dtype=np.int8)


def _float_column(frame: pd.DataFrame, name: str) -> FloatArray:
    try:
        return np.asarray(pd.to_numeric(frame[name], errors="raise"), dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(f"evaluation frame: column {name!r} is not numeric ({exc})") from None


def distance_array(frame: pd.DataFrame) -> FloatArray:
    """Return distance_km as float64, computed from coordinates where the column lacks it."""
    has_coords = all(c in frame.columns for c in COORD_COLUMNS)
    if "distance_km" in frame.columns:
        distance = _float_column(frame, "distance_km").copy()
        missing = np.isnan(distance)
        if has_coords and missing.any():
            idx = np.flatnonzero(missing)
            sub = frame.iloc[idx]
            distance[idx] = _haversine(*(_float_column(sub, c) for c in COORD_COLUMNS))
    elif has_coords:
        distance = _haversine(*(_float_column(frame, c) for c in COORD_COLUMNS))
    else:
        raise InputError(
            "evaluation frame needs 'distance_km' or all of " + ", ".join(COORD_COLUMNS)
        )
    finite_or_nan = np.isfinite(distance) | np.isnan(distance)
    if not finite_or_nan.all() or (distance < 0).any():
        bad = int((~finite_or_nan).sum() + (distance < 0).sum())
        raise InputError(f"evaluation frame: {bad} distance_km value(s) are negative or infinite")
    return distance


def _haversine(
    lat1: FloatArray, lon1: FloatArray, lat2: FloatArray, lon2: FloatArray
) -> FloatArray:
    from analysis.geo.distance import haversine_km

    return np.asarray(haversine_km(lat1, lon1, lat2, lon2), dtype=np.float64)


def evaluation_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate an evaluation frame and return a copy with distance_km filled from coordinates."""
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"evaluation frame must be a pandas DataFrame, got {type(frame).__name__}")
    status_codes(frame)
    out = frame.copy()
    out["distance_km"] = distance_array(frame)
    for column in FRAME_COLUMNS:
        if column not in out.columns:
            out[column] = None
    return out


def continent_of_code(iso3: str | None) -> str | None:
    """Return the continent of an ISO3 code via analysis.geo.countries (None when unknown)."""
    from analysis.geo.countries import continent_of

    return continent_of(iso3)


def continents_for(countries: pd.Series) -> pd.Series:
    """Map a Series of ISO3 codes to continents (None where unknown), one lookup per code."""
    codes, uniques = pd.factorize(countries, use_na_sentinel=True)
    mapped = [continent_of_code(_as_text(u).strip().upper()) for u in uniques] + [None]
    values = np.asarray(mapped, dtype=object)[codes]
    return pd.Series(values, index=countries.index, dtype=object)


def add_continents(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of the frame with true_continent / pred_continent added where missing."""
    out = frame.copy()
    pairs = zip(("true_country", "pred_country"), CONTINENT_COLUMNS, strict=True)
    for country_col, continent_col in pairs:
        if continent_col in out.columns:
            continue
        if country_col in out.columns:
            out[continent_col] = continents_for(out[country_col])
        else:
            out[continent_col] = None
    return out
