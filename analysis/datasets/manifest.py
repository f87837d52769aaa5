"""A CSV manifest of images with ground truth: ``sample_id, lat, lon`` (+ optional columns).

Optional: country (ISO2, ISO3 or a name; from the polygons when absent), image_path (relative to
the manifest's folder or ``image_root``), heading, location_id, split. ``true_lat``/``true_lon``/
``true_country`` are accepted as the same columns; ``--map NEW=OLD`` renames others. The same
checks as prediction imports apply (ranges, radians, duplicates, footer lines, UTF-8).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from analysis.errors import ImportValidationError
from analysis.importers import validate
from analysis.importers.limits import ImportLimits
from analysis.importers.source import (
    check_csv_structure,
    csv_columns,
    fingerprint_file,
    renamed_columns,
)
from analysis.importers.stage import refused, stage_csv_file, stage_new_samples

if TYPE_CHECKING:
    from analysis.datasets import ReadRequest

_ALIASES = {"lat": "true_lat", "lon": "true_lon", "country": "true_country"}


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest_csv(
    path: Path,
    column_map: Mapping[str, str] | None = None,
    image_root: Path | None = None,
    hash_images: bool = True,
    limits: ImportLimits | None = None,
) -> pa.Table:
    """Validate a manifest CSV and return its samples (``analysis.store.SAMPLE_COLUMNS``).

    Image paths are stored absolute: a relative one is taken relative to ``image_root`` or,
    by default, the manifest's folder, whatever the current directory is.
    """
    limits = limits or ImportLimits()
    fingerprint_file(path, limits)
    check_csv_structure(path, limits)
    con = duckdb.connect(":memory:")
    try:
        columns = csv_columns(con, path)
        mapping = renamed_columns(columns, dict(column_map or {}), path.name)
        for short, canonical in _ALIASES.items():
            if short in mapping and canonical not in mapping:
                mapping[canonical] = mapping[short]
        missing = [c for c in ("sample_id", "true_lat", "true_lon") if c not in mapping]
        if missing:
            names = ", ".join(c.removeprefix("true_") for c in missing)
            msg = (
                f"{path.name}: missing columns {names} (columns in the file: {', '.join(columns)})"
            )
            raise ImportValidationError(msg, problems=[msg])
        present, fast = stage_csv_file(con, path, columns, mapping)
        info = validate.StageInfo(source=path.name, columns=present, limits=limits)
        if (row := con.execute("SELECT count(*) FROM typed").fetchall()) and not row[0][0]:
            msg = f"{path.name} has a header but no data rows"
            raise ImportValidationError(msg, problems=[msg])
        problems = [] if fast else validate.non_numeric(con, info)
        problems += validate.validate_typed(con, info)
        total, rows = validate.listing(
            con, info, "", "NOT _summary AND (true_lat IS NULL OR true_lon IS NULL)", "typed"
        )
        if total:
            problems.append(f"{rows}: lat/lon is empty (every sample needs its true location)")
        if problems:
            raise refused(path.name, problems)
        stage_new_samples(con, info)
        samples = con.sql("SELECT * FROM final_samples").to_arrow_table()
    finally:
        con.close()
    root = image_root or path.parent
    paths = [None if p is None else absolute_image_path(root, p) for p in
             samples["image_path"].to_pylist()]  # fmt: skip
    hashes = [
        sha256_file(Path(p)) if hash_images and p is not None and Path(p).is_file() else None
        for p in paths
    ]
    samples = samples.set_column(
        samples.schema.get_field_index("image_path"), "image_path", pa.array(paths, pa.string())
    )
    samples = samples.set_column(
        samples.schema.get_field_index("image_sha256"),
        "image_sha256",
        pa.array(hashes, pa.string()),
    )
    return samples


def absolute_image_path(root: Path, image_path: str) -> str:
    """Return ``image_path`` (absolute, or relative to ``root``) as an absolute POSIX path.

    ``root`` itself may be relative (to the current directory): the stored path must not be,
    or a later command run from another folder would look for the image in the wrong place.
    """
    return Path(os.path.abspath(root / image_path)).as_posix()  # abspath folds "..", keeps links


def read_dataset(path: Path, request: ReadRequest) -> tuple[pa.Table, tuple[str, ...]]:
    """Read a CSV manifest into normalised samples (nothing is skipped: bad rows refuse)."""
    table = read_manifest_csv(
        path, request.column_map, request.image_root, request.hash_images, request.limits
    )
    return table, ()
