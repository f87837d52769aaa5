"""Turn an uploaded (or dataset) image into what the live panel needs: validated bytes and a preview.

The photo is validated once (size, bombs, format). Models get its bytes exactly as a benchmark
gives them a dataset file (``data``, keyed by ``original_sha256`` in the shared response cache):
each adapter resizes it and strips EXIF, XMP and ICC before anything leaves the machine. The
metadata-free JPEG (``model_bytes``) is what the page shows and what a saved round stores.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from analysis.config import Settings
from analysis.errors import ConfigError, InputError
from analysis.images import (
    DEFAULT_MAX_SIDE,
    ImageTooLargeError,
    encode_for_model,
    image_sha256,
    open_image,
)
from analysis.live.budget import budget_from_env
from analysis.live.daily import DEFAULT_LIVE_DAILY_BUDGET_USD, daily_budget_from_env
from analysis.types import LatLon

ENV_LIVE_MAX_UPLOAD_MB = "GEOSCOPE_LIVE_MAX_UPLOAD_MB"
ENV_LIVE_TIMEOUT_S = "GEOSCOPE_LIVE_TIMEOUT_S"
DEFAULT_MAX_UPLOAD_MB = 25.0
DEFAULT_TIMEOUT_S = 90.0
# File types the upload widget offers; anything else is refused by the widget already.
UPLOAD_TYPES: tuple[str, ...] = ("jpg", "jpeg", "png", "webp", "heic", "heif", "gif")


def _positive_env(name: str, default: float, environ: dict[str, str] | os._Environ[str]) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None
    if not math.isfinite(value) or value <= 0:
        raise ConfigError(f"{name}={raw!r} must be a positive number")
    return value


@dataclass(frozen=True)
class LiveConfig:
    """Limits of the live panel; every field can be set through an environment variable."""

    budget_usd: float = 1.0  # GEOSCOPE_LIVE_BUDGET_USD: per browser session, paid calls only
    # GEOSCOPE_LIVE_DAILY_BUDGET_USD: every session of this server (and any other server process
    # sharing the cache folder) together, per UTC day
    daily_budget_usd: float = DEFAULT_LIVE_DAILY_BUDGET_USD
    max_upload_bytes: int = int(DEFAULT_MAX_UPLOAD_MB * 1024 * 1024)  # GEOSCOPE_LIVE_MAX_UPLOAD_MB
    timeout_s: float = DEFAULT_TIMEOUT_S  # GEOSCOPE_LIVE_TIMEOUT_S: per model call
    max_side: int = DEFAULT_MAX_SIDE  # longest side of the JPEG sent to models, in pixels
    max_workers: int = 8  # parallel calls at most
    settings: Settings = field(default_factory=Settings.from_env)

    @property
    def max_upload_mb(self) -> int:
        """Return the upload limit in whole megabytes (rounded up), for the upload widget."""
        return max(1, math.ceil(self.max_upload_bytes / (1024 * 1024)))

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> LiveConfig:
        """Build the live limits from the environment (defaults where unset)."""
        env = os.environ if environ is None else environ
        max_mb = _positive_env(ENV_LIVE_MAX_UPLOAD_MB, DEFAULT_MAX_UPLOAD_MB, env)
        return cls(
            budget_usd=budget_from_env(dict(env)),
            daily_budget_usd=daily_budget_from_env(dict(env)),
            max_upload_bytes=int(max_mb * 1024 * 1024),
            timeout_s=_positive_env(ENV_LIVE_TIMEOUT_S, DEFAULT_TIMEOUT_S, env),
            settings=Settings.from_env(),
        )


@dataclass(frozen=True)
class LiveImage:
    """A photo ready for the models: metadata-free JPEG plus what was learnt while reading it."""

    filename: str
    # of the bytes as uploaded: matches the store's image_sha256 and keys the shared cache
    original_sha256: str
    model_sha256: str  # of the preview JPEG
    model_bytes: bytes  # preview JPEG, longest side <= max_side, no EXIF/XMP/ICC/comments
    source_format: str
    width: int
    height: int
    notes: tuple[str, ...]  # e.g. "CMYK image converted to RGB", "named .jpg but contains PNG"
    exif_gps: LatLon | None  # offered to the user as the ground truth
    # the bytes as uploaded, validated: what the models get (their adapters strip metadata)
    data: bytes = field(default=b"", repr=False)


def prepare_image(data: bytes, filename: str, config: LiveConfig) -> LiveImage:
    """Validate an uploaded image and encode it once, without metadata, for every model.

    Raises an ``ImageError`` subclass (from analysis.images) with a specific message for each kind
    of bad input: not an image, truncated, decompression bomb, over the size limit, corrupt.
    """
    loaded = open_image(data, filename=filename, max_bytes=config.max_upload_bytes)
    model_bytes = encode_for_model(loaded.image, max_side=config.max_side)
    return LiveImage(
        filename=filename,
        original_sha256=image_sha256(data),
        model_sha256=image_sha256(model_bytes),
        model_bytes=model_bytes,
        source_format=loaded.source_format,
        width=loaded.width,
        height=loaded.height,
        notes=loaded.notes,
        exif_gps=loaded.gps,
        data=data,
    )


def read_dataset_image(
    path: str | os.PathLike[str], config: LiveConfig, root: Path | None = None
) -> bytes:
    """Read a dataset image's bytes (relative paths against ``root``), refusing oversize files."""
    candidate = Path(path)
    if not candidate.is_absolute() and root is not None:
        candidate = root / candidate
    if not candidate.is_file():
        raise InputError(f"image file not found: {candidate}")
    size = candidate.stat().st_size
    if size > config.max_upload_bytes:
        raise ImageTooLargeError(
            f"{candidate.name}: file is {size / 1e6:.1f} MB, over the "
            f"{config.max_upload_bytes / 1e6:.1f} MB limit ({ENV_LIVE_MAX_UPLOAD_MB})"
        )
    return candidate.read_bytes()
