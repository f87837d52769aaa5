"""Country polygons simplified as one coverage, kept on disk under a content hash.

Simplifying the 547,000 points of Natural Earth's countries together (so that neighbours keep
one common border) takes about 1.8 s; every dashboard server and report paid it at start. The
result depends only on the source polygons, the tolerance and the GEOS version, so it is stored
once in the cache folder under a hash of the three and read back in milliseconds. The file is
WKB (no pickle: a cache file is data, never code); one that cannot be read is recomputed.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

CACHE_SUBDIR = "geo"


def cache_path(cache_dir: Path, wkb: Sequence[bytes], tolerance_deg: float) -> Path:
    """Return the file that holds this simplification: named by a hash of what it depends on."""
    import shapely

    digest = hashlib.sha256()
    for item in wkb:
        digest.update(item)
    digest.update(f"|coverage_simplify|{tolerance_deg!r}|{shapely.geos_version}".encode())
    return cache_dir / CACHE_SUBDIR / f"countries-coverage-{digest.hexdigest()[:20]}.wkb"


def simplified_coverage(
    wkb: Sequence[bytes], tolerance_deg: float, cache_dir: Path | None
) -> np.ndarray[Any, Any]:
    """Return the polygons of ``wkb`` simplified together (``shapely.coverage_simplify``).

    With a ``cache_dir`` the result is read from, or written to, its content-addressed file;
    a missing, partial or corrupt file is recomputed, and a folder that cannot be written is
    only a missed cache.
    """
    import shapely

    path = cache_path(cache_dir, wkb, tolerance_deg) if cache_dir is not None else None
    if path is not None:
        cached = _read(path, len(wkb))
        if cached is not None:
            return cached
    simplified: np.ndarray[Any, Any] = shapely.coverage_simplify(
        shapely.from_wkb(wkb), tolerance_deg
    )
    if path is not None:
        _write(path, simplified)
    return simplified


def _read(path: Path, expected: int) -> np.ndarray[Any, Any] | None:
    import shapely
    from shapely.errors import ShapelyError

    try:
        collection = shapely.from_wkb(path.read_bytes())
    except (OSError, ShapelyError, ValueError, TypeError):
        return None
    if collection is None or collection.geom_type != "GeometryCollection":
        return None
    parts: np.ndarray[Any, Any] = shapely.get_parts(collection)
    return parts if len(parts) == expected else None


def _write(path: Path, geoms: np.ndarray[Any, Any]) -> None:
    import shapely

    data = shapely.to_wkb(shapely.GeometryCollection(list(geoms)))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)  # readers see the old file or the whole new one
    except OSError:
        return
