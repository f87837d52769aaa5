"""Training data from several (dataset, split) sources at once, with each sample's identity.

LLMGeo trained on train alone and on train plus the larger extra split; joining exported JSONL
files by hand loses where each example came from. Here every source is read from the store,
the examples are concatenated in the order given, and each keeps a ``SampleKey`` (place and
image hash) for the card's lineage and the leakage guard.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from analysis.errors import InputError
from analysis.finetune.data import TrainingData, examples_from_store
from analysis.finetune.leakage import file_sha256, keys_from_records, resolve_image
from analysis.finetune.lineage import SampleKey, TrainSource, answer_coords


def load_sources(
    store: Any,
    sources: Sequence[TrainSource],
    *,
    prompt: str,
    form: str,
    images_root: Path | None = None,
    allow_missing: bool = False,
) -> TrainingData:
    """Read every source's examples (image checks included) and concatenate them."""
    if not sources:
        raise InputError("no training source: pass --dataset (with --split) or --data")
    examples: list[Any] = []
    skipped: list[str] = []
    keys: list[SampleKey] = []
    for source in sources:
        data = examples_from_store(
            store,
            source.dataset,
            source.split,
            prompt=prompt,
            form=form,
            images_root=images_root,
            allow_missing=allow_missing,
        )
        frame = store.dataset_samples(source.dataset)
        rows = {
            str(row["sample_id"]): row
            for row in frame[frame["split"] == source.split].to_dict("records")
        }
        for example in data.examples:
            row = dict(rows[example.sample_id])
            # the export wrote the resolved absolute path: hash the very file trained on
            row["image_path"] = example.images[0] if example.images else row.get("image_path")
            keys.extend(keys_from_records([row], source.dataset))
        examples.extend(data.examples)
        prefix = f"{source.label()}: " if len(sources) > 1 else ""  # whose sample, if ambiguous
        skipped.extend(prefix + reason for reason in data.skipped)
    label = "+".join(source.label() for source in sources)
    return TrainingData(tuple(examples), f"store:{label}", tuple(skipped), None, tuple(keys))


def _image_digest(image: str, base: Path | None) -> str | None:
    if image.startswith("data:"):
        try:
            return hashlib.sha256(base64.b64decode(image.split(",", 1)[1])).hexdigest()
        except (IndexError, ValueError):
            return None
    path = resolve_image(image, [base] if base is not None else [])
    return file_sha256(path) if path is not None else None


def training_keys(data: TrainingData) -> list[SampleKey]:
    """Return each example's SampleKey; for a JSONL source, built from the examples themselves.

    A JSONL line has no location id or split; its coordinates come from a coords-form answer
    and its image hash from the file it names.
    """
    if data.samples:
        return list(data.samples)
    keys = []
    for example in data.examples:
        lat, lon = answer_coords(example.answer)
        digest = _image_digest(example.images[0], data.image_base) if example.images else None
        keys.append(SampleKey(sample_id=example.sample_id, lat=lat, lon=lon, image_sha256=digest))
    return keys
