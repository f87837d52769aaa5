"""Dataset importers: LLMGeo folder or manifest, generic CSV manifest, EXIF-geotagged photos.

``import_dataset(store, path, name)`` takes ``fmt`` or the format that claims the path (in
``DATASET_FORMATS``, read at call time), validates everything, and writes the dataset in one
transaction. Re-importing the same input (same ``content_hash``) is a no-op.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from analysis.errors import InputError, StoreError
from analysis.importers.formats import FileFormat, as_format, detect
from analysis.importers.limits import ImportLimits
from analysis.importers.source import content_hash
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

DatasetFormat = FileFormat[DatasetReader]


def _is_file(path: Path, head: bytes) -> bool:
    return path.is_file()


def _is_folder(path: Path, head: bytes) -> bool:
    return path.is_dir()


# Adding a dataset format is one module with a reader plus one line here; each format says how
# to recognise its input (see analysis.importers.formats), read when a path is detected.
DATASET_FORMATS: Registry[DatasetFormat] = Registry("dataset format")
DATASET_FORMATS.register("llmgeo", DatasetFormat(
    "analysis.datasets.llmgeo:read_dataset", sniff="analysis.datasets.llmgeo:sniff",
    description="LLMGeo folder or manifest CSV",
))  # fmt: skip
DATASET_FORMATS.register("manifest", DatasetFormat(
    "analysis.datasets.manifest:read_dataset", sniff=_is_file, fallback=True,
    description="CSV manifest (any other file)",
))  # fmt: skip
DATASET_FORMATS.register("exif", DatasetFormat(
    "analysis.datasets.exif:read_dataset", sniff=_is_folder, fallback=True,
    description="folder of EXIF-geotagged photos (any other folder)",
))  # fmt: skip


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
    """Return the registered dataset format that claims ``path`` (a folder or a file)."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    found = detect(DATASET_FORMATS, path)
    if found is None:
        raise InputError(
            f"cannot tell the dataset format of {path}; pass --format "
            f"({', '.join(DATASET_FORMATS.names())})"
        )
    return found


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
    chash = content_hash(path, {"format": kind, **params})
    if store.has_dataset(name):
        info = store.dataset_info(name)
        if info.get("content_hash") == chash:
            datasets = store.list_datasets()
            row = datasets[datasets["name"] == name].iloc[0]  # names are unique in the store
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
    reader: DatasetReader = as_format(DATASET_FORMATS.get(kind)).load()
    table, skipped = reader(path, request)
    meta = DatasetMeta(
        name=name, kind=kind, source=str(path.resolve()), content_hash=chash,
        description=description or f"{kind} dataset imported from {path.name}",
    )  # fmt: skip
    store.ingest_dataset(meta, table, replace=replace)
    n, n_locations, n_countries = _counts(table)
    return DatasetReport(name, kind, n, n_locations, n_countries, skipped=skipped)


__all__ = [
    "DATASET_FORMATS",
    "DatasetFormat",
    "DatasetReader",
    "DatasetReport",
    "ReadRequest",
    "detect_dataset_format",
    "import_dataset",
]
