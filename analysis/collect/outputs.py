"""A collection folder's outputs: manifest.csv (rows per image) and collection.json (provenance).

The manifest is written three ways, all leaving a valid CSV at every instant: rebuilt from the
journal into a temporary file that replaces it (when a run starts and ends), and appended one
fsynced row per image while a run goes (a single short ``write``: a killed process cannot leave
half a row). ``import-dataset`` reads it at any moment, also after a ``kill -9``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.collect.writer import ImageRecord, JournalState

MANIFEST_NAME = "manifest.csv"
PROVENANCE_NAME = "collection.json"
MANIFEST_COLUMNS = (
    "sample_id", "lat", "lon", "country", "heading", "location_id", "image_path", "split",
    "source", "source_image_id", "captured", "attribution", "licence", "target_id",
    "target_lat", "target_lon",
)  # fmt: skip


@dataclass(frozen=True)
class ManifestSettings:
    """What every row shares: source, licence and how splits are drawn."""

    source: str
    licence: str
    split: str | None = None
    test_share: float | None = None

    @property
    def columns(self) -> list[str]:
        """Return the manifest columns (no split column when there are no splits)."""
        has_split = bool(self.split) or self.test_share is not None
        return [c for c in MANIFEST_COLUMNS if c != "split" or has_split]


def split_of(location_id: str, split: str | None, test_share: float | None) -> str:
    """Return a row's split: ``split`` for all, or train/test drawn per location.

    With ``test_share`` a location goes to "test" when a hash of its id falls below the share:
    the same place always lands in the same split (re-runs, resumes), and the headings of one
    panorama never straddle train and test (that would leak the answer into training).
    """
    if test_share is None:
        return split or ""
    digest = hashlib.sha256(location_id.encode("utf-8")).digest()
    draw = int.from_bytes(digest[:8], "big") / 2.0**64
    return "test" if draw < test_share else "train"


def row_of(state: JournalState, settings: ManifestSettings, image: ImageRecord) -> dict[str, Any]:
    """Return the manifest row of one image."""
    loc = state.locations[image.location_id]
    place = loc.place_id
    return {
        "sample_id": image.sample_id, "lat": loc.lat, "lon": loc.lon, "country": loc.country,
        "heading": "" if image.heading is None else image.heading, "location_id": place,
        "image_path": image.image_path,
        "split": split_of(place, settings.split, settings.test_share),
        "source": settings.source, "source_image_id": loc.source_id, "captured": loc.captured,
        "attribution": loc.attribution, "licence": settings.licence, "target_id": loc.target_id,
        "target_lat": loc.target_lat, "target_lon": loc.target_lon,
    }  # fmt: skip


def manifest_rows(state: JournalState, settings: ManifestSettings) -> list[dict[str, Any]]:
    """Return one row per image, ordered by place then heading."""
    images = sorted(
        state.images.values(),
        key=lambda r: (state.locations[r.location_id].place_id, r.heading or 0, r.sample_id),
    )
    return [row_of(state, settings, image) for image in images]


def rewrite_manifest(out_dir: Path, state: JournalState, settings: ManifestSettings) -> Path:
    """Replace manifest.csv with every journaled image, atomically; return its path."""
    manifest = out_dir / MANIFEST_NAME
    tmp = manifest.with_name(manifest.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=settings.columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(manifest_rows(state, settings))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, manifest)
    return manifest


def append_row(
    out_dir: Path, state: JournalState, settings: ManifestSettings, image: ImageRecord
) -> None:
    """Append one image's row to manifest.csv and fsync it."""
    buffer = io.StringIO()
    csv.DictWriter(buffer, fieldnames=settings.columns, extrasaction="ignore").writerow(
        row_of(state, settings, image)
    )
    data = buffer.getvalue().encode("utf-8")
    fd = os.open(out_dir / MANIFEST_NAME, os.O_WRONLY | os.O_APPEND)
    try:
        os.write(fd, data)  # one system call: the row is all there or not at all
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_json(path: Path, info: Mapping[str, Any]) -> None:
    """Write a JSON file through a temporary name, so readers never see half of it."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps(info, indent=2, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def counts(state: JournalState) -> dict[str, Any]:
    """Return how many targets, places, images and skips the journal holds."""
    outcomes = Counter(state.targets_done.values())
    reasons = Counter(reason.split(":")[0] for reason in state.skipped.values())
    places = {state.locations[i.location_id] for i in state.images.values()}
    return {
        "targets_done": len(state.targets_done),
        "target_outcomes": dict(sorted(outcomes.items())),
        "locations": len({p.place_id for p in places}),
        "images": len(state.images),
        "countries": len({p.country for p in places}),
        "skipped": len(state.skipped),
        "skip_reasons": dict(sorted(reasons.items())),
    }
