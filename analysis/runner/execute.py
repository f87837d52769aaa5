"""Execute a planned run: bounded concurrency, rate limit, timeouts, retries, cache, journal.

``concurrency`` workers pull samples from the plan; each request waits for the rate limiter,
runs under ``asyncio.wait_for(timeout)``, and transient failures (429, 5xx, timeouts, dropped
connections) are retried with exponential backoff and jitter up to ``retries`` times. A final
failure becomes an ``api_error`` prediction carrying the (redacted) message, and the run goes
on. Keys, the shared response cache, scrubbing and prices are the model-call core's
(``analysis.models.calls.CallCore``, which the live panel uses too): successful answers go to
the cache before anything else, so a crash never costs an answer twice, and every answer, fresh
or cached, is scrubbed of keys and capped in size before it is cached, journalled or stored.
Paid calls reserve their worst-case cost first (``spend.SpendLedger``).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from analysis.datasets.locate import locate_image
from analysis.errors import ImageError, ModelError
from analysis.images import image_sha256
from analysis.models.answers import truncation_note
from analysis.models.base import (
    Capabilities,
    ImageInput,
    ModelAdapter,
    ModelResponse,
    ModelTimeoutError,
    TransientModelError,
    redact,
)
from analysis.models.cache import ResponseCache
from analysis.models.calls import CallCore
from analysis.models.cost import usage_exceeds
from analysis.runner.limits import RateLimiter
from analysis.runner.prepare import Prepared
from analysis.runner.spend import Reservation, SpendLedger
from analysis.types import ParsedAnswer, Prediction, PredictionStatus, Sample

Parser = Callable[[str | None], ParsedAnswer]


@dataclass
class RunStats:
    """Live counters of one execution (what the progress bar and the summary show)."""

    completed: int = 0
    calls: int = 0  # HTTP/model calls made, retries included
    cache_hits: int = 0
    retries: int = 0
    correct_country: int = 0
    # money spent by this execution: reported costs, plus the reservation of calls whose cost
    # is unknown or that timed out (cache hits cost nothing)
    spend_usd: float = 0.0
    statuses: Counter[str] = field(default_factory=Counter)
    truncated: int = 0  # answers cut to the size cap
    usage_flags: int = 0  # answers whose reported usage exceeded what the call could use

    @property
    def answered(self) -> int:
        """Return the samples that got an answer (failed calls are not answers)."""
        return self.completed - self.statuses.get("api_error", 0)

    @property
    def accuracy(self) -> float:
        """Return the running country accuracy over the samples answered now."""
        return self.correct_country / self.answered if self.answered else 0.0


def _prediction(
    sample: Sample,
    response: ModelResponse,
    parsed: ParsedAnswer,
    cost_usd: float | None,
    notes: Sequence[str] = (),
) -> Prediction:
    return Prediction(
        sample_id=sample.sample_id,
        raw_response=response.text,
        status=parsed.status,
        pred_country=parsed.country_iso3,
        pred_lat=parsed.lat,
        pred_lon=parsed.lon,
        coords_source=parsed.coords_source,
        latency_ms=response.latency_ms,
        input_tokens=response.input_tokens,
        output_tokens=response.output_tokens,
        cost_usd=cost_usd,
        error="; ".join(notes) or None,  # on an answered row: what was odd about the answer
    )


class _Halted(Exception):
    """No call was made for a sample: the spending cap or a stop left it for the next run."""


def _failure(sample: Sample, message: str, latency_ms: float | None = None) -> Prediction:
    return Prediction(
        sample_id=sample.sample_id,
        raw_response=None,
        status=PredictionStatus.API_ERROR,
        latency_ms=latency_ms,
        error=message,
    )


class Executor:
    """Answer every sample of a prepared plan with one adapter."""

    def __init__(
        self,
        prepared: Prepared,
        adapter: ModelAdapter | None,
        cache: ResponseCache | None,
        parse: Parser,
        on_result: Callable[[Prediction, bool], Any],
        rng: random.Random | None = None,
        max_cost_usd: float | None = None,
        capabilities: Capabilities | None = None,
    ) -> None:
        """Prepare to answer ``prepared``'s plan; ``adapter`` None only to render (dry run)."""
        self.prepared = prepared
        self.config = prepared.config
        self.adapter = adapter
        self.cache = cache if self.config.use_cache else None
        self.parse = parse
        self.on_result = on_result
        self.rng = rng or random.Random()
        self.max_cost_usd = max_cost_usd
        self.stats = RunStats()
        self.limiter = RateLimiter(self.config.rpm)
        self.max_answer_bytes = self.config.max_answer_kb * 1024
        if capabilities is None and adapter is not None:
            capabilities = adapter.capabilities
        self.core = CallCore.for_preset(
            self.config.preset, max_answer_bytes=self.max_answer_bytes, capabilities=capabilities
        )
        self._secrets = self.core.secrets
        self.ledger = SpendLedger(max_cost_usd)
        self.stopped_for_budget = False
        self.stop_message: str | None = None  # why the run stopped early (usage anomaly)

    @property
    def halted(self) -> bool:
        """Return True once no new call may start (cap reached or a stop)."""
        return self.stopped_for_budget or self.stop_message is not None

    # -- inputs ----------------------------------------------------------------------------
    def _read_images(self, refs: Sequence[Any]) -> list[ImageInput]:
        images: list[ImageInput] = []
        for ref in refs:
            if ref.data is not None:
                data = bytes(ref.data)
            else:
                if not ref.path:
                    raise ImageError(f"image {ref.label or ref.sha256} has no path to read")
                path = locate_image(ref.path, self.prepared.image_bases)
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    raise ImageError(f"cannot read image {path}: {exc.strerror or exc}") from None
            images.append(ImageInput(data=data, sha256=image_sha256(data), label=ref.label))
        return images

    def _render(self, sample: Sample) -> Any:
        strategy = self.prepared.strategy
        examples = self.prepared.examples(sample) if self.prepared.examples is not None else ()
        return self.prepared.inputs.apply(
            strategy.render(sample, examples, self.config.form), sample
        )

    # -- one sample ------------------------------------------------------------------------
    def _reserve(self, amount_usd: float) -> Reservation:
        if self.stop_message is not None:
            raise _Halted
        reservation = self.ledger.reserve(amount_usd)
        if reservation is None:
            self.stopped_for_budget = True
            raise _Halted
        return reservation

    def _book(self, reservation: Reservation, cost_usd: float | None) -> None:
        self.ledger.settle(reservation, cost_usd)
        self.stats.spend_usd = self.ledger.spent_usd

    async def _call(
        self, messages: Any, images: list[ImageInput], sample: Sample, reserve_usd: float
    ) -> tuple[ModelResponse, Reservation]:
        """Call the model with retries; each attempt holds a reservation while in flight."""
        policy = self.config.retry
        adapter = self.adapter
        assert adapter is not None, "a dry run makes no calls"
        attempt = 0
        while True:
            reservation = self._reserve(reserve_usd)
            try:
                await self.limiter.acquire()
                self.stats.calls += 1
                response = await asyncio.wait_for(
                    adapter.complete(messages, images, sample=sample), self.config.timeout_s
                )
                return response, reservation
            except TimeoutError:
                error: TransientModelError = ModelTimeoutError(
                    f"no answer within {self.config.timeout_s:g} s"
                )
            except TransientModelError as exc:
                error = exc
            except ModelError as exc:
                self._settle_failed(reservation, exc)
                raise
            except BaseException:
                self._book(reservation, None)  # cancelled mid-call: it may have been billed
                raise
            self._settle_failed(reservation, error)
            if attempt >= policy.retries:
                raise ModelError(
                    f"{error} (gave up after {attempt + 1} attempt{'s' if attempt else ''})"
                )
            self.stats.retries += 1
            await asyncio.sleep(policy.delay_s(attempt, error.retry_after_s, self.rng))
            attempt += 1

    def _settle_failed(self, reservation: Reservation, error: Exception) -> None:
        # A timeout or a dropped connection may have been billed: book the worst case. An HTTP
        # error status (429, 5xx, 4xx) is not billed by providers: release it.
        if getattr(error, "maybe_billed", False):
            self._book(reservation, None)
        else:
            self.ledger.release(reservation)

    async def predict(self, sample: Sample) -> tuple[Prediction, bool] | None:
        """Answer one sample; return the prediction and whether it came from the cache.

        None means no call was made (spending cap reached, or the run was stopped): the sample
        stays to do for the next run.
        """
        started = time.perf_counter()
        try:
            messages = self._render(sample)
            refs = messages.images() if self.core.capabilities.needs_image else ()
            images = await asyncio.to_thread(self._read_images, refs)
        except (ImageError, ModelError) as exc:
            return _failure(sample, redact(f"input: {exc}", self._secrets)), False
        except Exception as exc:  # noqa: BLE001 - one bad sample must not stop the run
            message = redact(f"input: {type(exc).__name__}: {exc}", self._secrets)
            return _failure(sample, message), False
        key = self.core.request_key(messages, [i.sha256 for i in images], sample)
        cached = self.core.lookup(self.cache, key)
        reservation: Reservation | None = None
        if cached is not None:
            response = cached
            from_cache = True
        else:
            reserve_usd = self.core.max_cost_usd(_prompt_chars(messages), len(images))
            try:
                fresh, reservation = await self._call(messages, images, sample, reserve_usd)
            except _Halted:
                return None
            except ModelError as exc:
                elapsed = (time.perf_counter() - started) * 1000.0
                return _failure(sample, redact(str(exc), self._secrets), elapsed), False
            except Exception as exc:  # noqa: BLE001 - an adapter bug is recorded, not fatal
                message = redact(f"{type(exc).__name__}: {exc}", self._secrets)
                return _failure(sample, message), False
            response = await asyncio.to_thread(self.core.keep, self.cache, key, fresh)
            from_cache = False
        parsed = response.parsed or self.parse(response.text)
        cost = self.core.cost_usd(response.input_tokens, response.output_tokens)
        notes = [truncation_note(self.max_answer_bytes)] if response.truncated else []
        self.stats.truncated += response.truncated
        if reservation is not None:
            self._book(reservation, cost)
            odd = usage_exceeds(
                self.config.preset, response.output_tokens, cost, reservation.amount_usd
            )
            if odd is not None:
                notes.append(f"usage flagged: {odd}")
                self._flag_usage(sample, odd)
        return _prediction(sample, response, parsed, cost, notes), from_cache

    def _flag_usage(self, sample: Sample, reason: str) -> None:
        self.stats.usage_flags += 1
        if self.config.preset.is_paid and self.stop_message is None:
            # The spending cap assumes no call costs more than its reservation; a provider
            # reporting more (or a proxy inventing numbers) voids that, so nothing new starts.
            self.stop_message = (
                f"stopped at once: model preset {self.config.preset.name!r} answered sample "
                f"{sample.sample_id!r} with {reason}. That answer was kept and its reported cost "
                "booked; check the provider's usage and billing before running again (the same "
                "command resumes)"
            )

    def _account(self, sample: Sample, prediction: Prediction, cached: bool) -> None:
        stats = self.stats
        stats.completed += 1
        stats.statuses[str(prediction.status)] += 1
        if cached:
            stats.cache_hits += 1
        if (
            prediction.status == PredictionStatus.OK
            and sample.true_country
            and prediction.pred_country == sample.true_country
        ):
            stats.correct_country += 1

    async def run(self, samples: Sequence[Sample], progress: Callable[[RunStats], None]) -> None:
        """Answer ``samples`` with ``concurrency`` workers; call ``progress`` after each."""
        pending = iter(samples)

        async def worker() -> None:
            for sample in pending:  # one shared iterator: each sample is taken exactly once
                if self.halted:
                    return
                result = await self.predict(sample)
                if result is None:
                    return
                prediction, cached = result
                self._account(sample, prediction, cached)
                await self.on_result(prediction, cached)
                progress(self.stats)

        workers = min(self.config.concurrency, max(1, len(samples)))
        await asyncio.gather(*(worker() for _ in range(workers)))


def _prompt_chars(messages: Any) -> int:
    """Return the characters of prompt text a rendered prompt sends."""
    as_text = getattr(messages, "as_text", None)
    return len(as_text()) if callable(as_text) else len(str(messages))
