"""A local vision-language model through transformers (``AutoProcessor`` +
``AutoModelForImageTextToText``), on the GPU when there is one, else the CPU.

Requests are micro-batched: concurrent ``complete`` calls that arrive within ``batch_wait_ms``
are padded together into one ``generate`` (run in a worker thread so the event loop stays free),
so the runner's ``--concurrency`` is what fills the batches. torch and transformers are imported
only here, when the model is first loaded.

Preset options (all optional): ``batch_size`` (default 8 on GPU, 2 on CPU), ``batch_wait_ms``
(10), ``device`` ("auto" | "cpu" | "cuda" | "cuda:1" ...), ``dtype`` ("auto" | "float32" |
"bfloat16" | "float16"), ``local_files_only`` (default: true when ``model`` is a folder).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from analysis.errors import ModelError, ModelUnavailableError
from analysis.images import load_image
from analysis.models.base import (
    Capabilities,
    ChatTurn,
    CostModel,
    ImageInput,
    ImagePart,
    ModelAdapter,
    ModelResponse,
)
from analysis.models.messages import as_turns
from analysis.models.presets import ModelPreset, hub_weights_note, missing_module
from analysis.types import Sample

_DEFAULT_MAX_NEW_TOKENS = 256


@dataclass
class _Job:
    conversation: list[dict[str, Any]]
    images: list[Image.Image]
    future: asyncio.Future[ModelResponse]
    queued_at: float = field(default_factory=time.perf_counter)


def _model_source(preset: ModelPreset) -> str:
    path = preset.option_path("path") or Path(os.path.expanduser(preset.model))
    if path.exists():
        return str(path)
    if preset.source_file is not None and (preset.source_file.parent / preset.model).exists():
        return str(preset.source_file.parent / preset.model)
    return preset.model  # a Hugging Face repo id, from the local cache (or downloaded)


class HFLocalAdapter(ModelAdapter):
    """Run a transformers image-text-to-text model in this process."""

    CAPABILITIES = Capabilities(local_weights=True, cost_model=CostModel.FREE)

    def __init__(
        self, preset: ModelPreset, *, timeout_s: float | None = None, context: Any = None
    ) -> None:
        super().__init__(preset, timeout_s=timeout_s, context=context)
        self.source = _model_source(preset)
        self.batch_wait_s = float(preset.options.get("batch_wait_ms", 10)) / 1000.0
        self._batch_size_option = preset.options.get("batch_size")
        self.batch_size = 1
        self.device = "cpu"
        self._model: Any = None
        self._processor: Any = None
        self._queue: asyncio.Queue[_Job] | None = None
        self._worker: asyncio.Task[None] | None = None
        self._start_lock: asyncio.Lock | None = None
        self.batches_run = 0  # observable: how many generate() calls were made

    @classmethod
    def unavailable_reason(cls, preset: ModelPreset) -> str | None:
        """Return why the model cannot load here, or None."""
        for module in ("torch", "transformers"):
            if missing_module(module):
                return f"the {module} package is not installed (pip install {module})"
        source = _model_source(preset)
        looks_like_path = (
            source.startswith((".", "/", "~"))
            or os.sep in source.strip("/")
            and (source.count("/") > 1)
        )
        if looks_like_path and not Path(source).exists():
            return f"model folder {source} not found"
        if not Path(source).exists() and os.environ.get("HF_HUB_OFFLINE") == "1":
            try:
                # lazy: heavy, and only hub ids need it
                from huggingface_hub import try_to_load_from_cache

                cached = try_to_load_from_cache(source, "config.json")
            except Exception:  # noqa: BLE001 - a malformed id: let loading report it
                return None
            if not isinstance(cached, str):
                return f"{source} is not in the local Hugging Face cache and HF_HUB_OFFLINE=1"
        return None

    @classmethod
    def availability_note(cls, preset: ModelPreset) -> str | None:
        """Say when the weights still have to be downloaded."""
        return hub_weights_note(_model_source(preset))

    # -- loading ---------------------------------------------------------------------------
    def _load(self) -> None:
        # lazy: torch and transformers load with the weights, not with the CLI
        import torch
        from transformers import AutoModelForImageTextToText, AutoProcessor

        device = str(self.preset.options.get("device", "auto"))
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        dtype_name = str(self.preset.options.get("dtype", "auto"))
        dtype: Any
        if dtype_name == "auto":
            dtype = torch.bfloat16 if device.startswith("cuda") else torch.float32
        else:
            dtype = getattr(torch, dtype_name, None)
            if not isinstance(dtype, torch.dtype):
                raise ModelError(f"preset {self.name!r}: unknown dtype {dtype_name!r}")
        local_only = bool(self.preset.options.get("local_files_only", Path(self.source).exists()))
        try:
            processor: Any = AutoProcessor.from_pretrained(self.source, local_files_only=local_only)
            model: Any = AutoModelForImageTextToText.from_pretrained(
                self.source, dtype=dtype, local_files_only=local_only
            )
        except (OSError, ValueError) as exc:
            raise ModelUnavailableError(
                f"cannot load {self.source!r} for preset {self.name!r}: {exc}"
            ) from None
        tokenizer = getattr(processor, "tokenizer", None)
        if tokenizer is not None:
            tokenizer.padding_side = "left"  # decoder-only batches must pad on the left
            if tokenizer.pad_token is None:
                tokenizer.pad_token = tokenizer.eos_token
        self._model = model.to(device).eval()
        self._processor = processor
        self._dtype = dtype
        self.device = device
        default_batch = 8 if device.startswith("cuda") else 2
        self.batch_size = max(1, int(self._batch_size_option or default_batch))

    async def start(self) -> None:
        """Load the processor and weights (once) and start the batching worker."""
        if self._start_lock is None:
            self._start_lock = asyncio.Lock()
        async with self._start_lock:
            if self._model is None:
                await asyncio.to_thread(self._load)
            if self._worker is None or self._worker.done():
                self._queue = asyncio.Queue()
                self._worker = asyncio.create_task(self._run_batches())

    async def aclose(self) -> None:
        """Stop the worker and drop the model from memory."""
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._worker
        self._worker = None
        self._model = None
        self._processor = None

    # -- calls -----------------------------------------------------------------------------
    def _prepare_image(self, image: ImageInput) -> Image.Image:
        loaded = load_image(image.data)
        loaded.thumbnail((self.preset.max_side, self.preset.max_side), Image.Resampling.LANCZOS)
        return loaded

    @staticmethod
    def _conversation(turns: list[ChatTurn]) -> tuple[list[dict[str, Any]], list[int]]:
        conversation: list[dict[str, Any]] = []
        order: list[int] = []  # images in the order their placeholders appear
        for turn in turns:
            content: list[dict[str, Any]] = []
            for part in turn.parts:
                if isinstance(part, ImagePart):
                    content.append({"type": "image"})
                    order.append(part.index)
                else:
                    content.append({"type": "text", "text": part.text})
            conversation.append({"role": turn.role, "content": content})
        return conversation, order

    async def complete(
        self, messages: Any, images: Sequence[ImageInput], *, sample: Sample | None = None
    ) -> ModelResponse:
        """Queue one prompt for the next batch and wait for its answer."""
        if self._worker is None:
            await self.start()
        conversation, order = self._conversation(as_turns(messages, len(images)))
        prepared = await asyncio.to_thread(lambda: [self._prepare_image(i) for i in images])
        job = _Job(
            conversation, [prepared[i] for i in order], asyncio.get_running_loop().create_future()
        )
        assert self._queue is not None
        await self._queue.put(job)
        return await job.future

    async def _run_batches(self) -> None:
        assert self._queue is not None
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self._queue.get()]
            deadline = loop.time() + self.batch_wait_s
            while len(batch) < self.batch_size:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    batch.append(await asyncio.wait_for(self._queue.get(), remaining))
                except TimeoutError:
                    break
            live = [job for job in batch if not job.future.done()]  # timed-out callers left
            if not live:
                continue
            try:
                responses = await asyncio.to_thread(self._generate, live)
            except Exception as exc:  # noqa: BLE001 - fail the batch's callers, keep serving
                error = (
                    exc
                    if isinstance(exc, ModelError)
                    else ModelError(f"local generation failed: {type(exc).__name__}: {exc}")
                )
                for job in live:
                    if not job.future.done():
                        job.future.set_exception(error)
                continue
            for job, response in zip(live, responses, strict=True):
                if not job.future.done():
                    job.future.set_result(response)

    def _generation_kwargs(self) -> dict[str, Any]:
        params = dict(self.preset.params)
        max_new = (
            params.get("max_new_tokens") or params.get("max_tokens") or _DEFAULT_MAX_NEW_TOKENS
        )
        kwargs: dict[str, Any] = {"max_new_tokens": int(max_new)}
        temperature = float(params.get("temperature", 0.0) or 0.0)
        if temperature > 0:
            kwargs.update(do_sample=True, temperature=temperature)
            if "top_p" in params:
                kwargs["top_p"] = float(params["top_p"])
        else:
            kwargs["do_sample"] = False
        return kwargs

    def _generate(self, jobs: list[_Job]) -> list[ModelResponse]:
        # lazy: torch and transformers load with the weights, not with the CLI
        import torch

        started = time.perf_counter()
        processor, model = self._processor, self._model
        texts = [
            processor.apply_chat_template(
                job.conversation, add_generation_prompt=True, tokenize=False
            )
            for job in jobs
        ]
        has_images = any(job.images for job in jobs)
        inputs = processor(
            text=texts,
            images=[job.images for job in jobs] if has_images else None,
            return_tensors="pt",
            padding=True,
        ).to(self.device, dtype=self._dtype)
        seed = self.preset.params.get("seed")
        if seed is not None:
            torch.manual_seed(int(seed))
        with torch.inference_mode():
            output = model.generate(**inputs, **self._generation_kwargs())
        prompt_length = inputs["input_ids"].shape[1]
        new_tokens = output[:, prompt_length:]
        decoded = processor.batch_decode(new_tokens, skip_special_tokens=True)
        tokenizer = getattr(processor, "tokenizer", processor)
        stop_ids = {tokenizer.pad_token_id, tokenizer.eos_token_id} - {None}
        input_counts = inputs["attention_mask"].sum(dim=1).tolist()
        latency_ms = (time.perf_counter() - started) * 1000.0
        self.batches_run += 1
        responses = []
        for row, text in enumerate(decoded):
            generated = [t for t in new_tokens[row].tolist() if t not in stop_ids]
            responses.append(
                ModelResponse(
                    text=text.strip(),
                    input_tokens=int(input_counts[row]),
                    output_tokens=len(generated),
                    latency_ms=latency_ms,
                    raw={"device": self.device, "batch_size": len(jobs), "model": self.source},
                )
            )
        return responses
