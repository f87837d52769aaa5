"""Dataset importers: LLMGeo folder or manifest, generic CSV manifest, EXIF-geotagged photos.

``import_dataset(store, path, name)`` detects the format (or takes ``fmt``), validates
everything, and writes the dataset in one transaction. Re-importing the same input is a no-op.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from analysis.errors import InputError, StoreError
from analysis.importers.limits import ImportLimits
from analysis.registry import Registry
from analysis.store import DatasetMeta, Store


@dataclass(frozen=True)
class ReadRequest:
    """What every dataset reader is given besides the path."""

    split: str | None = None
    column_map: Mapping[str, str] = field(default_factory=dict)
    image_root: Path | None = None
    hash_images: bool = True
    limits: ImportLimits = ImportLimits()


# A reader turns a path into normalised samples plus the files it skipped (with the reason).
DatasetReader = Callable[[Path, ReadRequest], tuple[pa.Table, tuple[str, ...]]]

# Adding a dataset format is one module with a reader plus one line here.
DATASET_FORMATS: Registry[DatasetReader] = Registry("dataset format")
DATASET_FORMATS.register("llmgeo", "analysis.datasets.llmgeo:read_dataset")
DATASET_FORMATS.register("manifest", "analysis.datasets.manifest:read_dataset")
DATASET_FORMATS.register("exif", "analysis.datasets.exif:read_dataset")
FORMATS = tuple(DATASET_FORMATS.names())


@dataclass(frozen=True)
class DatasetReport:
    """What ``import_dataset`` did; ``skipped`` lists files left out, with the reason."""

    name: str
    kind: str
    n_samples: int
    n_locations: int
    n_countries: int
    unchanged: bool = False
    skipped: tuple[str, ...] = ()


def detect_dataset_format(path: Path) -> str:
    """Guess the dataset format: LLMGeo folder/manifest, CSV manifest or EXIF photo folder."""
    from analysis.datasets.llmgeo import is_llmgeo_manifest, is_llmgeo_name

    if path.is_dir():
        for child in path.rglob("*"):
            if child.is_file() and is_llmgeo_name(child.name):
                return "llmgeo"
        return "exif"
    if path.is_file():
        with path.open(encoding="utf-8", errors="replace") as fh:
            header = fh.readline().strip().split(",")
        return "llmgeo" if is_llmgeo_manifest(header) else "manifest"
    raise InputError(f"{path}: no such file or folder")


def _input_hash(path: Path, fmt: str, params: Mapping[str, object]) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps({"format": fmt, **params}, sort_keys=True, default=str).encode())
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        digest.update(file.relative_to(path).as_posix().encode() if path.is_dir() else b"")
        stat = file.stat()
        with file.open("rb") as fh:
            while chunk := fh.read(1024 * 1024):
                digest.update(chunk)
        digest.update(str(stat.st_size).encode())
    return digest.hexdigest()


def _counts(table: pa.Table) -> tuple[int, int, int]:
    frame = table.select(["location_id", "true_country"]).to_pandas()
    return len(frame), int(frame["location_id"].nunique()), int(frame["true_country"].nunique())


def import_dataset(
    store: Store,
    path: Path,
    name: str,
    fmt: str | None = None,
    *,
    split: str | None = None,
    column_map: Mapping[str, str] | None = None,
    image_root: Path | None = None,
    hash_images: bool = True,
    replace: bool = False,
    description: str | None = None,
    limits: ImportLimits | None = None,
) -> DatasetReport:
    """Import a dataset from ``path`` under ``name``; atomic and idempotent."""
    kind = fmt or detect_dataset_format(path)
    if kind not in DATASET_FORMATS:
        raise InputError(
            f"unknown dataset format {kind!r}; use one of {', '.join(DATASET_FORMATS.names())}"
        )
    params = {"split": split, "map": dict(column_map or {}), "root": str(image_root or "")}
    chash = _input_hash(path, kind, params)
    if store.has_dataset(name):
        info = store.dataset_info(name)
        if info.get("content_hash") == chash:
            row = store.list_datasets().set_index("name").loc[name]
            return DatasetReport(name, kind, int(row["n_samples"]), int(row["n_locations"]),
                                 int(row["n_countries"]), unchanged=True)  # fmt: skip
        if not replace:
            raise StoreError(
                f"dataset {name!r} already exists with other content (from {info.get('source')}); "
                f"pass --replace to overwrite it or choose another --name"
            )
    request = ReadRequest(
        split, dict(column_map or {}), image_root, hash_images, limits or ImportLimits()
    )
    table, skipped = DATASET_FORMATS.get(kind)(path, request)
    meta = DatasetMeta(
        name=name, kind=kind, source=str(path.resolve()), content_hash=chash,
        description=description or f"{kind} dataset imported from {path.name}",
    )  # fmt: skip
    store.ingest_dataset(meta, table, replace=replace)
    n, n_locations, n_countries = _counts(table)
    return DatasetReport(name, kind, n, n_locations, n_countries, skipped=skipped)


__all__ = [
    "DATASET_FORMATS",
    "FORMATS",
    "DatasetReader",
    "DatasetReport",
    "ReadRequest",
    "detect_dataset_format",
    "import_dataset",
]
