"""``must``: ask for the country and insist on one, however weak the clues."""

from __future__ import annotations

from analysis.prompts.strategy import PromptStrategy

MUST_TEXT = (
    "Decide which country the photo was taken in. You must commit to exactly one country: give "
    "your single most likely answer even when the clues are weak. Saying that you cannot tell "
    "is not an acceptable answer."
)

MUST = PromptStrategy(
    name="must",
    version="1",
    description="The model must name one country (no unknown).",
    instructions=MUST_TEXT,
)
