"""Judge mode's calls: each stored answer's text goes to a judge preset through the call core.

Not a command family (``analysis/commands/clues.py`` adds ``--judge`` to ``clues``); it lives
here because it joins layers that may not import each other: the clue reader and judge prompt
(``analysis.clues``), the model-call core (``analysis.models.calls``: one response cache, keys
scrubbed, prices), the spending ledger of runs (``analysis.runner.spend``) and the store.

Resumable twice over: an answer already judged (same run, judge and answer text) is skipped,
and a reply that was paid for but not yet stored is in the response cache, so a killed run
never pays for the same answer again. Each judgement is stored as soon as it arrives.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.clues import extract_clues
from analysis.clues.judge import (
    agreement,
    answer_sha256,
    judge_prompt_hash,
    judge_request,
    judge_system,
    judged_categories,
    parse_judge_reply,
)
from analysis.errors import ConfigError, ModelError
from analysis.models import create_adapter
from analysis.models.base import (
    AdapterContext,
    ChatTurn,
    ModelAdapter,
    ModelResponse,
    ModelTimeoutError,
    TextPart,
    TransientModelError,
    redact,
)
from analysis.models.cache import ResponseCache
from analysis.models.calls import CallCore
from analysis.models.presets import ModelPreset
from analysis.runner.spend import Reservation, SpendLedger
from analysis.store import Store
from analysis.store.clues import Judgement, judged_answers, judgements_frame, save_judgements

RETRIES = 3
BASE_DELAY_S = 1.0
MAX_DELAY_S = 30.0


@dataclass
class JudgeReport:
    """What one ``clues --judge`` invocation did (or, dry, would do)."""

    run: str
    judge: str
    n_answers: int = 0  # answers with text in the run
    n_already: int = 0  # judged before on the same text: skipped
    n_judged: int = 0  # judged now (fresh or from the response cache)
    n_cached: int = 0  # of them, answered by the response cache (nothing paid)
    n_failed: int = 0
    n_dropped: int = 0  # judge items of an unknown category, over the answers judged now
    n_unreadable: int = 0  # replies with no JSON list
    spent_usd: float = 0.0
    reserved_max_usd: float = 0.0  # dry run: what --max-cost would reserve for the calls
    stopped_for_budget: bool = False
    failures: list[str] = field(default_factory=list)


def run_answers(store: Store, run: str) -> list[tuple[str, str]]:
    """Return (sample_id, answer text) of every answer of ``run`` that has text."""
    frame = store.run_frame(run, with_raw=True)
    return [
        (str(sid), raw)
        for sid, raw in zip(frame["sample_id"], frame["raw_response"], strict=True)
        if isinstance(raw, str) and raw.strip()
    ]


def judge_turns(answer: str) -> list[ChatTurn]:
    """Return the conversation sent for one answer (no image: the judge reads text only)."""
    return [
        ChatTurn("system", (TextPart(judge_system()),)),
        ChatTurn("user", (TextPart(judge_request(answer)),)),
    ]


def _prompt_chars(answer: str) -> int:
    return len(judge_system()) + len(judge_request(answer))


class _Judging:
    """One invocation's state: adapter, core, ledger, counters."""

    def __init__(
        self,
        store: Store,
        report: JudgeReport,
        core: CallCore,
        cache: ResponseCache,
        adapter: ModelAdapter,
        ledger: SpendLedger,
        timeout_s: float,
    ) -> None:
        self.store, self.report, self.core, self.cache = store, report, core, cache
        self.adapter, self.ledger, self.timeout_s = adapter, ledger, timeout_s
        self.rng = random.Random(0)

    async def _call(self, answer: str) -> tuple[ModelResponse, Reservation] | None:
        """Ask the judge with retries; None when the spending cap leaves no room."""
        for attempt in range(RETRIES + 1):
            reservation = self.ledger.reserve(self.core.max_cost_usd(_prompt_chars(answer), 0))
            if reservation is None:
                self.report.stopped_for_budget = True
                return None
            try:
                response = await asyncio.wait_for(
                    self.adapter.complete(judge_turns(answer), []), self.timeout_s
                )
                return response, reservation
            except TimeoutError:
                error: TransientModelError = ModelTimeoutError(
                    f"no answer within {self.timeout_s:g} s"
                )
            except TransientModelError as exc:
                error = exc
            except ModelError:
                self.ledger.release(reservation)
                raise
            except BaseException:
                self.ledger.settle(reservation, None)  # cancelled mid-call: may be billed
                raise
            if error.maybe_billed:  # a timeout may have been billed: book the worst case
                self.ledger.settle(reservation, None)
            else:
                self.ledger.release(reservation)
            if attempt == RETRIES:
                raise ModelError(f"{error} (gave up after {attempt + 1} attempts)")
            backoff = min(MAX_DELAY_S, BASE_DELAY_S * 2.0**attempt) * self.rng.uniform(0.5, 1.5)
            await asyncio.sleep(max(backoff, min(error.retry_after_s or 0.0, MAX_DELAY_S)))
        return None  # not reached: the last attempt returns or raises

    async def judge(self, sample_id: str, answer: str) -> None:
        """Judge one answer and store the judgement at once."""
        if self.report.stopped_for_budget:
            return
        key = self.core.key(judge_prompt_hash(answer), [])
        response = self.core.lookup(self.cache, key)
        cached = response is not None
        if response is None:
            try:
                called = await self._call(answer)
            except ModelError as exc:
                self.report.n_failed += 1
                self.report.failures.append(f"{sample_id}: {redact(str(exc), self.core.secrets)}")
                return
            if called is None:
                return
            fresh, reservation = called
            response = self.core.keep(self.cache, key, fresh)
            self.ledger.settle(
                reservation, self.core.cost_usd(response.input_tokens, response.output_tokens)
            )
        verdict = parse_judge_reply(response.text)
        row = Judgement(
            sample_id=sample_id,
            answer_sha256=answer_sha256(answer),
            clues_json=verdict.to_json(),
            n_dropped=verdict.n_dropped,
            error=verdict.error,
            input_tokens=response.input_tokens,
            output_tokens=response.output_tokens,
            cost_usd=self.core.cost_usd(response.input_tokens, response.output_tokens),
            cached=cached,
        )
        await asyncio.to_thread(
            save_judgements, self.store, self.report.run, self.report.judge, [row]
        )
        self.report.n_judged += 1
        self.report.n_cached += cached
        self.report.n_dropped += verdict.n_dropped
        self.report.n_unreadable += verdict.error is not None


def _check_preset(core: CallCore, preset: ModelPreset) -> None:
    if core.capabilities.structured:
        raise ConfigError(
            f"preset {preset.name!r} answers with coordinates, not text; a judge must be a "
            "language model preset"
        )


async def judge_run(
    store: Store,
    run: str,
    preset: ModelPreset,
    *,
    cache_dir: Path,
    max_cost_usd: float | None = None,
    dry_run: bool = False,
    concurrency: int = 4,
    timeout_s: float | None = None,
    adapter_factory: Callable[..., ModelAdapter] = create_adapter,
) -> JudgeReport:
    """Judge every not-yet-judged answer of ``run`` with ``preset``; return what happened.

    Args:
        max_cost_usd: cap on what paid calls may spend (each reserves its worst case first).
        dry_run: count the calls and sum the worst-case cost (what the cap reserves); no call.
        concurrency: judge calls in flight at once (>= 1).
    """
    if concurrency < 1:
        raise ConfigError(f"--concurrency must be at least 1, got {concurrency}")
    ledger = SpendLedger(max_cost_usd)
    report = JudgeReport(run=run, judge=preset.name)
    core = CallCore.for_preset(preset)
    _check_preset(core, preset)
    answers = run_answers(store, run)
    done = judged_answers(store, run, preset.name)
    todo = [(s, a) for s, a in answers if done.get(s) != answer_sha256(a)]
    report.n_answers, report.n_already = len(answers), len(answers) - len(todo)
    cache = ResponseCache.in_cache_dir(cache_dir)
    if dry_run:
        uncached = [a for _, a in todo if core.key(judge_prompt_hash(a), []) not in cache]
        report.n_cached = len(todo) - len(uncached)
        report.reserved_max_usd = sum(core.max_cost_usd(_prompt_chars(a), 0) for a in uncached)
        return report
    if not todo:
        return report
    adapter = adapter_factory(
        preset, timeout_s=timeout_s, context=AdapterContext(max_answer_bytes=core.max_answer_bytes)
    )
    judging = _Judging(store, report, core, cache, adapter, ledger, adapter.timeout_s)
    slots = asyncio.Semaphore(concurrency)

    async def one(sample_id: str, answer: str) -> None:
        async with slots:
            await judging.judge(sample_id, answer)

    try:
        await adapter.start()
        await asyncio.gather(*(one(s, a) for s, a in todo))
    finally:
        await adapter.aclose()
        report.spent_usd = ledger.spent_usd
    return report


def agreement_table(store: Store, run: str, judge: str) -> pd.DataFrame:
    """Compare the judge's stored labels with the rule-based reading, per category.

    Only judgements made on the run's current answer texts are compared.
    """
    answers = dict(run_answers(store, run))
    stored = judgements_frame(store, run, judge)
    judged: dict[str, set[str]] = {}
    for sample_id, sha, clues_json in zip(
        stored["sample_id"], stored["answer_sha256"], stored["clues_json"], strict=True
    ):
        text = answers.get(str(sample_id))
        if text is not None and answer_sha256(text) == sha:
            judged[str(sample_id)] = judged_categories(clues_json)
    rule = {s: {c.category for c in extract_clues(answers[s])} for s in judged}
    return agreement(rule, judged)


def run_judge(store: Store, run: str, preset: ModelPreset, **options: Any) -> JudgeReport:
    """Run ``judge_run`` to completion from synchronous code (the CLI)."""
    return asyncio.run(judge_run(store, run, preset, **options))
