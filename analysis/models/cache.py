"""The one content-addressed cache of model responses, shared by benchmark runs and the live panel.

Asking the same thing twice costs nothing, whichever asked first. The key is the SHA-256 of what
decides an answer: the preset's identity (adapter, model id, endpoint, generation parameters,
image size sent, local weights' fingerprint), the rendered prompt's hash, every image's content
hash and, for adapters keyed by sample, the sample's reference (never an API key). Entries are
JSON files under ``cache/responses/ab/<key>.json``, written atomically (temporary file + rename),
so a crash never leaves a half-written entry behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from analysis.models.base import ModelResponse
from analysis.models.presets import ModelPreset
from analysis.types import CoordsSource, ParsedAnswer, PredictionStatus

CACHE_FORMAT = 1
RESPONSES_SUBDIR = "responses"  # under the cache folder (Settings.cache_dir)


def response_key(
    preset: ModelPreset,
    prompt_hash: str,
    image_sha256s: Sequence[str],
    sample_ref: str | None = None,
) -> str:
    """Return the cache key of one request (hex SHA-256).

    ``sample_ref`` identifies the sample for adapters that answer without the image (a
    neighbour list looked up by path).
    """
    payload = {
        "format": CACHE_FORMAT,
        **preset.identity(),
        "prompt_hash": prompt_hash,
        "images": list(image_sha256s),
        "sample_ref": sample_ref,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def parsed_to_json(parsed: ParsedAnswer | None) -> dict[str, Any] | None:
    """Return a parsed answer as JSON-able values (enums as their values) for a cache entry."""
    if parsed is None:
        return None
    return {
        "status": parsed.status.value,
        "country_iso3": parsed.country_iso3,
        "lat": parsed.lat,
        "lon": parsed.lon,
        "coords_source": parsed.coords_source.value if parsed.coords_source else None,
        "detail": parsed.detail,
    }


def parsed_from_json(data: dict[str, Any] | None) -> ParsedAnswer | None:
    """Rebuild a parsed answer written by ``parsed_to_json`` (None or empty: none stored)."""
    if not data:
        return None
    source = data.get("coords_source")
    return ParsedAnswer(
        status=PredictionStatus(data["status"]),
        country_iso3=data.get("country_iso3"),
        lat=data.get("lat"),
        lon=data.get("lon"),
        coords_source=CoordsSource(source) if source else None,
        detail=str(data.get("detail") or ""),
    )


def entry_path(root: Path, key: str) -> Path:
    """Return where the entry for hex ``key`` lives under ``root`` (``ab/<key>.json``)."""
    # two-level fan-out keeps directories small after many runs and sessions
    return root / key[:2] / f"{key}.json"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class ResponseCache:
    """Response files under ``root`` (normally ``cache/responses``)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @classmethod
    def in_cache_dir(cls, cache_dir: Path) -> ResponseCache:
        """Return the shared cache under a cache folder (``<cache_dir>/responses``)."""
        return cls(Path(cache_dir) / RESPONSES_SUBDIR)

    def _path(self, key: str) -> Path:
        return entry_path(self.root, key)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._path(key).is_file()

    def get(self, key: str) -> ModelResponse | None:
        """Return the cached response for ``key``, or None (a corrupt entry counts as absent)."""
        path = self._path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return ModelResponse(
                text=data["text"],
                input_tokens=data.get("input_tokens"),
                output_tokens=data.get("output_tokens"),
                latency_ms=data.get("latency_ms"),
                raw=data.get("raw"),
                parsed=parsed_from_json(data.get("parsed")),
                truncated=bool(data.get("truncated", False)),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, response: ModelResponse, model: str) -> None:
        """Store ``response`` under ``key`` atomically."""
        record = asdict(response)
        record["parsed"] = parsed_to_json(response.parsed)
        record["model"] = model
        record["format"] = CACHE_FORMAT
        write_atomic(self._path(key), json.dumps(record, ensure_ascii=False, default=str))
