"""openai_compat adapter against a real local HTTP server speaking the OpenAI chat API."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from analysis.errors import ModelUnavailableError
from analysis.images import image_sha256, read_exif_gps
from analysis.models import create_adapter
from analysis.models.base import (
    ImageInput,
    ModelResponse,
    ModelTimeoutError,
    PermanentModelError,
    RateLimitedError,
    ServerError,
)
from analysis.models.common import single_turn
from analysis.models.presets import ModelPreset
from analysis.types import Sample
from tests.support.openai_server import OpenAIServer, Reply

KEY_ENV = "GEOSCOPE_TEST_OPENAI_KEY"
SECRET = "sk-test-0123456789abcdefghij"


@pytest.fixture
def photo(shared_data: Path) -> ImageInput:
    data = (shared_data / "photos" / "exif_gps" / "DSCN0010.jpg").read_bytes()
    assert read_exif_gps(data) is not None  # the original really carries GPS
    return ImageInput(data, image_sha256(data), "query")


def _preset(server: OpenAIServer, **overrides: Any) -> ModelPreset:
    base = ModelPreset(
        name="local",
        adapter="openai_compat",
        model="test-vlm",
        base_url=server.base_url,
        api_key_env=KEY_ENV,
        price_in_per_mtok=2.5,
        price_out_per_mtok=10.0,
        max_side=320,
        params={"temperature": 0.0, "max_tokens": 50},
    )
    return replace(base, **overrides)


async def _ask(
    server: OpenAIServer, image: ImageInput, timeout_s: float = 5.0, **kw: Any
) -> ModelResponse:
    adapter = create_adapter(_preset(server, **kw), timeout_s=timeout_s)
    try:
        return await adapter.complete(single_turn("Where was this photo taken?"), [image])
    finally:
        await adapter.aclose()


def test_answer_with_tokens_cost_and_clean_resized_image(
    openai_server: OpenAIServer, photo: ImageInput, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_ENV, SECRET)
    openai_server.default = Reply("Italy, Tuscany.", prompt_tokens=1000, completion_tokens=500)
    response = asyncio.run(_ask(openai_server, photo))
    assert response.text == "Italy, Tuscany."
    assert (response.input_tokens, response.output_tokens) == (1000, 500)
    assert create_adapter(_preset(openai_server)).cost_usd(1000, 500) == pytest.approx(0.0075)
    request = openai_server.requests[0]
    assert request.model == "test-vlm"
    assert request.body["temperature"] == 0.0 and request.body["max_tokens"] == 50
    assert request.image_count == 1 and request.images_with_metadata == 0
    assert max(request.image_sizes[0]) == 320
    assert request.api_key_sha256 == hashlib.sha256(SECRET.encode()).hexdigest()
    openai_server.assert_clean_images()


def test_prompt_messages_are_sent_as_system_and_user_turns(
    openai_server: OpenAIServer, photo: ImageInput, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analysis.prompts import get_prompt

    monkeypatch.setenv(KEY_ENV, SECRET)
    image_file = tmp_path / "q.jpg"
    image_file.write_bytes(photo.data)
    sample = Sample("q", 43.46, 11.88, "ITA", image_path=str(image_file))
    messages = get_prompt("basic").render(sample, (), "coords")
    adapter = create_adapter(_preset(openai_server))

    async def go() -> None:
        await adapter.complete(messages, [photo], sample=sample)
        await adapter.aclose()

    asyncio.run(go())
    sent = openai_server.requests[0].body["messages"]
    assert [m["role"] for m in sent] == ["system", "user"]
    assert sent[0]["content"] == messages.system
    kinds = [part["type"] for part in sent[1]["content"]]
    assert kinds == ["image_url", "text"]
    assert sent[1]["content"][1]["text"] == messages.turns[-1].text


def test_errors_map_to_typed_exceptions(
    openai_server: OpenAIServer, photo: ImageInput, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_ENV, SECRET)
    openai_server.enqueue(Reply.rate_limited(7))
    with pytest.raises(RateLimitedError) as rate:
        asyncio.run(_ask(openai_server, photo))
    assert rate.value.retry_after_s == 7.0
    openai_server.enqueue(Reply.server_error(503))
    with pytest.raises(ServerError, match="HTTP 503"):
        asyncio.run(_ask(openai_server, photo))
    openai_server.enqueue(Reply.sleep(3.0))
    with pytest.raises(ModelTimeoutError, match="no answer within 0.3 s"):
        asyncio.run(_ask(openai_server, photo, timeout_s=0.3))
    openai_server.enqueue(Reply.http_error(401, f"Incorrect API key provided: {SECRET}"))
    with pytest.raises(PermanentModelError) as auth:
        asyncio.run(_ask(openai_server, photo))
    assert SECRET not in str(auth.value) and "[redacted]" in str(auth.value)
    assert KEY_ENV in str(auth.value)
    openai_server.enqueue(Reply.http_error(400, "model 'x' does not support images"))
    with pytest.raises(PermanentModelError, match="HTTP 400: model 'x' does not support images"):
        asyncio.run(_ask(openai_server, photo))
    assert openai_server.calls == 5  # the client itself never retried


def test_unreachable_server_is_a_transient_error(
    photo: ImageInput, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_ENV, SECRET)
    server = OpenAIServer()
    url = server.base_url
    server.stop()  # nothing listens there any more
    preset = ModelPreset(
        name="gone", adapter="openai_compat", model="m", base_url=url, api_key_env=KEY_ENV
    )
    adapter = create_adapter(preset, timeout_s=2)
    with pytest.raises(ServerError, match="cannot reach"):
        asyncio.run(adapter.complete(single_turn("?"), [photo]))


def test_missing_key_names_the_variable(
    openai_server: OpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    with pytest.raises(ModelUnavailableError, match=KEY_ENV):
        create_adapter(_preset(openai_server))


def test_local_server_without_key(openai_server: OpenAIServer, photo: ImageInput) -> None:
    response = asyncio.run(_ask(openai_server, photo, api_key_env=None))
    assert "France" in response.text
    assert openai_server.requests[0].api_key_sha256 is not None  # a placeholder key is sent
