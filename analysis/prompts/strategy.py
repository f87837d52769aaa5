"""``PromptStrategy``: instructions + answer format + (optionally) labelled example images.

A strategy is data, not code: its task text, whether "unknown" is allowed, and how examples are
used (none, a fixed set, or the query's neighbours; in given or shuffled order). ``render``
turns it into ``PromptMessages`` for one query sample in one ``AnswerForm``. Strategies that
need another shape may subclass and override ``render``.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from analysis.errors import InputError, NotFoundError
from analysis.prompts.messages import AnswerForm, ImageRef, PromptMessages, Turn
from analysis.types import Sample

ROLE_TEXT = (
    "You are shown photographs taken somewhere in the world and work out where each one was "
    "taken, using only what is visible in the picture."
)
QUESTION_TEXT = "Where was this photo taken?"
# the ``*_reasoning`` strategies: clues as a JSON list first, the usual answer line after it
REASONING_TEXT = (
    "Before your answer, write the visual clues you rely on as one line of JSON shaped like "
    'this: {"clues": ["<one short observation>", "..."]}. Make each item one thing you can see '
    'and what it suggests, for example "cars drive on the left" or "shop signs in Cyrillic '
    'script". Leave out what you cannot see; if nothing in the photo helps, write '
    '{"clues": []}.'
)
_COORD_DECIMALS = 4  # ~11 m: finer digits in an example answer would be noise


class ExampleMode(StrEnum):
    """Where a strategy's labelled example images come from."""

    NONE = "none"
    STATIC = "static"  # the same k examples for every query (chosen from a train split)
    DYNAMIC = "dynamic"  # the query's own nearest labelled neighbours


def answer_format(form: AnswerForm, allow_unknown: bool) -> str:
    """Return the instruction that asks for a parse-friendly final line in ``form``."""
    if form is AnswerForm.COUNTRY:
        shape = '{"country": "<country name in English>"}'
        unknown = '{"country": "unknown"}'
        extra = ""
    else:
        shape = '{"country": "<country name in English>", "lat": <latitude>, "lon": <longitude>}'
        unknown = '{"country": "unknown", "lat": null, "lon": null}'
        extra = (
            " Give latitude and longitude in decimal degrees: north and east are positive, "
            "south and west negative."
        )
    text = (
        "You may think out loud first, but end your reply with one line of JSON and nothing "
        f"after it, shaped like this: {shape}.{extra}"
    )
    if allow_unknown:
        text += f" If the photo does not let you tell, end with {unknown} instead."
    elif form is AnswerForm.COORDS:
        text += " Always fill in all three fields with your best estimate."
    return text


def example_answer(example: Sample, form: AnswerForm) -> str:
    """Return the model-style answer line for a labelled example (what it should have said)."""
    from analysis.geo import countries  # polygons load only when examples are rendered

    iso3 = example.true_country or countries.country_of(example.true_lat, example.true_lon)
    if iso3 is None:
        raise InputError(f"example {example.sample_id!r} has no country and lies in none")
    try:
        name = countries.country_info(iso3).name
    except NotFoundError:  # a code without a polygon is still a usable label
        name = iso3
    answer: dict[str, object] = {"country": name}
    if form is AnswerForm.COORDS:
        answer["lat"] = round(example.true_lat, _COORD_DECIMALS)
        answer["lon"] = round(example.true_lon, _COORD_DECIMALS)
    return json.dumps(answer, ensure_ascii=False)


def shuffled(examples: Sequence[Sample], sample_id: str, seed: int) -> list[Sample]:
    """Return ``examples`` in an order that depends only on (seed, query sample id)."""
    digest = hashlib.sha256(f"{seed}:{sample_id}".encode()).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))
    order = list(examples)
    rng.shuffle(order)
    return order


@dataclass(frozen=True)
class PromptStrategy:
    """A named, versioned way of asking; render it per sample with ``render``."""

    name: str
    version: str
    description: str
    instructions: str
    allow_unknown: bool = False
    examples: ExampleMode = ExampleMode.NONE
    shuffle: bool = False
    k: int = 5
    seed: int = 0
    forms: tuple[AnswerForm, ...] = (AnswerForm.COUNTRY, AnswerForm.COORDS)
    reasoning: bool = False  # ask for the cited clues as a JSON list before the answer line

    def __post_init__(self) -> None:
        if self.examples is not ExampleMode.NONE and self.k < 1:
            raise InputError(f"prompt {self.name!r}: k must be at least 1, got {self.k}")

    @property
    def needs_examples(self) -> bool:
        """Return True when ``render`` must be given labelled example samples."""
        return self.examples is not ExampleMode.NONE

    def with_options(self, k: int | None = None, seed: int | None = None) -> PromptStrategy:
        """Return a copy with another number of examples or shuffle seed."""
        return replace(self, k=self.k if k is None else k, seed=self.seed if seed is None else seed)

    def _form(self, form: AnswerForm | str) -> AnswerForm:
        try:
            chosen = AnswerForm(form)
        except ValueError:
            raise InputError(
                f"unknown answer form {form!r}; use one of {[str(f) for f in AnswerForm]}"
            ) from None
        if chosen not in self.forms:
            raise InputError(f"prompt {self.name!r} has no {chosen!s} form")
        return chosen

    def system_text(self, form: AnswerForm | str) -> str:
        """Return the system message for ``form``."""
        chosen = self._form(form)
        # only reasoning strategies get the extra paragraph: other prompts keep their hashes
        clues = f"{REASONING_TEXT}\n\n" if self.reasoning else ""
        answer = answer_format(chosen, self.allow_unknown)
        return f"{ROLE_TEXT}\n\n{self.instructions}\n\n{clues}{answer}"

    def _check_examples(self, sample: Sample, examples: Sequence[Sample]) -> list[Sample]:
        if not self.needs_examples:
            if examples:
                raise InputError(f"prompt {self.name!r} takes no examples, got {len(examples)}")
            return []
        if not examples:
            raise InputError(
                f"prompt {self.name!r} needs {self.examples!s} examples for sample "
                f"{sample.sample_id!r}, got none"
            )
        for example in examples:
            same_image = example.image_sha256 and example.image_sha256 == sample.image_sha256
            same_place = example.location_id and example.location_id == sample.location_id
            if example.sample_id == sample.sample_id or same_image or same_place:
                raise InputError(
                    f"example {example.sample_id!r} shows the query {sample.sample_id!r} "
                    "itself (same sample, image or location): the answer would leak"
                )
        chosen = list(examples[: self.k])  # a provider may offer more than k; the nearest first
        return shuffled(chosen, sample.sample_id, self.seed) if self.shuffle else chosen

    def render(
        self,
        sample: Sample,
        examples: Sequence[Sample] = (),
        form: AnswerForm | str = AnswerForm.COUNTRY,
    ) -> PromptMessages:
        """Render the prompt for ``sample``; ``examples`` are labelled samples (k-shot only)."""
        chosen_form = self._form(form)
        turns: list[Turn] = []
        for example in self._check_examples(sample, examples):
            turns.append(Turn("user", QUESTION_TEXT, (ImageRef.of_sample(example),)))
            turns.append(Turn("assistant", example_answer(example, chosen_form)))
        turns.append(Turn("user", QUESTION_TEXT, (ImageRef.of_sample(sample, "query"),)))
        return PromptMessages(
            strategy=self.name,
            version=self.version,
            form=chosen_form,
            system=self.system_text(chosen_form),
            turns=tuple(turns),
        )

    def template_text(self, form: AnswerForm | str) -> str:
        """Return the prompt with placeholders for images and example answers (for the runs table)."""
        chosen = self._form(form)
        parts = [f"[system]\n{self.system_text(chosen)}"]
        if self.needs_examples:
            order = "shuffled per sample" if self.shuffle else "in the order given"
            parts.append(
                f"[{self.k} x {self.examples!s} example, {order}]\n"
                f"[user]\n<example image>\n{QUESTION_TEXT}\n[assistant]\n<example answer JSON>"
            )
        parts.append(f"[user]\n<image>\n{QUESTION_TEXT}")
        return "\n\n".join(parts)

    def template_hash(self, form: AnswerForm | str) -> str:
        """Return the SHA-256 (hex) of the template, its name, version, k and seed."""
        chosen = self._form(form)
        payload = json.dumps(
            {
                "name": self.name,
                "version": self.version,
                "form": str(chosen),
                "k": self.k if self.needs_examples else None,
                "seed": self.seed if self.shuffle else None,
                "template": self.template_text(chosen),
            },
            sort_keys=True,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()
