"""Ingest answers already in the response cache through the runner's ordinary executor and sink.

Collected batch answers were kept in the cache first (``results.read_results``), so ingesting
is a run over exactly those samples in which every call is a cache hit: the same parser, journal,
store writes and accounting as a synchronous run. Samples whose batch request failed get, as
the user chose, either a real call (``sync``) or an ``api_error`` row carrying the provider's
reason (``pending``: asked again by the next run).
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from analysis.config import Settings
from analysis.models.base import (
    Capabilities,
    ImageInput,
    ModelAdapter,
    ModelResponse,
    PermanentModelError,
)
from analysis.models.cache import ResponseCache
from analysis.parsing import parse_answer
from analysis.runner import journal_for
from analysis.runner.config import RunConfig
from analysis.runner.execute import Executor, RunStats
from analysis.runner.prepare import Prepared, prepare_run
from analysis.runner.sink import PredictionSink
from analysis.types import Sample


class CachedOnly(ModelAdapter):
    """Stand in for a model whose answers are all in the cache: a miss records why."""

    def __init__(self, real: ModelAdapter, reasons: Mapping[str, str], default_reason: str) -> None:
        super().__init__(real.preset, timeout_s=real.timeout_s, context=real.context)
        self._capabilities = real.capabilities  # the real adapter's: same cache keys
        self._reasons = reasons
        self._default = default_reason

    @property
    def capabilities(self) -> Capabilities:
        """Return the real adapter's capabilities."""
        return self._capabilities

    async def complete(
        self, messages: Any, images: Sequence[ImageInput], *, sample: Sample | None = None
    ) -> ModelResponse:
        """Refuse: no call is made for a sample whose batch answer is missing."""
        reason = self._reasons.get(sample.sample_id, self._default) if sample else self._default
        raise PermanentModelError(reason)


def journal_header(prepared: Prepared) -> dict[str, Any]:
    """Return the run-format header of a run's journal (as the synchronous runner writes it)."""
    meta = prepared.run_meta
    header: dict[str, Any] = {"type": "run", "version": 1}
    for name in ("name", "dataset", "model", "adapter", "prompt_strategy", "prompt_version",
                 "prompt_hash", "prompt_text", "notes"):  # fmt: skip
        value = getattr(meta, name, None)
        if value is not None:
            header[name] = value
    header["params"] = dict(meta.params)
    return header


async def ingest_samples(
    config: RunConfig,
    store: Any,
    settings: Settings,
    adapter: ModelAdapter,
    sample_ids: Collection[str],
    stats: RunStats | None = None,
) -> RunStats:
    """Answer ``sample_ids`` of the run with ``adapter`` (cache first) and store them.

    The caller holds the run's lock. Returns the execution's counters (added to ``stats``).
    """
    wanted = set(sample_ids)
    prepared = await asyncio.to_thread(prepare_run, config, store)
    todo = [s for s in prepared.plan.todo if s.sample_id in wanted]
    if not todo:
        return stats or RunStats()
    if not prepared.resumed:
        await asyncio.to_thread(store.create_run, prepared.run_meta)
    journal = journal_for(settings, prepared.run)
    journal.open(header=journal_header(prepared))
    sink = PredictionSink(store, prepared.run, journal, config.batch_size, config.flush_interval_s)
    cache = ResponseCache.in_cache_dir(settings.cache_dir)
    executor = Executor(prepared, adapter, cache, parse_answer, sink.add)
    if stats is not None:
        executor.stats = stats
    try:
        await executor.run(todo, lambda current: None)
    finally:
        await sink.flush(final=False)
        journal.close()
    await sink.flush(final=True)
    done = await asyncio.to_thread(store.done_sample_ids, prepared.run)
    if {s.sample_id for s in prepared.plan.selected} <= done:
        await asyncio.to_thread(store.finish_run, prepared.run)
    return executor.stats
