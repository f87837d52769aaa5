"""Benchmark runner: plan (minus done = resume), async execution, response cache, JSONL journal.

Entry points: ``run_benchmark(config, store)`` / ``run_benchmark_async``, ``estimate_run`` for
``--dry-run``, ``export_finetune`` for chat-format training data. The CLI is
``python -m analysis run`` (analysis/commands/run.py).
"""

from __future__ import annotations

from analysis.runner.cache import ResponseCache, response_key
from analysis.runner.config import RetryPolicy, RunConfig, default_run_name
from analysis.runner.journal import RunJournal
from analysis.runner.plan import Plan, make_plan, stratified_sample
from analysis.store.samples import samples_from_frame
from analysis.runner.service import (
    Estimate,
    RunSummary,
    estimate_run,
    journal_for,
    run_benchmark,
    run_benchmark_async,
)

__all__ = [
    "Estimate",
    "Plan",
    "ResponseCache",
    "RetryPolicy",
    "RunConfig",
    "RunJournal",
    "RunSummary",
    "default_run_name",
    "estimate_run",
    "journal_for",
    "make_plan",
    "response_key",
    "run_benchmark",
    "run_benchmark_async",
    "samples_from_frame",
    "stratified_sample",
]
