"""Prompt strategies: ``PROMPTS`` maps a name to a ``PromptStrategy``; render one per sample.

Adding a strategy is one file defining a ``PromptStrategy`` and one ``register`` line below
(see docs/prompts.md). Entries are lazy, so importing this package imports no strategy module.
"""

from __future__ import annotations

from analysis.prompts.examples import (
    ExampleProvider,
    MappingNeighbours,
    StaticExamples,
    llmgeo_neighbours,
    select_static_examples,
)
from analysis.prompts.messages import AnswerForm, ImageRef, PromptMessages, Turn
from analysis.prompts.modes import InputMode, apply_mode, describe_messages, parse_mode
from analysis.prompts.strategy import ExampleMode, PromptStrategy
from analysis.registry import Registry

PROMPTS: Registry[PromptStrategy] = Registry("prompt strategy")
PROMPTS.register("basic", "analysis.prompts.basic:BASIC")
PROMPTS.register("must", "analysis.prompts.must:MUST")
PROMPTS.register("tips", "analysis.prompts.tips:TIPS")
PROMPTS.register("static_kshot", "analysis.prompts.kshot:STATIC_KSHOT")
PROMPTS.register("dynamic_kshot", "analysis.prompts.kshot:DYNAMIC_KSHOT")
PROMPTS.register("static_kshot_shuffled", "analysis.prompts.kshot:STATIC_KSHOT_SHUFFLED")
PROMPTS.register("dynamic_kshot_shuffled", "analysis.prompts.kshot:DYNAMIC_KSHOT_SHUFFLED")
PROMPTS.register("basic_reasoning", "analysis.prompts.reasoning:BASIC_REASONING")
PROMPTS.register("must_reasoning", "analysis.prompts.reasoning:MUST_REASONING")
PROMPTS.register("tips_reasoning", "analysis.prompts.reasoning:TIPS_REASONING")


def get_prompt(name: str) -> PromptStrategy:
    """Return the registered strategy ``name`` (RegistryError lists the known ones)."""
    return PROMPTS.get(name)


__all__ = [
    "PROMPTS",
    "AnswerForm",
    "ExampleMode",
    "ExampleProvider",
    "ImageRef",
    "InputMode",
    "MappingNeighbours",
    "PromptMessages",
    "PromptStrategy",
    "StaticExamples",
    "Turn",
    "apply_mode",
    "describe_messages",
    "get_prompt",
    "llmgeo_neighbours",
    "parse_mode",
    "select_static_examples",
]
