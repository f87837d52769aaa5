"""Any endpoint speaking the OpenAI chat-completions API (OpenAI, Gemini, Anthropic, OpenRouter,
vLLM, Ollama, LM Studio) through the ``openai`` package.

Images go inline as ``data:image/jpeg;base64`` URLs, re-encoded to the preset's ``max_side`` with
no metadata (a photo's EXIF GPS would hand the model the answer and leak the user's location).
The client never retries by itself (``max_retries=0``): the runner owns retries and counts them.
The reply body is read incrementally with a cap on its *decompressed* size (a gzip bomb stops
being read at the cap, it is never inflated whole), parsed as JSON here, and the answer goes
through ``answers.clean_response``: configured keys scrubbed, text cut to the answer cap.
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from analysis.errors import ModelUnavailableError
from analysis.models.answers import body_cap_bytes, clean_response, known_secrets, max_answer_bytes
from analysis.models.base import (
    Capabilities,
    ChatTurn,
    CostModel,
    ImageInput,
    ImagePart,
    ModelAdapter,
    ModelResponse,
    ModelTimeoutError,
    PermanentModelError,
    RateLimitedError,
    ServerError,
    TransientModelError,
    redact,
)
from analysis.models.common import EncodedImageCache
from analysis.models.cost import clamp_tokens
from analysis.models.messages import as_turns
from analysis.models.presets import ModelPreset, missing_module
from analysis.types import Sample

_MAX_RETRY_AFTER_S = 120.0
# A proxy's login page, a web server's index or an error page served with status 200.
_HTML_START = re.compile(
    r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|title)\b", re.IGNORECASE | re.DOTALL
)


def _looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text[:4096]))


def unreadable_reply(body: object, base_url: str | None) -> str:
    """Say in one line why a reply with HTTP status 200 is not a chat completion.

    Args:
        body: what came back instead: the ``UnicodeDecodeError`` / ``json.JSONDecodeError`` the
            client raised while reading it, the text the client returned for a non-JSON content
            type, or the parsed JSON value.
        base_url: the preset's endpoint, named so the user knows which setting to check.
    """
    where = f": check base_url ({base_url})" if base_url else ": check the preset's base_url"
    if isinstance(body, UnicodeDecodeError):
        return (
            f"the server's answer is not valid UTF-8 JSON (byte {body.start} cannot be decoded)"
            f"{where}"
        )
    text = body.doc if isinstance(body, json.JSONDecodeError) else body
    if isinstance(text, str):
        if _looks_like_html(text):
            return f"the server returned an HTML page, not a chat completion{where}"
        if not text.strip():
            return f"the server's answer is empty, not a chat completion{where}"
        if isinstance(body, json.JSONDecodeError):
            return (
                f"the server's answer is not valid JSON ({body.msg} at line {body.lineno} "
                f"column {body.colno}; cut off?){where}"
            )
        return f"the server's answer is plain text, not a chat completion{where}"
    # JSON of another shape: a list, an error object without an HTTP error status...
    return f"the server's answer is JSON but not a chat completion (no choices list){where}"


def _retry_after_s(headers: Any) -> float | None:
    if headers is None:
        return None
    for name in ("retry-after-ms", "retry-after"):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) / (1000.0 if name.endswith("-ms") else 1.0)
        except ValueError:
            continue  # an HTTP date: rare from APIs; fall back to our own backoff
        return min(max(seconds, 0.0), _MAX_RETRY_AFTER_S)
    return None


class OpenAICompatAdapter(ModelAdapter):
    """Call an OpenAI-compatible chat endpoint asynchronously."""

    CAPABILITIES = Capabilities(cost_model=CostModel.PER_TOKEN)

    @classmethod
    def capabilities_for(cls, preset: ModelPreset) -> Capabilities:
        """Declare the batch endpoint: the preset's ``batch_api``, else known by host."""
        api = preset.batch_api
        if api is None:
            # Anthropic's OpenAI-compatible endpoint has no batches: its Message Batches do.
            # Other OpenAI-compatible servers (Gemini, OpenRouter, vllm serve) have no
            # /batches: Azure OpenAI or a proxy that has one says so with batch_api.
            host = urlsplit(preset.base_url or "").hostname or ""
            api = {"api.openai.com": "openai", "api.anthropic.com": "anthropic"}.get(host)
        return replace(cls.CAPABILITIES, batch_api=None if api == "none" else api)

    def __init__(
        self, preset: ModelPreset, *, timeout_s: float | None = None, context: Any = None
    ) -> None:
        super().__init__(preset, timeout_s=timeout_s, context=context)
        if missing_module("openai"):
            raise ModelUnavailableError("the openai package is not installed (pip install openai)")
        # lazy: the openai client loads with the first adapter, not with the CLI
        from openai import AsyncOpenAI

        self._api_key = preset.api_key()  # raises ModelUnavailableError naming the variable
        self._client = AsyncOpenAI(
            base_url=preset.base_url,
            api_key=self._api_key,
            timeout=self.timeout_s,
            max_retries=0,
        )
        self._images = EncodedImageCache()
        self._secrets = tuple({self._api_key, *known_secrets(preset)})
        self.max_answer_bytes = self.context.max_answer_bytes or max_answer_bytes()
        self._body_cap = body_cap_bytes(self.max_answer_bytes)

    @classmethod
    def preset_problem(cls, preset: ModelPreset) -> str | None:
        """Require the endpoint: there is no sensible default server to send images to."""
        if not preset.base_url:
            return "needs base_url (e.g. https://api.openai.com/v1)"
        return super().preset_problem(preset)

    @classmethod
    def unavailable_reason(cls, preset: ModelPreset) -> str | None:
        """Return why the preset cannot run here (missing package), or None."""
        return "install the openai package" if missing_module("openai") else None

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self._client.close()

    async def _payload(
        self, turns: list[ChatTurn], images: Sequence[ImageInput]
    ) -> list[dict[str, Any]]:
        encoded: dict[int, str] = {}
        for index, image in enumerate(images):
            jpeg = await self._images.get_async(image, self.preset.max_side)
            encoded[index] = "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")
        payload: list[dict[str, Any]] = []
        for turn in turns:
            has_image = any(isinstance(p, ImagePart) for p in turn.parts)
            if not has_image and turn.role in ("system", "assistant"):
                # Plain strings for text-only turns: some servers (older vLLM/Ollama) reject
                # content lists on system and assistant messages.
                text = "".join(getattr(p, "text", "") for p in turn.parts)
                payload.append({"role": turn.role, "content": text})
                continue
            content: list[dict[str, Any]] = []
            for part in turn.parts:
                if isinstance(part, ImagePart):
                    content.append({"type": "image_url", "image_url": {"url": encoded[part.index]}})
                else:
                    content.append({"type": "text", "text": part.text})
            payload.append({"role": turn.role, "content": content})
        return payload

    async def complete(
        self, messages: Any, images: Sequence[ImageInput], *, sample: Sample | None = None
    ) -> ModelResponse:
        """Send one chat request and return the answer with token counts and latency."""
        # lazy: loaded with the openai client (see __init__)
        import httpx2
        import openai

        body = await self.batch_request_body(messages, images)
        started = time.perf_counter()
        try:
            # client.post, not chat.completions.create: the latter re-walks every message part
            # against its TypedDicts (~1.5 ms of CPU per request with an image), which caps
            # throughput at high concurrency. stream=True with cast_to=Response hands back the
            # unread body, so its size is capped while reading; errors are mapped as before.
            response: httpx2.Response = await self._client.post(
                "/chat/completions",
                body=body,
                cast_to=httpx2.Response,
                stream=True,
            )
            reply, oversized = await self._read_capped(response)
        except openai.APITimeoutError:
            raise ModelTimeoutError(f"no answer within {self.timeout_s:g} s") from None
        except openai.RateLimitError as exc:
            raise RateLimitedError(
                self._message("rate limited (HTTP 429)", exc),
                retry_after_s=_retry_after_s(exc.response.headers),
            ) from None
        except openai.APIConnectionError as exc:
            raise ServerError(
                self._message(f"cannot reach {self.preset.base_url}", exc), maybe_billed=True
            ) from None
        except openai.APIStatusError as exc:
            status = exc.status_code
            message = self._message(f"HTTP {status}", exc)
            if status >= 500 or status in (408, 409):
                raise ServerError(
                    message, retry_after_s=_retry_after_s(exc.response.headers)
                ) from None
            if status in (401, 403):
                hint = f" (check {self.preset.api_key_env})" if self.preset.api_key_env else ""
                raise PermanentModelError(message + hint) from None
            raise PermanentModelError(message) from None
        except openai.OpenAIError as exc:
            raise TransientModelError(self._message("model call failed", exc)) from None
        except httpx2.TimeoutException:
            raise ModelTimeoutError(f"no answer within {self.timeout_s:g} s") from None
        except httpx2.DecodingError as exc:
            raise ServerError(self._message("the reply could not be decompressed", exc)) from None
        except httpx2.HTTPError as exc:
            raise ServerError(
                self._message("the connection broke while reading the reply", exc),
                maybe_billed=True,
            ) from None
        latency_ms = (time.perf_counter() - started) * 1000.0
        if oversized:
            return self._oversized(reply, latency_ms)
        return self._to_response(reply, latency_ms)

    async def batch_request_body(
        self, messages: Any, images: Sequence[ImageInput]
    ) -> dict[str, Any]:
        """Return the chat-completions body of one request: what ``complete`` POSTs, exactly."""
        payload = await self._payload(as_turns(messages, len(images)), images)
        return {"model": self.preset.model, "messages": payload, **dict(self.preset.params)}

    def batch_response(self, completion: Any) -> ModelResponse:
        """Read a batch result's chat completion (a parsed JSON object) like a reply."""
        data = json.dumps(completion).encode("utf-8")
        if len(data) > self._body_cap:
            return self._oversized(data[: self._body_cap], 0.0)
        return replace(self._to_response(data, 0.0), latency_ms=None)  # no per-call latency

    async def _read_capped(self, response: Any) -> tuple[bytes, bool]:
        """Read the decompressed body up to the body cap; say whether there was more."""
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in response.aiter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                if size > self._body_cap:
                    # a model answer is a few KB: this is a runaway answer or a decompression
                    # bomb; stop reading (closing drops the rest) instead of inflating it all
                    return b"".join(chunks)[: self._body_cap], True
        finally:
            await response.aclose()
        return b"".join(chunks), False

    def _oversized(self, prefix: bytes, latency_ms: float) -> ModelResponse:
        """Keep the start of an answer whose reply passed the body cap, or refuse it clearly."""
        text = _salvage_content(prefix)
        if text is None:
            raise PermanentModelError(
                f"the reply from {self.preset.base_url} is larger than "
                f"{self._body_cap // (1 << 20)} MB unpacked and no answer text was found in its "
                "start; it was not read further"
            )
        # usage normally follows the answer in the body: unknown, so caps book the worst case
        response = ModelResponse(text=text, latency_ms=latency_ms, raw={"oversized": True})
        cleaned = clean_response(response, self._secrets, self.max_answer_bytes)
        return replace(cleaned, truncated=True)

    def _message(self, prefix: str, exc: Exception) -> str:
        body = getattr(exc, "body", None)
        detail = body.get("message") if isinstance(body, dict) else None
        detail = detail or getattr(exc, "message", None) or str(exc)
        return redact(f"{prefix}: {detail}", self._secrets)

    def _to_response(self, body: bytes, latency_ms: float) -> ModelResponse:
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            # A 200 reply that is not JSON: say what it was, not the decoder's words.
            raise PermanentModelError(unreadable_reply(exc, self.preset.base_url)) from None
        choices = data.get("choices") if isinstance(data, dict) else None
        if not isinstance(choices, list):
            raise PermanentModelError(unreadable_reply(data, self.preset.base_url))
        if not choices:
            raise PermanentModelError("the endpoint returned no choices")
        message = choices[0].get("message") if isinstance(choices[0], dict) else None
        if not isinstance(message, dict):
            raise PermanentModelError("the endpoint's first choice carries no message")
        text = _content_text(message.get("content"))
        if not text:
            # OpenAI puts safety refusals in a separate field; treat them as the answer text.
            text = str(message.get("refusal") or "")
        usage = data.get("usage")
        usage = usage if isinstance(usage, dict) else {}
        input_tokens = clamp_tokens(usage.get("prompt_tokens"))
        output_tokens = clamp_tokens(usage.get("completion_tokens"))
        raw = {
            "id": data.get("id"),
            "model": data.get("model"),
            "finish_reason": choices[0].get("finish_reason"),
            "usage": {"prompt_tokens": input_tokens, "completion_tokens": output_tokens},
        }
        response = ModelResponse(
            text=text,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            latency_ms=latency_ms,
            raw=raw,
        )
        return clean_response(response, self._secrets, self.max_answer_bytes)


_CONTENT_START = re.compile(rb'"choices"\s*:\s*\[.*?"content"\s*:\s*"', re.DOTALL)


def _salvage_content(prefix: bytes) -> str | None:
    """Return the answer text found in the start of a cut-off chat-completion body, or None."""
    match = _CONTENT_START.search(prefix[:65536])
    if match is None:
        return None
    rest = prefix[match.end() :].decode("utf-8", errors="ignore")
    end = rest.find('"')
    # a quote after an odd number of backslashes is escaped: part of the text
    while end > 0 and (end - len(rest[:end].rstrip("\\"))) % 2 == 1:
        end = rest.find('"', end + 1)
    if end >= 0:
        rest = rest[:end]
    # the cut may split an escape sequence (\u00e9, \n): drop a few characters until it decodes
    for trim in range(8):
        try:
            decoded = json.loads('"' + rest[: len(rest) - trim] + '"')
        except ValueError:
            continue
        return decoded if isinstance(decoded, str) else None
    return None


def _content_text(content: Any) -> str:
    """Return a message's text: a plain string, or the text parts of a content list."""
    if content is None:
        return ""
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return str(content)
