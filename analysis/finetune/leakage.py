"""Leakage guard: refuse to score a fine-tuned model on places or images it was trained on.

Two samples are the same place when they share a location id within one dataset (a location
id is a dataset's own name for a place; by default it is the sample id, so equal ids in two
datasets mean nothing), when their coordinates lie within ``radius_km`` of each other (across
datasets too), or when their image files have the same content hash.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from analysis.datasets.locate import locate_image
from analysis.errors import ConfigError
from analysis.finetune.lineage import SampleKey

LEAKAGE_RADIUS_KM = 1.0  # LLMGeo's headings of one place share coordinates to the metre
ALLOW_FLAG = "--allow-leakage"
MAX_LISTED = 5
_KM_PER_DEGREE_LAT = 111.19  # one degree of latitude, with margin below the true 111.2 km


class LeakageError(ConfigError):
    """Evaluation samples overlap the training samples and no override was given."""


@dataclass(frozen=True)
class Overlap:
    """Which evaluation samples share a place or an image with the training samples."""

    n_checked: int  # evaluation samples compared
    radius_km: float
    same_location_id: frozenset[str]  # evaluation sample labels, per kind of match
    near_coords: frozenset[str]
    same_image: frozenset[str]
    examples: tuple[str, ...]  # "eval ~ train (why)", the first few

    @property
    def overlapping(self) -> frozenset[str]:
        """Return every evaluation sample that overlaps in any way."""
        return self.same_location_id | self.near_coords | self.same_image

    def record(self, override: bool) -> dict[str, Any]:
        """Return the JSON-able summary kept in the card or the run's params."""
        return {
            "checked_samples": self.n_checked,
            "overlapping_samples": len(self.overlapping),
            "same_location_id": len(self.same_location_id),
            "coords_within_km": len(self.near_coords),
            "radius_km": self.radius_km,
            "same_image": len(self.same_image),
            "examples": list(self.examples),
            "override": bool(override and self.overlapping),
        }


def _near_pairs(
    train: Sequence[SampleKey], evaluation: Sequence[SampleKey], radius_km: float
) -> list[tuple[int, int]]:
    """Return (train index, eval index) pairs within ``radius_km``; sorted-latitude windows."""
    from analysis.geo.distance import haversine_km

    def located(keys: Sequence[SampleKey]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        index = [i for i, k in enumerate(keys) if k.lat is not None and k.lon is not None]
        lats = np.array([keys[i].lat for i in index], dtype=float)
        lons = np.array([keys[i].lon for i in index], dtype=float)
        return np.array(index, dtype=int), lats, lons

    t_index, t_lat, t_lon = located(train)
    e_index, e_lat, e_lon = located(evaluation)
    if not len(t_index) or not len(e_index):
        return []
    order = np.argsort(e_lat, kind="stable")
    e_index, e_lat, e_lon = e_index[order], e_lat[order], e_lon[order]
    window = radius_km / _KM_PER_DEGREE_LAT  # no point further in latitude can be within radius
    lo = np.searchsorted(e_lat, t_lat - window, side="left")
    hi = np.searchsorted(e_lat, t_lat + window, side="right")
    counts = hi - lo
    rows = np.repeat(np.arange(len(t_index)), counts)
    starts = np.repeat(lo, counts)
    offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    cols = starts + offsets
    if not len(rows):
        return []
    distance = haversine_km(t_lat[rows], t_lon[rows], e_lat[cols], e_lon[cols])
    near = np.flatnonzero(np.asarray(distance) <= radius_km)
    return [(int(t_index[rows[j]]), int(e_index[cols[j]])) for j in near]


def find_overlap(
    train: Sequence[SampleKey],
    evaluation: Sequence[SampleKey],
    radius_km: float = LEAKAGE_RADIUS_KM,
) -> Overlap:
    """Compare evaluation samples with training samples by location id, coordinates and image."""
    if not radius_km >= 0:
        raise ConfigError(f"leakage radius must be >= 0 km, got {radius_km}")
    examples: list[str] = []

    def note(e: SampleKey, t: SampleKey, why: str) -> None:
        if len(examples) < MAX_LISTED:
            examples.append(f"{e.label()} ~ {t.label()} ({why})")

    by_location = {(k.dataset, k.location_id): k for k in train if k.location_id}
    by_image = {k.image_sha256: k for k in train if k.image_sha256}
    same_location: set[str] = set()
    same_image: set[str] = set()
    for key in evaluation:
        hit = by_location.get((key.dataset, key.location_id)) if key.location_id else None
        if hit is not None:
            same_location.add(key.label())
            note(key, hit, f"same location id {key.location_id!r}")
        twin = by_image.get(key.image_sha256) if key.image_sha256 else None
        if twin is not None:
            same_image.add(key.label())
            note(key, twin, "identical image")
    near: set[str] = set()
    for t, e in _near_pairs(train, evaluation, radius_km):
        label = evaluation[e].label()
        if label not in near:
            near.add(label)
            note(evaluation[e], train[t], f"coordinates within {radius_km:g} km")
    return Overlap(
        n_checked=len(evaluation),
        radius_km=radius_km,
        same_location_id=frozenset(same_location),
        near_coords=frozenset(near),
        same_image=frozenset(same_image),
        examples=tuple(examples),
    )


def guard(overlap: Overlap, *, allow: bool, evaluated: str, trained: str) -> dict[str, Any]:
    """Raise LeakageError when ``overlap`` is not empty unless ``allow``; return the record."""
    if overlap.overlapping and not allow:
        raise LeakageError(
            f"{len(overlap.overlapping)} of {overlap.n_checked} samples of {evaluated} overlap "
            f"the samples the model was trained on ({trained}): "
            f"{len(overlap.same_location_id)} share a location id, "
            f"{len(overlap.near_coords)} lie within {overlap.radius_km:g} km of a training "
            f"sample, {len(overlap.same_image)} have an identical image; e.g. "
            f"{'; '.join(overlap.examples)}. Scores there would be inflated: evaluate on a split "
            f"the model never saw, or pass {ALLOW_FLAG} (recorded with the run and flagged on "
            "the leaderboard)"
        )
    return overlap.record(override=allow)


def file_sha256(path: Path) -> str | None:
    """Return the sha256 of a file's bytes (None when it cannot be read)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def resolve_image(image_path: str | None, bases: Sequence[Path]) -> Path | None:
    """Return the file a stored image path names (relative paths tried under each base)."""
    if not image_path:
        return None
    path = locate_image(image_path, bases)
    stored_absolute = Path(os.path.expanduser(image_path)).is_absolute()
    return path if stored_absolute or path.is_file() else None  # relative and nowhere: unknown


def _finite(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value) or None


def _field(record: Any, name: str) -> Any:
    return record.get(name) if isinstance(record, dict) else getattr(record, name, None)


def keys_from_records(
    records: Iterable[Any], dataset: str | None, bases: Sequence[Path] = ()
) -> list[SampleKey]:
    """Return SampleKeys of store rows (dicts) or ``Sample`` objects; hash images not hashed yet.

    The store keeps an image's hash when the importer computed it; otherwise the file is read
    here, so an identical image imported under another name is still caught.
    """
    keys = []
    for record in records:
        digest = _text(_field(record, "image_sha256"))
        if digest is None:
            path = resolve_image(_text(_field(record, "image_path")), bases)
            digest = file_sha256(path) if path is not None else None
        keys.append(
            SampleKey(
                sample_id=str(_field(record, "sample_id")),
                dataset=dataset,
                split=_text(_field(record, "split")),
                location_id=_text(_field(record, "location_id")),
                lat=_finite(_field(record, "true_lat")),
                lon=_finite(_field(record, "true_lon")),
                image_sha256=digest,
            )
        )
    return keys


def guard_run(
    folder: Path,
    samples: Sequence[Any],
    dataset: str,
    bases: Sequence[Path] = (),
    *,
    allow: bool = False,
    evaluated: str | None = None,
) -> dict[str, Any]:
    """Check a run's samples against the training list saved in a fine-tuned model's folder.

    Returns the record for the run's params; a folder trained before the list was kept gives
    ``{"checked": False}`` (nothing to compare with).
    """
    from analysis.finetune.lineage import read_samples

    train = read_samples(folder)
    if train is None:
        return {"checked": False, "reason": "the model's folder keeps no training sample list"}
    trained = ", ".join(sorted({"/".join(filter(None, (k.dataset, k.split))) for k in train}))
    overlap = find_overlap(train, keys_from_records(samples, dataset, bases))
    record = guard(
        overlap, allow=allow, evaluated=evaluated or dataset, trained=trained or "a JSONL file"
    )
    return {"checked": True, **record}
