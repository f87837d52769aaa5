"""Page state <-> URL query parameters, so a copied link reproduces the view.

Decoding is forgiving: a bad number or an unknown status in a hand-edited URL is dropped, never
raised, because a link must always open a page. Names that must exist (runs, datasets) are checked
against the store by ``resolve_names``, which also reports what it dropped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from analysis.types import PredictionStatus

STATUS_VALUES: tuple[str, ...] = tuple(s.value for s in PredictionStatus)
OUTCOMES: tuple[str, ...] = ("all", "correct", "wrong")

ParamValue = str | list[str]


@dataclass(frozen=True)
class ViewState:
    """Everything a link must carry: dataset, runs, map filters, selection, presentation."""

    dataset: str | None = None
    runs: tuple[str, ...] = ()
    true_countries: tuple[str, ...] = ()
    pred_country: str | None = None
    continents: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    outcome: str = "all"
    err_min_km: float | None = None
    err_max_km: float | None = None
    headings: tuple[int, ...] = ()
    sample: str | None = None
    run_a: str | None = None
    run_b: str | None = None
    metric: str | None = None
    present: bool = False

    def with_(self, **changes: Any) -> ViewState:
        """Return a copy with some fields changed."""
        return replace(self, **changes)

    def to_params(self) -> dict[str, ParamValue]:
        """Encode non-default fields as query parameters (lists become repeated keys)."""
        out: dict[str, ParamValue] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value == f.default or value is None:
                continue
            key = _KEYS[f.name]
            if isinstance(value, tuple):
                out[key] = [_fmt(v) for v in value]
            elif isinstance(value, bool):
                out[key] = "1"
            else:
                out[key] = _fmt(value)
        return out

    @classmethod
    def from_params(cls, params: Mapping[str, str | Sequence[str]]) -> ViewState:
        """Decode query parameters, dropping values that cannot be read."""

        def many(key: str) -> list[str]:
            raw = params.get(key, [])
            values = [raw] if isinstance(raw, str) else list(raw)
            return [v.strip() for v in values if v is not None and v.strip()]

        def one(key: str) -> str | None:
            values = many(key)
            return values[-1] if values else None

        outcome = one(_KEYS["outcome"])
        return cls(
            dataset=one(_KEYS["dataset"]),
            runs=_unique(many(_KEYS["runs"])),
            true_countries=_unique(v.upper() for v in many(_KEYS["true_countries"])),
            pred_country=(one(_KEYS["pred_country"]) or "").upper() or None,
            continents=_unique(many(_KEYS["continents"])),
            statuses=_unique(v for v in many(_KEYS["statuses"]) if v in STATUS_VALUES),
            outcome=outcome if outcome in OUTCOMES else "all",
            err_min_km=_float(one(_KEYS["err_min_km"])),
            err_max_km=_float(one(_KEYS["err_max_km"])),
            headings=tuple(
                sorted({h for h in map(_int, many(_KEYS["headings"])) if h is not None})
            ),
            sample=one(_KEYS["sample"]),
            run_a=one(_KEYS["run_a"]),
            run_b=one(_KEYS["run_b"]),
            metric=one(_KEYS["metric"]),
            present=(one(_KEYS["present"]) or "").lower() in {"1", "true", "yes", "on"},
        )


_KEYS: dict[str, str] = {
    "dataset": "dataset",
    "runs": "runs",
    "true_countries": "country",
    "pred_country": "predicted",
    "continents": "continent",
    "statuses": "status",
    "outcome": "outcome",
    "err_min_km": "min_km",
    "err_max_km": "max_km",
    "headings": "heading",
    "sample": "sample",
    "run_a": "a",
    "run_b": "b",
    "metric": "metric",
    "present": "present",
}
PARAM_KEYS: frozenset[str] = frozenset(_KEYS.values())


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _float(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def _int(text: str) -> int | None:
    try:
        return int(float(text))
    except ValueError:
        return None


def resolve_names(requested: Sequence[str], known: Sequence[str]) -> tuple[list[str], list[str]]:
    """Split requested names into (known ones in request order, unknown ones).

    A value that is not a name but whose comma-separated parts all are (``?runs=a,b`` typed by
    hand) is expanded into those parts.
    """
    known_set = set(known)
    found: list[str] = []
    missing: list[str] = []
    for name in requested:
        if name in known_set:
            found.append(name)
            continue
        parts = [p.strip() for p in name.split(",") if p.strip()]
        if len(parts) > 1 and all(p in known_set for p in parts):
            found.extend(parts)
        else:
            missing.append(name)
    return list(dict.fromkeys(found)), missing
