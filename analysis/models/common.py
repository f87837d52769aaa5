"""Pieces shared by adapters: cached image encoding and the simplest conversation."""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict

from analysis.images import encode_for_model, load_image
from analysis.models.base import (
    ChatTurn,
    ImageInput,
    ImagePart,
    TextPart,
)


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
