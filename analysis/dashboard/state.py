"""Page state <-> URL query parameters, so a copied link reproduces the view.

Decoding is forgiving: a bad number or an unknown status in a hand-edited URL is dropped, never
raised, because a link must always open a page. Names that must exist (runs, datasets) are checked
against the store by ``resolve_names``, which also reports what it dropped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

from analysis.types import PredictionStatus

STATUS_VALUES: tuple[str, ...] = tuple(s.value for s in PredictionStatus)
OUTCOMES: tuple[str, ...] = ("all", "correct", "wrong")
# which error lines the failure map draws: a slide reads 20 lines, not 250
LINE_MODES: tuple[str, ...] = ("worst", "country", "selection", "all")
LARGE_MODES: tuple[str, ...] = ("sample", "aggregate")
GALLERY_SORTS: tuple[str, ...] = ("worst", "best")
SLICE_BY: tuple[str, ...] = ("true_country", "true_continent", "heading")
WORST_N_RANGE = (1, 500)
GALLERY_N_RANGE = (4, 200)
# countries page: confusion matrix level, size (0 = every country in the data) and order
CONFUSION_LEVELS: tuple[str, ...] = ("country", "continent")
MATRIX_ORDERS: tuple[str, ...] = ("continent", "confusion", "frequency")
MATRIX_TOP_RANGE = (0, 300)

ParamValue = str | list[str]
Kind = Literal["str", "strs", "int", "ints", "km", "bool"]


@dataclass(frozen=True)
class Param:
    """How one ViewState field travels in the URL: its key, kind and allowed values."""

    key: str
    kind: Kind = "str"
    choices: tuple[str, ...] | None = None
    upper: bool = False
    bounds: tuple[int, int] | None = None


@dataclass(frozen=True)
class ViewState:
    """Everything a link must carry: dataset, runs, filters, map/gallery/compare controls.

    Adding a control is one field here plus one ``PARAMS`` entry: encoding and forgiving
    decoding follow from the entry's kind.
    """

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
    lines: str = "worst"
    worst_n: int = 20
    line_country: str | None = None
    large: str = "sample"
    sort: str = "worst"
    gallery_n: int = 24
    slice_by: str = "true_country"
    lb_datasets: tuple[str, ...] = ()
    level: str = "country"
    matrix_top: int = 0
    matrix_order: str = "continent"
    clue: str | None = None  # clues page: the category whose answers are listed
    judge: str | None = None  # clues page: the judge whose reading is shown (None: the rules)
    box: str | None = None  # map area "south,north,west,east" in degrees (see filters.parse_box)
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
            key = PARAMS[f.name].key
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
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = params.get(PARAMS[f.name].key, [])
            texts = [raw] if isinstance(raw, str) else list(raw)
            decoded = _decode(PARAMS[f.name], [t.strip() for t in texts if t and t.strip()])
            if decoded is not None:
                values[f.name] = decoded
        return cls(**values)


PARAMS: dict[str, Param] = {
    "dataset": Param("dataset"),
    "runs": Param("runs", "strs"),
    "true_countries": Param("country", "strs", upper=True),
    "pred_country": Param("predicted", upper=True),
    "continents": Param("continent", "strs"),
    "statuses": Param("status", "strs", choices=STATUS_VALUES),
    "outcome": Param("outcome", choices=OUTCOMES),
    "err_min_km": Param("min_km", "km"),
    "err_max_km": Param("max_km", "km"),
    "headings": Param("heading", "ints"),
    "sample": Param("sample"),
    "run_a": Param("a"),
    "run_b": Param("b"),
    "metric": Param("metric"),
    "lines": Param("lines", choices=LINE_MODES),
    "worst_n": Param("worst", "int", bounds=WORST_N_RANGE),
    "line_country": Param("line_country", upper=True),
    "large": Param("large", choices=LARGE_MODES),
    "sort": Param("sort", choices=GALLERY_SORTS),
    "gallery_n": Param("n", "int", bounds=GALLERY_N_RANGE),
    "slice_by": Param("slice", choices=SLICE_BY),
    "lb_datasets": Param("datasets", "strs"),
    "level": Param("level", choices=CONFUSION_LEVELS),
    "matrix_top": Param("top", "int", bounds=MATRIX_TOP_RANGE),
    "matrix_order": Param("order", choices=MATRIX_ORDERS),
    "clue": Param("clue"),
    "judge": Param("judge"),
    "box": Param("box"),
    "present": Param("present", "bool"),
}
PARAM_KEYS: frozenset[str] = frozenset(p.key for p in PARAMS.values())
# kept for callers of the first version of this module
_KEYS: dict[str, str] = {name: p.key for name, p in PARAMS.items()}


def _decode(spec: Param, texts: list[str]) -> Any:
    """Decode one field's URL values; None means "use the default"."""
    if spec.upper:
        texts = [t.upper() for t in texts]
    if spec.choices is not None:
        texts = [t for t in texts if t in spec.choices]
    if spec.kind == "strs":
        return _unique(texts)
    if spec.kind == "ints":
        return tuple(sorted({i for i in map(_int, texts) if i is not None}))
    if not texts:
        return None
    last = texts[-1]
    if spec.kind == "bool":
        return last.lower() in {"1", "true", "yes", "on"}
    if spec.kind == "km":
        return _float(last)
    if spec.kind == "int":
        number = _int(last)
        if number is None or spec.bounds is None:
            return number
        return min(max(number, spec.bounds[0]), spec.bounds[1])
    return last


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
