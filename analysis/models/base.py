"""The model adapter base class, its response type, and the typed failures the runner acts on.

An adapter turns one rendered prompt plus images into one ``ModelResponse``. It does not retry:
it maps every failure to a ``ModelError`` subclass, and the runner decides (``TransientModelError``
is retried with backoff, anything else is recorded as ``api_error`` at once).
"""

from __future__ import annotations

import os
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Self, final

from analysis.errors import ModelError, ModelUnavailableError
from analysis.types import ParsedAnswer, Sample

if TYPE_CHECKING:
    from analysis.models.presets import ModelPreset


class TransientModelError(ModelError):
    """A failure worth retrying (rate limit, timeout, 5xx, dropped connection)."""

    # True when the request may have reached the model without an answer reaching us (timeout,
    # dropped connection): providers may bill such calls, so spending caps count them.
    maybe_billed: bool = False

    def __init__(
        self, message: str, retry_after_s: float | None = None, *, maybe_billed: bool | None = None
    ) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s  # the server's Retry-After, when it sent one
        if maybe_billed is not None:
            self.maybe_billed = maybe_billed


class RateLimitedError(TransientModelError):
    """HTTP 429: the provider asks us to slow down."""


class ModelTimeoutError(TransientModelError):
    """No answer within the per-request timeout."""

    maybe_billed = True


class ServerError(TransientModelError):
    """HTTP 5xx or a connection failure."""


class PermanentModelError(ModelError):
    """A failure that retrying cannot fix (bad request, wrong key, unknown model)."""

    maybe_billed: bool = False  # as on TransientModelError: the model may have answered


@dataclass(frozen=True)
class ModelResponse:
    """One model answer with its accounting."""

    text: str
    input_tokens: int | None = None
    output_tokens: int | None = None
    latency_ms: float | None = None
    raw: dict[str, Any] | None = None  # JSON-able provider payload (no secrets), for debugging
    # Structured adapters (retrieval, geoclip) know their answer exactly; text ones leave it None
    # and the runner parses ``text``.
    parsed: ParsedAnswer | None = None
    truncated: bool = False  # ``text`` was cut to the answer size cap (analysis.models.answers)


@dataclass(frozen=True)
class ImageInput:
    """One image handed to an adapter: the original file bytes and their identity."""

    data: bytes
    sha256: str
    label: str = ""  # e.g. "query" or a few-shot example's sample id (for error messages)


@dataclass(frozen=True)
class TextPart:
    """Plain text inside a chat turn."""

    text: str


@dataclass(frozen=True)
class ImagePart:
    """An image inside a chat turn (index into the ``images`` passed alongside)."""

    index: int


@dataclass(frozen=True)
class ChatTurn:
    """One message of a conversation: a role and an ordered list of text and image parts."""

    role: str  # "system" | "user" | "assistant"
    parts: tuple[TextPart | ImagePart, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class AdapterContext:
    """What some adapters need beyond their preset (reference data for retrieval)."""

    store: Any = None  # an analysis.store.Store, for adapters that read a reference dataset
    images_root: Path | None = None  # where relative sample image paths live
    max_answer_bytes: int | None = None  # answer size cap; None = GEOSCOPE_MAX_ANSWER_KB


class CostModel(StrEnum):
    """How an adapter's calls are paid for."""

    PER_TOKEN = "per_token"  # the preset's prices per million tokens apply
    FREE = "free"  # runs on this machine: a preset of it may not set prices


@dataclass(frozen=True)
class Capabilities:
    """What an adapter declares about itself; callers branch on these, never on its name."""

    needs_image: bool = True  # False: answers without the image (a precomputed neighbour list)
    structured: bool = False  # answers with country and coordinates directly (no text to parse)
    local_weights: bool = False  # ``model`` names weights on disk (fingerprinted, fine-tunable)
    cost_model: CostModel = CostModel.PER_TOKEN
    sample_ref_keyed: bool = False  # answers depend on the sample's identity (cache key part)
    # the provider's batch endpoint this adapter can write requests for: "openai" (Batch API,
    # also Azure OpenAI and vLLM run-batch) or "anthropic" (Message Batches); None: no batches
    batch_api: str | None = None


class ModelAdapter(ABC):
    """Base class of every model adapter: construction, availability, capabilities, calls.

    Subclasses set ``CAPABILITIES`` (or override ``capabilities_for`` when a preset's options
    change them), implement ``complete``, and may override ``unavailable_reason``,
    ``availability_note``, ``preset_problem``, ``start`` and ``aclose``. The registry refuses a
    class that does not subclass this one.
    """

    CAPABILITIES: ClassVar[Capabilities] = Capabilities()

    def __init__(
        self, preset: ModelPreset, *, timeout_s: float | None = None, context: Any = None
    ) -> None:
        self.preset = preset
        self.name = preset.name
        self.timeout_s = float(timeout_s or preset.timeout_s or 60.0)
        self.context: AdapterContext = context or AdapterContext()

    # -- construction and availability (class level: no instance needed) ---------------------
    @classmethod
    def from_preset(
        cls, preset: ModelPreset, *, timeout_s: float | None = None, context: Any = None
    ) -> Self:
        """Build the adapter for ``preset``; raise ModelUnavailableError when it cannot run here."""
        reason = cls.why_unavailable(preset)
        if reason:
            raise ModelUnavailableError(f"model preset {preset.name!r}: {reason}")
        return cls(preset, timeout_s=timeout_s, context=context)

    @classmethod
    def capabilities_for(cls, preset: ModelPreset) -> Capabilities:
        """Return what this adapter does with ``preset`` (the class's ``CAPABILITIES``)."""
        return cls.CAPABILITIES

    @classmethod
    def preset_problem(cls, preset: ModelPreset) -> str | None:
        """Return what is wrong with ``preset`` for this adapter, worded to follow its name.

        Checked when presets load (e.g. "needs base_url ..."); None when nothing is.
        """
        free = cls.capabilities_for(preset).cost_model is CostModel.FREE
        if free and preset.is_paid:
            return "runs on this machine and costs nothing: remove price_in/out_per_mtok"
        return None

    @classmethod
    def unavailable_reason(cls, preset: ModelPreset) -> str | None:
        """Return why ``preset`` cannot run here (package or files missing), or None."""
        return None

    @classmethod
    def availability_note(cls, preset: ModelPreset) -> str | None:
        """Return something worth knowing about a usable preset (e.g. weights to download)."""
        return None

    @final
    @classmethod
    def why_unavailable(cls, preset: ModelPreset) -> str | None:
        """Return why ``preset`` cannot run here: the key first, then the adapter's own check."""
        if preset.api_key_env and not os.environ.get(preset.api_key_env, "").strip():
            return f"set the environment variable {preset.api_key_env}"
        return cls.unavailable_reason(preset)

    # -- instance ------------------------------------------------------------------------------
    @property
    def capabilities(self) -> Capabilities:
        """Return this adapter's capabilities for its preset."""
        return type(self).capabilities_for(self.preset)

    @property
    def needs_image(self) -> bool:
        """Return True when calls need the image (see ``Capabilities.needs_image``)."""
        return self.capabilities.needs_image

    async def start(self) -> None:
        """Load weights / build indexes before the first call (may take long; no timeout)."""

    @abstractmethod
    async def complete(
        self, messages: Any, images: Sequence[ImageInput], *, sample: Sample | None = None
    ) -> ModelResponse:
        """Answer one prompt (PromptMessages or a list of ChatTurn) about ``images``."""

    async def aclose(self) -> None:
        """Release clients, threads and memory (nothing by default)."""

    async def batch_request_body(
        self, messages: Any, images: Sequence[ImageInput]
    ) -> dict[str, Any]:
        """Return the chat-completions body ``complete`` would send (``batch_api`` adapters)."""
        raise NotImplementedError(f"adapter {self.preset.adapter!r} writes no batch requests")

    def batch_response(self, completion: Any) -> ModelResponse:
        """Read one batch result's chat completion as ``complete`` reads a reply."""
        raise NotImplementedError(f"adapter {self.preset.adapter!r} reads no batch results")

    def cost_usd(self, input_tokens: int | None, output_tokens: int | None) -> float | None:
        """Return the price of one answer at the preset's per-million-token prices."""
        return self.preset.cost_usd(input_tokens, output_tokens)


def compute_cost_usd(
    price_in_per_mtok: float,
    price_out_per_mtok: float,
    input_tokens: int | None,
    output_tokens: int | None,
) -> float | None:
    """Return the dollar cost of one call; None when a priced direction lacks a token count."""
    if price_in_per_mtok == 0 and price_out_per_mtok == 0:
        return 0.0
    if (price_in_per_mtok and input_tokens is None) or (
        price_out_per_mtok and output_tokens is None
    ):
        return None
    # A negative count is nonsense from the server; it must never make spend go down.
    return (
        max(0, input_tokens or 0) * price_in_per_mtok
        + max(0, output_tokens or 0) * price_out_per_mtok
    ) / 1_000_000.0


# Key shapes of common providers, masked even when we do not know the exact value.
_KEY_PATTERNS = re.compile(
    r"(sk-[A-Za-z0-9_\-*]{8,}|sk-ant-[A-Za-z0-9_\-]{8,}|AIza[0-9A-Za-z_\-]{20,}"
    r"|hf_[A-Za-z0-9]{20,}|gsk_[A-Za-z0-9]{20,}|Bearer\s+[A-Za-z0-9._~+/=\-]{8,})"
)
# A header echoed back by a proxy or a debug page: mask whatever follows, whatever its shape.
_AUTH_HEADER = re.compile(
    r"\b((?:proxy-)?authorization|x-api-key|api[-_]?key)([\"']?\s*[:=]\s*[\"']?)"
    r"(?>(?:(?:bearer|basic)\s+)?)[^\s\"',;)}\[\]]+",
    re.IGNORECASE,
)
REDACTED = "[redacted]"


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Remove secret values and anything shaped like an API key or auth header from ``text``."""
    # longest first: a key that contains another key must not be left half masked
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    text = _AUTH_HEADER.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    return _KEY_PATTERNS.sub(REDACTED, text)
