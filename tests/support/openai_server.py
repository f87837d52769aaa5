"""A real, scriptable OpenAI-compatible HTTP server on 127.0.0.1 for tests and benchmarks.

It speaks ``POST /v1/chat/completions`` (plain and ``stream=true``) and ``GET /v1/models`` with
the standard library only, so the real ``openai`` client (httpx2 underneath) talks to it exactly
as to a provider. Every image data URL is decoded and checked for metadata: tests assert that
``server.images_with_metadata == 0``.

Scripting (first match wins):
1. ``server.enqueue(reply, ...)``: replies used in order by the next requests, whatever they are;
2. ``server.script(match, reply_or_list)``: when ``match`` (a keyword found in the request's text,
   its model name, or a callable on ``RecordedRequest``) matches, use the next reply of the list
   (the last one repeats);
3. ``server.default``: a function ``RecordedRequest -> Reply`` or a ``Reply``.

Example::

    with OpenAIServer(default=Reply.answer('{"country": "France", "lat": 48.8, "lon": 2.3}')) as s:
        s.script("refuse-me", Reply.refuse())
        s.script(lambda r: r.model == "flaky", [Reply.rate_limited(0.1), Reply.answer("Peru")])
        client = openai.OpenAI(base_url=s.base_url, api_key="test-key")
        ...
        assert s.calls == 3 and s.images_with_metadata == 0

The pytest fixture ``openai_server`` lives in ``tests.support.fixtures``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from PIL import Image

from tests.support.background_server import BackgroundServer
from tests.support.imagebytes import carries_metadata

REFUSAL_TEXT = (
    "I'm sorry, but I can't help with determining where this photo was taken, "
    "as identifying locations from images could compromise someone's privacy."
)
RAMBLE_TEXT = (
    "What a lovely image! The light is soft and the composition is balanced. There is a road, "
    "some trees and a few clouds; photographers often prefer the golden hour for such scenes. "
    "Overall it is a calm and pleasant picture with a nice depth of field."
)
BROKEN_JSON_TEXT = '{"reasoning": "the signs use a script I cannot read", "coun'


@dataclass(frozen=True)
class Reply:
    """What the server does for one request."""

    text: str = ""
    status: int = 200
    delay_s: float = 0.0
    retry_after_s: float | None = None
    error_message: str = ""
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    echo_authorization: bool = False  # append the request's Authorization header to the answer text
    gzip_inflated_bytes: int = 0  # send a gzip body that unpacks to about this many bytes
    raw_body: bytes | None = None  # send these bytes as the body, verbatim
    content_type: str = "application/json"

    @classmethod
    def answer(cls, text: str, delay_s: float = 0.0) -> Reply:
        """Answer with ``text``."""
        return cls(text=text, delay_s=delay_s)

    @classmethod
    def refuse(cls) -> Reply:
        """Decline politely, as safety-tuned models do."""
        return cls(text=REFUSAL_TEXT)

    @classmethod
    def ramble(cls) -> Reply:
        """Talk at length without naming any place."""
        return cls(text=RAMBLE_TEXT)

    @classmethod
    def broken_json(cls) -> Reply:
        """Return JSON cut off mid-object, with nothing usable in it."""
        return cls(text=BROKEN_JSON_TEXT)

    @classmethod
    def sleep(cls, seconds: float, text: str = "too late") -> Reply:
        """Hold the request for ``seconds`` before answering (to trigger client timeouts)."""
        return cls(text=text, delay_s=seconds)

    @classmethod
    def rate_limited(cls, retry_after_s: float = 1.0) -> Reply:
        """Return HTTP 429 with a Retry-After header."""
        return cls(status=429, retry_after_s=retry_after_s, error_message="Rate limit reached")

    @classmethod
    def server_error(cls, status: int = 500) -> Reply:
        """Return an HTTP 5xx error."""
        return cls(status=status, error_message="The server had an error processing the request")

    @classmethod
    def http_error(cls, status: int, message: str) -> Reply:
        """Return any HTTP error status with an OpenAI-style error body."""
        return cls(status=status, error_message=message)

    # -- hostile servers ---------------------------------------------------------------------
    @classmethod
    def echo_key(cls, text: str = "France") -> Reply:
        """Answer ``text`` followed by the request's ``Authorization`` header, as a leaky proxy."""
        return cls(text=text, echo_authorization=True)

    @classmethod
    def gzip_bomb(cls, inflated_bytes: int, text: str = "France ") -> Reply:
        """Answer with a gzip body that is small on the wire and ``inflated_bytes`` unpacked."""
        return cls(text=text, gzip_inflated_bytes=inflated_bytes)

    @classmethod
    def usage(cls, text: str, prompt_tokens: int, completion_tokens: int) -> Reply:
        """Answer ``text`` reporting these token counts (negative or huge ones included)."""
        return cls(text=text, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)

    @classmethod
    def raw(cls, body: bytes, status: int = 200, content_type: str = "application/json") -> Reply:
        """Send ``body`` verbatim (invalid UTF-8, an HTML page, truncated JSON...)."""
        return cls(raw_body=body, status=status, content_type=content_type)


@dataclass
class RecordedRequest:
    """One request as the server saw it (the API key is kept only as its SHA-256)."""

    model: str
    text: str  # every text part of every message, joined by newlines
    body: dict[str, Any]
    image_count: int = 0
    image_sha256s: list[str] = field(default_factory=list)
    image_sizes: list[tuple[int, int]] = field(default_factory=list)
    image_mean_rgb: list[tuple[float, float, float]] = field(default_factory=list)
    images_with_metadata: int = 0
    non_data_images: int = 0  # image parts that were URLs, not inline data
    api_key_sha256: str | None = None
    # the raw header, only so that ``Reply.echo_key`` can leak it back (never asserted on)
    authorization: str = field(default="", repr=False)


Responder = Callable[[RecordedRequest], Reply]
Matcher = str | Callable[[RecordedRequest], bool]


def _usage_counts(request: RecordedRequest, reply: Reply) -> tuple[int, int]:
    prompt = reply.prompt_tokens
    if prompt is None:
        prompt = len(request.text.split()) + 85 * request.image_count
    completion = reply.completion_tokens
    if completion is None:
        completion = max(1, len(reply.text.split()))
    return prompt, completion


def _completion_body(request: RecordedRequest, reply: Reply, text: str) -> dict[str, Any]:
    prompt, completion = _usage_counts(request, reply)
    return {
        "id": f"chatcmpl-test-{time.monotonic_ns()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.model,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
        ],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        },
    }


class OpenAIServer(BackgroundServer):
    """Scriptable OpenAI chat-completions server; use as a context manager."""

    def __init__(
        self,
        default: Reply | Responder | None = None,
        latency_s: float = 0.0,
        host: str = "127.0.0.1",
    ) -> None:
        self.default: Reply | Responder = default or Reply.answer(
            '{"country": "France", "lat": 48.8566, "lon": 2.3522}'
        )
        self.latency_s = latency_s  # added to every request (benchmarks use 0.2 s)
        self.requests: list[RecordedRequest] = []
        self.violations: list[str] = []  # images with metadata, remote URLs, bad data URLs
        self._queue: deque[Reply] = deque()
        self._rules: list[tuple[Matcher, list[Reply]]] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer((host, 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- scripting -------------------------------------------------------------------------
    def enqueue(self, *replies: Reply) -> None:
        """Use these replies, in order, for the next requests whatever they contain."""
        with self._lock:
            self._queue.extend(replies)

    def script(self, match: Matcher, replies: Reply | Sequence[Reply]) -> None:
        """Reply to matching requests with the next reply of ``replies`` (the last repeats)."""
        sequence = [replies] if isinstance(replies, Reply) else list(replies)
        if not sequence:
            raise ValueError("script() needs at least one reply")
        with self._lock:
            self._rules.append((match, sequence))

    def reset(self) -> None:
        """Forget recorded requests, queued replies and rules."""
        with self._lock:
            self.requests.clear()
            self.violations.clear()
            self._queue.clear()
            self._rules.clear()

    # -- observations ----------------------------------------------------------------------
    @property
    def calls(self) -> int:
        """Number of chat-completion requests received."""
        with self._lock:
            return len(self.requests)

    @property
    def images_received(self) -> int:
        """Number of images received over all requests."""
        with self._lock:
            return sum(r.image_count for r in self.requests)

    @property
    def images_with_metadata(self) -> int:
        """Number of received images that carried EXIF/XMP/ICC metadata (must stay 0)."""
        with self._lock:
            return sum(r.images_with_metadata for r in self.requests)

    def assert_clean_images(self) -> None:
        """Fail if any received image carried metadata or was not inline data."""
        assert not self.violations, "; ".join(self.violations[:5])

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """The ``base_url`` to give the openai client (ends in /v1)."""
        return f"http://127.0.0.1:{self.port}/v1"

    # start / stop / with: BackgroundServer

    # -- internals -------------------------------------------------------------------------
    def _choose(self, request: RecordedRequest) -> Reply:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
            for match, sequence in self._rules:
                hit = (
                    (match in request.text or match == request.model)
                    if isinstance(match, str)
                    else match(request)
                )
                if hit:
                    return sequence.pop(0) if len(sequence) > 1 else sequence[0]
        default = self.default
        return default if isinstance(default, Reply) else default(request)

    def _inspect_image(self, url: str, request: RecordedRequest) -> None:
        request.image_count += 1
        if not url.startswith("data:"):
            request.non_data_images += 1
            self.violations.append(f"image sent as a URL, not inline data: {url[:60]}")
            return
        header, _, payload = url.partition(",")
        try:
            data = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            self.violations.append(f"image data URL is not valid base64 ({header})")
            return
        request.image_sha256s.append(hashlib.sha256(data).hexdigest())
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                request.image_sizes.append(image.size)
                small = image.convert("RGB").resize((1, 1), Image.Resampling.BOX)
                pixel = small.getpixel((0, 0))
                assert isinstance(pixel, tuple)
                request.image_mean_rgb.append((float(pixel[0]), float(pixel[1]), float(pixel[2])))
        except Exception as exc:  # noqa: BLE001 - record, do not crash the server
            self.violations.append(f"image data URL does not decode ({header}): {exc}")
            return
        if carries_metadata(data):
            request.images_with_metadata += 1
            self.violations.append(f"image arrived with metadata ({header})")

    def _record(self, body: dict[str, Any], auth: str | None) -> RecordedRequest:
        texts: list[str] = []
        request = RecordedRequest(model=str(body.get("model", "")), text="", body=body)
        for message in body.get("messages", []):
            content = message.get("content")
            if isinstance(content, str):
                texts.append(content)
                continue
            for part in content or []:
                if part.get("type") == "text":
                    texts.append(str(part.get("text", "")))
                elif part.get("type") == "image_url":
                    image_url = part.get("image_url")
                    url = image_url.get("url", "") if isinstance(image_url, dict) else image_url
                    self._inspect_image(str(url), request)
        request.text = "\n".join(texts)
        if auth and auth.startswith("Bearer "):
            request.api_key_sha256 = hashlib.sha256(auth[7:].encode()).hexdigest()
        with self._lock:
            self.requests.append(request)
        return request

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:  # noqa: C901 - one HTTP handler
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass  # keep test output clean

            def _send_json(
                self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
            ) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                if self.path.rstrip("/") == "/_stats":  # for a server in another process
                    self._send_json(
                        200,
                        {
                            "calls": server.calls,
                            "images_received": server.images_received,
                            "images_with_metadata": server.images_with_metadata,
                            "violations": server.violations[:20],
                        },
                    )
                elif self.path.rstrip("/").endswith("/models"):
                    self._send_json(200, {"object": "list", "data": []})
                else:
                    self._send_json(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send_json(404, {"error": {"message": f"no route {self.path}"}})
                    return
                try:
                    body = json.loads(raw)
                except json.JSONDecodeError:
                    self._send_json(400, {"error": {"message": "body is not JSON"}})
                    return
                request = server._record(body, self.headers.get("Authorization"))
                request.authorization = self.headers.get("Authorization") or ""
                reply = server._choose(request)
                wait = server.latency_s + reply.delay_s
                if wait > 0 and server._stopping.wait(wait):
                    return  # shutting down: drop the request
                try:
                    if reply.raw_body is not None:
                        self._send_raw(reply)
                    elif reply.gzip_inflated_bytes:
                        self._send_gzip_bomb(request, reply)
                    elif reply.status != 200:
                        self._send_error(reply)
                    elif body.get("stream"):
                        self._send_stream(request, reply, body)
                    else:
                        self._send_completion(request, reply)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout): nothing to do

            def _send_error(self, reply: Reply) -> None:
                headers = {}
                if reply.retry_after_s is not None:
                    headers["Retry-After"] = f"{reply.retry_after_s:g}"
                kind = "rate_limit_exceeded" if reply.status == 429 else "server_error"
                self._send_json(
                    reply.status,
                    {"error": {"message": reply.error_message, "type": kind, "code": kind}},
                    headers,
                )

            def _send_raw(self, reply: Reply) -> None:
                data = reply.raw_body or b""
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _send_gzip_bomb(self, request: RecordedRequest, reply: Reply) -> None:
                import gzip

                # the answer text itself is padded with spaces: compresses about 1000:1
                marker = "@@GEOSCOPE-PAD@@"
                head, tail = json.dumps(
                    _completion_body(request, reply, reply.text + marker)
                ).split(marker)
                pad_bytes = max(0, reply.gzip_inflated_bytes - len(head) - len(tail))
                chunk = b" " * (1 << 20)
                buffer = io.BytesIO()
                with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as gz:
                    gz.write(head.encode())
                    while pad_bytes > 0:
                        gz.write(chunk[: min(pad_bytes, len(chunk))])
                        pad_bytes -= len(chunk)
                    gz.write(tail.encode())
                data = buffer.getvalue()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _send_completion(self, request: RecordedRequest, reply: Reply) -> None:
                text = reply.text
                if reply.echo_authorization:
                    text = f"{text} (debug: Authorization: {request.authorization})"
                self._send_json(200, _completion_body(request, reply, text))

            def _send_stream(
                self, request: RecordedRequest, reply: Reply, body: dict[str, Any]
            ) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                base = {
                    "id": "chatcmpl-test",
                    "object": "chat.completion.chunk",
                    "created": int(time.time()),
                    "model": request.model,
                }
                words = reply.text.split(" ")
                for index, word in enumerate(words):
                    piece = word if index == 0 else " " + word
                    chunk = {
                        **base,
                        "choices": [
                            {"index": 0, "delta": {"content": piece}, "finish_reason": None}
                        ],
                    }
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                final = {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
                self.wfile.write(f"data: {json.dumps(final)}\n\n".encode())
                if (body.get("stream_options") or {}).get("include_usage"):
                    prompt, completion = _usage_counts(request, reply)
                    usage = {
                        **base,
                        "choices": [],
                        "usage": {
                            "prompt_tokens": prompt,
                            "completion_tokens": completion,
                            "total_tokens": prompt + completion,
                        },
                    }
                    self.wfile.write(f"data: {json.dumps(usage)}\n\n".encode())
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                self.close_connection = True

        return Handler


class RemoteServer:
    """An ``OpenAIServer`` run in a child process (so its CPU work does not share our GIL).

    Benchmarks use it: the client side is measured alone, as against a real remote endpoint.
    ``stats()`` returns the child's counters (calls, images_received, images_with_metadata).
    """

    def __init__(self, latency_s: float = 0.0, text: str = "") -> None:
        import subprocess
        import sys

        command = [sys.executable, "-m", "tests.support.openai_server", "--latency", str(latency_s)]
        if text:
            command += ["--text", text]
        from pathlib import Path

        root = Path(__file__).resolve().parents[2]
        self._process = subprocess.Popen(
            command,
            cwd=root,
            stdout=subprocess.PIPE,
            text=True,
            env={**__import__("os").environ, "PYTHONPATH": str(root)},
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline().strip()  # "PORT <n>"
        if not line.startswith("PORT "):
            self._process.kill()
            raise RuntimeError(f"test server did not start: {line!r}")
        self.port = int(line.split()[1])
        self.base_url = f"http://127.0.0.1:{self.port}/v1"

    def stats(self) -> dict[str, Any]:
        """Return the child server's counters."""
        from urllib.request import urlopen

        with urlopen(f"http://127.0.0.1:{self.port}/_stats", timeout=10) as response:
            data: dict[str, Any] = json.loads(response.read())
        return data

    def close(self) -> None:
        """Stop the child process."""
        self._process.terminate()
        self._process.wait(timeout=10)

    def __enter__(self) -> RemoteServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def main() -> None:
    """Serve until killed: ``python -m tests.support.openai_server --latency 0.2``."""
    import argparse

    parser = argparse.ArgumentParser(description="Scriptable OpenAI-compatible test server")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every request")
    parser.add_argument("--text", default='{"country": "France", "lat": 48.8566, "lon": 2.3522}')
    args = parser.parse_args()
    server = OpenAIServer(default=Reply.answer(args.text), latency_s=args.latency)
    server.start()
    print(f"PORT {server.port}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
