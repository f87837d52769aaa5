"""GeoCLIP baseline (Vivanco et al., NeurIPS 2023) through the optional ``geoclip`` package.

Optional: ``pip install -r requirements-geoclip.txt`` (it needs torchvision, which must match the
installed torch; it is deliberately not in requirements.txt). GeoCLIP predicts GPS coordinates;
the country is the one containing them.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from collections.abc import Sequence
from typing import Any

from analysis.errors import ModelUnavailableError
from analysis.geo.countries import country_of
from analysis.images import encode_for_model, load_image
from analysis.models.base import (
    Capabilities,
    CostModel,
    ImageInput,
    ModelAdapter,
    ModelResponse,
    PermanentModelError,
)
from analysis.models.presets import ModelPreset, missing_module
from analysis.types import CoordsSource, ParsedAnswer, PredictionStatus, Sample

_INSTALL_HINT = (
    "the geoclip baseline needs the optional package 'geoclip' (and torchvision matching your "
    "torch): pip install -r requirements-geoclip.txt"
)


class GeoCLIPAdapter(ModelAdapter):
    """Predict coordinates with GeoCLIP's image-to-GPS retrieval."""

    CAPABILITIES = Capabilities(structured=True, cost_model=CostModel.FREE)

    def __init__(
        self, preset: ModelPreset, *, timeout_s: float | None = None, context: Any = None
    ) -> None:
        super().__init__(preset, timeout_s=timeout_s, context=context)
        self._model: Any = None

    @classmethod
    def unavailable_reason(cls, preset: ModelPreset) -> str | None:
        """Return the install hint when geoclip is missing, else None."""
        return _INSTALL_HINT if missing_module("geoclip") else None

    def _load(self) -> None:
        try:
            # lazy: optional package (and torch): imported when the model loads
            from geoclip import GeoCLIP
        except ImportError as exc:  # installed but broken (torchvision mismatch, ...)
            raise ModelUnavailableError(f"{_INSTALL_HINT} (import failed: {exc})") from None
        self._model = GeoCLIP()

    async def start(self) -> None:
        """Load GeoCLIP's weights (downloaded by the package on first use)."""
        if self._model is None:
            await asyncio.to_thread(self._load)

    def _predict(self, image: ImageInput) -> tuple[float, float, float]:
        jpeg = encode_for_model(load_image(image.data), max_side=self.preset.max_side)
        # GeoCLIP.predict takes a file path.
        handle, path = tempfile.mkstemp(suffix=".jpg")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(jpeg)
            gps, prob = self._model.predict(path, top_k=1)
        finally:
            os.unlink(path)
        return float(gps[0][0]), float(gps[0][1]), float(prob[0])

    async def complete(
        self, messages: Any, images: Sequence[ImageInput], *, sample: Sample | None = None
    ) -> ModelResponse:
        """Return GeoCLIP's top-1 GPS guess for the query image."""
        if not images:
            raise PermanentModelError("GeoCLIP needs the query image")
        await self.start()
        lat, lon, probability = await asyncio.to_thread(self._predict, images[-1])
        country = country_of(lat, lon)
        text = json.dumps({"country": country, "lat": lat, "lon": lon, "probability": probability})
        parsed = ParsedAnswer(
            status=PredictionStatus.OK,
            country_iso3=country,
            lat=lat,
            lon=lon,
            coords_source=CoordsSource.MODEL,
            detail="geoclip",
        )
        return ModelResponse(text=text, input_tokens=0, output_tokens=0, parsed=parsed)
