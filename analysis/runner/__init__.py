"""Benchmark runner: plan (minus done = resume), async execution, JSONL journal, resume.

Entry points: ``run_benchmark(config, store)`` / ``run_benchmark_async``, ``estimate_run`` for
``--dry-run``; ``rescore.rescore_run`` re-parses a stored run. Model calls go through the shared
call core (``analysis.models.calls``) and response cache (``analysis.models.cache``). The CLI
is ``python -m analysis run`` (analysis/commands/run.py).
"""

from __future__ import annotations

from analysis.runner.config import RetryPolicy, RunConfig, default_run_name
from analysis.runner.journal import RunJournal
from analysis.runner.plan import Plan, make_plan, stratified_sample
from analysis.runner.service import (
    Estimate,
    RunSummary,
    estimate_run,
    journal_for,
    run_benchmark,
    run_benchmark_async,
)
from analysis.store.samples import samples_from_frame

__all__ = [
    "Estimate",
    "Plan",
    "RetryPolicy",
    "RunConfig",
    "RunJournal",
    "RunSummary",
    "default_run_name",
    "estimate_run",
    "journal_for",
    "make_plan",
    "run_benchmark",
    "run_benchmark_async",
    "samples_from_frame",
    "stratified_sample",
]
