"""The one model-call core: cache key, cached answers, scrubbing and prices of one preset's calls.

Benchmark runs (``analysis.runner``), sweeps, fine-tuning's ``--evaluate`` (through ``run``)
and the live panel (``analysis.live``) all go through ``CallCore``: the same request has the
same key everywhere, so an answer paid for in a benchmark is reused by the live panel and the
other way round, and every answer, fresh or cached, is scrubbed of keys and capped in size
(``answers.clean_response``) before anyone caches, stores or shows it. Retries, rate limits and
spending caps stay with the callers (a run and a browser session budget differently).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from analysis.models import adapter_capabilities
from analysis.models.answers import clean_response, known_secrets, max_answer_bytes
from analysis.models.base import Capabilities, CostModel, ModelResponse
from analysis.models.cache import ResponseCache, response_key
from analysis.models.cost import max_call_cost_usd
from analysis.models.presets import ModelPreset
from analysis.types import Sample


@dataclass(frozen=True)
class CallCore:
    """How one preset's requests are keyed, cleaned, cached and priced."""

    preset: ModelPreset
    capabilities: Capabilities
    max_answer_bytes: int  # answers are cut to this many bytes (the row or card says so)
    secrets: tuple[str, ...]  # values scrubbed from answers and error messages

    @classmethod
    def for_preset(
        cls,
        preset: ModelPreset,
        *,
        max_answer_bytes: int | None = None,
        capabilities: Capabilities | None = None,
    ) -> CallCore:
        """Build the core of ``preset`` (capabilities from its adapter class unless given)."""
        return cls(
            preset=preset,
            capabilities=capabilities or adapter_capabilities(preset),
            max_answer_bytes=max_answer_bytes or _default_max_answer_bytes(),
            secrets=known_secrets(preset),
        )

    def sample_ref(self, sample: Sample | None) -> str | None:
        """Return the sample's part of the key: only adapters keyed by sample have one."""
        if sample is None or not self.capabilities.sample_ref_keyed:
            return None
        return sample.image_path or sample.sample_id

    def key(
        self, prompt_hash: str, image_sha256s: Sequence[str], sample: Sample | None = None
    ) -> str:
        """Return the shared cache key of one request.

        Args:
            prompt_hash: the rendered prompt's hash (``PromptMessages.hash``).
            image_sha256s: SHA-256 of each image's bytes as handed to the adapter, in order.
            sample: the sample asked about (used only by adapters keyed by sample).
        """
        return response_key(self.preset, prompt_hash, image_sha256s, self.sample_ref(sample))

    def request_key(
        self, messages: Any, image_sha256s: Sequence[str], sample: Sample | None = None
    ) -> str:
        """Return the key of asking ``messages`` with images of these contents (see ``key``)."""
        return self.key(request_hash(messages, image_sha256s), image_sha256s, sample)

    def clean(self, response: ModelResponse) -> ModelResponse:
        """Return ``response`` scrubbed of secrets and cut to the answer size cap."""
        return clean_response(response, self.secrets, self.max_answer_bytes)

    def lookup(self, cache: ResponseCache | None, key: str) -> ModelResponse | None:
        """Return the cached answer for ``key``, cleaned (older entries predate the scrub)."""
        cached = cache.get(key) if cache is not None else None
        return None if cached is None else self.clean(cached)

    def keep(self, cache: ResponseCache | None, key: str, response: ModelResponse) -> ModelResponse:
        """Clean a fresh answer and cache it under ``key``; return the cleaned answer."""
        cleaned = self.clean(response)
        if cache is not None:
            cache.put(key, cleaned, self.preset.model)
        return cleaned

    def cost_usd(self, input_tokens: int | None, output_tokens: int | None) -> float | None:
        """Return one answer's price (0 for adapters that run here, whatever the counts)."""
        if self.capabilities.cost_model is CostModel.FREE:
            return 0.0
        return self.preset.cost_usd(input_tokens, output_tokens)

    def max_cost_usd(self, prompt_chars: int, n_images: int) -> float:
        """Return the most one call may cost (what a spending cap reserves before it)."""
        if self.capabilities.cost_model is CostModel.FREE:
            return 0.0
        return max_call_cost_usd(self.preset, prompt_chars, n_images)


def request_hash(messages: Any, image_sha256s: Sequence[str]) -> str:
    """Return the rendered prompt's hash with each image named by the content actually sent.

    Equal to ``PromptMessages.hash`` when the prompt already names its images by SHA-256 (the
    live panel's photo, a dataset imported with hashes), so such cache entries keep their keys;
    a dataset stored without hashes names images by path, and the bytes read stand in for it,
    so its answers are shared with the live panel too.

    Args:
        messages: a rendered ``PromptMessages``.
        image_sha256s: SHA-256 of each image handed to the adapter, in prompt order (empty for
            adapters that get no image: the prompt's own hash is used then).
    """
    canonical = messages.canonical()
    turns = canonical["turns"]
    if len(image_sha256s) != sum(len(turn["images"]) for turn in turns):
        return str(messages.hash)
    contents = iter(image_sha256s)
    for turn in turns:
        turn["images"] = ["sha256:" + next(contents).lower() for _ in turn["images"]]
    payload = json.dumps(canonical, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _default_max_answer_bytes() -> int:
    return max_answer_bytes()
