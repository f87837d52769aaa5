"""A rendered prompt: system text and ordered turns of text and image references, with a hash.

The prompt never holds decoded images. An ``ImageRef`` names a file (and its SHA-256 when known)
or carries raw bytes; the runner loads, strips and encodes it. The hash covers every word and
each image's content hash, never the bytes, so the same question about the same image always
has the same hash (the response cache relies on it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from analysis.errors import InputError
from analysis.types import Sample

Role = Literal["user", "assistant"]


class AnswerForm(StrEnum):
    """What the prompt asks for: a country only (as LLMGeo), or a country plus coordinates."""

    COUNTRY = "country"
    COORDS = "coords"


@dataclass(frozen=True, slots=True)
class ImageRef:
    """An image to attach: a path and/or its bytes, identified by its SHA-256 when known."""

    path: str | None = None
    sha256: str | None = None
    data: bytes | None = field(default=None, repr=False, compare=False)
    label: str = ""  # "query" or the example's sample id, for error messages and as_text()

    def __post_init__(self) -> None:
        if self.path is None and self.sha256 is None and self.data is None:
            raise InputError("an image reference needs a path, a sha256 or bytes")

    @classmethod
    def of_sample(cls, sample: Sample, label: str = "") -> ImageRef:
        """Reference the image of ``sample`` (raises InputError when it has none)."""
        if sample.image_path is None and sample.image_sha256 is None:
            raise InputError(f"sample {sample.sample_id!r} has no image path or hash")
        return cls(sample.image_path, sample.image_sha256, label=label or sample.sample_id)

    def identity(self) -> str:
        """Return what the prompt hash sees: the content hash, else a hash of the bytes, else the path."""
        if self.sha256:
            return "sha256:" + self.sha256.lower()
        if self.data is not None:
            return "sha256:" + hashlib.sha256(self.data).hexdigest()
        return f"path:{self.path}"


@dataclass(frozen=True, slots=True)
class Turn:
    """One message: a role, the images it shows (placed before the text), and its text."""

    role: Role
    text: str
    images: tuple[ImageRef, ...] = ()


@dataclass(frozen=True, slots=True)
class PromptMessages:
    """A fully rendered prompt for one query image (few-shot answers included as turns)."""

    strategy: str
    version: str
    form: AnswerForm
    system: str
    turns: tuple[Turn, ...]
    mode: str = "image"  # the input mode (analysis.prompts.modes.InputMode) it was rendered in

    def canonical(self) -> dict[str, Any]:
        """Return the JSON-able content the hash is computed over (no image bytes)."""
        content: dict[str, Any] = {
            "strategy": self.strategy,
            "version": self.version,
            "form": str(self.form),
            "system": self.system,
            "turns": [
                {"role": t.role, "text": t.text, "images": [i.identity() for i in t.images]}
                for t in self.turns
            ],
        }
        # image-mode prompts keep the hash they always had, so their cached answers stay valid
        if self.mode != "image":
            content["mode"] = self.mode
        return content

    @property
    def hash(self) -> str:
        """Return the SHA-256 (hex) of the canonical content."""
        payload = json.dumps(self.canonical(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def images(self) -> tuple[ImageRef, ...]:
        """Return every image in order of appearance (the order image indexes refer to)."""
        return tuple(image for turn in self.turns for image in turn.images)

    def iter_parts(self) -> Iterator[tuple[str, list[tuple[str, int | str]]]]:
        """Yield (role, parts) per message, system first; a part is ("image", index) or ("text", s)."""
        if self.system:
            yield "system", [("text", self.system)]
        index = 0
        for turn in self.turns:
            parts: list[tuple[str, int | str]] = []
            for _ in turn.images:
                parts.append(("image", index))
                index += 1
            parts.append(("text", turn.text))
            yield turn.role, parts

    def to_chat(
        self, image_part: Callable[[int, ImageRef], dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Return OpenAI-style messages; ``image_part(index, ref)`` builds each image's content part."""
        refs = self.images()
        messages: list[dict[str, Any]] = []
        for role, parts in self.iter_parts():
            content: list[dict[str, Any]] = []
            for kind, value in parts:
                if kind == "image":
                    assert isinstance(value, int)
                    content.append(image_part(value, refs[value]))
                else:
                    content.append({"type": "text", "text": value})
            messages.append({"role": role, "content": content})
        return messages

    def as_text(self, with_image_ids: bool = False) -> str:
        """Return the exact prompt as readable text, images shown as ``<image>`` placeholders."""
        lines = [f"[system]\n{self.system}"] if self.system else []
        for turn in self.turns:
            marks = [
                f"<image {i.identity()}>" if with_image_ids else "<image>" for i in turn.images
            ]
            lines.append(f"[{turn.role}]\n" + "".join(m + "\n" for m in marks) + turn.text)
        return "\n\n".join(lines)
