"""Nearest-neighbour retrieval baseline: guess the location of the most similar reference images.

Two sources of neighbours:

* ``options.neighbours_csv`` — a published neighbour list (LLMGeo's CLIP k-NN, see
  ../shared/data/llmgeo/clip_knn5_h0.csv): no weights at all; each query is looked up by its image
  path. Columns used: ``test_path``, ``nn1_country_iso3``, ``nn1_lat``, ``nn1_lon`` and, for the
  majority vote, ``majority5_country_iso3`` or ``top5_codes``.
* ``options.embedding_model`` — a transformers image-embedding model (a CLIP folder or hub id);
  the adapter embeds a reference set (``options.reference_csv`` with ``filename|image_path|path``,
  ``lat``, ``lon``, ``country_iso3`` columns, images under ``options.reference_root``; or
  ``options.reference_dataset`` [+ ``reference_split``] from the store) and answers by cosine
  similarity.

``options.vote``: ``"nn1"`` (default: the nearest neighbour's country and coordinates) or
``"majority"`` (the most common country among the k nearest; coordinates of the nearest
neighbour in that country). Answers are structured (``ModelResponse.parsed``); the text is the
same answer as JSON so stored runs can be re-parsed.
"""

from __future__ import annotations

import asyncio
import csv
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from analysis.errors import ConfigError, ModelUnavailableError, NotFoundError
from analysis.geo.countries import country_info
from analysis.images import image_sha256, load_image
from analysis.models.base import (
    Capabilities,
    CostModel,
    ImageInput,
    ModelAdapter,
    ModelResponse,
    PermanentModelError,
)
from analysis.models.presets import ModelPreset, hub_weights_note, missing_module
from analysis.types import CoordsSource, ParsedAnswer, PredictionStatus, Sample


@dataclass(frozen=True)
class Neighbour:
    """One reference image: where it is."""

    lat: float | None  # None when a neighbour list gives only the country
    lon: float | None
    country_iso3: str | None
    key: str = ""


def path_key(path: str) -> str:
    """Return a lookup key from the last four path components (split/heading/country/file)."""
    parts = PurePosixPath(path.replace("\\", "/").lower()).parts
    return "/".join(parts[-4:])


def _vote(neighbours: Sequence[Neighbour], mode: str) -> Neighbour:
    if mode == "nn1" or len(neighbours) == 1:
        return neighbours[0]
    counts = Counter(n.country_iso3 for n in neighbours if n.country_iso3)
    if not counts:
        return neighbours[0]
    best = max(counts.values())
    # Ties go to the country that appears nearest, as the neighbour order is the similarity order.
    winner = next(
        n.country_iso3 for n in neighbours if n.country_iso3 and counts[n.country_iso3] == best
    )
    located = [n for n in neighbours if n.country_iso3 == winner and n.lat is not None]
    return located[0] if located else Neighbour(None, None, winner)


def _country_point(iso3: str | None) -> tuple[float | None, float | None]:
    if not iso3:
        return None, None
    try:
        info = country_info(iso3)
    except NotFoundError:  # a code the polygons do not know: the country alone is the answer
        return None, None
    return info.rep_lat, info.rep_lon


def _answer(choice: Neighbour, extra: dict[str, Any]) -> ModelResponse:
    lat, lon, source = choice.lat, choice.lon, CoordsSource.MODEL
    if lat is None or lon is None:
        # Only the country is known (a vote among neighbours listed without coordinates).
        lat, lon = _country_point(choice.country_iso3)
        source = CoordsSource.COUNTRY_POINT
    text = json.dumps({"country": choice.country_iso3, "lat": lat, "lon": lon, **extra})
    parsed = ParsedAnswer(
        status=PredictionStatus.OK,
        country_iso3=choice.country_iso3,
        lat=lat,
        lon=lon,
        coords_source=source if lat is not None else None,
        detail="retrieval baseline",
    )
    return ModelResponse(text=text, input_tokens=0, output_tokens=0, latency_ms=0.0, parsed=parsed)


class _NeighbourList:
    def __init__(self, path: Path, k: int) -> None:
        if not path.is_file():
            raise ModelUnavailableError(f"neighbour list {path} not found")
        self.rows: dict[str, list[Neighbour]] = {}
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            needed = {"test_path", "nn1_lat", "nn1_lon", "nn1_country_iso3"}
            missing = needed - set(reader.fieldnames or [])
            if missing:
                raise ConfigError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
            for row in reader:
                nn1 = Neighbour(
                    float(row["nn1_lat"]), float(row["nn1_lon"]), row["nn1_country_iso3"] or None
                )
                # The published list gives coordinates only for nn1; the other neighbours
                # contribute their country to the vote.
                codes = (row.get("top5_codes") or "").split()[:k]
                others = [Neighbour(None, None, code.upper()) for code in codes[1:]]
                self.rows[path_key(row["test_path"])] = [nn1, *others]

    def lookup(self, sample: Sample) -> list[Neighbour]:
        for candidate in (sample.image_path, sample.sample_id):
            if candidate and path_key(candidate) in self.rows:
                return self.rows[path_key(candidate)]
        raise PermanentModelError(
            f"sample {sample.sample_id!r} is not in the neighbour list (looked up by image path)"
        )


class RetrievalAdapter(ModelAdapter):
    """Answer with the location of the nearest reference image(s)."""

    CAPABILITIES = Capabilities(structured=True, cost_model=CostModel.FREE)
    # a neighbour list is looked up by the sample's path: no image, and the sample keys answers
    _LIST_CAPABILITIES = Capabilities(
        needs_image=False, structured=True, cost_model=CostModel.FREE, sample_ref_keyed=True
    )

    @classmethod
    def capabilities_for(cls, preset: ModelPreset) -> Capabilities:
        """Return the list mode's capabilities when the preset names a neighbour list."""
        listed = preset.options.get("neighbours_csv")
        return cls._LIST_CAPABILITIES if listed else cls.CAPABILITIES

    def __init__(
        self, preset: ModelPreset, *, timeout_s: float | None = None, context: Any = None
    ) -> None:
        super().__init__(preset, timeout_s=timeout_s, context=context)
        options = preset.options
        self.vote = str(options.get("vote", "nn1"))
        if self.vote not in ("nn1", "majority"):
            raise ConfigError(f"preset {preset.name!r}: vote must be 'nn1' or 'majority'")
        self.k = int(options.get("k", 5))
        self.exclude_same_image = bool(options.get("exclude_same_image", True))
        csv_path = preset.option_path("neighbours_csv")
        self._neighbours = _NeighbourList(csv_path, self.k) if csv_path else None
        if self._neighbours is None and not options.get("embedding_model"):
            raise ConfigError(
                f"preset {preset.name!r}: the retrieval adapter needs options.neighbours_csv "
                "or options.embedding_model"
            )
        self._index: Any = None  # EmbeddingIndex, built in start()

    @classmethod
    def unavailable_reason(cls, preset: ModelPreset) -> str | None:
        """Return why the baseline cannot run here, or None."""
        csv_path = preset.option_path("neighbours_csv")
        if csv_path is not None:
            return None if csv_path.is_file() else f"neighbour list {csv_path} not found"
        if preset.options.get("embedding_model"):
            for module in ("torch", "transformers"):
                if missing_module(module):
                    return f"the {module} package is not installed"
            return None
        return "set options.neighbours_csv or options.embedding_model"

    @classmethod
    def availability_note(cls, preset: ModelPreset) -> str | None:
        """Say when the embedding model still has to be downloaded."""
        model = preset.options.get("embedding_model")
        if not model or preset.option_path("neighbours_csv") is not None:
            return None
        local = preset.option_path("embedding_model")
        return hub_weights_note(str(local) if local is not None and local.exists() else str(model))

    async def start(self) -> None:
        """Build the embedding index over the reference images (embedding mode only)."""
        if self._neighbours is None and self._index is None:
            # lazy: embedding mode only; embedding_index imports this module's Neighbour (a cycle at top)
            from analysis.models.embedding_index import build_index_from_preset

            self._index = await asyncio.to_thread(
                build_index_from_preset, self.preset, self.context
            )

    async def complete(
        self, messages: Any, images: Sequence[ImageInput], *, sample: Sample | None = None
    ) -> ModelResponse:
        """Return the neighbours' location for the query sample or image."""
        if self._neighbours is not None:
            if sample is None:
                raise PermanentModelError("the neighbour-list baseline needs the sample's identity")
            return _answer(_vote(self._neighbours.lookup(sample), self.vote), {"source": "list"})
        if self._index is None:
            await self.start()
        if not images:
            raise PermanentModelError("the embedding baseline needs the query image")
        query = images[-1]  # the query image comes last after any few-shot examples
        neighbours, similarity = await asyncio.to_thread(
            self._index.search,
            load_image(query.data),
            self.k,
            query.sha256 if self.exclude_same_image else None,
        )
        return _answer(_vote(neighbours, self.vote), {"similarity": round(similarity, 6)})


def query_image(data: bytes) -> ImageInput:
    """Wrap raw bytes as an adapter image input (helper for scripts and tests)."""
    return ImageInput(data=data, sha256=image_sha256(data), label="query")
