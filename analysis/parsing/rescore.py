"""Re-parse the stored raw replies of a run with the current parser; no model is called.

Only rows whose reading changes are rewritten, in one transaction (``Store.add_predictions``
replaces rows by sample id), so a rescore interrupted half-way leaves the run as it was.
Rows kept as they are: ``api_error`` (there is no reply to read) and rows without a stored raw
reply (runs imported from files that only carry the final prediction). Runs of adapters that
answer with structured predictions rather than text (retrieval, geoclip) are refused.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from analysis.errors import InputError
from analysis.parsing import parse_answers
from analysis.types import CoordsSource, ParsedAnswer, Prediction, PredictionStatus

if TYPE_CHECKING:
    from analysis.store import Store

STRUCTURED_ADAPTERS = frozenset({"retrieval", "geoclip"})
_COORD_TOLERANCE_DEG = 1e-9


@dataclass(frozen=True)
class RescoreReport:
    """What a rescore found and changed."""

    run: str
    n_rows: int
    n_reparsed: int
    n_changed: int
    n_skipped_api_error: int
    n_skipped_no_raw: int
    written: bool
    transitions: Mapping[tuple[str, str], int] = field(default_factory=dict)  # (old, new) status
    dry_run: bool = False

    def summary(self) -> str:
        """Return a few human-readable lines."""
        # Keyed on dry_run, not written: a real rescore with nothing to change rewrote 0.
        verb = "would rewrite" if self.dry_run else "rewrote"
        lines = [
            (
                f"run {self.run!r}: {self.n_rows} predictions, {self.n_reparsed} re-parsed, "
                f"{verb} {self.n_changed}; kept {self.n_skipped_api_error} api_error and "
                f"{self.n_skipped_no_raw} without a raw reply"
            )
        ]
        for (old, new), count in sorted(self.transitions.items(), key=lambda kv: -kv[1]):
            lines.append(f"  {old} -> {new}: {count}")
        return "\n".join(lines)


def _opt(value: Any) -> Any:
    """Return None for the missing markers pandas uses (None, NaN, NA, NaT)."""
    if value is None:
        return None
    import pandas as pd  # already loaded: the rows come from a DataFrame

    try:
        missing = bool(pd.isna(value))
    except (TypeError, ValueError):  # a list-like value: not a missing marker
        return value
    return None if missing else value


def _opt_float(value: Any) -> float | None:
    value = _opt(value)
    return None if value is None else float(value)


def _opt_int(value: Any) -> int | None:
    value = _opt(value)
    return None if value is None else int(value)


def _same_float(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=0.0, abs_tol=_COORD_TOLERANCE_DEG)


def _changed(row: Mapping[str, Any], parsed: ParsedAnswer) -> bool:
    source = None if parsed.coords_source is None else str(parsed.coords_source)
    return (
        str(row["status"]) != str(parsed.status)
        or _opt(row["pred_country"]) != parsed.country_iso3
        or _opt(row["coords_source"]) != source
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
        elif _opt(row["raw_response"]) is None:
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
                error=_opt(row.get("error")),
            )
        )
    return changed, counts, transitions


def rescore_run(store: Store, run: str, *, dry_run: bool = False) -> RescoreReport:
    """Re-parse every stored raw reply of ``run`` and rewrite the predictions that change."""
    info = store.run_info(run)  # NotFoundError for an unknown run
    adapter = _opt(info.get("adapter"))
    if adapter in STRUCTURED_ADAPTERS:
        raise InputError(
            f"run {run!r} was made by the {adapter!r} adapter, which answers with structured "
            "predictions, not text: there is nothing to re-parse"
        )
    frame = store.run_frame(run, with_raw=True)
    rows: list[dict[str, Any]] = frame.to_dict("records")
    changed, counts, transitions = rescore_rows(rows)
    if changed and not dry_run:
        store.add_predictions(run, changed)
    return RescoreReport(
        run=run,
        n_rows=len(rows),
        n_reparsed=counts["reparsed"],
        n_changed=len(changed),
        n_skipped_api_error=counts["api_error"],
        n_skipped_no_raw=counts["no_raw"],
        written=bool(changed) and not dry_run,
        transitions=dict(transitions),
        dry_run=dry_run,
    )
