"""``basic``: ask for the country and accept "I can't tell" as an answer."""

from __future__ import annotations

from analysis.prompts.strategy import PromptStrategy

BASIC = PromptStrategy(
    name="basic",
    version="1",
    description="Plain question; the model may answer unknown.",
    instructions=(
        "Decide which country the photo was taken in. If nothing in the picture gives you a "
        "reasonable basis for a guess, you may say that you cannot tell."
    ),
    allow_unknown=True,
)
