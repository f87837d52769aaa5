"""Dataset importers: LLMGeo folder or manifest, generic CSV manifest, EXIF-geotagged photos.

``import_dataset(store, path, name)`` detects the format (or takes ``fmt``), validates
everything, and writes the dataset in one transaction. Re-importing the same input is a no-op.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa

from analysis.errors import InputError, StoreError
from analysis.store import DatasetMeta, Store
from analysis.store.samples import normalize_samples

FORMATS = ("llmgeo", "manifest", "exif")


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
) -> DatasetReport:
    """Import a dataset from ``path`` under ``name``; atomic and idempotent."""
    kind = fmt or detect_dataset_format(path)
    if kind not in FORMATS:
        raise InputError(f"unknown dataset format {kind!r}; use one of {', '.join(FORMATS)}")
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
    skipped: tuple[str, ...] = ()
    if kind == "llmgeo":
        from analysis.datasets.llmgeo import read_manifest, scan_folder

        if path.is_dir():
            frame, skipped_list = scan_folder(path, split)
            skipped = tuple(skipped_list)
        else:
            frame = read_manifest(path, image_root, split)
        if hash_images:
            frame = _with_hashes(frame)
        table = normalize_samples(frame)
    elif kind == "manifest":
        from analysis.datasets.manifest import read_manifest_csv

        table = read_manifest_csv(path, column_map, image_root, hash_images)
    else:
        from analysis.datasets.exif import scan_photos

        scan = scan_photos(path, hash_images)
        table, skipped = normalize_samples(scan.samples), scan.skipped
    meta = DatasetMeta(
        name=name, kind=kind, source=str(path.resolve()), content_hash=chash,
        description=description or f"{kind} dataset imported from {path.name}",
    )  # fmt: skip
    store.ingest_dataset(meta, table, replace=replace)
    n, n_locations, n_countries = _counts(table)
    return DatasetReport(name, kind, n, n_locations, n_countries, skipped=skipped)


def _with_hashes(frame: pd.DataFrame) -> pd.DataFrame:
    from analysis.datasets.manifest import sha256_file

    hashes = [
        sha256_file(Path(p)) if isinstance(p, str) and Path(p).is_file() else None
        for p in frame["image_path"]
    ]
    return frame.assign(image_sha256=hashes)


__all__ = ["FORMATS", "DatasetReport", "detect_dataset_format", "import_dataset"]
