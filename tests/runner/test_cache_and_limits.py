"""Response cache keys and storage; retry delays; the requests-per-minute limiter."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import pytest

from analysis.models.base import ModelResponse
from analysis.models.cache import ResponseCache, response_key
from analysis.models.presets import ModelPreset
from analysis.runner.config import RetryPolicy
from analysis.runner.limits import RateLimiter
from analysis.types import CoordsSource, ParsedAnswer, PredictionStatus

PRESET = ModelPreset(
    name="p",
    adapter="openai_compat",
    model="m",
    base_url="http://h/v1",
    api_key_env="SOME_KEY",
    params=MappingProxyType({"temperature": 0.0}),
)


def test_key_changes_with_every_input_that_decides_the_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = response_key(PRESET, "prompt1", ["img1"])
    variants = [
        response_key(PRESET, "prompt2", ["img1"]),
        response_key(PRESET, "prompt1", ["img2"]),
        response_key(PRESET, "prompt1", ["img0", "img1"]),
        response_key(replace(PRESET, model="m2"), "prompt1", ["img1"]),
        response_key(replace(PRESET, adapter="hf_local"), "prompt1", ["img1"]),
        response_key(replace(PRESET, base_url="http://other/v1"), "prompt1", ["img1"]),
        response_key(replace(PRESET, max_side=512), "prompt1", ["img1"]),
        response_key(
            replace(PRESET, params=MappingProxyType({"temperature": 0.7})), "prompt1", ["img1"]
        ),
        response_key(PRESET, "prompt1", ["img1"], sample_ref="a.jpg"),
    ]
    assert len({base, *variants}) == len(variants) + 1
    # The preset name and the key's value are not part of it: renaming costs nothing, and no
    # secret can be recovered from a key.
    monkeypatch.setenv("SOME_KEY", "secret-1")
    assert response_key(replace(PRESET, name="renamed"), "prompt1", ["img1"]) == base
    monkeypatch.setenv("SOME_KEY", "secret-2")
    assert response_key(PRESET, "prompt1", ["img1"]) == base


def test_put_get_roundtrip_and_corrupt_entry(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    parsed = ParsedAnswer(PredictionStatus.OK, "FRA", 48.0, 2.0, CoordsSource.MODEL, "x")
    response = ModelResponse("France", 10, 2, 12.5, {"id": "1"}, parsed)
    key = response_key(PRESET, "p", ["i"])
    assert cache.get(key) is None and key not in cache
    cache.put(key, response, "m")
    assert key in cache and cache.get(key) == response
    path = next(tmp_path.rglob(f"{key}.json"))
    path.write_text("{not json")
    assert cache.get(key) is None
    assert not list(tmp_path.rglob(".tmp-*"))


def test_retry_delays_grow_are_jittered_and_honour_retry_after() -> None:
    policy = RetryPolicy(retries=5, base_delay_s=1.0, max_delay_s=10.0)
    rng = random.Random(0)
    for attempt in range(6):
        expected = min(10.0, 2.0**attempt)
        delays = [policy.delay_s(attempt, None, rng) for _ in range(200)]
        assert min(delays) >= 0.5 * expected and max(delays) < 1.5 * expected
        assert len(set(delays)) > 100  # jitter
    assert policy.delay_s(0, 7.0, rng) >= 7.0
    assert policy.delay_s(0, 500.0, rng) <= 15.0  # a huge Retry-After is capped


def test_rate_limiter_spaces_requests() -> None:
    async def go(rpm: float, n: int) -> float:
        limiter = RateLimiter(rpm)
        start = time.monotonic()
        await asyncio.gather(*(limiter.acquire() for _ in range(n)))
        return time.monotonic() - start

    assert asyncio.run(go(600, 5)) >= 0.39  # 4 gaps of 0.1 s
    assert asyncio.run(go(0, 50)) < 0.05
