"""The chat-completions -> Anthropic Messages translation of batch requests and answers."""

from __future__ import annotations

import pytest

from analysis.batch.anthropic_format import from_anthropic_message, to_anthropic_params
from analysis.errors import ConfigError

IMAGE = "data:image/jpeg;base64,/9j/AAAA"


def test_system_text_and_images_become_native_blocks() -> None:
    body = {
        "model": "claude-x",
        "messages": [
            {"role": "system", "content": "You locate photos."},
            {
                "role": "user",
                "content": [
                    {"type": "image_url", "image_url": {"url": IMAGE}},
                    {"type": "text", "text": "Where?"},
                ],
            },  # fmt: skip
            {"role": "assistant", "content": "France"},
        ],
        "temperature": 0.0,
        "stop": "\n\n",
    }
    params = to_anthropic_params(body)
    assert params["system"] == "You locate photos."
    assert params["max_tokens"] == 1024  # required by Anthropic: a default when unset
    assert params["stop_sequences"] == ["\n\n"] and params["temperature"] == 0.0
    user, assistant = params["messages"]
    assert user["content"][0] == {
        "type": "image",
        "source": {"type": "base64", "media_type": "image/jpeg", "data": "/9j/AAAA"},
    }
    assert user["content"][1] == {"type": "text", "text": "Where?"}
    assert assistant == {"role": "assistant", "content": [{"type": "text", "text": "France"}]}


def test_untranslatable_parameters_and_remote_images_are_refused_by_name() -> None:
    with pytest.raises(ConfigError, match="'seed' has no Anthropic Messages equivalent"):
        to_anthropic_params({"model": "m", "messages": [], "seed": 1})
    remote = {"type": "image_url", "image_url": {"url": "https://example.org/a.jpg"}}
    with pytest.raises(ConfigError, match="inline"):
        to_anthropic_params({"model": "m", "messages": [{"role": "user", "content": [remote]}]})


def test_answers_read_text_blocks_and_usage() -> None:
    message = {"id": "msg_1", "model": "claude-x", "stop_reason": "end_turn",
               "content": [{"type": "text", "text": "Fra"}, {"type": "text", "text": "nce"}],
               "usage": {"input_tokens": 120, "output_tokens": -3}}  # fmt: skip
    response = from_anthropic_message(message)
    assert response.text == "France"
    assert response.input_tokens == 120 and response.output_tokens is None  # nonsense: unknown
    with pytest.raises(ValueError):
        from_anthropic_message(None)
