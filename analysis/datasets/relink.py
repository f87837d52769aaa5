"""Point a dataset's stored image paths at where the images are now.

Datasets imported before image paths were stored absolute hold paths relative to whatever folder
the import ran in; moved image folders leave absolute paths dangling. ``relink_dataset`` finds
each image under a root folder (by default the folder of the manifest the dataset came from)
by the longest tail of its stored path that exists there, checks its sha256 when one was
recorded, and rewrites the paths it found in one transaction.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from analysis.datasets.manifest import sha256_file
from analysis.errors import InputError
from analysis.store import Store


@dataclass(frozen=True)
class RelinkReport:
    """What a relink found: images already in place, re-pointed, and still missing."""

    dataset: str
    root: Path
    n_images: int
    n_in_place: int
    n_relinked: int
    missing: tuple[str, ...]


def _tails(stored: str) -> list[str]:
    """Return the tails of a stored path, longest first, without '..', '.' or a drive."""
    parts = [p for p in PurePosixPath(stored.replace("\\", "/")).parts if p not in ("/", ".", "..")]
    parts = [p for p in parts if not (len(p) == 2 and p.endswith(":"))]  # "C:" from Windows
    return ["/".join(parts[i:]) for i in range(len(parts))]


def find_image(root: Path, stored: str, sha256: str | None) -> Path | None:
    """Return the file under ``root`` that ``stored`` names (longest matching tail), or None."""
    for tail in _tails(stored):
        candidate = root / tail
        if candidate.is_file() and (sha256 is None or sha256_file(candidate) == sha256):
            return Path(os.path.abspath(candidate))
    return None


def default_root(store: Store, dataset: str) -> Path:
    """Return the folder of the file the dataset was imported from (its manifest)."""
    source = store.dataset_info(dataset).get("source")
    path = Path(str(source)) if source else None
    if path is None or not path.is_absolute():
        raise InputError(
            f"dataset {dataset!r} does not record where it was imported from; pass --root DIR, "
            f"the folder its image paths are relative to"
        )
    return path if path.is_dir() else path.parent


def relink_dataset(
    store: Store, dataset: str, root: Path | None = None, *, dry_run: bool = False
) -> RelinkReport:
    """Re-point the dataset's images that are not where their stored path says; return counts."""
    base = Path(os.path.abspath(root)) if root is not None else default_root(store, dataset)
    if not base.is_dir():
        raise InputError(f"--root {base}: no such folder")
    samples = store.dataset_samples(dataset)
    found: dict[str, str] = {}
    missing: list[str] = []
    in_place = 0
    for row in samples.itertuples(index=False):
        stored = row.image_path
        if not isinstance(stored, str) or not stored:
            continue
        if Path(stored).is_absolute() and Path(stored).is_file():
            in_place += 1
            continue
        sha = row.image_sha256 if isinstance(row.image_sha256, str) else None
        hit = find_image(base, stored, sha)
        if hit is None:
            missing.append(stored)
        else:
            found[str(row.sample_id)] = hit.as_posix()
    if found and not dry_run:
        store.set_image_paths(dataset, found)
    n_images = in_place + len(found) + len(missing)
    return RelinkReport(dataset, base, n_images, in_place, len(found), tuple(missing))
