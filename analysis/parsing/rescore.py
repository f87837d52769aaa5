"""Re-read stored raw replies with the current parser: which rows would change, and how.

Pure: rows in, changed predictions out. The store-facing side (which run, refusing runs of
structured adapters, writing the changes in one transaction) is ``analysis.runner.rescore``.
Rows kept as they are: ``api_error`` (there is no reply to read) and rows without a stored raw
reply (runs imported from files that only carry the final prediction).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysis.parsing import parse_answers
from analysis.types import CoordsSource, ParsedAnswer, Prediction, PredictionStatus

_COORD_TOLERANCE_DEG = 1e-9


def opt(value: Any) -> Any:
    """Return None for the missing markers pandas uses (None, NaN, NA, NaT)."""
    if value is None:
        return None
    try:
        missing = bool(pd.isna(value))
    except (TypeError, ValueError):  # a list-like value: not a missing marker
        return value
    return None if missing else value


def _opt_float(value: Any) -> float | None:
    value = opt(value)
    return None if value is None else float(value)


def _opt_int(value: Any) -> int | None:
    value = opt(value)
    return None if value is None else int(value)


def _same_float(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=0.0, abs_tol=_COORD_TOLERANCE_DEG)


def _changed(row: Mapping[str, Any], parsed: ParsedAnswer) -> bool:
    source = None if parsed.coords_source is None else str(parsed.coords_source)
    return (
        str(row["status"]) != str(parsed.status)
        or opt(row["pred_country"]) != parsed.country_iso3
        or opt(row["coords_source"]) != source
        or not _same_float(_opt_float(row["pred_lat"]), parsed.lat)
        or not _same_float(_opt_float(row["pred_lon"]), parsed.lon)
    )


def rescore_rows(
    rows: list[dict[str, Any]],
) -> tuple[list[Prediction], Counter[str], Counter[tuple[str, str]]]:
    """Re-parse ``rows`` (run_frame(with_raw=True) records); return the changed predictions."""
    changed: list[Prediction] = []
    counts: Counter[str] = Counter()
    transitions: Counter[tuple[str, str]] = Counter()
    todo: list[dict[str, Any]] = []
    for row in rows:
        if str(row["status"]) == PredictionStatus.API_ERROR:
            counts["api_error"] += 1
        elif opt(row["raw_response"]) is None:
            counts["no_raw"] += 1
        else:
            todo.append(row)
    counts["reparsed"] = len(todo)
    readings = parse_answers(str(row["raw_response"]) for row in todo)
    for row, parsed in zip(todo, readings, strict=True):
        status, raw = str(row["status"]), str(row["raw_response"])
        if not _changed(row, parsed):
            continue
        transitions[(status, str(parsed.status))] += 1
        changed.append(
            Prediction(
                sample_id=str(row["sample_id"]),
                raw_response=str(raw),
                status=parsed.status,
                pred_country=parsed.country_iso3,
                pred_lat=parsed.lat,
                pred_lon=parsed.lon,
                coords_source=CoordsSource(parsed.coords_source) if parsed.coords_source else None,
                latency_ms=_opt_float(row.get("latency_ms")),
                input_tokens=_opt_int(row.get("input_tokens")),
                output_tokens=_opt_int(row.get("output_tokens")),
                cost_usd=_opt_float(row.get("cost_usd")),
                error=opt(row.get("error")),
            )
        )
    return changed, counts, transitions
