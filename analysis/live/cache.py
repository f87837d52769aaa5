"""Content-addressed cache of live answers under ``<cache>/live/``.

The key hashes what decides a model's answer: the image bytes' SHA-256, the preset's identity and
generation parameters (never its key value; presets only name the environment variable), and
the rendered prompt's hash. The raw text is cached, not the parsed answer, so a better parser
re-reads old answers without new calls.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from analysis.runner.cache import entry_path, write_atomic

CACHE_SUBDIR = "live"
CACHE_FORMAT = 1


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    """One model's raw answer for one image and prompt, as first received."""

    text: str
    input_tokens: int | None
    output_tokens: int | None
    latency_ms: float | None
    cost_usd: float | None
    model: str
    created_at: str
    parsed: dict[str, Any] | None = None  # structured adapters' exact answer (no parsing)


def cache_key(image_sha256: str, preset_fingerprint: str, prompt_hash: str) -> str:
    """Return the hex key for an (image, preset + params, prompt) triple."""
    payload = json.dumps(
        {
            "format": CACHE_FORMAT,
            "image": image_sha256,
            "preset": preset_fingerprint,
            "prompt": prompt_hash,
        },
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def fingerprint(fields: dict[str, Any]) -> str:
    """Return a stable hash of a preset's identity and generation parameters."""
    text = json.dumps(fields, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class LiveCache:
    """Answers stored as one small JSON file per key, written atomically."""

    def __init__(self, cache_dir: Path) -> None:
        self.root = Path(cache_dir) / CACHE_SUBDIR

    def _path(self, key: str) -> Path:
        return entry_path(self.root, key)

    def get(self, key: str) -> CachedAnswer | None:
        """Return the cached answer for ``key`` or None (also for an unreadable entry)."""
        path = self._path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return CachedAnswer(**data["answer"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            # A damaged entry is a miss: the call is simply made again and overwrites it.
            return None

    def put(self, key: str, answer: CachedAnswer) -> None:
        """Store ``answer`` under ``key`` (atomic rename: readers never see half a file)."""
        body = json.dumps({"format": CACHE_FORMAT, "answer": asdict(answer)}, indent=1)
        write_atomic(self._path(key), body)
