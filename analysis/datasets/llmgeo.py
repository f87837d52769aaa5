"""The LLMGeo layout: ``…/{split}/h{heading}/{iso3 lower}/{LON}_{LAT}_h{H}_p0_f90.jpg``.

Longitude comes FIRST in the file name; ``parse_llmgeo_path`` is the one place that reads it.
The same place photographed under several headings shares the lon/lat text of its file names,
which becomes the ``location_id`` (bootstrap CIs resample locations, not images).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from analysis.errors import ImportValidationError, InputError
from analysis.importers.limits import ImportLimits
from analysis.importers.source import check_csv_structure, fingerprint_file

if TYPE_CHECKING:
    from analysis.datasets import ReadRequest

_NUMBER = r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"
_FILE_NAME = re.compile(
    rf"^(?P<lon>{_NUMBER})_(?P<lat>{_NUMBER})_h(?P<heading>\d+)_p(?P<pitch>[-+]?\d+)"
    rf"_f(?P<fov>\d+)\.(?:jpe?g|png|webp)$",
    re.IGNORECASE,
)
_HEADING_DIR = re.compile(r"^h(\d+)$", re.IGNORECASE)
_ISO3_DIR = re.compile(r"^[A-Za-z]{3}$")
MANIFEST_COLUMNS = ("split", "heading", "country_iso3", "lon", "lat", "path")


@dataclass(frozen=True)
class LLMGeoImage:
    """What an LLMGeo image path says: truth point (degrees), country, heading, split."""

    file_name: str
    lat: float
    lon: float
    heading: int
    country_iso3: str
    split: str | None
    location_key: str  # "{LON}_{LAT}" exactly as written: identical for one place's headings


def is_llmgeo_name(name: str) -> bool:
    """Return whether a file name follows the LLMGeo ``LON_LAT_hH_pP_fF.jpg`` pattern."""
    return _FILE_NAME.match(name) is not None


def parse_llmgeo_path(path: str | Path) -> LLMGeoImage:
    """Parse an LLMGeo image path; raise InputError naming what does not fit the layout."""
    parts = PurePosixPath(str(path).replace("\\", "/")).parts
    name = parts[-1] if parts else ""
    match = _FILE_NAME.match(name)
    if match is None:
        raise InputError(f"{path}: file name is not LON_LAT_h<heading>_p<pitch>_f<fov>.jpg")
    lon, lat = float(match["lon"]), float(match["lat"])  # longitude first in the name
    heading = int(match["heading"])
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise InputError(f"{path}: lat {lat} / lon {lon} out of range (the name is LON_LAT)")
    if len(parts) < 3 or not _ISO3_DIR.match(parts[-2]):
        raise InputError(f"{path}: expected a 3-letter country folder above the file")
    heading_dir = _HEADING_DIR.match(parts[-3])
    if heading_dir is None:
        raise InputError(f"{path}: expected a h<heading> folder above the country folder")
    if int(heading_dir.group(1)) != heading:
        raise InputError(f"{path}: folder h{heading_dir.group(1)} but file name says h{heading}")
    return LLMGeoImage(
        file_name=name,
        lat=lat,
        lon=lon,
        heading=heading,
        country_iso3=parts[-2].upper(),
        split=parts[-4] if len(parts) >= 4 else None,
        location_key=f"{match['lon']}_{match['lat']}",
    )


def _canonical(iso3: str) -> str:
    try:
        from analysis.geo.names import canonical_iso3
    except ImportError:  # names module absent: keep the folder code
        return iso3
    return canonical_iso3(iso3) or iso3


def _frame(images: list[tuple[LLMGeoImage, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sample_id": [img.file_name for img, _ in images],
            "location_id": [img.location_key for img, _ in images],
            "true_lat": [img.lat for img, _ in images],
            "true_lon": [img.lon for img, _ in images],
            "true_country": [_canonical(img.country_iso3) for img, _ in images],
            "heading": [img.heading for img, _ in images],
            "split": [img.split for img, _ in images],
            "image_path": [p for _, p in images],
        }
    )


def _refuse_duplicates(frame: pd.DataFrame, source: str) -> None:
    dups = frame.loc[frame["sample_id"].duplicated(keep=False), "sample_id"].unique().tolist()
    if dups:
        shown = ", ".join(repr(d) for d in dups[:10])
        msg = (
            f"{source}: {len(dups)} file names occur more than once ({shown}); LLMGeo results "
            f"are keyed by file name, so import each split as its own dataset (--split)"
        )
        raise ImportValidationError(msg, problems=[msg])


def scan_folder(root: Path, split: str | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Walk an LLMGeo folder; return (samples frame, skipped files with the reason)."""
    images: list[tuple[LLMGeoImage, str]] = []
    skipped: list[str] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if not is_llmgeo_name(path.name):
            skipped.append(f"{rel}: not an LLMGeo image name")
            continue
        try:
            image = parse_llmgeo_path(path.resolve().as_posix())
        except InputError as exc:
            skipped.append(f"{rel}: {exc}")
            continue
        if split is not None and image.split != split:
            continue
        images.append((image, str(path.resolve())))
    if not images:
        msg = f"{root}: no LLMGeo images ({'split ' + split if split else 'any split'}) found"
        raise ImportValidationError(msg, problems=[msg, *skipped[:10]])
    frame = _frame(images)
    _refuse_duplicates(frame, str(root))
    return frame, skipped


def read_manifest(
    path: Path,
    image_root: Path | None = None,
    split: str | None = None,
    limits: ImportLimits | None = None,
) -> pd.DataFrame:
    """Read an LLMGeo manifest CSV (split,heading,country_iso3,lon,lat,path), checking each row.

    The columns must agree with what the path says (the path is authoritative). Image paths are
    stored absolute (relative ones against ``image_root``, else the manifest's folder).
    """
    from analysis.datasets.manifest import absolute_image_path

    fingerprint_file(path, limits or ImportLimits())
    check_csv_structure(path, limits or ImportLimits())
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in MANIFEST_COLUMNS if c not in table.columns]
    if missing:
        msg = f"{path.name}: missing columns {', '.join(missing)} (an LLMGeo manifest has " \
            f"{','.join(MANIFEST_COLUMNS)})"  # fmt: skip
        raise ImportValidationError(msg, problems=[msg])
    root = image_root or path.parent
    images: list[tuple[LLMGeoImage, str]] = []
    problems: list[str] = []
    # read with dtype=str and no NA: every cell is already a str, str() only tells mypy so
    for number, row in enumerate(table.itertuples(index=False), start=1):
        row_path, row_split = str(row.path), str(row.split)
        try:
            image = parse_llmgeo_path(row_path)
        except InputError as exc:
            problems.append(f"row {number}: {exc}")
            continue
        disagree = [
            name
            for name, ok in (
                ("split", row_split == (image.split or row_split)),
                ("heading", str(row.heading).strip() == str(image.heading)),
                ("country_iso3", str(row.country_iso3).strip().upper() == image.country_iso3),
                ("lon", _same_number(str(row.lon), image.lon)),
                ("lat", _same_number(str(row.lat), image.lat)),
            )
            if not ok
        ]
        if disagree:
            problems.append(
                f"row {number}: {', '.join(disagree)} disagree with the path {row_path}"
            )
            continue
        if split is None or image.split == split:
            images.append((image, absolute_image_path(root, row_path)))
    if problems:
        raise ImportValidationError(f"{path.name}: refused, nothing was written", problems)
    if not images:
        msg = f"{path.name}: no rows{' of split ' + split if split else ''}"
        raise ImportValidationError(msg, problems=[msg])
    frame = _frame(images)
    _refuse_duplicates(frame, path.name)
    return frame


def _same_number(text: str, value: float) -> bool:
    try:
        return abs(float(text) - value) <= 1e-9
    except ValueError:
        return False


def is_llmgeo_manifest(columns: list[str]) -> bool:
    """Return whether CSV columns are those of an LLMGeo manifest."""
    return set(MANIFEST_COLUMNS) <= {c.strip().lower() for c in columns}


def sniff(path: Path, head: bytes) -> bool:
    """Recognise an LLMGeo folder (a file named like one inside) or manifest (its header)."""
    if path.is_dir():
        return any(is_llmgeo_name(child.name) and child.is_file() for child in path.rglob("*"))
    header = head.decode("utf-8-sig", errors="replace").partition("\n")[0]
    return is_llmgeo_manifest(header.strip().split(","))


def read_dataset(path: Path, request: ReadRequest) -> tuple[pa.Table, tuple[str, ...]]:
    """Read an LLMGeo folder (walked) or manifest CSV into normalised samples."""
    from analysis.datasets.manifest import sha256_file
    from analysis.store.samples import normalize_samples

    skipped: tuple[str, ...] = ()
    if path.is_dir():
        frame, skipped_list = scan_folder(path, request.split)
        skipped = tuple(skipped_list)
    else:
        frame = read_manifest(path, request.image_root, request.split, request.limits)
    if request.hash_images:
        hashes = [
            sha256_file(Path(p)) if isinstance(p, str) and Path(p).is_file() else None
            for p in frame["image_path"]
        ]
        # a Series, not the bare list: the stubs' list type for assign() leaves out None
        frame = frame.assign(image_sha256=pd.Series(hashes, index=frame.index))
    return normalize_samples(frame), skipped
