"""Bind model presets to the live orchestrator: adapters kept warm on one background event loop.

Adapters are asynchronous (``await adapter.complete(...)``) while a Streamlit script is not. One
daemon thread runs an event loop for the whole process; each preset's adapter is created and
started there once (a local model loads its weights once, an HTTP client keeps its connections)
and every browser session submits calls to it. Calls are independent, so sharing is safe.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import math
import os
import threading
from collections.abc import Sequence
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass
from typing import Any

from analysis.errors import ConfigError, GeoScopeError, ModelError
from analysis.live.results import ModelCall, RawAnswer
from analysis.models import MODELS, create_adapter
from analysis.models.base import Capabilities, ImageInput, ModelAdapter, ModelResponse
from analysis.models.calls import CallCore
from analysis.models.presets import ModelPreset, load_presets, preset_status
from analysis.prompts import PROMPTS
from analysis.types import Sample

# Beyond the per-call timeout, how long a call may wait for its model to start (a local model
# loads its weights on first use); the orchestrator reports a timeout long before this.
START_ALLOWANCE_S = 600.0


@dataclass(frozen=True)
class LivePrompt:
    """A rendered prompt as the live panel uses it: what adapters get and what runs record."""

    strategy: str
    form: str  # "country" or "coords"
    version: str
    hash: str  # the template's hash, stored with a saved run (as benchmark runs store it)
    text: str  # the full prompt text, stored with a saved run
    messages: Any  # what adapters receive (PromptMessages, list of ChatTurn or plain text)
    request_hash: str = ""  # the rendered prompt's hash: the cache key part a benchmark uses


def live_strategies() -> list[str]:
    """Return the prompt strategies usable on a lone photo (k-shot ones need a labelled set)."""
    return [name for name in PROMPTS.names() if not PROMPTS.get(name).needs_examples]


def live_prompt(strategy: str, form: str, image_sha256: str) -> LivePrompt:
    """Render ``strategy`` in ``form`` for the session's photo.

    ``image_sha256`` is the hash of the bytes the models get (``LiveImage.original_sha256``):
    the rendered prompt then hashes exactly as a benchmark's prompt about the same file does,
    so the two share cached answers.
    """
    chosen = PROMPTS.get(strategy)
    if chosen.needs_examples:
        raise ConfigError(
            f"prompt {strategy!r} needs labelled example images; the live panel offers: "
            + ", ".join(live_strategies())
        )
    query = Sample(
        sample_id="live", true_lat=math.nan, true_lon=math.nan, image_sha256=image_sha256
    )
    messages = chosen.render(query, form=form)
    return LivePrompt(
        strategy=chosen.name,
        form=str(messages.form),
        version=chosen.version,
        hash=chosen.template_hash(form),
        text=chosen.template_text(form),
        messages=messages,
        request_hash=messages.hash,
    )


def estimate_max_cost_usd(preset: ModelPreset, prompt_chars: int) -> float:
    """Return an upper estimate of one live call's cost at the preset's prices (USD)."""
    # the runner's estimator: one worst case for both spending caps
    return CallCore.for_preset(preset).max_cost_usd(prompt_chars, n_images=1)


class AdapterPool:
    """Adapters started once per preset identity and driven from one background event loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._adapters: dict[str, ModelAdapter] = {}
        self._starting: dict[str, asyncio.Future[ModelAdapter]] = {}

    def _event_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=loop.run_forever, name="geoscope-live-loop", daemon=True
                )
                thread.start()
                self._loop = loop
            return self._loop

    async def _adapter(
        self, key: str, preset: ModelPreset, timeout_s: float, context: Any
    ) -> ModelAdapter:
        # Runs on the pool's loop only, so these dicts need no lock.
        if key in self._adapters:
            return self._adapters[key]
        if key not in self._starting:
            self._starting[key] = asyncio.ensure_future(self._start(preset, timeout_s, context))
        try:
            adapter = await asyncio.shield(self._starting[key])
        except BaseException:
            self._starting.pop(key, None)  # a failed start is retried by the next call
            raise
        self._adapters[key] = adapter
        self._starting.pop(key, None)
        return adapter

    @staticmethod
    async def _start(preset: ModelPreset, timeout_s: float, context: Any) -> ModelAdapter:
        adapter = create_adapter(preset, timeout_s=timeout_s, context=context)
        await adapter.start()
        return adapter

    async def _complete(
        self, preset: ModelPreset, messages: Any, image: Any, timeout_s: float, context: Any
    ) -> ModelResponse:
        key = _pool_key(preset, timeout_s)
        adapter = await self._adapter(key, preset, timeout_s, context)
        return await asyncio.wait_for(adapter.complete(messages, [image]), timeout=timeout_s)

    def complete(
        self,
        preset: ModelPreset,
        messages: Any,
        image_bytes: bytes,
        timeout_s: float,
        context: Any = None,
    ) -> ModelResponse:
        """Call ``preset`` on one image and wait for the answer (blocking; thread-safe).

        ``context`` is an ``AdapterContext`` (store, images root) for adapters reading
        reference data; it is used when the preset's adapter is first started.
        """
        image = ImageInput(
            data=image_bytes, sha256=hashlib.sha256(image_bytes).hexdigest(), label="live photo"
        )
        future: Future[ModelResponse] = asyncio.run_coroutine_threadsafe(
            self._complete(preset, messages, image, timeout_s, context), self._event_loop()
        )
        try:
            # Bounded even if the loop never answers (it was stopped, or a model's start hangs):
            # a caller thread blocked forever would also block the interpreter's exit.
            return future.result(timeout=timeout_s + START_ALLOWANCE_S)
        except TimeoutError:
            future.cancel()
            raise ModelError(f"no answer within {timeout_s:g} s (timed out)") from None
        except CancelledError:
            raise ModelError(
                "the call was cancelled: the live panel's models were closed"
            ) from None

    def close(self) -> None:
        """Close every adapter and stop the loop (tests; the app keeps it for its lifetime)."""
        with self._lock:
            loop, self._loop = self._loop, None
        if loop is None:
            return
        adapters, self._adapters = list(self._adapters.values()), {}

        async def _close_all() -> None:
            # Calls still in flight are cancelled first, so every thread waiting on one gets
            # its answer (a cancellation) instead of waiting on a loop that is about to stop.
            current = asyncio.current_task()
            pending = [t for t in asyncio.all_tasks() if t is not current]
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            for adapter in adapters:
                # Closing is best effort: a client that fails to close is dropped anyway.
                with contextlib.suppress(Exception):
                    await adapter.aclose()

        with contextlib.suppress(TimeoutError):
            asyncio.run_coroutine_threadsafe(_close_all(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)


POOL = AdapterPool()


def _pool_key(preset: ModelPreset, timeout_s: float) -> str:
    """Return the key of one warm adapter: the preset's name, identity and timeout."""
    fields = {"name": preset.name, **preset.identity(), "timeout_s": timeout_s}
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


def unavailable_reason(preset: ModelPreset) -> str | None:
    """Return why a preset cannot answer about an uploaded photo here, or None when it can."""
    try:
        status = preset_status(preset)
        capabilities = MODELS.get(preset.adapter).capabilities_for(preset)
    except (GeoScopeError, ImportError) as exc:  # an adapter module that fails to import
        return str(exc)
    if not status.available:
        return status.reason or "unavailable here"
    if not capabilities.needs_image:
        return (
            f"adapter {preset.adapter!r} answers from a dataset's precomputed lists, not from "
            "a photo; it cannot run live"
        )
    return None


def build_calls(
    presets: Sequence[ModelPreset],
    prompt: LivePrompt,
    pool: AdapterPool | None = None,
    context: Any = None,
) -> list[ModelCall]:
    """Return one ModelCall per preset, ready for ``run_live`` (unavailable ones say why).

    ``context``: an ``analysis.models.base.AdapterContext`` for adapters that read a store.
    """
    chosen_pool = pool or POOL
    calls: list[ModelCall] = []
    for preset in presets:
        reason = unavailable_reason(preset)
        # an unusable preset makes no call; its adapter module may not even import
        core = CallCore.for_preset(preset, capabilities=Capabilities() if reason else None)
        calls.append(
            ModelCall(
                preset=preset.name,
                model=preset.model,
                adapter=preset.adapter,
                core=core,
                prompt_hash=prompt.request_hash or prompt.hash,
                is_paid=preset.is_paid,
                max_cost_usd=core.max_cost_usd(len(prompt.text), n_images=1),
                invoke=_invoker(preset, prompt, chosen_pool, context),
                unavailable_reason=reason,
                secret_env=(preset.api_key_env,) if preset.api_key_env else (),
            )
        )
    return calls


def _invoker(preset: ModelPreset, prompt: LivePrompt, pool: AdapterPool, context: Any) -> Any:
    core = CallCore.for_preset(preset)

    def invoke(image_bytes: bytes, timeout_s: float) -> RawAnswer:
        response = pool.complete(preset, prompt.messages, image_bytes, timeout_s, context)
        # the orchestrator scrubs and caps it (CallCore.keep) before it is cached or shown
        return RawAnswer(
            text=response.text,
            input_tokens=response.input_tokens,
            output_tokens=response.output_tokens,
            latency_ms=response.latency_ms,
            cost_usd=core.cost_usd(response.input_tokens, response.output_tokens),
            parsed=response.parsed,
            truncated=response.truncated,
        )

    return invoke


@dataclass(frozen=True)
class PresetChoice:
    """A preset as the live panel lists it: usable here or not, and why not."""

    preset: ModelPreset
    unavailable_reason: str | None

    @property
    def label(self) -> str:
        """Return the list label; names the missing environment variable, never its value."""
        price = " (paid)" if self.preset.is_paid else ""
        if self.unavailable_reason:
            return f"{self.preset.name}{price} - unavailable: {self.unavailable_reason}"
        return f"{self.preset.name}{price}"


def preset_choices(models_file: str | os.PathLike[str]) -> list[PresetChoice]:
    """Load the presets file and say for each preset whether it can run live here."""
    return [PresetChoice(p, unavailable_reason(p)) for p in load_presets(models_file).values()]
