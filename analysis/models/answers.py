"""Make a model's answer safe to keep: no secrets in it, and no bigger than a cap.

Every path that stores, caches or shows an answer (runner, sweep, live panel) gets it through
``clean_response``: each configured API key value, anything shaped like a key and any echoed
``Authorization`` header is replaced by ``[redacted]``, then the text is cut to
``max_answer_bytes`` (UTF-8) and the cut is recorded on the response.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.config import DEFAULT_MAX_ANSWER_KB, ENV_MAX_ANSWER_KB
from analysis.errors import ConfigError
from analysis.models.base import ModelResponse, redact
from analysis.models.presets import NO_KEY_PLACEHOLDER

if TYPE_CHECKING:
    from analysis.models.presets import ModelPreset

# The JSON body around an answer: escaping can triple a text (\uXXXX for non-ASCII), and
# headers, usage and ids add a little; small caps still allow an ordinary error page.
BODY_BYTES_PER_ANSWER_BYTE = 16
MIN_BODY_BYTES = 1 << 20
# Environment variables that hold credentials by convention, masked even if no preset names them.
_SECRET_ENV_NAME = re.compile(r"(API_KEY|_KEY|_TOKEN|_SECRET|PASSWORD)$")
_MIN_GUESSED_SECRET_CHARS = 12  # short values of such variables ("1", "true") are not keys


def max_answer_bytes(environ: dict[str, str] | None = None) -> int:
    """Return the answer size cap in bytes from GEOSCOPE_MAX_ANSWER_KB (default 64 KB)."""
    env = os.environ if environ is None else environ
    raw = env.get(ENV_MAX_ANSWER_KB, "").strip()
    if not raw:
        return DEFAULT_MAX_ANSWER_KB * 1024
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(
            f"{ENV_MAX_ANSWER_KB}={raw!r} is not a whole number of kilobytes (e.g. 64)"
        ) from None
    if value < 1:
        raise ConfigError(f"{ENV_MAX_ANSWER_KB}={raw!r} must be at least 1 (kilobytes)")
    return value * 1024


def body_cap_bytes(answer_cap_bytes: int) -> int:
    """Return how many decompressed bytes of a server's reply to read for this answer cap."""
    return max(MIN_BODY_BYTES, answer_cap_bytes * BODY_BYTES_PER_ANSWER_BYTE)


def cap_text(text: str, max_bytes: int) -> tuple[str, bool]:
    """Return ``text`` cut to at most ``max_bytes`` UTF-8 bytes, and whether it was cut."""
    if len(text) * 4 <= max_bytes:  # cheap: no character takes more than 4 bytes
        return text, False
    data = text.encode("utf-8", errors="replace")
    if len(data) <= max_bytes:
        return text, False
    # "ignore" drops a character split by the cut instead of storing half of it
    return data[:max_bytes].decode("utf-8", errors="ignore"), True


@lru_cache(maxsize=32)
def _key_variables(path: str, mtime_ns: int) -> tuple[str, ...]:
    try:
        document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    tables = document.get("models")
    if not isinstance(tables, dict):
        return ()
    names = {t.get("api_key_env") for t in tables.values() if isinstance(t, dict)}
    return tuple(sorted(n for n in names if isinstance(n, str) and n))


def preset_file_key_variables(source_file: Path | None) -> tuple[str, ...]:
    """Return every ``api_key_env`` named in a presets file (empty when unreadable)."""
    if source_file is None:
        return ()
    try:
        mtime_ns = source_file.stat().st_mtime_ns
    except OSError:
        return ()
    return _key_variables(str(source_file), mtime_ns)


def known_secrets(
    preset: ModelPreset | None = None, environ: dict[str, str] | None = None
) -> tuple[str, ...]:
    """Return the secret values to scrub: every configured key that is set, and key-like vars.

    That is the preset's own key, the keys of every preset in the same presets file (a proxy
    may echo any header it holds), and values of variables named like credentials.
    """
    env = os.environ if environ is None else environ
    names: set[str] = set()
    if preset is not None:
        if preset.api_key_env:
            names.add(preset.api_key_env)
        names.update(preset_file_key_variables(preset.source_file))
    values = {env.get(name, "").strip() for name in names}
    values.update(
        value.strip()
        for name, value in env.items()
        if _SECRET_ENV_NAME.search(name) and len(value.strip()) >= _MIN_GUESSED_SECRET_CHARS
    )
    values.discard(NO_KEY_PLACEHOLDER)
    return tuple(sorted(v for v in values if len(v) >= 4))


def _scrub_json(value: Any, secrets: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, dict):
        return {k: _scrub_json(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_json(v, secrets) for v in value]
    return value


def clean_response(
    response: ModelResponse, secrets: tuple[str, ...], max_bytes: int
) -> ModelResponse:
    """Return ``response`` with secrets scrubbed and its text cut to ``max_bytes``."""
    # Scrub a slice a little longer than the cap, then cut: bounded work on a huge answer, and
    # a key straddling the cut is still masked whole rather than left as a prefix.
    margin = max((len(s) for s in secrets), default=0) + 256
    head, _ = cap_text(response.text, max_bytes + margin)
    text, cut = cap_text(redact(head, secrets), max_bytes)
    cut = cut or len(head) < len(response.text)
    raw = _scrub_json(response.raw, secrets) if response.raw is not None else None
    if text == response.text and raw == response.raw and not cut:
        return response
    return replace(response, text=text, raw=raw, truncated=response.truncated or cut)


def truncation_note(max_bytes: int) -> str:
    """Return the note stored with an answer that was cut to the cap."""
    return (
        f"answer truncated to its first {max_bytes // 1024} KB "
        f"(cap set by --max-answer-kb / {ENV_MAX_ANSWER_KB})"
    )
