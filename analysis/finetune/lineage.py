"""What a fine-tuned model learnt from: its (dataset, split) sources and the list of its samples.

The sample list is saved beside the weights (``geoscope_train_samples.csv``) with what identifies
a place: location id, coordinates and the image's content hash. A later benchmark run of the
folder compares its own samples with that list (``analysis.finetune.leakage``).
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.errors import ConfigError

TRAIN_SAMPLES_FILE = "geoscope_train_samples.csv"
_COLUMNS = ("dataset", "split", "sample_id", "location_id", "lat", "lon", "image_sha256")
_NAME = re.compile(r"^[^\s:,]+$")  # dataset and split names as they can appear in --data


@dataclass(frozen=True)
class TrainSource:
    """One (dataset, split) pair that training reads from the store."""

    dataset: str
    split: str

    def label(self) -> str:
        """Return ``dataset/split``."""
        return f"{self.dataset}/{self.split}"


@dataclass(frozen=True)
class SampleKey:
    """What identifies one sample's place and image (training or evaluation side)."""

    sample_id: str
    dataset: str | None = None
    split: str | None = None
    location_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    image_sha256: str | None = None

    def label(self) -> str:
        """Return ``dataset/split/sample_id`` (the parts that are known)."""
        return "/".join(p for p in (self.dataset, self.split, self.sample_id) if p)


def _items(values: Iterable[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _names(values: Iterable[str], what: str) -> list[str]:
    names = _items(values)
    bad = [n for n in names if not _NAME.match(n)]
    if bad:
        raise ConfigError(f"{what}: {bad[0]!r} is not a valid name (no spaces, ':' or ',')")
    return names


def parse_sources(
    datasets: Sequence[str] | None, split: str | None, data: Sequence[str] | None
) -> list[TrainSource]:
    """Return the training sources of ``--dataset A [--dataset B] --split S1,S2`` or ``--data``.

    ``--data a:train,b:extra`` names pairs explicitly; ``--dataset`` takes every listed split
    of every listed dataset. A pair named twice is kept once.
    """
    if data and datasets:
        raise ConfigError("use either --data DATASET:SPLIT,... or --dataset with --split, not both")
    pairs: list[TrainSource] = []
    if data:
        for item in _items(data):
            dataset, sep, part = item.partition(":")
            if not sep or not _NAME.match(dataset) or not _NAME.match(part):
                raise ConfigError(
                    f"--data: {item!r} is not DATASET:SPLIT (e.g. --data mydata:train,mydata:extra)"
                )
            pairs.append(TrainSource(dataset, part))
    elif datasets:
        splits = _names([split or "train"], "--split") or ["train"]
        pairs = [TrainSource(d, s) for d in _names(datasets, "--dataset") for s in splits]
    return list(dict.fromkeys(pairs))


def samples_sha256(keys: Iterable[SampleKey]) -> str:
    """Return a sha256 over the sorted ``dataset/split/sample_id`` lines of a sample list."""
    digest = hashlib.sha256()
    for line in sorted(key.label() for key in keys):
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


def lineage(sources: Sequence[tuple[str, int]], keys: Sequence[SampleKey]) -> dict[str, Any]:
    """Return the card's ``lineage``: each source with its sample count, the total, the hash."""
    return {
        "sources": [{"source": name, "n_samples": n} for name, n in sources],
        "n_samples": len(keys),
        "samples_sha256": samples_sha256(keys),
        "samples_file": TRAIN_SAMPLES_FILE,
    }


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return str(value)


def write_samples(folder: Path, keys: Sequence[SampleKey]) -> Path:
    """Write the training sample list into ``folder`` as CSV and return its path."""
    path = folder / TRAIN_SAMPLES_FILE
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(_COLUMNS)
        for key in keys:
            writer.writerow([_cell(getattr(key, column)) for column in _COLUMNS])
    return path


def _float(text: str | None) -> float | None:
    try:
        value = float(text) if text else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def read_samples(folder: Path) -> list[SampleKey] | None:
    """Return the training sample list saved in ``folder`` (None when there is none)."""
    path = folder / TRAIN_SAMPLES_FILE
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            rows = list(csv.DictReader(stream))
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    return [
        SampleKey(
            sample_id=row.get("sample_id") or "",
            dataset=row.get("dataset") or None,
            split=row.get("split") or None,
            location_id=row.get("location_id") or None,
            lat=_float(row.get("lat")),
            lon=_float(row.get("lon")),
            image_sha256=row.get("image_sha256") or None,
        )
        for row in rows
    ]


def answer_coords(answer: str) -> tuple[float | None, float | None]:
    """Return (lat, lon) from a training answer in the coords form, (None, None) otherwise."""
    try:
        record = json.loads(answer)
    except ValueError:
        return None, None
    if not isinstance(record, dict):
        return None, None
    lat, lon = record.get("lat"), record.get("lon")
    if isinstance(lat, int | float) and isinstance(lon, int | float):
        return float(lat), float(lon)
    return None, None
