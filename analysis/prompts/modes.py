"""Input modes: what a model is given besides the prompt's words (image, description, views).

A strategy renders the question about one image (``PromptStrategy.render``); ``apply_mode``
then reshapes its query turn for the run's input mode: the image alone (unchanged), the image
with a written description of it, the description alone (no pixels), a two-turn conversation
in which the model first describes the image and then locates it, or every view of a location
at once. The mode enters the rendered hash (``PromptMessages.mode``), so answers given in one
mode are never reused for another. Descriptions come from ``describe_messages``, a fixed,
versioned request whose hash keys the stored descriptions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import replace
from enum import StrEnum

from analysis.errors import InputError
from analysis.prompts.messages import AnswerForm, ImageRef, PromptMessages, Turn
from analysis.prompts.strategy import ROLE_TEXT
from analysis.types import Sample


class InputMode(StrEnum):
    """What the model is shown for each question."""

    IMAGE = "image"
    IMAGE_DESCRIPTION = "image+description"
    DESCRIPTION = "description"
    DESCRIBE_THEN_LOCATE = "describe-then-locate"
    ALL_VIEWS = "all-views"

    @property
    def needs_description(self) -> bool:
        """Return True when each question carries a description of the image."""
        return self in (
            InputMode.IMAGE_DESCRIPTION,
            InputMode.DESCRIPTION,
            InputMode.DESCRIBE_THEN_LOCATE,
        )

    @property
    def location_level(self) -> bool:
        """Return True when one question covers a whole location (all its views)."""
        return self is InputMode.ALL_VIEWS


def parse_mode(text: str) -> InputMode:
    """Return the input mode named ``text`` (InputError lists the known ones)."""
    try:
        return InputMode(text.strip())
    except ValueError:
        known = ", ".join(m.value for m in InputMode)
        raise InputError(f"unknown input mode {text!r} (known: {known})") from None


DESCRIBE_VERSION = "1"
DESCRIBE_SYSTEM = (
    "You write factual descriptions of photographs for someone who cannot see them. Describe "
    "only what is visible; do not guess the place."
)
DESCRIBE_REQUEST = (
    "Describe this photo in one paragraph of at most 120 words: the landscape and vegetation, "
    "the sky and light, roads and their markings, vehicles, buildings, poles and street "
    "furniture, and any writing, with its script and language. Do not name a country or city."
)
DESCRIPTION_INTRO = "A written description of the photo, made beforehand:"
DESCRIPTION_ONLY_ROLE = (
    "You are given written descriptions of photographs taken somewhere in the world and work "
    "out where each one was taken, using only what the description says."
)
DESCRIPTION_ONLY_QUESTION = "Where was the photo described above taken?"
LOCATE_AFTER_DESCRIBING = (
    "Now, using your description and the photo, say where this photo was taken."
)
ALL_VIEWS_NOTE = (
    "These {n} photos were taken from one spot, facing {headings} degrees from north. "
    "Treat them as one place."
)
ALL_VIEWS_QUESTION = "Where was this place?"


def describe_messages(sample: Sample) -> PromptMessages:
    """Render the request that asks a captioning model to describe ``sample``'s image."""
    return PromptMessages(
        strategy="describe",
        version=DESCRIBE_VERSION,
        form=AnswerForm.COUNTRY,  # unused: a description has no answer line
        system=DESCRIBE_SYSTEM,
        turns=(Turn("user", DESCRIBE_REQUEST, (ImageRef.of_sample(sample, "query"),)),),
        mode="describe",
    )


def describe_prompt_hash() -> str:
    """Return the SHA-256 (hex) of the describe request's words and version (keys descriptions)."""
    payload = json.dumps(
        {"version": DESCRIBE_VERSION, "system": DESCRIBE_SYSTEM, "request": DESCRIBE_REQUEST},
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _query(messages: PromptMessages, mode: InputMode) -> Turn:
    # Examples would arrive without descriptions (or with pixels in a text-only mode): only a
    # zero-shot prompt has a clear meaning in another mode.
    if len(messages.turns) != 1:
        raise InputError(
            f"input mode {mode.value!r} needs a prompt strategy without examples; "
            f"{messages.strategy!r} has {len(messages.turns) - 1} example turns"
        )
    return messages.turns[0]


def apply_mode(
    messages: PromptMessages,
    mode: InputMode | str,
    *,
    description: str | None = None,
    views: Sequence[Sample] = (),
) -> PromptMessages:
    """Reshape a rendered query for ``mode``; ``description`` or ``views`` as the mode needs.

    Args:
        messages: the strategy's rendering for one sample (image mode).
        mode: the input mode.
        description: the text describing the query image (modes that need one).
        views: every sample of the query's location, any order (``all-views``).
    """
    chosen = InputMode(mode)
    if chosen is InputMode.IMAGE:
        return messages
    query = _query(messages, chosen)
    system = messages.system
    turns: tuple[Turn, ...]
    if chosen.needs_description:
        if not description or not description.strip():
            raise InputError("no description of this image is available")
        description = description.strip()
    if chosen is InputMode.IMAGE_DESCRIPTION:
        text = f"{DESCRIPTION_INTRO}\n\n{description}\n\n{query.text}"
        turns = (Turn("user", text, query.images),)
    elif chosen is InputMode.DESCRIPTION:
        system = system.replace(ROLE_TEXT, DESCRIPTION_ONLY_ROLE)
        text = f"{DESCRIPTION_INTRO}\n\n{description}\n\n{DESCRIPTION_ONLY_QUESTION}"
        turns = (Turn("user", text),)
    elif chosen is InputMode.DESCRIBE_THEN_LOCATE:
        assert description is not None
        turns = (
            Turn("user", DESCRIBE_REQUEST, query.images),
            Turn("assistant", description),
            Turn("user", LOCATE_AFTER_DESCRIBING),
        )
    else:
        turns = (_all_views_turn(views),)
    return replace(messages, system=system, turns=turns, mode=chosen.value)


def _all_views_turn(views: Sequence[Sample]) -> Turn:
    if not views:
        raise InputError("all-views mode needs the views of the location")
    ordered = sorted(views, key=lambda s: (s.heading is None, s.heading or 0, s.sample_id))
    headings = [str(s.heading) for s in ordered if s.heading is not None]
    shown = ", ".join(headings) if len(headings) == len(ordered) else "different directions,"
    note = ALL_VIEWS_NOTE.format(n=len(ordered), headings=shown)
    refs = tuple(ImageRef.of_sample(s, f"view {s.heading}") for s in ordered)
    return Turn("user", f"{note}\n\n{ALL_VIEWS_QUESTION}", refs)


def mode_template_text(template: str, mode: InputMode | str) -> str:
    """Return a strategy's template text with the mode's shape appended (for the runs table)."""
    chosen = InputMode(mode)
    if chosen is InputMode.IMAGE:
        return template
    shapes = {
        InputMode.IMAGE_DESCRIPTION: f"[user]\n<image>\n{DESCRIPTION_INTRO}\n<description>",
        InputMode.DESCRIPTION: (
            f"[system role]\n{DESCRIPTION_ONLY_ROLE}\n[user]\n{DESCRIPTION_INTRO}\n"
            f"<description>\n{DESCRIPTION_ONLY_QUESTION}"
        ),
        InputMode.DESCRIBE_THEN_LOCATE: (
            f"[user]\n<image>\n{DESCRIBE_REQUEST}\n[assistant]\n<its own description>\n"
            f"[user]\n{LOCATE_AFTER_DESCRIBING}"
        ),
        InputMode.ALL_VIEWS: (f"[user]\n<image per view>\n{ALL_VIEWS_NOTE}\n{ALL_VIEWS_QUESTION}"),
    }
    return f"{template}\n\n[input mode: {chosen.value}; the query becomes]\n{shapes[chosen]}"


def mode_template_hash(
    template_hash: str, mode: InputMode | str, describe_hash: str | None = None
) -> str:
    """Return the run-level prompt hash of a strategy's template in ``mode`` (image: unchanged)."""
    chosen = InputMode(mode)
    if chosen is InputMode.IMAGE:
        return template_hash
    payload = json.dumps(
        {
            "template": template_hash,
            "mode": chosen.value,
            "describe": describe_hash if chosen.needs_description else None,
            "words": mode_template_text("", chosen),
        },
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
