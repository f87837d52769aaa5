"""Run a benchmark end to end: replay the journal, plan, execute, ingest; or estimate (--dry-run).

A run is claimed (``lock.RunLock``) before its journal is replayed, so two commands on one run
never call the same samples twice: the second one is refused, or waits with ``wait=True``.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tqdm import tqdm

from analysis.config import Settings
from analysis.images import image_sha256
from analysis.models import adapter_capabilities, create_adapter
from analysis.models.base import AdapterContext, ModelAdapter
from analysis.models.cache import ResponseCache
from analysis.models.cost import max_input_tokens, max_output_tokens
from analysis.parsing import parse_answer
from analysis.runner.config import RunConfig, file_stem
from analysis.runner.describe import DescribeOutcome, describe_for_run, estimate_describe
from analysis.runner.execute import Executor, Parser, RunStats
from analysis.runner.journal import RunJournal
from analysis.runner.lock import RunLock
from analysis.runner.modes import PLACEHOLDER_DESCRIPTION
from analysis.runner.prepare import Prepared, prepare_run
from analysis.runner.sink import PredictionSink
from analysis.types import ParsedAnswer, Prediction

_REPLAY_BATCH = 500


@dataclass(frozen=True)
class RunSummary:
    """What one execution did."""

    run: str
    dataset: str
    selected: int  # samples in the run's selection
    already_done: int  # answered before this execution (resume)
    attempted: int  # samples answered now
    calls: int  # model calls made now, retries included
    cache_hits: int
    retries: int
    statuses: dict[str, int]
    correct_country: int
    spend_usd: float
    elapsed_s: float
    replayed: int  # predictions recovered from the journal into the store
    journal: Path
    stopped_for_budget: bool = False
    stop_message: str | None = None  # the run stopped at once (reported usage beyond limits)
    truncated: int = 0  # answers cut to the size cap
    usage_flags: int = 0  # answers whose reported usage exceeded what the call could use
    described: int = 0  # descriptions written now (input modes with a description)
    describe_calls: int = 0  # describer calls made now (their cost is in spend_usd)

    @property
    def failed(self) -> int:
        """Return the samples whose call failed now (retried by the next run)."""
        return self.statuses.get("api_error", 0)

    @property
    def answered(self) -> int:
        """Return the samples that got an answer now (failed calls are not answers)."""
        return self.attempted - self.failed

    @property
    def complete(self) -> bool:
        """Return True when every selected sample now has an answer."""
        stopped = self.stopped_for_budget or self.stop_message is not None
        return self.already_done + self.attempted >= self.selected and not stopped


@dataclass(frozen=True)
class Estimate:
    """What a run would do (``--dry-run``): calls, cache hits, tokens and dollars."""

    run: str
    selected: int
    already_done: int
    to_answer: int
    cache_hits: int
    calls: int
    input_tokens: int
    max_output_tokens: int
    cost_usd: float
    unreadable_images: int


def journal_for(settings: Settings, run: str) -> RunJournal:
    """Return the journal of ``run`` under ``<cache>/runs/``."""
    return RunJournal(settings.cache_dir / "runs" / f"{file_stem(run)}.jsonl", run)


def _replay_into_store(store: Any, journal: RunJournal) -> int:
    """Ingest journal lines into an existing run; retire a journal whose run is gone."""
    if not store.has_run(journal.run):
        # The run was deleted (or never created): its old log must not resurrect answers.
        journal.retire()
        return 0
    replay = journal.replay()
    items = list(replay.predictions)
    if not items:
        return 0
    # Count only what the store lacked: after a clean stop every journal line is already there.
    stored = store.done_sample_ids(journal.run, include_errors=True)
    missing = len({p.sample_id for p in items} - stored)
    for start in range(0, len(items), _REPLAY_BATCH):
        store.add_predictions(journal.run, items[start : start + _REPLAY_BATCH])
    return missing


def _journal_header(prepared: Prepared) -> dict[str, Any]:
    meta = prepared.run_meta
    header: dict[str, Any] = {"type": "run", "version": 1}
    for name in (
        "name",
        "dataset",
        "model",
        "adapter",
        "prompt_strategy",
        "prompt_version",
        "prompt_hash",
        "prompt_text",
        "notes",
    ):
        value = getattr(meta, name, None)
        if value is not None:
            header[name] = value
    header["params"] = dict(meta.params)  # built by run_params: never holds a secret
    return header


def _progress_bar(prepared: Prepared, enabled: bool) -> Any:
    return tqdm(
        total=len(prepared.plan.todo),
        desc=prepared.run[:40],
        unit="img",
        file=sys.stderr,
        disable=not enabled,
        mininterval=0.5,
        dynamic_ncols=True,
    )


async def run_benchmark_async(
    config: RunConfig,
    store: Any,
    settings: Settings | None = None,
    *,
    adapter: ModelAdapter | None = None,
    parse: Parser | None = None,
    progress: bool = True,
    max_cost_usd: float | None = None,
    wait: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> RunSummary:
    """Run (or resume) a benchmark and return what this execution did.

    The run is claimed first: while another process executes it, raise RunLockedError naming
    that process, or (``wait``) wait for it, telling ``on_wait`` once.
    """
    settings = settings or Settings.from_env()
    lock = RunLock(settings.cache_dir, settings.db_path, config.name)
    await lock.acquire_async(wait=wait, on_wait=on_wait)
    try:
        return await _run_claimed(config, store, settings, adapter, parse, progress, max_cost_usd)
    finally:
        lock.release()


async def _run_claimed(
    config: RunConfig,
    store: Any,
    settings: Settings,
    adapter: ModelAdapter | None,
    parse: Parser | None,
    progress: bool,
    max_cost_usd: float | None,
) -> RunSummary:
    started = time.perf_counter()
    journal = journal_for(settings, config.name)
    replayed = await asyncio.to_thread(_replay_into_store, store, journal)
    prepared = await asyncio.to_thread(prepare_run, config, store)
    planned = prepared.plan  # before the describe phase holds back samples without descriptions
    owns_adapter = adapter is None
    if adapter is None:
        context = AdapterContext(
            store=store,
            images_root=config.images_root,
            max_answer_bytes=config.max_answer_kb * 1024,
        )
        adapter = create_adapter(config.preset, timeout_s=config.timeout_s, context=context)
    stats = RunStats()
    bar = None
    sink: PredictionSink | None = None
    executor: Executor | None = None
    described = DescribeOutcome({})
    try:
        await adapter.start()  # weights / indexes load before the run row exists
        if prepared.inputs.mode.needs_description:
            described = await describe_for_run(
                prepared, store, settings.cache_dir, adapter, max_cost_usd=max_cost_usd
            )
            prepared = _with_descriptions(prepared, described)
            if max_cost_usd is not None:
                max_cost_usd = max(0.0, max_cost_usd - described.spend_usd)
        if not prepared.resumed:
            await asyncio.to_thread(store.create_run, prepared.run_meta)
        journal.open(header=_journal_header(prepared))
        sink = PredictionSink(
            store, prepared.run, journal, config.batch_size, config.flush_interval_s
        )
        cache = ResponseCache.in_cache_dir(settings.cache_dir)
        executor = Executor(
            prepared,
            adapter,
            cache,
            parse or parse_answer,
            sink.add,
            max_cost_usd=max_cost_usd,
        )
        stats = executor.stats
        bar = _progress_bar(prepared, progress)

        def report(current: RunStats) -> None:
            errors = current.statuses.get("api_error", 0)
            bar.set_postfix(
                acc=f"{current.accuracy:.3f}",
                spend=f"${current.spend_usd:.4f}",
                cached=current.cache_hits,
                errors=errors,
                refresh=False,
            )
            bar.update(1)

        await executor.run(prepared.plan.todo, report)
    finally:
        if bar is not None:
            bar.close()
        if sink is not None:
            await sink.flush(final=False)  # best effort on Ctrl-C; the journal has the rest
        journal.close()
        if owns_adapter:
            await adapter.aclose()
    assert sink is not None and executor is not None
    await sink.flush(final=True)
    summary = RunSummary(
        run=prepared.run,
        dataset=config.dataset,
        selected=len(planned.selected),
        already_done=planned.done,
        attempted=stats.completed,
        calls=stats.calls,
        cache_hits=stats.cache_hits,
        retries=stats.retries,
        statuses=dict(stats.statuses),
        correct_country=stats.correct_country,
        spend_usd=stats.spend_usd + described.spend_usd,
        elapsed_s=time.perf_counter() - started,
        replayed=replayed,
        journal=journal.path,
        stopped_for_budget=executor.stopped_for_budget or described.stopped_for_budget,
        stop_message=executor.stop_message,
        truncated=stats.truncated,
        usage_flags=stats.usage_flags,
        described=described.written,
        describe_calls=described.calls,
    )
    if summary.complete:
        await asyncio.to_thread(store.finish_run, prepared.run)
    return summary


def _with_descriptions(prepared: Prepared, described: DescribeOutcome) -> Prepared:
    """Give the run its descriptions; samples still without one wait for the next run."""
    texts = described.descriptions
    plan = replace(prepared.plan, todo=tuple(s for s in prepared.plan.todo if s.sample_id in texts))
    return replace(prepared, plan=plan, inputs=replace(prepared.inputs, descriptions=texts))


def run_benchmark(
    config: RunConfig, store: Any, settings: Settings | None = None, **kwargs: Any
) -> RunSummary:
    """Run (or resume) a benchmark synchronously; see ``run_benchmark_async``."""
    return asyncio.run(run_benchmark_async(config, store, settings, **kwargs))


def estimate_run(config: RunConfig, store: Any, settings: Settings | None = None) -> Estimate:
    """Count the calls a run would make and bound their cost, without calling or writing.

    The cost is the sum of what ``--max-cost`` would reserve for each call
    (``analysis.models.cost``: the one accounting of tokens and images, shared with the live
    panel's cap), so the dry run's figure is the most the run can spend with truthful usage.
    """
    settings = settings or Settings.from_env()
    journal = journal_for(settings, config.name)
    logged = (
        {p.sample_id for p in journal.replay().predictions if str(p.status) != "api_error"}
        if store.has_run(config.name)
        else set()
    )
    prepared = prepare_run(config, store, extra_done=logged)
    describe_calls, describe_cost = 0, 0.0
    if prepared.inputs.mode.needs_description:
        # a description not written yet is rendered as a placeholder of the same role
        stored, describe_calls, describe_cost = estimate_describe(prepared, store)
        inputs = replace(prepared.inputs, descriptions=stored, placeholder=PLACEHOLDER_DESCRIPTION)
        prepared = replace(prepared, inputs=inputs)
    cache = ResponseCache.in_cache_dir(settings.cache_dir)
    capabilities = adapter_capabilities(config.preset)
    executor = Executor(prepared, None, None, _no_parse, _no_sink, capabilities=capabilities)
    core = executor.core
    hits = unreadable = input_tokens = 0
    cost = 0.0
    for sample in prepared.plan.todo:
        messages = executor._render(sample)
        refs = messages.images() if capabilities.needs_image else ()
        try:
            shas = [image_sha256(i.data) for i in executor._read_images(refs)]
        except Exception:  # noqa: BLE001 - counted, reported, not fatal for an estimate
            unreadable += 1
            continue
        if config.use_cache and core.request_key(messages, shas, sample) in cache:
            hits += 1
            continue
        chars = len(messages.as_text())
        input_tokens += max_input_tokens(config.preset, chars, len(refs))
        cost += core.max_cost_usd(chars, len(refs))
    calls = len(prepared.plan.todo) - hits - unreadable + describe_calls
    cost += describe_cost
    return Estimate(
        run=prepared.run,
        selected=len(prepared.plan.selected),
        already_done=prepared.plan.done,
        to_answer=len(prepared.plan.todo),
        cache_hits=hits,
        calls=calls,
        input_tokens=input_tokens,
        max_output_tokens=max_output_tokens(config.preset) * calls,
        cost_usd=cost,
        unreadable_images=unreadable,
    )


def _no_parse(text: str | None) -> ParsedAnswer:
    raise AssertionError("a dry run parses nothing")


async def _no_sink(prediction: Prediction, cached: bool) -> None:
    raise AssertionError("a dry run stores nothing")
