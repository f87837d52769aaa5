"""A real local HTTP server speaking the OpenAI Batch API and Anthropic's Message Batches.

It is an ``OpenAIServer`` (so the synchronous ``/v1/chat/completions`` path answers too, with
the same scripted replies) plus:

- ``POST /v1/files`` (multipart, ``purpose=batch``), ``GET /v1/files/{id}/content``;
- ``POST /v1/batches``, ``GET /v1/batches`` (list, with metadata), ``GET /v1/batches/{id}``
  moving ``validating -> in_progress -> completed`` one step per poll (``hold`` keeps it in
  progress; ``finish_as = "failed" | "expired"`` ends it otherwise), output and error files;
- ``POST /v1/messages/batches``, ``GET /v1/messages/batches/{id}`` (``in_progress -> ended``),
  ``GET .../results`` (JSONL at the batch's ``results_url``).

Every request line is checked against the documented schema (``violations``) and answered
once, when its batch finishes; ``answered`` counts answers per ``custom_id``.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.support.openai_server import OpenAIServer, RecordedRequest, _completion_body

OPENAI_LINE_KEYS = {"custom_id", "method", "url", "body"}


class BatchServer(OpenAIServer):
    """OpenAI-compatible server with the files/batches and message-batches endpoints."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.batch_inputs: dict[str, list[dict[str, Any]]] = {}  # batch id -> request lines
        self.batch_lines: list[RecordedRequest] = []  # batch requests as answered
        self.answered: Counter[str] = Counter()  # custom_id -> answers produced
        # custom ids starting with one of these are answered with an error (HTTP 400)
        self.fail_prefixes: tuple[str, ...] = ()
        self.hold = False  # keep batches in progress
        self.finish_as = "completed"  # or "failed" / "expired" (expired keeps half the answers)
        self.batch_calls: Counter[str] = Counter()  # route -> requests
        self._batch_lock = threading.Lock()

    # -- state ------------------------------------------------------------------------------
    def _new_id(self, prefix: str) -> str:
        return f"{prefix}_{len(self.files) + len(self.batches) + 1:04d}_{time.monotonic_ns()}"

    def _answer(self, custom_id: str, body: dict[str, Any]) -> tuple[RecordedRequest, Any]:
        request = self._record(body, None)
        with self._lock:
            self.requests.remove(request)  # a batch line is not a synchronous call
        self.batch_lines.append(request)
        self.answered[custom_id] += 1
        return request, self._choose(request)

    def _check_openai_line(self, line: dict[str, Any]) -> None:
        problems = []
        if set(line) != OPENAI_LINE_KEYS:
            problems.append(f"keys {sorted(line)}")
        if line.get("method") != "POST" or line.get("url") != "/v1/chat/completions":
            problems.append("method/url")
        body = line.get("body")
        if not isinstance(body, dict) or "model" not in body or "messages" not in body:
            problems.append("body")
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", str(line.get("custom_id"))):
            problems.append("custom_id")
        if problems:
            self.violations.append(f"batch line breaks the schema: {', '.join(problems)}")

    def _finish_openai(self, batch: dict[str, Any]) -> None:
        out, err = [], []
        lines = self.batch_inputs[batch["id"]]
        for index, line in enumerate(lines):
            custom_id = line["custom_id"]
            base = {"id": f"batch_req_{index}", "custom_id": custom_id}
            if self.finish_as == "expired" and index % 2 == 1:
                err.append({**base, "response": None,
                            "error": {"code": "batch_expired", "message": "expired"}})  # fmt: skip
                continue
            request, reply = self._answer(custom_id, line["body"])
            if custom_id.startswith(self.fail_prefixes):
                body = {"error": {"message": "Invalid image", "type": "invalid_request_error"}}
                err.append({**base, "response": {"status_code": 400, "body": body}, "error": None})
                continue
            completion = _completion_body(request, reply, reply.text)
            response = {"status_code": 200, "request_id": f"req_{index}", "body": completion}
            out.append({**base, "response": response, "error": None})
        for kind, rows in (("output_file_id", out), ("error_file_id", err)):
            if rows:
                file_id = self._new_id("file")
                self.files[file_id] = "".join(json.dumps(r) + "\n" for r in rows).encode()
                batch[kind] = file_id
        batch["request_counts"] = {"total": len(lines), "completed": len(out), "failed": len(err)}

    def _advance_openai(self, batch: dict[str, Any]) -> None:
        if batch["status"] == "validating":
            batch["status"] = "in_progress"
        elif batch["status"] == "in_progress" and not self.hold:
            if self.finish_as == "failed":
                batch["status"] = "failed"
                batch["errors"] = {"data": [{"code": "invalid", "message": "bad input file"}]}
            else:
                self._finish_openai(batch)
                batch["status"] = self.finish_as

    def _finish_anthropic(self, batch: dict[str, Any]) -> None:
        results = []
        for request_line in self.batch_inputs[batch["id"]]:
            custom_id, params = request_line["custom_id"], request_line["params"]
            request, reply = self._answer(custom_id, _openai_body(params))
            if custom_id.startswith(self.fail_prefixes):
                error = {"type": "error", "error": {"type": "invalid_request_error",
                                                    "message": "Invalid image"}}  # fmt: skip
                results.append({"custom_id": custom_id,
                                "result": {"type": "errored", "error": error}})  # fmt: skip
                continue
            completion = _completion_body(request, reply, reply.text)
            message = {
                "id": f"msg_{len(results)}", "type": "message", "role": "assistant",
                "model": params["model"], "stop_reason": "end_turn",
                "content": [{"type": "text", "text": reply.text}],
                "usage": {"input_tokens": completion["usage"]["prompt_tokens"],
                          "output_tokens": completion["usage"]["completion_tokens"]},
            }  # fmt: skip
            results.append({"custom_id": custom_id,
                            "result": {"type": "succeeded", "message": message}})  # fmt: skip
        self.files[batch["id"] + "-results"] = "".join(
            json.dumps(r) + "\n" for r in results
        ).encode()
        batch["results_url"] = f"{self.base_url}/messages/batches/{batch['id']}/results"
        batch["request_counts"] = {"processing": 0, "succeeded": len(results)}

    # -- routes -----------------------------------------------------------------------------
    def route(self, method: str, path: str, raw: bytes, ctype: str) -> tuple[int, Any]:
        """Answer one batch-endpoint request: (status, JSON object or bytes)."""
        path = path.split("?", 1)[0].rstrip("/")
        with self._batch_lock:
            self.batch_calls[f"{method} {re.sub(r'/[a-z]+_[0-9_]+', '/ID', path)}"] += 1
            if method == "POST" and path == "/v1/files":
                return self._upload(raw, ctype)
            if method == "POST" and path == "/v1/batches":
                return self._create_openai(json.loads(raw))
            if method == "POST" and path == "/v1/messages/batches":
                return self._create_anthropic(json.loads(raw))
            if method == "GET" and path in ("/v1/batches", "/v1/messages/batches"):
                kind = "message_batch" if "messages" in path else "batch"
                found = [b for b in self.batches.values() if b.get("type", "batch") == kind]
                return 200, {"object": "list", "data": found, "has_more": False}
            match = re.fullmatch(r"/v1/(files|batches|messages/batches)/([^/]+)(/[a-z]+)?", path)
            if method != "GET" or match is None:
                return 404, {"error": {"message": f"no route {method} {path}"}}
            kind, ident, tail = match.groups()
            if kind == "files" and tail == "/content" and ident in self.files:
                return 200, self.files[ident]
            if kind == "batches" and ident in self.batches and not tail:
                self._advance_openai(self.batches[ident])
                return 200, self.batches[ident]
            if kind == "messages/batches" and ident in self.batches:
                batch = self.batches[ident]
                if tail == "/results" and batch["processing_status"] == "ended":
                    return 200, self.files[ident + "-results"]
                if not tail:
                    if batch["processing_status"] == "in_progress" and not self.hold:
                        self._finish_anthropic(batch)
                        batch["processing_status"] = "ended"
                    return 200, batch
            return 404, {"error": {"message": f"not found: {path}"}}

    def _upload(self, raw: bytes, ctype: str) -> tuple[int, Any]:
        boundary = ctype.split("boundary=", 1)[-1].encode()
        parts = {}
        for part in raw.split(b"--" + boundary):
            head, _, body = part.partition(b"\r\n\r\n")
            name = re.search(rb'name="([^"]+)"', head)
            if name:
                parts[name.group(1).decode()] = body.removesuffix(b"\r\n")
        if parts.get("purpose") != b"batch" or "file" not in parts:
            return 400, {"error": {"message": "need purpose=batch and a file"}}
        for line in parts["file"].splitlines():
            self._check_openai_line(json.loads(line))
        file_id = self._new_id("file")
        self.files[file_id] = parts["file"]
        return 200, {
            "id": file_id,
            "object": "file",
            "purpose": "batch",
            "bytes": len(parts["file"]),
        }

    def _create_openai(self, payload: dict[str, Any]) -> tuple[int, Any]:
        content = self.files.get(payload.get("input_file_id", ""))
        if content is None or payload.get("endpoint") != "/v1/chat/completions":
            return 400, {"error": {"message": "unknown input_file_id or endpoint"}}
        batch_id = self._new_id("batch")
        self.batch_inputs[batch_id] = [json.loads(line) for line in content.splitlines()]
        self.batches[batch_id] = {
            "id": batch_id, "object": "batch", "status": "validating",
            "input_file_id": payload["input_file_id"], "output_file_id": None,
            "error_file_id": None, "metadata": payload.get("metadata"),
            "request_counts": {"total": len(self.batch_inputs[batch_id]), "completed": 0},
        }  # fmt: skip
        return 200, self.batches[batch_id]

    def _create_anthropic(self, payload: dict[str, Any]) -> tuple[int, Any]:
        requests = payload.get("requests")
        if not isinstance(requests, list) or not requests:
            return 400, {"error": {"message": "requests: a non-empty list is required"}}
        for request in requests:
            params = request.get("params") or {}
            if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", str(request.get("custom_id"))) or not (
                isinstance(params.get("max_tokens"), int) and params.get("messages")
            ):
                return 400, {"error": {"message": "invalid request in batch"}}
        batch_id = self._new_id("msgbatch")
        self.batch_inputs[batch_id] = requests
        self.batches[batch_id] = {
            "id": batch_id, "type": "message_batch", "processing_status": "in_progress",
            "created_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "request_counts": {"processing": len(requests)}, "results_url": None,
        }  # fmt: skip
        return 200, self.batches[batch_id]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self
        base = super()._handler_class()

        class Handler(base):  # type: ignore[valid-type, misc]
            def _batch(self, method: str) -> bool:
                if "/chat/completions" in self.path or self.path.startswith("/_stats"):
                    return False
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if method == "POST" else b""
                status, payload = server.route(
                    method, self.path, raw, self.headers.get("Content-Type") or ""
                )
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return True

            def do_GET(self) -> None:  # noqa: N802
                if not self._batch("GET"):
                    super().do_GET()

            def do_POST(self) -> None:  # noqa: N802
                if not self._batch("POST"):
                    super().do_POST()

        return Handler


def _openai_body(params: dict[str, Any]) -> dict[str, Any]:
    """Return an Anthropic request's params as a chat-completions body (for recording)."""
    messages: list[dict[str, Any]] = []
    if params.get("system"):
        messages.append({"role": "system", "content": params["system"]})
    for message in params["messages"]:
        parts = []
        for block in message["content"]:
            if block["type"] == "text":
                parts.append({"type": "text", "text": block["text"]})
            else:
                source = block["source"]
                url = f"data:{source['media_type']};base64,{source['data']}"
                parts.append({"type": "image_url", "image_url": {"url": url}})
        messages.append({"role": message["role"], "content": parts})
    return {"model": params["model"], "messages": messages}
