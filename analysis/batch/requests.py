"""Write a run's pending requests as provider batch files, exactly as the synchronous path asks.

Each request is rendered, its images read and encoded, and its body built by the adapter's own
``batch_request_body`` (what ``complete`` POSTs), so a batch answer and a synchronous one share
one cache key: ``custom_id`` *is* that key (64 hex characters: within both providers' limits),
and samples asking the identical thing share one request. Files are streamed to disk and split
at the provider's limits; nothing holds a whole batch of encoded images in memory.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from analysis.batch.anthropic_format import to_anthropic_params
from analysis.errors import ImageError, ModelError
from analysis.models.base import ModelAdapter
from analysis.models.cache import ResponseCache
from analysis.runner.execute import Executor
from analysis.runner.prepare import Prepared
from analysis.types import ParsedAnswer, Prediction, Sample

CHAT_URL = "/v1/chat/completions"  # the url field vLLM's run-batch and OpenAI's Batch API expect


@dataclass(frozen=True)
class BatchLimits:
    """Most requests and bytes one batch may carry."""

    max_requests: int
    max_bytes: int


LIMITS = {
    "openai": BatchLimits(50_000, 200 * 1024 * 1024),  # per input file
    "anthropic": BatchLimits(100_000, 256 * 1024 * 1024),  # per message batch
    "file": BatchLimits(10**12, 10**15),  # --batch-file: one file, split by the user if at all
}


@dataclass
class BatchChunk:
    """One file of requests: its path and the (custom_id, sample_id) pairs it carries."""

    path: Path
    requests: list[tuple[str, str]] = field(default_factory=list)  # one per sample
    n_requests: int = 0  # distinct custom ids (lines)
    n_bytes: int = 0
    max_cost_usd: float = 0.0  # the worst case of its requests at batch prices


@dataclass
class RequestSet:
    """What writing a run's pending samples produced."""

    chunks: list[BatchChunk]
    cached: list[str]  # sample ids already answered in the response cache: ingest, do not ask
    unreadable: dict[str, str]  # sample id -> why its input could not be built (sync path)
    over_budget: int = 0  # requests left out because the spending cap was reached


def openai_line(custom_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Return one request line of the OpenAI Batch API / vLLM run-batch format."""
    return {"custom_id": custom_id, "method": "POST", "url": CHAT_URL, "body": body}


def anthropic_line(custom_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Return one request of an Anthropic message batch."""
    return {"custom_id": custom_id, "params": to_anthropic_params(body)}


class _ChunkWriter:
    """Append lines to numbered files, starting a new one before a limit would be passed."""

    def __init__(self, folder: Path, stem: str, limits: BatchLimits) -> None:
        self.folder = folder
        self.stem = stem
        self.limits = limits
        self.chunks: list[BatchChunk] = []
        self._file: IO[bytes] | None = None

    def _open(self) -> BatchChunk:
        if self._file is not None:
            self._close_file()
        path = self.folder / f"{self.stem}-{len(self.chunks) + 1:03d}.jsonl"
        self._file = path.open("wb")
        self.chunks.append(BatchChunk(path=path))
        return self.chunks[-1]

    def _close_file(self) -> None:
        assert self._file is not None
        self._file.flush()
        self._file.close()
        self._file = None

    def add(self, line: bytes, custom_id: str, sample_id: str, max_cost_usd: float) -> None:
        if len(line) > self.limits.max_bytes:
            raise ModelError(
                f"one request of sample {sample_id!r} is {len(line)} bytes, more than a batch "
                f"may hold ({self.limits.max_bytes}); lower the preset's max_side"
            )
        chunk = self.chunks[-1] if self.chunks else self._open()
        full = chunk.n_requests >= self.limits.max_requests
        if full or chunk.n_bytes + len(line) > self.limits.max_bytes:
            chunk = self._open()
        assert self._file is not None
        self._file.write(line)
        chunk.n_bytes += len(line)
        chunk.n_requests += 1
        chunk.max_cost_usd += max_cost_usd
        chunk.requests.append((custom_id, sample_id))

    def close(self) -> list[BatchChunk]:
        if self._file is not None:
            self._file.flush()
            self._file.close()
            self._file = None
        return self.chunks


async def write_requests(
    prepared: Prepared,
    adapter: ModelAdapter,
    cache: ResponseCache | None,
    samples: Sequence[Sample],
    folder: Path,
    *,
    stem: str,
    fmt: str,
    limits: BatchLimits,
    budget_usd: float | None = None,
) -> RequestSet:
    """Write one request per distinct question of ``samples`` into batch files under ``folder``.

    Args:
        fmt: ``"openai"`` (also vLLM run-batch and ``--batch-file``) or ``"anthropic"``.
        budget_usd: stop adding requests once their worst case at batch prices would pass it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    # The executor renders and reads exactly as a synchronous run would (same prompt, images,
    # key); its ``_render``/``_read_images`` are the one implementation of that.
    executor = Executor(prepared, adapter, cache, _no_parse, _no_sink)
    core = executor.core
    writer = _ChunkWriter(folder, stem, limits)
    cached: list[str] = []
    unreadable: dict[str, str] = {}
    written: dict[str, int] = {}  # custom_id -> chunk index holding it
    spent = 0.0
    over_budget = 0
    make_line = anthropic_line if fmt == "anthropic" else openai_line
    try:
        for sample in samples:
            try:
                messages = executor._render(sample)
                refs = messages.images() if core.capabilities.needs_image else ()
                images = executor._read_images(refs)
            except (ImageError, ModelError, OSError) as exc:
                unreadable[sample.sample_id] = f"input: {exc}"
                continue
            key = core.request_key(messages, [i.sha256 for i in images], sample)
            if cache is not None and key in cache:
                cached.append(sample.sample_id)
                continue
            if key in written:  # the same question again: one request answers both
                writer.chunks[written[key]].requests.append((key, sample.sample_id))
                continue
            cost = core.max_cost_usd(len(messages.as_text()), len(images))
            if budget_usd is not None and spent + cost > budget_usd:
                over_budget += 1
                continue
            body = await adapter.batch_request_body(messages, images)
            line = json.dumps(make_line(key, body), ensure_ascii=False).encode("utf-8") + b"\n"
            writer.add(line, key, sample.sample_id, cost)
            written[key] = len(writer.chunks) - 1
            spent += cost
    finally:
        chunks = writer.close()
    return RequestSet(chunks, cached, unreadable, over_budget)


def _no_parse(text: str | None) -> ParsedAnswer:
    raise AssertionError("writing requests parses nothing")


async def _no_sink(prediction: Prediction, cached: bool) -> None:
    raise AssertionError("writing requests stores nothing")
