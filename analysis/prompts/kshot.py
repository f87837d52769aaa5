"""k-shot strategies: labelled example photos shown before the query, fixed or nearest.

Static examples are the same for every query (``examples.StaticExamples``); dynamic ones are
the query's nearest labelled neighbours (any ``ExampleProvider``). The shuffled variants present
the same examples in an order drawn per query from (seed, sample id), which tests whether a
model leans on the last example it saw. Example answers use the same JSON line the model is
asked for, so the examples also teach the format.
"""

from __future__ import annotations

from analysis.prompts.strategy import ExampleMode, PromptStrategy

KSHOT_TEXT = (
    "Before the photo you have to place, you are shown a few example photos, each followed by "
    "its correct answer. Use them as references for how places look, then answer for the last "
    "photo only. You must commit to exactly one country, even when the clues are weak."
)

STATIC_KSHOT = PromptStrategy(
    name="static_kshot",
    version="1",
    description="k fixed labelled examples (stratified by country, seeded) before the query.",
    instructions=KSHOT_TEXT,
    examples=ExampleMode.STATIC,
)
DYNAMIC_KSHOT = PromptStrategy(
    name="dynamic_kshot",
    version="1",
    description="The query's k nearest labelled neighbours, nearest first, before the query.",
    instructions=KSHOT_TEXT,
    examples=ExampleMode.DYNAMIC,
)
STATIC_KSHOT_SHUFFLED = PromptStrategy(
    name="static_kshot_shuffled",
    version="1",
    description="static_kshot with the examples in a per-query shuffled order.",
    instructions=KSHOT_TEXT,
    examples=ExampleMode.STATIC,
    shuffle=True,
)
DYNAMIC_KSHOT_SHUFFLED = PromptStrategy(
    name="dynamic_kshot_shuffled",
    version="1",
    description="dynamic_kshot with the neighbours in a per-query shuffled order.",
    instructions=KSHOT_TEXT,
    examples=ExampleMode.DYNAMIC,
    shuffle=True,
)
