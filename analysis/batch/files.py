"""``--batch-file`` (requests for vLLM's ``run-batch``, sent by nobody) and ``import-batch``.

The request file is the OpenAI batch input format; its requests are recorded with the run
(provider ``file``), so that a results file produced anywhere (vLLM on a cluster, a provider's
console) can be checked line by line against what the run asked before any answer is kept.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.batch.cycle import BatchOptions, BatchReport, Cycle
from analysis.batch.requests import LIMITS, write_requests
from analysis.batch.results import read_results
from analysis.config import Settings
from analysis.errors import InputError
from analysis.runner.config import RunConfig
from analysis.runner.lock import RunLock
from analysis.runner.prepare import prepare_run
from analysis.store.batches import BatchRow, add_batch, batch_requests, run_batches


@dataclass(frozen=True)
class FileReport:
    """What ``--batch-file`` wrote."""

    run: str
    path: Path
    n_requests: int
    n_samples: int
    cached: int  # pending samples already answered in the cache (ingested now, not written)
    unreadable: dict[str, str]


async def write_batch_file_async(
    config: RunConfig, store: Any, settings: Settings, out: Path, options: BatchOptions
) -> FileReport:
    """Write the run's pending requests to ``out`` (OpenAI / vLLM run-batch format), send nothing.

    The requests are recorded with the run (provider ``file``) so that ``import-batch`` knows
    which sample each answer belongs to; answers already cached are ingested at once.
    """
    lock = RunLock(settings.cache_dir, settings.db_path, config.name)
    await lock.acquire_async()
    cycle: Cycle | None = None
    try:
        cycle = Cycle(config, store, settings, options, api="file")
        prepared = await asyncio.to_thread(prepare_run, cycle.config, store)
        if not prepared.resumed:
            await asyncio.to_thread(store.create_run, prepared.run_meta)
        local_id = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        written = await write_requests(
            prepared, cycle.adapter, cycle.cache, prepared.plan.todo, cycle.folder,
            stem=local_id, fmt="openai", limits=LIMITS["file"],
        )  # fmt: skip
        cycle.note_written(written)
        n_requests = n_samples = 0
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("wb") as target:
            for chunk in written.chunks:
                target.write(chunk.path.read_bytes())
                row = BatchRow(run=config.name, local_id=chunk.path.stem, provider="file",
                               status="written", n_requests=chunk.n_requests,
                               options=options.options, detail=str(out))  # fmt: skip
                add_batch(store, row, chunk.requests)
                chunk.path.unlink()
                n_requests += chunk.n_requests
                n_samples += len(chunk.requests)
        await cycle.ingest()
        return FileReport(config.name, out, n_requests, n_samples, len(written.cached),
                          written.unreadable)  # fmt: skip
    finally:
        if cycle is not None:
            await cycle.adapter.aclose()
        lock.release()


def _check_results(path: Path, expected: set[str]) -> None:
    """Refuse a results file with lines that are not results of this run's requests."""
    problems: list[str] = []
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                custom_id = json.loads(raw).get("custom_id")
            except (ValueError, AttributeError):
                custom_id = None
            if not isinstance(custom_id, str):
                problems.append(f"line {number}: not a batch result (no custom_id)")
            elif custom_id not in expected:
                problems.append(f"line {number}: custom_id {custom_id[:80]!r} was not asked by")
            if len(problems) >= 10:
                break
    if problems:
        raise InputError(
            f"{path} is not a results file of this run's requests: "
            + "; ".join(p.replace("asked by", "asked by this run") for p in problems)
        )


async def import_batch_async(
    config: RunConfig, store: Any, settings: Settings, results: Path, options: BatchOptions
) -> BatchReport:
    """Ingest a results file produced elsewhere (vLLM ``run-batch``, a provider's console)."""
    if not results.is_file():
        raise InputError(f"results file {results} not found (or not a file)")
    lock = RunLock(settings.cache_dir, settings.db_path, config.name)
    await lock.acquire_async()
    cycle: Cycle | None = None
    try:
        cycle = Cycle(config, store, settings, options, api="file")
        rows = [r.local_id for r in run_batches(store, config.name)]
        pairs = batch_requests(store, rows)
        expected = {custom_id for custom_id, _ in pairs}
        await asyncio.to_thread(_check_results, results, expected)
        collected = await asyncio.to_thread(
            read_results, results, cycle.adapter, cycle.core, cycle.cache, expected
        )
        cycle.report.collected.merge(collected)
        for custom_id, sample_id in pairs:
            if custom_id in collected.failed:
                cycle.failed_samples[sample_id] = collected.failed[custom_id]
        await cycle.ingest()
        return cycle.report
    finally:
        if cycle is not None:
            await cycle.adapter.aclose()
        lock.release()
