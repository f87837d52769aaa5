"""The batch endpoints of OpenAI (files + batches) and Anthropic (message batches), over HTTP.

Plain ``urllib``: a handful of sequential calls per batch (upload, create, poll, download), so
no async client is needed, and the same code talks to OpenAI, Azure OpenAI, a vLLM server, a
proxy, or the test server. Errors carry the provider's message with keys redacted.
"""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from analysis.errors import GeoScopeError
from analysis.models.base import redact
from analysis.models.presets import ModelPreset

ANTHROPIC_VERSION = "2023-06-01"


class BatchError(GeoScopeError):
    """A batch endpoint refused or failed a request."""


@dataclass(frozen=True)
class BatchState:
    """What a provider says about one batch."""

    status: str  # OpenAI's status, or "in_progress" / "canceling" / "ended" for Anthropic
    finished: bool
    output: str | None = None  # output file id (OpenAI) or results URL (Anthropic)
    errors: str | None = None  # error file id (OpenAI)
    detail: str | None = None  # counts or the provider's error text


class _Http:
    """Small JSON/bytes client for one provider base URL."""

    def __init__(self, base_url: str, headers: dict[str, str], secrets: tuple[str, ...]) -> None:
        self.base_url = base_url.rstrip("/")
        self.headers = headers
        self.secrets = secrets
        self.calls = 0  # HTTP requests made (the benchmark counts them)
        self.timeout_s = 300.0

    def _url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else self.base_url + path

    def open(self, method: str, path: str, data: bytes | None = None, ctype: str = "") -> Any:
        """Send one request and return the open response; raise BatchError on failure."""
        headers = dict(self.headers)
        if ctype:
            headers["Content-Type"] = ctype
        request = urllib.request.Request(self._url(path), data, headers, method=method)
        self.calls += 1
        try:
            return urllib.request.urlopen(request, timeout=self.timeout_s)  # noqa: S310 - preset URL
        except urllib.error.HTTPError as exc:
            body = exc.read(65536).decode("utf-8", "replace")
            try:
                detail = json.loads(body)["error"]["message"]
            except (ValueError, KeyError, TypeError):
                detail = body[:500]
            raise BatchError(
                redact(f"{method} {path}: HTTP {exc.code}: {detail}", self.secrets)
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            raise BatchError(redact(f"{method} {path}: {exc}", self.secrets)) from None

    def json(self, method: str, path: str, payload: Any = None) -> Any:
        """Send JSON (or nothing) and return the decoded JSON answer."""
        data = None if payload is None else json.dumps(payload).encode("utf-8")
        with self.open(method, path, data, "application/json" if data else "") as response:
            raw = response.read()
        try:
            return json.loads(raw)
        except ValueError:
            raise BatchError(f"{method} {path}: the answer is not JSON") from None

    def download(self, path: str, target: Path) -> Path:
        """Stream a response body into ``target`` (written whole, then renamed)."""
        partial = target.with_suffix(target.suffix + ".part")
        with self.open("GET", path) as response, partial.open("wb") as out:
            shutil.copyfileobj(response, out, 1 << 20)
        partial.replace(target)
        return target


class OpenAIBatches:
    """The OpenAI Batch API: ``POST /files`` (purpose=batch), ``/batches``, file contents."""

    provider = "openai"

    def __init__(self, preset: ModelPreset, api_key: str, secrets: tuple[str, ...]) -> None:
        self.http = _Http(
            preset.base_url or "", {"Authorization": f"Bearer {api_key}"}, (api_key, *secrets)
        )

    def upload(self, path: Path) -> str:
        """Upload a request file; return its file id."""
        boundary = uuid.uuid4().hex
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{path.name}"\r\nContent-Type: application/jsonl\r\n\r\n'
        ).encode()
        data = head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
        with self.http.open(
            "POST", "/files", data, f"multipart/form-data; boundary={boundary}"
        ) as response:
            return str(json.loads(response.read())["id"])

    def create(self, file_id: str, local_id: str, n_requests: int, payload: Path) -> str:
        """Create the batch of an uploaded file; return the batch id."""
        answer = self.http.json(
            "POST",
            "/batches",
            {
                "input_file_id": file_id,
                "endpoint": "/v1/chat/completions",
                "completion_window": "24h",
                "metadata": {"geoscope_local_id": local_id},
            },
        )
        return str(answer["id"])

    def find(self, local_id: str, n_requests: int, known: set[str]) -> str | None:
        """Return the id of a batch created with ``local_id`` (a crash lost its id), or None."""
        answer = self.http.json("GET", "/batches?limit=100")
        for batch in answer.get("data", []) if isinstance(answer, dict) else []:
            metadata = batch.get("metadata") or {}
            if metadata.get("geoscope_local_id") == local_id:
                return str(batch["id"])
        return None

    def state(self, batch_id: str) -> BatchState:
        """Poll one batch."""
        batch = self.http.json("GET", f"/batches/{batch_id}")
        status = str(batch.get("status"))
        counts = batch.get("request_counts") or {}
        detail = f"{counts.get('completed', 0)}/{counts.get('total', 0)} done"
        if counts.get("failed"):
            detail += f", {counts['failed']} failed"
        errors = (batch.get("errors") or {}).get("data") or []
        if errors:
            detail += ": " + "; ".join(str(e.get("message")) for e in errors[:3])
        return BatchState(
            status=status,
            finished=status in ("completed", "failed", "expired", "cancelled"),
            output=batch.get("output_file_id"),
            errors=batch.get("error_file_id"),
            detail=redact(detail, self.http.secrets),
        )

    def fetch(self, ref: str, target: Path) -> Path:
        """Download an output or error file's content into ``target``."""
        return self.http.download(f"/files/{ref}/content", target)


class AnthropicBatches:
    """Anthropic's Message Batches: ``POST /messages/batches``, poll, results at results_url."""

    provider = "anthropic"

    def __init__(self, preset: ModelPreset, api_key: str, secrets: tuple[str, ...]) -> None:
        headers = {"x-api-key": api_key, "anthropic-version": ANTHROPIC_VERSION}
        self.http = _Http(preset.base_url or "", headers, (api_key, *secrets))

    def upload(self, path: Path) -> str:
        """Nothing to upload (requests travel in the create call): name the local file."""
        return f"local:{path.name}"

    def create(self, file_id: str, local_id: str, n_requests: int, payload: Path) -> str:
        """Create a message batch from the request lines of ``payload``; return its id."""
        lines = [line for line in payload.read_bytes().splitlines() if line.strip()]
        data = b'{"requests": [' + b", ".join(lines) + b"]}"
        with self.http.open("POST", "/messages/batches", data, "application/json") as response:
            return str(json.loads(response.read())["id"])

    def find(self, local_id: str, n_requests: int, known: set[str]) -> str | None:
        """Return the one recent batch of ``n_requests`` that no record knows, or None.

        Message batches carry no metadata to find a lost one by: a batch this key created in
        the last day, of the same size, not recorded by any run, is taken for it when it is the
        only such batch (answers of a wrong guess are refused by their custom ids, and the
        samples stay pending); with several candidates, None (submitted again).
        """
        answer = self.http.json("GET", "/messages/batches?limit=100")
        since = datetime.now(UTC) - timedelta(days=1)
        found = []
        for batch in answer.get("data", []) if isinstance(answer, dict) else []:
            counts = batch.get("request_counts") or {}
            total = sum(v for v in counts.values() if isinstance(v, int))
            try:
                created = datetime.fromisoformat(str(batch.get("created_at")))
            except ValueError:
                continue
            if created.tzinfo is None:
                created = created.replace(tzinfo=UTC)
            if batch.get("id") not in known and total == n_requests and created >= since:
                found.append(str(batch["id"]))
        return found[0] if len(found) == 1 else None

    def state(self, batch_id: str) -> BatchState:
        """Poll one message batch."""
        batch = self.http.json("GET", f"/messages/batches/{batch_id}")
        status = str(batch.get("processing_status"))
        counts = batch.get("request_counts") or {}
        detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if v)
        return BatchState(
            status=status,
            finished=status == "ended",
            output=batch.get("results_url"),
            detail=detail or None,
        )

    def fetch(self, ref: str, target: Path) -> Path:
        """Download the results JSONL from its results_url into ``target``."""
        return self.http.download(ref, target)


Provider = OpenAIBatches | AnthropicBatches


def provider_for(api: str, preset: ModelPreset, secrets: tuple[str, ...]) -> Provider:
    """Return the batch client of ``api`` for ``preset`` (its key read from the environment)."""
    if api == "anthropic":
        return AnthropicBatches(preset, preset.api_key(), secrets)
    if api == "openai":
        return OpenAIBatches(preset, preset.api_key(), secrets)
    raise BatchError(f"no batch endpoint {api!r} (known: openai, anthropic)")
