"""Turn a rendered prompt into the adapters' neutral conversation form (a list of ChatTurn)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from analysis.errors import ModelError
from analysis.models.base import ChatTurn, ImagePart, TextPart


def as_turns(messages: Any, n_images: int) -> list[ChatTurn]:
    """Return ``messages`` (PromptMessages, a list of ChatTurn, or a plain string) as turns.

    Image parts index into the ``images`` sequence given to the adapter; an index past
    ``n_images`` is a programming error and raises ModelError.
    """
    if isinstance(messages, str):
        parts: list[TextPart | ImagePart] = [ImagePart(i) for i in range(n_images)]
        turns = [ChatTurn("user", (*parts, TextPart(messages)))]
    elif isinstance(messages, Sequence) and all(isinstance(t, ChatTurn) for t in messages):
        turns = list(messages)
    else:
        turns = _from_prompt_messages(messages)
    for turn in turns:
        for part in turn.parts:
            if isinstance(part, ImagePart) and not 0 <= part.index < n_images:
                raise ModelError(
                    f"prompt refers to image #{part.index} but {n_images} image(s) were given"
                )
    return turns


def _from_prompt_messages(messages: Any) -> list[ChatTurn]:
    # analysis.prompts.PromptMessages: iter_parts() yields (role, [("text", s) | ("image", i)]).
    iter_parts = getattr(messages, "iter_parts", None)
    if not callable(iter_parts):
        raise ModelError(f"cannot turn {type(messages).__name__} into chat turns")
    turns: list[ChatTurn] = []
    for role, parts in iter_parts():
        converted: list[TextPart | ImagePart] = []
        for kind, value in parts:
            if kind == "image":
                converted.append(ImagePart(int(value)))
            else:
                converted.append(TextPart(str(value)))
        turns.append(ChatTurn(str(role), tuple(converted)))
    return turns
