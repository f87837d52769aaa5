"""Frozen descriptions of a dataset and a run as the store records them."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# A parameter whose key looks like one of these never reaches the database or an export.
# "token" only as a whole word part (access_token, hf_token), so max_tokens stays readable.
_SECRET_KEY = re.compile(
    r"(api[_-]?key|secret|(^|[_-])token($|[_-])|password|passwd|authorization|bearer)",
    re.IGNORECASE,
)
REDACTED = "[redacted]"


@dataclass(frozen=True)
class DatasetMeta:
    """A named set of samples; ``kind`` says where it came from (llmgeo, manifest, exif, csv)."""

    name: str
    kind: str = "custom"
    source: str | None = None
    description: str | None = None
    is_simulated: bool = False
    content_hash: str | None = None


@dataclass(frozen=True)
class RunMeta:
    """One model x prompt strategy x dataset evaluation; ``params`` is stored as JSON, scrubbed."""

    name: str
    dataset: str
    model: str | None = None
    adapter: str | None = None
    prompt_strategy: str | None = None
    prompt_version: str | None = None
    prompt_hash: str | None = None
    prompt_text: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    source: str | None = None
    content_hash: str | None = None
    is_simulated: bool = False
    started_at: datetime | None = None
    finished_at: datetime | None = None
    notes: str | None = None


def scrub_secrets(value: Any) -> Any:
    """Return a copy of nested params with every secret-looking key's value redacted."""
    if isinstance(value, Mapping):
        return {
            str(k): (REDACTED if _SECRET_KEY.search(str(k)) else scrub_secrets(v))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [scrub_secrets(v) for v in value]
    return value


def params_to_json(params: Mapping[str, Any]) -> str:
    """Serialise run parameters as canonical JSON with secrets redacted."""
    return json.dumps(scrub_secrets(dict(params)), sort_keys=True, default=str)


def validate_name(name: str, what: str) -> str:
    """Return ``name`` stripped, or raise ValueError when it is empty or multi-line."""
    cleaned = name.strip()
    if not cleaned or "\n" in cleaned or "\r" in cleaned:
        raise ValueError(f"{what} name must be a non-empty single line, got {name!r}")
    return cleaned
