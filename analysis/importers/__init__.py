"""Prediction importers: generic CSV, the project's JSONL run format, LLMGeo result JSON.

``import_predictions(store, path, options)`` picks the format from the extension (or ``fmt``).
Every import is atomic (one transaction) and idempotent (same file + same options = no change).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from analysis.errors import InputError
from analysis.registry import Registry
from analysis.importers.stage import ImportOptions, ImportReport
from analysis.store import Store

# An importer reads one file format into a run; adding a format is one module plus one line.
PredictionImporter = Callable[[Store, Path, ImportOptions], ImportReport]
PREDICTION_FORMATS: Registry[PredictionImporter] = Registry("prediction format")
PREDICTION_FORMATS.register("csv", "analysis.importers.generic_csv:import_csv")
PREDICTION_FORMATS.register("jsonl", "analysis.importers.runformat:import_jsonl")
PREDICTION_FORMATS.register("llmgeo-json", "analysis.importers.llmgeo_json:import_llmgeo_json")
FORMATS = tuple(PREDICTION_FORMATS.names())
_BY_SUFFIX = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "llmgeo-json",
}

__all__ = [
    "FORMATS",
    "PREDICTION_FORMATS",
    "PredictionImporter",
    "ImportOptions",
    "ImportReport",
    "detect_format",
    "import_predictions",
]


def detect_format(path: Path, fmt: str | None = None) -> str:
    """Return the import format named by ``fmt`` or implied by the file extension."""
    if fmt:
        if fmt not in FORMATS:
            raise InputError(f"unknown import format {fmt!r}; use one of {', '.join(FORMATS)}")
        return fmt
    found = _BY_SUFFIX.get(path.suffix.lower())
    if found is None:
        raise InputError(
            f"cannot tell the format of {path.name} from its extension; pass --format "
            f"({', '.join(FORMATS)})"
        )
    return found


def import_predictions(
    store: Store, path: Path, options: ImportOptions, fmt: str | None = None
) -> ImportReport:
    """Import a prediction file as a run (see docs/cli.md for the columns of each format)."""
    kind = detect_format(path, fmt)
    return PREDICTION_FORMATS.get(kind)(store, path, options)
