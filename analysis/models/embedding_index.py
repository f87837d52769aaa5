"""A cosine-similarity index of reference images embedded by a transformers image model (CLIP).

Used by the retrieval baseline in embedding mode. torch/transformers are imported on first use.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from analysis.errors import ConfigError, ImageError, ModelUnavailableError
from analysis.images import image_sha256, load_image
from analysis.models.presets import ModelPreset
from analysis.models.retrieval import Neighbour

_PATH_COLUMNS = ("image_path", "filename", "path")
_COUNTRY_COLUMNS = ("country_iso3", "true_country", "country")


@dataclass(frozen=True)
class Reference:
    """One reference image on disk with its known location."""

    path: Path
    lat: float
    lon: float
    country_iso3: str | None


class ImageEmbedder:
    """Embed images with a transformers model exposing ``get_image_features`` (e.g. CLIP)."""

    def __init__(self, source: str, device: str = "auto", batch_size: int = 32) -> None:
        # lazy: torch and transformers load only when an embedding index is built
        import torch
        from transformers import AutoImageProcessor, AutoModel

        local_only = Path(source).exists()
        try:
            self.processor: Any = AutoImageProcessor.from_pretrained(
                source, local_files_only=local_only
            )
            self.model = AutoModel.from_pretrained(source, local_files_only=local_only)
        except (OSError, ValueError) as exc:
            raise ModelUnavailableError(f"cannot load embedding model {source!r}: {exc}") from None
        if not hasattr(self.model, "get_image_features"):
            raise ConfigError(f"{source!r} has no get_image_features(); use a CLIP-like model")
        self.device = (
            ("cuda" if torch.cuda.is_available() else "cpu") if device == "auto" else device
        )
        self.model = self.model.to(self.device).eval()
        self.batch_size = batch_size

    def embed(self, images: Sequence[Image.Image]) -> np.ndarray:
        """Return L2-normalised embeddings, one row per image."""
        # lazy: torch and transformers load only when an embedding index is built
        import torch

        rows: list[np.ndarray] = []
        for start in range(0, len(images), self.batch_size):
            chunk = list(images[start : start + self.batch_size])
            inputs = self.processor(images=chunk, return_tensors="pt").to(self.device)
            with torch.inference_mode():
                features: Any = self.model.get_image_features(**inputs)
            # transformers 5 returns an output object whose pooler_output is the projection.
            tensor = features if isinstance(features, torch.Tensor) else features.pooler_output
            rows.append(tensor.float().cpu().numpy())
        if not rows:
            return np.zeros((0, 0), dtype=np.float32)
        matrix: np.ndarray = np.concatenate(rows).astype(np.float32)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        normalised: np.ndarray = matrix / np.maximum(norms, 1e-12)
        return normalised


class EmbeddingIndex:
    """Reference embeddings with their locations; search by cosine similarity."""

    def __init__(self, embedder: ImageEmbedder, references: Sequence[Reference]) -> None:
        self.embedder = embedder
        usable: list[Reference] = []
        images: list[Image.Image] = []
        self.skipped: list[str] = []  # references that could not be read, with the reason
        shas: list[str] = []
        for ref in references:
            try:
                data = ref.path.read_bytes()
                images.append(load_image(data))
            except (OSError, ImageError) as exc:
                self.skipped.append(f"{ref.path}: {exc}")
                continue
            usable.append(ref)
            shas.append(image_sha256(data))
        if not usable:
            raise ConfigError("the retrieval reference set has no readable image")
        self.matrix = embedder.embed(images)
        self.neighbours = [Neighbour(r.lat, r.lon, r.country_iso3, key=str(r.path)) for r in usable]
        self.shas = shas

    def __len__(self) -> int:
        return len(self.neighbours)

    def search(
        self, image: Image.Image, k: int, exclude_sha256: str | None = None
    ) -> tuple[list[Any], float]:
        """Return the k most similar references (best first) and the best similarity."""
        query = self.embedder.embed([image])[0]
        scores = self.matrix @ query
        if exclude_sha256 is not None:
            # The query itself in the reference set would be a perfect, meaningless match.
            for index, sha in enumerate(self.shas):
                if sha == exclude_sha256:
                    scores[index] = -math.inf
        ranked = np.argsort(-scores, kind="stable")[: max(1, k)]
        order = [int(i) for i in ranked if np.isfinite(scores[i])]
        if not order:
            raise ConfigError("no reference image is left to compare with")
        return [self.neighbours[i] for i in order], float(scores[order[0]])


def _first(row: dict[str, str], columns: Sequence[str]) -> str | None:
    for column in columns:
        value = row.get(column)
        if value not in (None, ""):
            return value
    return None


def read_reference_csv(path: Path, root: Path | None) -> list[Reference]:
    """Read a reference list (image path, lat, lon, country) from CSV."""
    if not path.is_file():
        raise ConfigError(f"reference list {path} not found")
    base = root or path.parent
    references: list[Reference] = []
    with open(path, newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            image = _first(row, _PATH_COLUMNS)
            if image is None or not row.get("lat") or not row.get("lon"):
                raise ConfigError(f"{path}:{line}: needs an image path column and lat, lon")
            country = _first(row, _COUNTRY_COLUMNS)
            references.append(
                Reference(base / image, float(row["lat"]), float(row["lon"]), country)
            )
    return references


def _references_from_store(preset: ModelPreset, context: Any) -> list[Reference]:
    dataset = str(preset.options["reference_dataset"])
    store = getattr(context, "store", None)
    if store is None:
        raise ConfigError(
            f"preset {preset.name!r}: reference_dataset needs the store (use the CLI)"
        )
    frame = store.dataset_samples(dataset)
    split = preset.options.get("reference_split")
    if split is not None:
        frame = frame[frame["split"] == split]
    root = preset.option_path("reference_root") or getattr(context, "images_root", None)
    references = []
    for row in frame.itertuples(index=False):
        if not row.image_path:
            continue
        path = Path(row.image_path)
        if not path.is_absolute() and root is not None:
            path = Path(root) / path
        references.append(
            Reference(path, float(row.true_lat), float(row.true_lon), row.true_country)
        )
    return references


def build_index_from_preset(preset: ModelPreset, context: Any) -> EmbeddingIndex:
    """Load the preset's embedding model and index its reference images."""
    source = str(preset.options["embedding_model"])
    local = preset.option_path("embedding_model")
    if local is not None and local.exists():
        source = str(local)
    reference_csv = preset.option_path("reference_csv")
    if reference_csv is not None:
        references = read_reference_csv(reference_csv, preset.option_path("reference_root"))
    elif preset.options.get("reference_dataset"):
        references = _references_from_store(preset, context)
    else:
        raise ConfigError(
            f"preset {preset.name!r}: embedding mode needs options.reference_csv or "
            "options.reference_dataset"
        )
    embedder = ImageEmbedder(source, device=str(preset.options.get("device", "auto")))
    return EmbeddingIndex(embedder, references)
