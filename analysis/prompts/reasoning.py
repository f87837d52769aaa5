"""``basic_reasoning``, ``must_reasoning``, ``tips_reasoning``: the clues first, as JSON.

Each is its base strategy with one more paragraph: before the usual answer line, the model lists
the clues it relies on as ``{"clues": ["...", ...]}``. The answer line is unchanged, so the parser
reads these replies as any other, and ``analysis.clues.extract_clues`` reads the list (a
``clues`` field is read like prose). Only zero-shot strategies get a variant: the k-shot ones'
example answers carry no clue list, which would teach the model to leave it out.
"""

from __future__ import annotations

from dataclasses import replace

from analysis.prompts.basic import BASIC
from analysis.prompts.must import MUST
from analysis.prompts.strategy import PromptStrategy
from analysis.prompts.tips import TIPS

REASONING_VERSION = "1"


def with_reasoning(base: PromptStrategy) -> PromptStrategy:
    """Return ``base`` asking for its clues as a JSON list first (own name and version)."""
    return replace(
        base,
        name=f"{base.name}_reasoning",
        version=REASONING_VERSION,
        description=f"{base.description} Lists the clues it uses as JSON before the answer.",
        reasoning=True,
    )


BASIC_REASONING = with_reasoning(BASIC)
MUST_REASONING = with_reasoning(MUST)
TIPS_REASONING = with_reasoning(TIPS)
