"""Prediction importers: generic CSV, the project's JSONL run format, LLMGeo result JSON.

``import_predictions(store, path, options)`` takes the format named by ``fmt`` or the one that
claims the file (``PREDICTION_FORMATS``, read at call time: see ``analysis.importers.formats``).
Every import is atomic (one transaction) and idempotent (same file + same options = no change).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from analysis.errors import InputError
from analysis.importers.formats import FileFormat, as_format, detect, suffix_list
from analysis.importers.stage import ImportOptions, ImportReport
from analysis.registry import Registry
from analysis.store import Store

# An importer reads one file format into a run; adding a format is one module plus one line.
PredictionImporter = Callable[[Store, Path, ImportOptions], ImportReport]
PredictionFormat = FileFormat[PredictionImporter]
PREDICTION_FORMATS: Registry[PredictionFormat] = Registry("prediction format")
PREDICTION_FORMATS.register("csv", PredictionFormat(
    "analysis.importers.generic_csv:import_csv", (".csv", ".tsv", ".txt"),
    description="generic prediction CSV",
))  # fmt: skip
PREDICTION_FORMATS.register("jsonl", PredictionFormat(
    "analysis.importers.runformat:import_jsonl", (".jsonl", ".ndjson"),
    description="GeoScope JSONL run file",
))  # fmt: skip
PREDICTION_FORMATS.register("llmgeo-json", PredictionFormat(
    "analysis.importers.llmgeo_json:import_llmgeo_json", (".json",),
    description="LLMGeo result JSON",
))  # fmt: skip

__all__ = [
    "PREDICTION_FORMATS",
    "PredictionFormat",
    "PredictionImporter",
    "ImportOptions",
    "ImportReport",
    "detect_format",
    "import_predictions",
]


def detect_format(path: Path, fmt: str | None = None) -> str:
    """Return the import format named by ``fmt`` or the registered format that claims the file."""
    names = ", ".join(PREDICTION_FORMATS.names())
    if fmt:
        if fmt not in PREDICTION_FORMATS:
            raise InputError(f"unknown import format {fmt!r}; use one of {names}")
        return fmt
    found = detect(PREDICTION_FORMATS, path)
    if found is None:
        raise InputError(
            f"cannot tell the format of {path.name} from its extension or its first bytes "
            f"(known extensions: {suffix_list(PREDICTION_FORMATS)}); pass --format ({names})"
        )
    return found


def import_predictions(
    store: Store, path: Path, options: ImportOptions, fmt: str | None = None
) -> ImportReport:
    """Import a prediction file as a run (see docs/cli.md for the columns of each format)."""
    kind = detect_format(path, fmt)
    importer: PredictionImporter = as_format(PREDICTION_FORMATS.get(kind)).load()
    return importer(store, path, options)
