"""The one worst-case cost estimator for a model call, shared by the runner and the live panel.

A spending cap holds only if money is set aside *before* a call: ``max_call_cost_usd`` is what
one call may cost at most (input estimated generously, output at the preset's token limit), and
``usage_exceeds`` tells when a provider reports more than that, which the callers treat as an
anomaly (booked, flagged, and the run stopped).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.models.presets import ModelPreset

# Input tokens per image, worst case over providers: a 1024 px image costs ~765 tokens at OpenAI
# (high detail), ~258 at Gemini, up to ~1,600 at Anthropic; patch-based models (Qwen-VL) spend
# one token per 28x28 pixels, which passes 2000 only for images sent above ~1250 px.
IMAGE_TOKENS_ESTIMATE = 2000
PATCH_SIDE_PX = 28
CHARS_PER_TOKEN = 3  # conservative: English averages ~4 characters per token
DEFAULT_OUTPUT_TOKENS_ESTIMATE = 1000  # when the preset sets no max_tokens


def image_tokens_worst_case(max_side: int) -> int:
    """Return the most input tokens one image sent at ``max_side`` pixels may cost."""
    patches = math.ceil(max_side / PATCH_SIDE_PX) ** 2
    return max(IMAGE_TOKENS_ESTIMATE, patches)


def max_input_tokens(preset: ModelPreset, prompt_chars: int, n_images: int = 1) -> int:
    """Return a generous estimate of one call's input tokens (prompt text plus images)."""
    text = max(0, prompt_chars) // CHARS_PER_TOKEN + 1
    return text + max(0, n_images) * image_tokens_worst_case(preset.max_side)


def max_output_tokens(preset: ModelPreset) -> int:
    """Return the output tokens one call may produce (the preset's limit or a default)."""
    return preset.max_output_tokens or DEFAULT_OUTPUT_TOKENS_ESTIMATE


def max_call_cost_usd(preset: ModelPreset, prompt_chars: int, n_images: int = 1) -> float:
    """Return the most one call may cost at the preset's prices, in USD (0 for free presets).

    Args:
        preset: the model preset (prices per million tokens, ``max_side``, ``max_tokens``).
        prompt_chars: characters of prompt text sent (system, examples and question).
        n_images: images sent with the prompt (k-shot examples included).
    """
    if not preset.is_paid:
        return 0.0
    cost = preset.cost_usd(
        max_input_tokens(preset, prompt_chars, n_images), max_output_tokens(preset)
    )
    return float(cost or 0.0)


def clamp_tokens(value: object) -> int | None:
    """Return a reported token count as a non-negative int, or None when it is not one."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None  # negative or non-integer usage is nonsense: treat it as unknown
    return value


def usage_exceeds(
    preset: ModelPreset,
    output_tokens: int | None,
    cost_usd: float | None,
    reserved_usd: float,
) -> str | None:
    """Return why reported usage is beyond what one call may use, or None when it is not.

    More output tokens than the request's limit, or a cost above the call's reservation, means
    the provider (or a proxy) reports usage this request cannot have had, or the estimate was
    wrong; either way a spending cap no longer holds.
    """
    limit = preset.max_output_tokens
    if output_tokens is not None and limit is not None and output_tokens > limit:
        return f"{output_tokens} output tokens reported for a request limited to {limit}"
    if cost_usd is not None and reserved_usd > 0 and cost_usd > reserved_usd * (1 + 1e-9):
        return (
            f"reported usage costs ${cost_usd:.4f}, more than the ${reserved_usd:.4f} "
            "this call could cost at most"
        )
    return None
