"""Translate chat-completions requests and answers to and from Anthropic's native Messages format.

The codebase calls Anthropic through its OpenAI-compatible endpoint; Message Batches exist only
in the native API, whose messages hold content blocks (images as base64 ``source`` blocks), whose
system prompt is a separate field, and where ``max_tokens`` is required.
"""

from __future__ import annotations

from typing import Any

from analysis.errors import ConfigError
from analysis.models.base import ModelResponse
from analysis.models.cost import clamp_tokens

DEFAULT_MAX_TOKENS = 1024  # required by Anthropic; used when the preset sets no limit
# chat-completions parameters with the same meaning in the Messages API
_SAME_PARAMS = ("temperature", "top_p", "top_k", "metadata", "stop_sequences")


def _block(part: Any) -> dict[str, Any]:
    kind = part.get("type") if isinstance(part, dict) else None
    if kind == "text":
        return {"type": "text", "text": str(part.get("text", ""))}
    if kind == "image_url":
        url = part["image_url"]["url"] if isinstance(part.get("image_url"), dict) else ""
        header, _, data = str(url).partition(",")
        if not header.startswith("data:") or ";base64" not in header:
            raise ConfigError("Anthropic batches need images inline (data: URLs)")
        media_type = header[len("data:") :].split(";", 1)[0]
        return {
            "type": "image",
            "source": {"type": "base64", "media_type": media_type, "data": data},
        }
    raise ConfigError(f"cannot translate a message part of type {kind!r} for Anthropic")


def to_anthropic_params(body: dict[str, Any]) -> dict[str, Any]:
    """Return the Messages API ``params`` of one chat-completions request body."""
    system: list[str] = []
    messages: list[dict[str, Any]] = []
    params: dict[str, Any] = {"model": body["model"]}
    for message in body.get("messages", []):
        content = message.get("content")
        if message.get("role") == "system":
            parts = content if isinstance(content, list) else [{"type": "text", "text": content}]
            system.extend(str(p.get("text", "")) for p in parts if isinstance(p, dict))
            continue
        blocks = (
            [_block(p) for p in content]
            if isinstance(content, list)
            else [{"type": "text", "text": str(content or "")}]
        )
        messages.append({"role": message.get("role", "user"), "content": blocks})
    if system:
        params["system"] = "\n\n".join(system)
    params["messages"] = messages
    limit = body.get("max_tokens", body.get("max_completion_tokens"))
    params["max_tokens"] = int(limit) if isinstance(limit, int) else DEFAULT_MAX_TOKENS
    for name, value in body.items():
        if name in ("model", "messages", "max_tokens", "max_completion_tokens"):
            continue
        if name in _SAME_PARAMS:
            params[name] = value
        elif name == "stop":
            params["stop_sequences"] = [value] if isinstance(value, str) else list(value)
        else:
            raise ConfigError(
                f"preset parameter {name!r} has no Anthropic Messages equivalent; remove it "
                "from params to run this preset as a batch"
            )
    return params


def from_anthropic_message(message: Any) -> ModelResponse:
    """Return a Messages API answer as a ``ModelResponse`` (not yet cleaned)."""
    if not isinstance(message, dict):
        raise ValueError("the result carries no message object")
    content = message.get("content")
    blocks = content if isinstance(content, list) else []
    text = "".join(
        str(b.get("text", "")) for b in blocks if isinstance(b, dict) and b.get("type") == "text"
    )
    usage = message.get("usage") if isinstance(message.get("usage"), dict) else {}
    assert isinstance(usage, dict)
    input_tokens = clamp_tokens(usage.get("input_tokens"))
    output_tokens = clamp_tokens(usage.get("output_tokens"))
    raw = {
        "id": message.get("id"),
        "model": message.get("model"),
        "finish_reason": message.get("stop_reason"),
        "usage": {"prompt_tokens": input_tokens, "completion_tokens": output_tokens},
    }
    return ModelResponse(text=text, input_tokens=input_tokens, output_tokens=output_tokens, raw=raw)
