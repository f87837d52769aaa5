"""Normalise a samples DataFrame to the stored shape and check the store's invariants."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis.errors import ImportValidationError
from analysis.types import Sample

SAMPLES_SCHEMA = pa.schema(
    [
        ("sample_id", pa.string()),
        ("location_id", pa.string()),
        ("true_lat", pa.float64()),
        ("true_lon", pa.float64()),
        ("true_country", pa.string()),
        ("heading", pa.int32()),
        ("split", pa.string()),
        ("image_path", pa.string()),
        ("image_sha256", pa.string()),
    ]
)
_LISTED = 20


def _rows(mask: np.ndarray, ids: pd.Series) -> str:
    bad = ids[mask].astype(str).tolist()
    shown = ", ".join(repr(b) for b in bad[:_LISTED])
    return shown + (f" and {len(bad) - _LISTED} more" if len(bad) > _LISTED else "")


def normalize_samples(df: pd.DataFrame) -> pa.Table:
    """Return ``df`` as an Arrow table of ``SAMPLES_SCHEMA``; refuse what the store cannot hold.

    Required: sample_id, true_lat, true_lon (degrees). location_id defaults to sample_id (one
    place per image); other columns default to null.
    """
    missing = [c for c in ("sample_id", "true_lat", "true_lon") if c not in df.columns]
    if missing:
        raise ImportValidationError(
            f"samples lack required columns: {', '.join(missing)}",
            problems=[f"missing column {c!r}" for c in missing],
        )
    problems: list[str] = []
    ids = df["sample_id"]
    if ids.isna().any() or (ids.astype(str).str.strip() == "").any():
        problems.append(
            f"{int((ids.isna() | (ids.astype(str).str.strip() == '')).sum())} "
            "samples have an empty sample_id"
        )
    lat = pd.to_numeric(df["true_lat"], errors="coerce").to_numpy(dtype=np.float64)
    lon = pd.to_numeric(df["true_lon"], errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(lat) | ~np.isfinite(lon)
    if bad.any():
        problems.append(f"samples without numeric true_lat/true_lon: {_rows(bad, ids)}")
    out = ~bad & ((np.abs(lat) > 90) | (np.abs(lon) > 180))
    if out.any():
        problems.append(f"samples with coordinates out of range: {_rows(out, ids)}")
    dup = ids.duplicated(keep=False).to_numpy()
    if dup.any():
        problems.append(f"duplicate sample ids: {_rows(dup & ~ids.duplicated().to_numpy(), ids)}")
    if problems:
        raise ImportValidationError("samples refused: " + "; ".join(problems), problems=problems)

    n = len(df)

    def text(col: str) -> list[str | None]:
        if col not in df.columns:
            return [None] * n
        return [None if pd.isna(v) or str(v) == "" else str(v) for v in df[col].tolist()]

    location = text("location_id")
    sample_ids = [str(v) for v in ids.tolist()]
    heading: list[int | None] = [None] * n
    if "heading" in df.columns:
        heading = [None if pd.isna(v) else int(v) for v in df["heading"].tolist()]
    return pa.table(
        {
            "sample_id": sample_ids,
            "location_id": [loc or sid for loc, sid in zip(location, sample_ids, strict=True)],
            "true_lat": lat,
            "true_lon": lon,
            "true_country": text("true_country"),
            "heading": heading,
            "split": text("split"),
            "image_path": text("image_path"),
            "image_sha256": text("image_sha256"),
        },
        schema=SAMPLES_SCHEMA,
    )


def _clean(value: Any) -> Any:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def samples_from_frame(frame: pd.DataFrame) -> list[Sample]:
    """Turn the store's ``dataset_samples`` frame into Sample objects, in frame order."""
    samples: list[Sample] = []
    for row in frame.to_dict("records"):
        heading = _clean(row.get("heading"))
        samples.append(
            Sample(
                sample_id=str(row["sample_id"]),
                true_lat=float(row["true_lat"]),
                true_lon=float(row["true_lon"]),
                true_country=_clean(row.get("true_country")),
                location_id=_clean(row.get("location_id")),
                heading=None if heading is None else int(heading),
                split=_clean(row.get("split")),
                image_path=_clean(row.get("image_path")),
                image_sha256=_clean(row.get("image_sha256")),
            )
        )
    return samples
