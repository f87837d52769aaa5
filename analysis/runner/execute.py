"""Execute a planned run: bounded concurrency, rate limit, timeouts, retries, cache, journal.

``concurrency`` workers pull samples from the plan; each request waits for the rate limiter,
runs under ``asyncio.wait_for(timeout)``, and transient failures (429, 5xx, timeouts, dropped
connections) are retried with exponential backoff and jitter up to ``retries`` times. A final
failure becomes an ``api_error`` prediction carrying the (redacted) message, and the run goes
on. Successful answers go to the response cache before anything else, so a crash never costs
an answer twice.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.errors import ImageError, ModelError
from analysis.images import image_sha256
from analysis.models.base import (
    ImageInput,
    ModelResponse,
    ModelTimeoutError,
    TransientModelError,
    redact,
)
from analysis.runner.cache import ResponseCache, response_key
from analysis.runner.prepare import Prepared
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
    spend_usd: float = 0.0  # money spent by this execution (cache hits cost nothing)
    statuses: Counter[str] = field(default_factory=Counter)

    @property
    def accuracy(self) -> float:
        """Return the running country accuracy over completed samples."""
        return self.correct_country / self.completed if self.completed else 0.0


def _prediction(
    sample: Sample, response: ModelResponse, parsed: ParsedAnswer, cost_usd: float | None
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
    )


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
        adapter: Any,
        cache: ResponseCache | None,
        parse: Parser,
        on_result: Callable[[Prediction, bool], Any],
        rng: random.Random | None = None,
        max_cost_usd: float | None = None,
    ) -> None:
        self.prepared = prepared
        self.config = prepared.config
        self.adapter = adapter
        self.cache = cache if self.config.use_cache else None
        self.parse = parse
        self.on_result = on_result
        self.rng = rng or random.Random()
        self.max_cost_usd = max_cost_usd
        self.stats = RunStats()
        from analysis.runner.limits import RateLimiter

        self.limiter = RateLimiter(self.config.rpm)
        key_env = self.config.preset.api_key_env
        self._secrets = [os.environ.get(key_env, "")] if key_env else []
        self.stopped_for_budget = False

    # -- inputs ----------------------------------------------------------------------------
    def _resolve(self, path: str) -> Path:
        candidate = Path(os.path.expanduser(path))
        if candidate.is_absolute():
            return candidate
        for base in self.prepared.image_bases:
            if (base / candidate).is_file():
                return base / candidate
        return (
            (self.prepared.image_bases[0] / candidate) if self.prepared.image_bases else candidate
        )

    def _read_images(self, refs: Sequence[Any]) -> list[ImageInput]:
        images: list[ImageInput] = []
        for ref in refs:
            if ref.data is not None:
                data = bytes(ref.data)
            else:
                if not ref.path:
                    raise ImageError(f"image {ref.label or ref.sha256} has no path to read")
                path = self._resolve(ref.path)
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    raise ImageError(f"cannot read image {path}: {exc.strerror or exc}") from None
            images.append(ImageInput(data=data, sha256=image_sha256(data), label=ref.label))
        return images

    def _render(self, sample: Sample) -> Any:
        strategy = self.prepared.strategy
        examples = self.prepared.examples(sample) if self.prepared.examples is not None else ()
        return strategy.render(sample, examples, self.config.form)

    # -- one sample ------------------------------------------------------------------------
    async def _call(self, messages: Any, images: list[ImageInput], sample: Sample) -> ModelResponse:
        policy = self.config.retry
        attempt = 0
        while True:
            await self.limiter.acquire()
            self.stats.calls += 1
            try:
                return await asyncio.wait_for(
                    self.adapter.complete(messages, images, sample=sample), self.config.timeout_s
                )
            except TimeoutError:
                error: TransientModelError = ModelTimeoutError(
                    f"no answer within {self.config.timeout_s:g} s"
                )
            except TransientModelError as exc:
                error = exc
            if attempt >= policy.retries:
                raise ModelError(
                    f"{error} (gave up after {attempt + 1} attempt{'s' if attempt else ''})"
                )
            self.stats.retries += 1
            await asyncio.sleep(policy.delay_s(attempt, error.retry_after_s, self.rng))
            attempt += 1

    async def predict(self, sample: Sample) -> tuple[Prediction, bool]:
        """Answer one sample; return the prediction and whether it came from the cache."""
        started = time.perf_counter()
        try:
            messages = self._render(sample)
            refs = messages.images() if self.adapter.needs_image else ()
            images = await asyncio.to_thread(self._read_images, refs)
        except (ImageError, ModelError) as exc:
            return _failure(sample, redact(f"input: {exc}", self._secrets)), False
        except Exception as exc:  # noqa: BLE001 - one bad sample must not stop the run
            return _failure(sample, f"input: {type(exc).__name__}: {exc}"), False
        sample_ref = None if self.adapter.needs_image else (sample.image_path or sample.sample_id)
        key = response_key(
            self.config.preset, messages.hash, [i.sha256 for i in images], sample_ref
        )
        cached = self.cache.get(key) if self.cache is not None else None
        if cached is not None:
            response, from_cache = cached, True
        else:
            try:
                response = await self._call(messages, images, sample)
            except ModelError as exc:
                elapsed = (time.perf_counter() - started) * 1000.0
                return _failure(sample, redact(str(exc), self._secrets), elapsed), False
            except Exception as exc:  # noqa: BLE001 - an adapter bug is recorded, not fatal
                message = redact(f"{type(exc).__name__}: {exc}", self._secrets)
                return _failure(sample, message), False
            from_cache = False
            if self.cache is not None:
                await asyncio.to_thread(self.cache.put, key, response, self.config.preset.model)
        parsed = response.parsed or self.parse(response.text)
        cost = self.adapter.cost_usd(response.input_tokens, response.output_tokens)
        return _prediction(sample, response, parsed, cost), from_cache

    def _account(self, sample: Sample, prediction: Prediction, cached: bool) -> None:
        stats = self.stats
        stats.completed += 1
        stats.statuses[str(prediction.status)] += 1
        if cached:
            stats.cache_hits += 1
        elif prediction.cost_usd:
            stats.spend_usd += prediction.cost_usd
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
                if self.max_cost_usd is not None and self.stats.spend_usd >= self.max_cost_usd:
                    self.stopped_for_budget = True
                    return
                prediction, cached = await self.predict(sample)
                self._account(sample, prediction, cached)
                await self.on_result(prediction, cached)
                progress(self.stats)

        workers = min(self.config.concurrency, max(1, len(samples)))
        await asyncio.gather(*(worker() for _ in range(workers)))
