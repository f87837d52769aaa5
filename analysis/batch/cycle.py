"""The batch cycle of one run: collect finished batches, submit what is left, ingest answers.

Every step leaves a record before the next one starts, so a process killed anywhere resumes
without paying twice or losing an answer:

1. requests are written to files under ``<cache>/batches/`` and a ``prepared`` row (with the
   request ids) is stored *before* upload; the batch is created with our ``local_id`` in its
   metadata, so a batch created just before a crash is found again (OpenAI) rather than
   submitted twice;
2. a finished batch's output is downloaded and every answer kept in the response cache
   (``results.read_results``) before the row says ``collected``; a crash in between downloads
   again and finds the answers cached;
3. answers are ingested by an ordinary execution whose calls are all cache hits
   (``ingest.ingest_samples``): the same parser, journal and store writes as a synchronous run.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.batch.ingest import CachedOnly, ingest_samples
from analysis.batch.providers import BatchError, Provider, provider_for
from analysis.batch.requests import LIMITS, BatchLimits, RequestSet, write_requests
from analysis.batch.results import Collected, read_results
from analysis.config import Settings
from analysis.errors import ConfigError
from analysis.models import create_adapter
from analysis.models.base import AdapterContext, ModelAdapter
from analysis.models.cache import ResponseCache
from analysis.models.calls import CallCore
from analysis.runner.config import RunConfig, file_stem
from analysis.runner.execute import RunStats
from analysis.runner.lock import RunLock
from analysis.runner.prepare import prepare_run
from analysis.store.batches import (
    BatchRow,
    add_batch,
    batch_requests,
    forget_batches,
    run_batches,
    update_batch,
)

ON_FAILURE = ("pending", "sync")


@dataclass(frozen=True)
class BatchOptions:
    """How a batch cycle behaves."""

    submit: bool = True  # False: only poll, collect and ingest (``batch collect``)
    on_failure: str = "pending"  # failed/expired requests: "pending" (api_error) or "sync"
    poll_s: float = 0.0  # > 0: keep polling every poll_s seconds until every batch finished
    max_cost_usd: float | None = None  # submit only requests whose worst case fits under it
    limits: BatchLimits | None = None  # provider file limits (tests lower them)
    options: dict[str, Any] = field(default_factory=dict)  # recorded: rebuilds the config


@dataclass
class BatchReport:
    """What one batch cycle did."""

    run: str
    submitted: list[BatchRow] = field(default_factory=list)
    waiting: list[BatchRow] = field(default_factory=list)  # still with the provider
    collected: Collected = field(default_factory=Collected)
    ingested: RunStats = field(default_factory=RunStats)
    fallback: RunStats | None = None  # synchronous calls for failed requests
    unreadable: dict[str, str] = field(default_factory=dict)
    over_budget: int = 0
    http_requests: int = 0


def batch_folder(settings: Settings, run: str) -> Path:
    """Return where a run's request and result files are kept."""
    return settings.cache_dir / "batches" / file_stem(run)


def batch_config(config: RunConfig) -> RunConfig:
    """Return ``config`` priced at the preset's batch prices (same cache keys and run name)."""
    from dataclasses import replace

    return replace(config, preset=config.preset.at_batch_prices(), run_name=config.name)


def check_batchable(config: RunConfig, api: str | None) -> str:
    """Return the preset's batch endpoint, or raise ConfigError saying why there is none."""
    if api is None:
        raise ConfigError(
            f"model preset {config.preset.name!r} has no batch endpoint: set batch_api = "
            '"openai" in the preset if its server offers the OpenAI Batch API (Azure OpenAI), '
            "or write the requests with --batch-file (vLLM run-batch) and bring the answers "
            "back with import-batch"
        )
    if not config.use_cache:
        raise ConfigError("--batch needs the response cache: batch answers arrive through it")
    if getattr(config, "mode", "image") != "image":
        raise ConfigError("--batch runs --mode image only (other modes ask in several steps)")
    return api


def _adapter(config: RunConfig, store: Any) -> ModelAdapter:
    context = AdapterContext(
        store=store, images_root=config.images_root, max_answer_bytes=config.max_answer_kb * 1024
    )
    return create_adapter(config.preset, timeout_s=config.timeout_s, context=context)


class Cycle:
    """One run's batch cycle, run under the run's lock."""

    def __init__(
        self,
        config: RunConfig,
        store: Any,
        settings: Settings,
        options: BatchOptions,
        api: str | None = None,
    ) -> None:
        self.config = batch_config(config)
        self.sync_config = config
        self.store = store
        self.settings = settings
        self.options = options
        self.adapter = _adapter(config, store)
        self.api = api or check_batchable(config, self.adapter.capabilities.batch_api)
        if api is not None:
            check_batchable(config, "file")
        self.core = CallCore.for_preset(
            self.config.preset,
            max_answer_bytes=config.max_answer_kb * 1024,
            capabilities=self.adapter.capabilities,
        )
        self._provider: Provider | None = None  # made on first use: a file needs none
        self.cache = ResponseCache.in_cache_dir(settings.cache_dir)
        self.folder = batch_folder(settings, config.name)
        self.report = BatchReport(run=config.name)
        self.failed_samples: dict[str, str] = {}
        self.cached_before: set[str] = set()  # answered in the cache before any batch asked

    @property
    def provider(self) -> Provider:
        """Return the provider's batch client (its key is read now)."""
        if self._provider is None:
            self._provider = provider_for(self.api, self.sync_config.preset, self.core.secrets)
        return self._provider

    @property
    def http_requests(self) -> int:
        """Return the HTTP requests made to the batch endpoints so far."""
        return 0 if self._provider is None else self._provider.http.calls

    # -- poll and collect -----------------------------------------------------------------
    def _send(self, row: BatchRow) -> None:
        """Upload and create a prepared batch (adopting one a crash left unrecorded)."""
        payload = self.folder / f"{row.local_id}.jsonl"
        adopt = row.detail == "submitting"  # a crash may have come after the batch was created
        batch_id = None
        if adopt:
            known = {r.batch_id for r in run_batches(self.store) if r.batch_id is not None}
            batch_id = self.provider.find(row.local_id, row.n_requests, known)
        if batch_id is None:
            if not payload.is_file():
                update_batch(self.store, row.local_id, status="abandoned",
                             detail=f"request file {payload} is gone")  # fmt: skip
                return
            file_id = row.input_file_id or self.provider.upload(payload)
            update_batch(self.store, row.local_id, input_file_id=file_id, detail="submitting")
            batch_id = self.provider.create(file_id, row.local_id, row.n_requests, payload)
        update_batch(self.store, row.local_id, submitted=True, batch_id=batch_id,
                     status="submitted", detail=None)  # fmt: skip

    def _collect(self, row: BatchRow) -> bool:
        """Poll one submitted batch; bring its answers into the cache once it finished."""
        assert row.batch_id is not None
        state = self.provider.state(row.batch_id)
        if not state.finished:
            update_batch(self.store, row.local_id, status=state.status, detail=state.detail)
            return False
        pairs = batch_requests(self.store, [row.local_id])
        expected = {custom_id for custom_id, _ in pairs}
        collected = Collected()
        for kind, ref in (("output", state.output), ("errors", state.errors)):
            if ref:
                target = self.folder / f"{row.local_id}.{kind}.jsonl"
                self.provider.fetch(ref, target)
                collected.merge(read_results(target, self.adapter, self.core, self.cache, expected))
        for custom_id in expected - collected.answered - set(collected.failed):
            collected.failed[custom_id] = f"batch {state.status} without an answer for it"
        for custom_id, sample_id in pairs:
            if custom_id in collected.failed and custom_id not in collected.answered:
                self.failed_samples[sample_id] = collected.failed[custom_id]
        self.report.collected.merge(collected)
        update_batch(self.store, row.local_id, status="collected", output_file_id=state.output,
                     error_file_id=state.errors, detail=f"{state.status}: {state.detail}")  # fmt: skip
        return True

    def poll(self) -> list[BatchRow]:
        """Send, poll and collect the run's open batches; return those still with the provider."""
        waiting: list[BatchRow] = []
        for row in run_batches(self.store, self.config.name):
            if not row.open or row.provider != self.api:  # "file" rows: import-batch
                continue
            if row.batch_id is None:
                self._send(row)
                row = next(
                    r for r in run_batches(self.store, row.run) if r.local_id == row.local_id
                )
                if row.batch_id is None:
                    continue
            if not self._collect(row):
                waiting.append(row)
        return waiting

    # -- submit ---------------------------------------------------------------------------
    async def submit(self, waiting: list[BatchRow]) -> None:
        """Write and submit every pending sample that no open batch or cache entry covers."""
        prepared = await asyncio.to_thread(prepare_run, self.config, self.store)
        if not prepared.resumed:
            await asyncio.to_thread(self.store.create_run, prepared.run_meta)
        busy = {sample for _, sample in batch_requests(self.store, [r.local_id for r in waiting])}
        skip = busy | set(self.failed_samples)
        todo = [s for s in prepared.plan.todo if s.sample_id not in skip]
        local_id = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        written = await write_requests(
            prepared, self.adapter, self.cache, todo, self.folder, stem=local_id, fmt=self.api,
            limits=self.options.limits or LIMITS[self.api], budget_usd=self.options.max_cost_usd,
        )  # fmt: skip
        self.note_written(written)
        for chunk in written.chunks:
            chunk_id = chunk.path.stem
            row = BatchRow(run=self.config.name, local_id=chunk_id, provider=self.api,
                           status="prepared", n_requests=chunk.n_requests,
                           options=self.options.options)  # fmt: skip
            add_batch(self.store, row, chunk.requests)
            self._send(row)
            self.report.submitted.append(row)

    def note_written(self, written: RequestSet) -> None:
        """Remember what writing requests found: unreadable inputs and cached answers."""
        self.report.unreadable.update(written.unreadable)
        # stored as api_error by the ingest, as the synchronous path stores them
        self.failed_samples.update(written.unreadable)
        self.report.over_budget += written.over_budget
        self.cached_before |= set(written.cached)

    # -- ingest ---------------------------------------------------------------------------
    async def ingest(self) -> None:
        """Store the collected answers; failed requests as the user chose."""
        rows = [r.local_id for r in run_batches(self.store, self.config.name)]
        # every sample of this run's batches whose answer is in the cache (collected now or by
        # an earlier process that stopped before ingesting): priced at the batch price
        from_batches = {
            sample for custom_id, sample in batch_requests(self.store, rows)
            if custom_id in self.cache
        }  # fmt: skip
        failures = {k: v for k, v in self.failed_samples.items() if k not in from_batches}
        pending = self.options.on_failure == "pending"
        stand_in = CachedOnly(self.adapter, failures, "no batch answer for this sample")
        ids = from_batches | (set(failures) if pending else set())
        self.report.ingested = await ingest_samples(
            self.config, self.store, self.settings, stand_in, ids
        )
        # answers a synchronous run had cached, and fallbacks, are priced as calls
        fallback_ids = (self.cached_before - from_batches) | (set() if pending else set(failures))
        if fallback_ids:
            self.report.fallback = await ingest_samples(
                self.sync_config, self.store, self.settings, self.adapter, fallback_ids
            )


async def run_batch_async(
    config: RunConfig,
    store: Any,
    settings: Settings | None = None,
    options: BatchOptions | None = None,
    *,
    wait: bool = False,
) -> BatchReport:
    """Collect the run's finished batches, submit its pending samples, ingest the answers."""
    settings = settings or Settings.from_env()
    options = options or BatchOptions()
    if options.on_failure not in ON_FAILURE:
        raise ConfigError(f"failed batch requests: choose one of {', '.join(ON_FAILURE)}")
    lock = RunLock(settings.cache_dir, settings.db_path, config.name)
    await lock.acquire_async(wait=wait)
    cycle: Cycle | None = None
    try:
        cycle = Cycle(config, store, settings, options)
        if not await asyncio.to_thread(store.has_run, config.name):
            # records left by a deleted run of this name belong to other questions
            await asyncio.to_thread(forget_batches, store, config.name)
        waiting = await asyncio.to_thread(cycle.poll)
        if options.submit:
            await cycle.submit(waiting)
            waiting = [r for r in run_batches(store, config.name) if r.open]
        while waiting and options.poll_s > 0:
            await asyncio.sleep(options.poll_s)
            waiting = await asyncio.to_thread(cycle.poll)
        cycle.report.waiting = waiting
        await cycle.ingest()
        cycle.report.http_requests = cycle.http_requests
        return cycle.report
    except BatchError:
        raise
    finally:
        if cycle is not None:
            await cycle.adapter.aclose()
        lock.release()


def run_batch(config: RunConfig, store: Any, settings: Settings | None = None,
              options: BatchOptions | None = None, **kwargs: Any) -> BatchReport:  # fmt: skip
    """Run one batch cycle synchronously; see ``run_batch_async``."""
    return asyncio.run(run_batch_async(config, store, settings, options, **kwargs))


def refresh_states(config: RunConfig, store: Any, settings: Settings) -> list[BatchRow]:
    """Ask the provider how the run's submitted batches are doing; store it; download nothing."""
    cycle = Cycle(config, store, settings, BatchOptions(submit=False))
    try:
        for row in run_batches(store, config.name):
            if row.open and row.batch_id and row.provider == cycle.api:
                state = cycle.provider.state(row.batch_id)
                update_batch(store, row.local_id, status=state.status, detail=state.detail)
    finally:
        asyncio.run(cycle.adapter.aclose())
    return run_batches(store, config.name)
