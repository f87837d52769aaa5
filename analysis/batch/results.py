"""Read batch results files and keep every answer in the response cache before anything else.

OpenAI's output and error files, vLLM's ``run-batch`` output (the same format: one line
``{"id", "custom_id", "response": {"status_code", "body"}, "error"}``) and Anthropic's results
(``{"custom_id", "result": {"type", "message" | "error"}}``) are read line by line. Each answer
goes through ``CallCore.keep`` (scrubbed, capped, cached under its ``custom_id``, which is its
request's cache key) as soon as it is read: a crash after a download never pays for it again,
and ingesting is then an ordinary run whose every answer is a cache hit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.batch.anthropic_format import from_anthropic_message
from analysis.errors import ModelError
from analysis.models.base import ModelAdapter, ModelResponse, redact
from analysis.models.cache import ResponseCache
from analysis.models.calls import CallCore

_MAX_LINE_BYTES = 64 * 1024 * 1024  # one result line; a chat completion is a few KB


@dataclass
class Collected:
    """What reading results brought back."""

    answered: set[str] = field(default_factory=set)  # custom ids now in the cache
    failed: dict[str, str] = field(default_factory=dict)  # custom id -> why it has no answer
    unknown: list[str] = field(default_factory=list)  # custom ids not asked by this run
    bad_lines: list[str] = field(default_factory=list)  # "line N: why"

    def merge(self, other: Collected) -> None:
        """Add another file's results to these."""
        self.answered |= other.answered
        for custom_id, why in other.failed.items():
            if custom_id not in self.answered:
                self.failed.setdefault(custom_id, why)
        self.unknown += other.unknown
        self.bad_lines += other.bad_lines


def _error_text(error: Any) -> str:
    if isinstance(error, dict):
        inner = error.get("error")
        if isinstance(inner, dict):
            return _error_text(inner)
        code, message = error.get("code") or error.get("type"), error.get("message")
        return ": ".join(str(x) for x in (code, message) if x) or json.dumps(error)[:300]
    return str(error)[:300]


def _read_line(record: Any, adapter: ModelAdapter) -> tuple[str, ModelResponse | str]:
    """Return the custom id and the answer (or why there is none) of one result line."""
    if not isinstance(record, dict) or not isinstance(record.get("custom_id"), str):
        raise ValueError("no custom_id")
    custom_id = record["custom_id"]
    if "result" in record:  # Anthropic message batches
        result = record["result"] or {}
        kind = result.get("type")
        if kind == "succeeded":
            return custom_id, from_anthropic_message(result.get("message"))
        return custom_id, f"batch request {kind}: {_error_text(result.get('error') or kind)}"
    response = record.get("response")
    if record.get("error") and not isinstance(response, dict):
        return custom_id, f"batch request failed: {_error_text(record['error'])}"
    if not isinstance(response, dict):
        raise ValueError("neither a response nor an error")
    status = response.get("status_code")
    body = response.get("body")
    if status != 200:
        return custom_id, f"batch request failed: HTTP {status}: {_error_text(body)}"
    try:
        return custom_id, adapter.batch_response(body)
    except ModelError as exc:
        return custom_id, f"batch answer unreadable: {exc}"


def read_results(
    path: Path,
    adapter: ModelAdapter,
    core: CallCore,
    cache: ResponseCache,
    expected: set[str] | None = None,
) -> Collected:
    """Keep every answer of a results file in ``cache``; report failures and strangers.

    Args:
        expected: the custom ids this run asked for; others are listed, never cached (a
            results file of another run, or edited by hand, must not plant answers).
    """
    out = Collected()
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if len(raw) > _MAX_LINE_BYTES:
                out.bad_lines.append(f"line {number}: longer than {_MAX_LINE_BYTES} bytes")
                continue
            if not raw.strip():
                continue
            try:
                custom_id, answer = _read_line(json.loads(raw), adapter)
            except (ValueError, TypeError, KeyError) as exc:
                out.bad_lines.append(f"line {number}: not a batch result ({exc})")
                continue
            if expected is not None and custom_id not in expected:
                out.unknown.append(custom_id)
                continue
            if isinstance(answer, str):
                if custom_id not in out.answered:
                    out.failed[custom_id] = redact(answer, core.secrets)
                continue
            core.keep(cache, custom_id, answer)
            out.answered.add(custom_id)
            out.failed.pop(custom_id, None)
    return out
