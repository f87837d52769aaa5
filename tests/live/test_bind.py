"""The live path through real adapters: presets -> openai client -> a real local HTTP server."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.live.bind import (
    AdapterPool,
    build_calls,
    estimate_max_cost_usd,
    live_prompt,
    live_strategies,
    preset_choices,
)
from analysis.live.budget import SessionBudget
from analysis.live.cache import LiveCache
from analysis.live.intake import LiveConfig, prepare_image
from analysis.live.orchestrator import run_live
from analysis.live.results import CallState
from analysis.models.presets import load_presets
from analysis.types import CoordsSource, PredictionStatus
from tests.support.fixtures import openai_server  # noqa: F401 - pytest fixture
from tests.support.openai_server import OpenAIServer, Reply
from tests.support.presets import write_presets

KEY_ENV = "GEOSCOPE_TEST_KEY"
KEY_VALUE = "sk-live-test-0123456789abcdef"


@pytest.fixture
def pool() -> Iterator[AdapterPool]:
    adapters = AdapterPool()
    yield adapters
    adapters.close()


@pytest.fixture
def photo(shared_data: Path) -> bytes:
    return (shared_data / "photos" / "exif_gps" / "DSCN0010.jpg").read_bytes()


def test_only_single_image_strategies_are_offered() -> None:
    names = live_strategies()
    assert {"basic", "must", "tips"} <= set(names)
    assert not any("kshot" in name for name in names)


def test_two_presets_answer_through_the_server_without_exif(
    openai_server: OpenAIServer,  # noqa: F811
    pool: AdapterPool,
    photo: bytes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(KEY_ENV, KEY_VALUE)
    openai_server.script(
        lambda r: r.model == "test-vlm",
        Reply.answer('Tuscan hills.\n{"country": "Italy", "lat": 43.5, "lon": 11.9}'),
    )
    openai_server.script(
        lambda r: r.model == "test-vlm-free",
        Reply.answer('{"country": "France", "lat": 45.0, "lon": 5.0}'),
    )
    presets = load_presets(write_presets(tmp_path / "models.toml", openai_server.base_url))
    image = prepare_image(photo, "DSCN0010.jpg", LiveConfig())
    prompt = live_prompt("basic", "coords", image.original_sha256)
    calls = build_calls(list(presets.values()), prompt, pool=pool)
    results = {
        r.preset: r for r in run_live(image.data, image.original_sha256, calls, timeout_s=20)
    }
    assert results["local"].state == CallState.DONE
    assert results["local"].country_iso3 == "ITA" and results["local"].lat == 43.5
    assert results["local"].coords_source == CoordsSource.MODEL
    assert results["local-free"].country_iso3 == "FRA"
    # Priced preset: tokens reported by the server times the preset's prices.
    local = results["local"]
    assert local.input_tokens and local.output_tokens
    expected = (local.input_tokens * 2.5 + local.output_tokens * 10.0) / 1e6
    assert local.cost_usd == pytest.approx(expected)
    assert results["local-free"].cost_usd == 0.0
    assert openai_server.calls == 2 and openai_server.images_with_metadata == 0
    # The request carried the real key, and the prompt asked for coordinates.
    sent = {r.model: r for r in openai_server.requests}
    assert sent["test-vlm"].api_key_sha256 == hashlib.sha256(KEY_VALUE.encode()).hexdigest()
    assert "latitude" in sent["test-vlm"].text


def test_showing_the_same_photo_again_makes_no_server_call(
    openai_server: OpenAIServer,  # noqa: F811
    pool: AdapterPool,
    photo: bytes,
    tmp_path: Path,
) -> None:
    presets = load_presets(write_presets(tmp_path / "models.toml", openai_server.base_url))
    free = [presets["local-free"]]
    cache = LiveCache(tmp_path / "cache")
    image = prepare_image(photo, "DSCN0010.jpg", LiveConfig())
    prompt = live_prompt("basic", "coords", image.original_sha256)
    first = list(
        run_live(
            image.data, image.original_sha256, build_calls(free, prompt, pool=pool), cache=cache
        )
    )
    assert first[0].state == CallState.DONE and openai_server.calls == 1
    again_image = prepare_image(photo, "renamed.jpg", LiveConfig())  # same bytes, new name
    again = list(
        run_live(
            again_image.data,
            again_image.original_sha256,
            build_calls(free, prompt, pool=pool),
            cache=cache,
        )
    )
    assert again[0].state == CallState.CACHED and openai_server.calls == 1
    assert again[0].raw_text == first[0].raw_text
    other_prompt = live_prompt("must", "coords", image.original_sha256)
    list(
        run_live(
            image.data,
            image.original_sha256,
            build_calls(free, other_prompt, pool=pool),
            cache=cache,
        )
    )
    assert openai_server.calls == 2  # another prompt is another question


def test_missing_key_is_named_and_no_request_is_sent(
    openai_server: OpenAIServer,  # noqa: F811
    pool: AdapterPool,
    photo: bytes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    path = write_presets(tmp_path / "models.toml", openai_server.base_url)
    choices = {c.preset.name: c for c in preset_choices(path)}
    assert choices["local"].unavailable_reason and KEY_ENV in choices["local"].unavailable_reason
    assert KEY_ENV in choices["local"].label and choices["local-free"].unavailable_reason is None
    image = prepare_image(photo, "DSCN0010.jpg", LiveConfig())
    prompt = live_prompt("basic", "country", image.original_sha256)
    [result] = run_live(
        image.data,
        image.original_sha256,
        build_calls([choices["local"].preset], prompt, pool=pool),
    )
    assert result.state == CallState.UNAVAILABLE and KEY_ENV in result.message
    assert openai_server.calls == 0


def test_server_errors_and_slow_answers_become_results(
    openai_server: OpenAIServer,  # noqa: F811
    pool: AdapterPool,
    photo: bytes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(KEY_ENV, KEY_VALUE)
    openai_server.script(
        lambda r: r.model == "test-vlm", Reply.http_error(401, f"bad key {KEY_VALUE}")
    )
    openai_server.script(lambda r: r.model == "test-vlm-free", Reply.sleep(3.0))
    presets = load_presets(write_presets(tmp_path / "models.toml", openai_server.base_url))
    image = prepare_image(photo, "DSCN0010.jpg", LiveConfig())
    prompt = live_prompt("basic", "coords", image.original_sha256)
    results = {
        r.preset: r
        for r in run_live(
            image.data,
            image.original_sha256,
            build_calls(list(presets.values()), prompt, pool=pool),
            timeout_s=0.8,
        )
    }
    assert results["local"].state == CallState.FAILED
    assert results["local"].status == PredictionStatus.API_ERROR
    assert "401" in results["local"].message and KEY_VALUE not in results["local"].message
    assert results["local-free"].state == CallState.TIMED_OUT


def test_paid_presets_are_estimated_and_capped(
    openai_server: OpenAIServer,  # noqa: F811
    pool: AdapterPool,
    photo: bytes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(KEY_ENV, KEY_VALUE)
    presets = load_presets(write_presets(tmp_path / "models.toml", openai_server.base_url))
    # 2000 image tokens + prompt/3 at $2.5/M in, plus max_tokens=200 at $10/M out.
    estimate = estimate_max_cost_usd(presets["local"], 300)
    assert estimate == pytest.approx((2101 * 2.5 + 200 * 10.0) / 1e6)
    assert estimate_max_cost_usd(presets["local-free"], 300) == 0.0
    image = prepare_image(photo, "DSCN0010.jpg", LiveConfig())
    prompt = live_prompt("basic", "coords", image.original_sha256)
    budget = SessionBudget(limit_usd=estimate / 2)  # not even one paid call fits
    results = {
        r.preset: r
        for r in run_live(
            image.data,
            image.original_sha256,
            build_calls(list(presets.values()), prompt, pool=pool),
            budget=budget,
        )
    }
    assert results["local"].state == CallState.SKIPPED_BUDGET
    assert results["local-free"].state == CallState.DONE
    assert [r.model for r in openai_server.requests] == ["test-vlm-free"]


def test_closing_the_pool_releases_every_waiting_caller(
    photo: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A caller thread blocked on a call the loop will never finish would also block the
    # interpreter's exit (CI once hung after its last test): closing must answer every waiter,
    # here one whose model is still starting (nothing an adapter's close could interrupt).
    import asyncio
    import threading
    import time

    from analysis.errors import ModelError

    starting = threading.Event()

    async def slow_start(*_args: object) -> None:
        starting.set()
        await asyncio.sleep(3600)  # e.g. a large local model loading its weights

    monkeypatch.setattr(AdapterPool, "_start", staticmethod(slow_start))
    preset = load_presets(write_presets(tmp_path / "models.toml", "http://127.0.0.1:9/v1"))[
        "local-free"
    ]
    image = prepare_image(photo, "DSCN0010.jpg", LiveConfig())
    prompt = live_prompt("basic", "coords", image.original_sha256)
    pool = AdapterPool()
    outcome: list[BaseException | object] = []

    def call() -> None:
        try:
            outcome.append(pool.complete(preset, prompt.messages, image.data, 60.0))
        except BaseException as exc:  # noqa: BLE001 - recorded for the assertion
            outcome.append(exc)

    waiter = threading.Thread(target=call, daemon=True)
    waiter.start()
    assert starting.wait(10)
    started = time.monotonic()
    pool.close()
    waiter.join(10)
    assert not waiter.is_alive() and time.monotonic() - started < 10
    assert len(outcome) == 1 and isinstance(outcome[0], ModelError)
    assert "cancelled" in str(outcome[0])
