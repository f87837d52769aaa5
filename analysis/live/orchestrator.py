"""Run several models on one image in parallel and yield each result as soon as it is known.

Threads, not asyncio: a Streamlit script is synchronous, and a thread per call lets every
adapter (HTTP client or local transformers model) run unchanged. Each call has its own deadline;
the caller's loop waits for whichever finishes first, so one slow or failing model never
holds back the others. A call past its deadline is reported as timed out and abandoned (its
thread ends on the adapter's own HTTP timeout; a late answer still fills the cache). Keys,
the response cache, scrubbing and prices are the benchmark runner's (``ModelCall.core``), and
scores come from ``analysis.metrics.guess``, as in every metric.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace

from analysis.errors import BudgetExceededError, GeoScopeError
from analysis.geo.distance import haversine_km
from analysis.live.budget import Budget, Reservation
from analysis.live.consensus import geometric_median
from analysis.live.results import (
    CallState,
    LiveResult,
    ModelCall,
    RawAnswer,
    parsed_fields,
)
from analysis.metrics.guess import score_guess
from analysis.models.base import ModelResponse, redact
from analysis.models.cache import ResponseCache
from analysis.parsing import parse_answer
from analysis.types import LatLon, ParsedAnswer, PredictionStatus

Parser = Callable[[str | None], ParsedAnswer]


@dataclass(frozen=True)
class ConsensusPoint:
    """Geometric median of the guesses that carried coordinates."""

    lat: float
    lon: float
    n_guesses: int
    distance_km: float | None = None  # to the truth, when known


def _score(result: LiveResult, truth: LatLon | None) -> LiveResult:
    if truth is None:
        return result
    score = score_guess(truth, result.status, result.lat, result.lon)
    return replace(result, distance_km=score.distance_km, points=score.points)


def _from_answer(
    call: ModelCall, answer: RawAnswer, state: CallState, parse: Parser, truth: LatLon | None
) -> LiveResult:
    parsed = answer.parsed if answer.parsed is not None else parse(answer.text)
    result = LiveResult(
        preset=call.preset,
        model=call.model,
        adapter=call.adapter,
        state=state,
        message=parsed.detail or str(parsed.status),
        raw_text=answer.text,
        latency_ms=answer.latency_ms,
        input_tokens=answer.input_tokens,
        output_tokens=answer.output_tokens,
        cost_usd=answer.cost_usd,
        **parsed_fields(parsed),  # type: ignore[arg-type]
    )
    return _score(result, truth)


def _failure(call: ModelCall, state: CallState, message: str, truth: LatLon | None) -> LiveResult:
    secrets = [os.environ.get(name, "") for name in call.secret_env]
    result = LiveResult(
        preset=call.preset,
        model=call.model,
        adapter=call.adapter,
        state=state,
        status=PredictionStatus.API_ERROR,
        message=redact(message, secrets),
    )
    return _score(result, truth)


def _count(value: int | None) -> int | None:
    return value if value is None or value >= 0 else None


def sane_answer(answer: RawAnswer) -> RawAnswer:
    """Drop usage figures no real call can have (negative tokens, negative or non-finite cost).

    A server reporting -5000 prompt tokens knows nothing reliable about its usage: the counts
    and the cost become unknown, so the card never shows a negative price and the spending cap
    books the call's reservation instead (the cautious amount).
    """
    tokens_in, tokens_out = _count(answer.input_tokens), _count(answer.output_tokens)
    usage_lies = (tokens_in, tokens_out) != (answer.input_tokens, answer.output_tokens)
    cost = answer.cost_usd
    if usage_lies or (cost is not None and (not math.isfinite(cost) or cost < 0)):
        cost = None
    if (tokens_in, tokens_out, cost) == (
        answer.input_tokens,
        answer.output_tokens,
        answer.cost_usd,
    ):
        return answer
    return replace(answer, input_tokens=tokens_in, output_tokens=tokens_out, cost_usd=cost)


def _error_text(error: BaseException) -> str:
    """Return a failure's message; our own errors already say what happened in plain words."""
    if isinstance(error, GeoScopeError):
        return str(error) or type(error).__name__
    return f"{type(error).__name__}: {error}"


def _as_response(answer: RawAnswer) -> ModelResponse:
    return ModelResponse(
        text=answer.text,
        input_tokens=answer.input_tokens,
        output_tokens=answer.output_tokens,
        latency_ms=answer.latency_ms,
        parsed=answer.parsed,
        truncated=answer.truncated,
    )


def _as_answer(response: ModelResponse, cost_usd: float | None) -> RawAnswer:
    return RawAnswer(
        text=response.text,
        input_tokens=response.input_tokens,
        output_tokens=response.output_tokens,
        latency_ms=response.latency_ms,
        cost_usd=cost_usd,
        parsed=response.parsed,
        truncated=response.truncated,
    )


def _worker(
    call: ModelCall,
    image_bytes: bytes,
    timeout_s: float,
    key: str,
    cache: ResponseCache | None,
    budget: Budget | None,
    reservation: Reservation | None,
) -> RawAnswer:
    started = time.perf_counter()
    try:
        answer = sane_answer(call.invoke(image_bytes, timeout_s))
    except BaseException:
        if budget is not None and reservation is not None:
            # Whether a failed call was billed is unknown here: keep the reservation booked so
            # the cap errs on the side of spending less.
            budget.settle(reservation, reservation.amount_usd)
        raise
    if answer.latency_ms is None:
        answer = replace(answer, latency_ms=(time.perf_counter() - started) * 1000.0)
    if budget is not None and reservation is not None:
        budget.settle(reservation, answer.cost_usd)
    # scrubbed and capped before it is cached or shown, as a benchmark's answers are
    kept = call.core.keep(cache, key, _as_response(answer))
    return _as_answer(kept, answer.cost_usd)


def run_live(
    image_bytes: bytes,
    image_sha256: str,
    calls: Sequence[ModelCall],
    *,
    truth: LatLon | None = None,
    timeout_s: float = 90.0,
    budget: Budget | None = None,
    cache: ResponseCache | None = None,
    max_workers: int = 8,
    parse: Parser | None = None,
) -> Iterator[LiveResult]:
    """Call every model on the image in parallel; yield one LiveResult per call as it completes.

    Args:
        image_bytes: the photo as read (``LiveImage.data``); each adapter encodes it as it
            does in a benchmark (resized, metadata stripped before anything leaves here).
        image_sha256: SHA-256 of ``image_bytes``; with preset and prompt it keys the shared
            response cache, so a benchmark's answer about the same file is reused.
        calls: one per chosen preset.
        truth: the known location, to add ``distance_km`` and GeoGuessr ``points``.
        timeout_s: per-call limit in seconds; past it the call is reported as timed out.
        budget: the spending cap(s) (``SessionBudget``, or ``CombinedBudget`` with the
            server-wide daily cap); paid calls beyond it are skipped, not made.
        cache: the shared response cache (``LiveCache``); answers in it cost no call.
        max_workers: parallel calls at most.
        parse: raw text -> ParsedAnswer (default ``analysis.parsing.parse_answer``).

    Cached, unavailable and over-budget results come first (no waiting); the rest in order of
    completion. Every call yields exactly one result, whatever happens to it.
    """
    parser = parse or parse_answer
    pending: dict[Future[RawAnswer], tuple[ModelCall, float]] = {}
    to_start: list[tuple[ModelCall, str, Reservation | None]] = []

    for call in calls:
        if call.unavailable_reason:
            yield _failure(call, CallState.UNAVAILABLE, call.unavailable_reason, truth)
            continue
        key = call.core.key(call.prompt_hash, [image_sha256])
        hit = call.core.lookup(cache, key)
        if hit is not None:
            cost = call.core.cost_usd(hit.input_tokens, hit.output_tokens)
            answer = sane_answer(
                _as_answer(hit, cost)
            )  # entries written before answers were checked
            yield _from_answer(call, answer, CallState.CACHED, parser, truth)
            continue
        reservation: Reservation | None = None
        if call.is_paid and budget is not None:
            try:
                reservation = budget.reserve(call.preset, call.max_cost_usd)
            except BudgetExceededError as exc:
                yield _failure(call, CallState.SKIPPED_BUDGET, str(exc), truth)
                continue
        to_start.append((call, key, reservation))

    if not to_start:
        return
    executor = ThreadPoolExecutor(
        max_workers=max(1, min(max_workers, len(to_start))), thread_name_prefix="live-call"
    )
    try:
        for call, key, reservation in to_start:
            future = executor.submit(
                _worker, call, image_bytes, timeout_s, key, cache, budget, reservation
            )
            pending[future] = (call, time.monotonic() + timeout_s)
        while pending:
            now = time.monotonic()
            next_deadline = min(deadline for _, deadline in pending.values())
            done, _ = wait(
                list(pending), timeout=max(0.0, next_deadline - now), return_when=FIRST_COMPLETED
            )
            for future in done:
                call, _deadline = pending.pop(future)
                error = future.exception()
                if error is None:
                    yield _from_answer(call, future.result(), CallState.DONE, parser, truth)
                else:
                    yield _failure(call, CallState.FAILED, _error_text(error), truth)
            now = time.monotonic()
            for future, (call, deadline) in list(pending.items()):
                if deadline <= now and not future.done():
                    del pending[future]
                    message = f"no answer within {timeout_s:g} s (timed out)"
                    yield _failure(call, CallState.TIMED_OUT, message, truth)
    finally:
        # Do not wait for abandoned calls: their threads end on the adapter's own timeout.
        executor.shutdown(wait=False, cancel_futures=True)


def rescore(results: Sequence[LiveResult], truth: LatLon | None) -> tuple[LiveResult, ...]:
    """Recompute distances and points for another truth (the user edited it): no new calls."""
    cleared = [replace(r, distance_km=None, points=None) for r in results]
    return tuple(_score(r, truth) for r in cleared)


def consensus_point(
    results: Sequence[LiveResult], truth: LatLon | None = None
) -> ConsensusPoint | None:
    """Return the geometric median of the guesses with coordinates (None if there are none).

    Non-answers (unknown, refused, errors) are ignored; a country-only answer counts at the
    country's representative point, as it does in every metric.
    """
    points = [
        (r.lat, r.lon)
        for r in results
        if r.has_location and r.lat is not None and r.lon is not None
    ]
    median = geometric_median(points)
    if median is None:
        return None
    distance: float | None = None
    if truth is not None:
        distance = float(haversine_km(truth.lat, truth.lon, median[0], median[1]))
    return ConsensusPoint(lat=median[0], lon=median[1], n_guesses=len(points), distance_km=distance)
