"""Hostile servers on the live path: presets -> real openai client -> the real local test server.

A leaky proxy echoing the key, bodies that are not chat completions, impossible token counts:
each becomes a clear card message, and neither the key nor a negative price gets anywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.live.bind import AdapterPool, build_calls, live_prompt
from analysis.live.budget import SessionBudget
from analysis.live.cache import LiveCache
from analysis.live.daily import CombinedBudget, DailyBudget
from analysis.live.intake import LiveConfig, LiveImage, prepare_image
from analysis.live.orchestrator import run_live
from analysis.live.results import CallState, LiveResult
from analysis.models.presets import load_presets
from tests.live.badinputs import SMALL_PHOTO
from tests.support.fixtures import openai_server  # noqa: F401 - pytest fixture
from tests.support.openai_server import OpenAIServer, Reply
from tests.support.presets import write_presets

KEY_ENV = "GEOSCOPE_TEST_KEY"
KEY_VALUE = "sk-live-hostile-0123456789abcdef"


@pytest.fixture
def pool() -> Iterator[AdapterPool]:
    adapters = AdapterPool()
    yield adapters
    adapters.close()


@pytest.fixture
def image(shared_data: Path) -> LiveImage:
    return prepare_image((shared_data / SMALL_PHOTO).read_bytes(), "a.jpg", LiveConfig())


def _ask(
    server: OpenAIServer,
    pool: AdapterPool,
    image: LiveImage,
    tmp_path: Path,
    preset: str,
    **kwargs: object,
) -> LiveResult:
    presets = load_presets(write_presets(tmp_path / "models.toml", server.base_url))
    prompt = live_prompt("basic", "coords", image.original_sha256)
    calls = build_calls([presets[preset]], prompt, pool=pool)
    [result] = run_live(image.data, image.original_sha256, calls, timeout_s=20, **kwargs)  # type: ignore[arg-type]
    return result


def test_a_key_echoed_by_the_server_reaches_neither_the_card_nor_the_cache(
    openai_server: OpenAIServer,  # noqa: F811
    pool: AdapterPool,
    image: LiveImage,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(KEY_ENV, KEY_VALUE)
    openai_server.enqueue(Reply.echo_key('{"country": "France", "lat": 45.0, "lon": 5.0}'))
    cache = LiveCache(tmp_path / "cache")
    result = _ask(openai_server, pool, image, tmp_path, "local", cache=cache)
    assert result.state == CallState.DONE and result.country_iso3 == "FRA"
    assert "Authorization" in (result.raw_text or "")  # the leak was there to be scrubbed
    assert KEY_VALUE not in (result.raw_text or "") and KEY_VALUE not in result.message
    entries = list((tmp_path / "cache" / "responses").rglob("*.json"))
    assert entries
    assert not any(KEY_VALUE in entry.read_text(encoding="utf-8") for entry in entries)
    # ... and the cached copy shown again later is the scrubbed one.
    again = _ask(openai_server, pool, image, tmp_path, "local", cache=cache)
    assert again.state == CallState.CACHED and KEY_VALUE not in (again.raw_text or "")


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (
            Reply.raw(b'{"choices": [{"message": {"content": "caf\xe9 \xff"}}]}'),
            "the server's answer is not valid UTF-8 JSON",
        ),
        (
            Reply.raw(b"<!DOCTYPE html><html><title>Sign in</title></html>", 200, "text/html"),
            "the server returned an HTML page, not a chat completion: check base_url",
        ),
        (
            Reply.raw(b"<html><body>It works!</body></html>", 200, "application/json"),
            "the server returned an HTML page, not a chat completion: check base_url",
        ),
        (Reply.raw(b'{"choices": [', 200), "the server's answer is not valid JSON"),
        (Reply.raw(b'{"object": "list", "data": []}', 200), "JSON but not a chat completion"),
    ],
    ids=["invalid-utf8", "html-page", "html-labelled-json", "cut-off-json", "other-json"],
)
def test_a_body_that_is_no_chat_completion_gets_a_specific_message(
    openai_server: OpenAIServer,  # noqa: F811
    pool: AdapterPool,
    image: LiveImage,
    tmp_path: Path,
    reply: Reply,
    expected: str,
) -> None:
    openai_server.enqueue(reply)
    result = _ask(openai_server, pool, image, tmp_path, "local-free")
    assert result.state == CallState.FAILED
    assert expected in result.message, result.message
    assert openai_server.base_url in result.message  # the setting to check
    for decoder_words in ("UnicodeDecodeError", "JSONDecodeError", "codec", "returned no choices"):
        assert decoder_words not in result.message


@pytest.mark.parametrize(("prompt_tokens", "completion_tokens"), [(-5000, -3000), (100, -1)])
def test_impossible_token_counts_give_no_price_and_book_the_reservation(
    openai_server: OpenAIServer,  # noqa: F811
    pool: AdapterPool,
    image: LiveImage,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    prompt_tokens: int,
    completion_tokens: int,
) -> None:
    monkeypatch.setenv(KEY_ENV, KEY_VALUE)
    openai_server.enqueue(
        Reply.usage(
            '{"country": "Italy", "lat": 43.5, "lon": 11.9}', prompt_tokens, completion_tokens
        )
    )
    session = SessionBudget(1.0)
    daily = DailyBudget(tmp_path / "cache", 10.0)
    cache = LiveCache(tmp_path / "cache")
    result = _ask(
        openai_server, pool, image, tmp_path, "local",
        budget=CombinedBudget(session, daily), cache=cache,
    )  # fmt: skip
    assert result.state == CallState.DONE and result.country_iso3 == "ITA"
    assert result.cost_usd is None  # unknown, never negative
    assert result.input_tokens is None or result.input_tokens >= 0
    assert result.output_tokens is None or result.output_tokens >= 0
    # Unknown usage books the worst case reserved before the call, never a refund.
    assert session.spent_usd > 0 and daily.snapshot().spent_usd == pytest.approx(session.spent_usd)
    again = _ask(openai_server, pool, image, tmp_path, "local", cache=cache)
    assert again.state == CallState.CACHED and again.cost_usd is None
