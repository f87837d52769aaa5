"""The reusable test server itself, driven by the real openai client (sync and streaming)."""

from __future__ import annotations

import base64
import io

import openai
import pytest
from PIL import Image

from tests.support.datasets import gps_jpeg
from tests.support.openai_server import OpenAIServer, Reply


def _image_part(data: bytes) -> dict[str, object]:
    url = "data:image/jpeg;base64," + base64.b64encode(data).decode()
    return {"type": "image_url", "image_url": {"url": url}}


def test_scripting_order_and_metadata_detection() -> None:
    with OpenAIServer(default=Reply.answer("default")) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=0)
        server.script("flaky", [Reply.rate_limited(0.5), Reply.answer("second")])
        server.enqueue(Reply.answer("queued"))

        def ask(text: str, image: bytes | None = None) -> str:
            content: list[dict[str, object]] = [{"type": "text", "text": text}]
            if image is not None:
                content.insert(0, _image_part(image))
            reply = client.chat.completions.create(
                model="m",
                messages=[{"role": "user", "content": content}],  # type: ignore[list-item,misc]
            )
            return reply.choices[0].message.content or ""

        assert ask("flaky") == "queued"  # the queue comes first
        with pytest.raises(openai.RateLimitError):
            ask("flaky please")
        assert ask("flaky again") == "second"
        assert ask("flaky again") == "second"  # the last reply repeats
        assert ask("other") == "default"
        tagged = gps_jpeg((10, 20, 30), 48.85, 2.35)
        plain = io.BytesIO()
        Image.new("RGB", (8, 8)).save(plain, "JPEG")
        ask("img", tagged)
        ask("img", plain.getvalue())
        assert server.calls == 7
        assert server.images_with_metadata == 1
        with pytest.raises(AssertionError, match="metadata"):
            server.assert_clean_images()


def test_streaming_with_usage() -> None:
    with OpenAIServer(default=Reply.answer("it is Peru")) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=0)
        stream = client.chat.completions.create(
            model="m",
            messages=[{"role": "user", "content": "where?"}],
            stream=True,
            stream_options={"include_usage": True},
        )
        pieces, usage = [], None
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                pieces.append(chunk.choices[0].delta.content)
            if chunk.usage is not None:
                usage = chunk.usage
        assert "".join(pieces) == "it is Peru"
        assert usage is not None and usage.completion_tokens == 3
