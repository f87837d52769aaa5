"""Pieces shared by adapters: a base class with the boring parts, and cached image encoding."""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from analysis.errors import ModelUnavailableError
from analysis.images import encode_for_model, load_image
from analysis.models.base import (
    AdapterContext,
    ChatTurn,
    ImageInput,
    ImagePart,
    ModelResponse,
    TextPart,
)
from analysis.models.presets import ModelPreset
from analysis.types import Sample


class AdapterBase:
    """Common state of every adapter: preset, name, timeout, cost, no-op lifecycle."""

    needs_image: bool = True

    def __init__(
        self, preset: ModelPreset, *, timeout_s: float | None = None, context: Any = None
    ) -> None:
        self.preset = preset
        self.name = preset.name
        self.timeout_s = float(timeout_s or preset.timeout_s or 60.0)
        self.context: AdapterContext = context or AdapterContext()

    @classmethod
    def from_preset(
        cls, preset: ModelPreset, *, timeout_s: float | None = None, context: Any = None
    ) -> AdapterBase:
        """Build the adapter for ``preset``."""
        return cls(preset, timeout_s=timeout_s, context=context)

    @classmethod
    def unavailable_reason(cls, preset: ModelPreset) -> str | None:
        """Return why ``preset`` cannot run here, or None when it can."""
        return None

    @classmethod
    def ensure_available(cls, preset: ModelPreset) -> None:
        """Raise ModelUnavailableError naming the preset when ``unavailable_reason`` gives one."""
        reason = cls.unavailable_reason(preset)
        if reason:
            raise ModelUnavailableError(f"model preset {preset.name!r}: {reason}")

    async def start(self) -> None:
        """Prepare for calls (nothing to do by default)."""

    async def aclose(self) -> None:
        """Release resources (nothing by default)."""

    def cost_usd(self, input_tokens: int | None, output_tokens: int | None) -> float | None:
        """Return the price of one answer at the preset's prices."""
        return self.preset.cost_usd(input_tokens, output_tokens)

    async def complete(
        self, messages: Any, images: Sequence[ImageInput], *, sample: Sample | None = None
    ) -> ModelResponse:
        """Answer one prompt; subclasses implement this."""
        raise NotImplementedError


class EncodedImageCache:
    """Small thread-safe LRU of model-ready JPEGs keyed by (image sha256, max_side).

    Few-shot prompts send the same example images with every request; decoding a 12 MP photo
    costs ~100 ms, so each is encoded once.
    """

    def __init__(self, capacity: int = 256) -> None:
        self.capacity = capacity
        self._items: OrderedDict[tuple[str, int], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, image: ImageInput, max_side: int) -> bytes:
        """Return ``image`` as a metadata-free JPEG no larger than ``max_side``."""
        key = (image.sha256, max_side)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        encoded = encode_for_model(load_image(image.data), max_side=max_side)
        with self._lock:
            self._items[key] = encoded
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
        return encoded

    async def get_async(self, image: ImageInput, max_side: int) -> bytes:
        """Like ``get`` but off the event loop (decoding big photos blocks for a while)."""
        return await asyncio.to_thread(self.get, image, max_side)


def single_turn(text: str, n_images: int = 1, system: str | None = None) -> list[ChatTurn]:
    """Build the simplest conversation: an optional system text, then images and a question."""
    turns: list[ChatTurn] = []
    if system:
        turns.append(ChatTurn("system", (TextPart(system),)))
    parts: list[TextPart | ImagePart] = [ImagePart(i) for i in range(n_images)]
    parts.append(TextPart(text))
    turns.append(ChatTurn("user", tuple(parts)))
    return turns
