"""A folder of photos whose EXIF carries GPS: the GPS point is the ground truth.

Only the EXIF header is read (Pillow opens images lazily), so large photos cost little. Photos
without GPS are skipped and reported, not guessed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from analysis.datasets.manifest import sha256_file
from analysis.errors import ImportValidationError

if TYPE_CHECKING:
    from analysis.datasets import ReadRequest

GPS_IFD = 0x8825
_LAT_REF, _LAT, _LON_REF, _LON = 1, 2, 3, 4
PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".heic", ".heif"})


@dataclass(frozen=True)
class ExifScan:
    """Samples read from a photo folder and the photos skipped, each with its reason."""

    samples: pd.DataFrame
    skipped: tuple[str, ...]


def dms_to_degrees(dms: Any, ref: Any) -> float:
    """Convert EXIF degrees/minutes/seconds and an N/S/E/W reference to signed degrees."""
    parts = list(dms) if isinstance(dms, list | tuple) else [dms]
    # Pillow gives IFDRational values; a zero denominator converts to NaN and is refused later
    values = [float(p) for p in parts[:3]] + [0.0] * (3 - min(len(parts), 3))
    degrees = values[0] + values[1] / 60.0 + values[2] / 3600.0
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "ignore")
    if str(ref).strip().upper()[:1] in ("S", "W"):
        degrees = -degrees
    return degrees


def read_gps(path: Path) -> tuple[float, float] | None:
    """Return the photo's EXIF GPS point as (lat, lon) degrees, or None when it has none."""
    from PIL import Image

    _register_heif()
    with Image.open(path) as image:
        gps = image.getexif().get_ifd(GPS_IFD)
    if not gps or _LAT not in gps or _LON not in gps:
        return None
    lat = dms_to_degrees(gps[_LAT], gps.get(_LAT_REF, "N"))
    lon = dms_to_degrees(gps[_LON], gps.get(_LON_REF, "E"))
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
        return None
    return lat, lon


def _register_heif() -> None:
    try:
        from pillow_heif import register_heif_opener
    except ImportError:  # HEIC photos are then reported as unreadable
        return
    register_heif_opener()


def scan_photos(root: Path, hash_images: bool = True) -> ExifScan:
    """Read every photo under ``root``; photos without usable GPS go to ``skipped``."""
    from PIL import UnidentifiedImageError

    from analysis.importers.countries import countries_of_points

    rows: list[dict[str, Any]] = []
    skipped: list[str] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.suffix.lower() not in PHOTO_SUFFIXES:
            continue
        rel = path.relative_to(root).as_posix()
        try:
            point = read_gps(path)
        except (UnidentifiedImageError, OSError, ValueError, ZeroDivisionError) as exc:
            skipped.append(f"{rel}: unreadable ({type(exc).__name__}: {exc})")
            continue
        if point is None:
            skipped.append(f"{rel}: no GPS position in its EXIF")
            continue
        rows.append({
            "sample_id": rel,
            "true_lat": point[0],
            "true_lon": point[1],
            "image_path": str(path.resolve()),
            "image_sha256": sha256_file(path) if hash_images else None,
        })  # fmt: skip
    if not rows:
        msg = f"{root}: no photo with a GPS position in its EXIF"
        raise ImportValidationError(msg, problems=[msg, *skipped[:20]])
    frame = pd.DataFrame(rows)
    frame["true_country"] = countries_of_points(
        frame["true_lat"].to_numpy(), frame["true_lon"].to_numpy()
    )
    return ExifScan(samples=frame, skipped=tuple(skipped))


def read_dataset(path: Path, request: ReadRequest) -> tuple[pa.Table, tuple[str, ...]]:
    """Read every EXIF-geotagged photo under a folder into normalised samples."""
    from analysis.store.samples import normalize_samples

    scan = scan_photos(path, request.hash_images)
    return normalize_samples(scan.samples), scan.skipped
