"""Frozen settings of one benchmark run and of its retry policy."""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from analysis.errors import ConfigError
from analysis.models.answers import max_answer_bytes
from analysis.models.presets import ModelPreset
from analysis.prompts.modes import InputMode


def _default_max_answer_kb() -> int:
    return max_answer_bytes() // 1024


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter on transient failures (429, 5xx, timeouts).

    Attempt ``n`` (0-based) that fails waits ``min(max_delay_s, base_delay_s * 2**n)`` scaled by
    a random factor in [0.5, 1.5) — jitter keeps many workers from retrying in lockstep — or
    the server's Retry-After when that is longer.
    """

    retries: int = 4  # extra attempts after the first
    base_delay_s: float = 1.0
    max_delay_s: float = 60.0

    def __post_init__(self) -> None:
        if self.retries < 0:
            raise ConfigError(f"retries must be >= 0, got {self.retries}")
        if self.base_delay_s < 0 or self.max_delay_s < 0:
            raise ConfigError("retry delays must be >= 0")

    def delay_s(self, attempt: int, retry_after_s: float | None, rng: random.Random) -> float:
        """Return how long to wait after failed attempt ``attempt`` (0-based)."""
        backoff = min(self.max_delay_s, self.base_delay_s * (2.0**attempt)) * rng.uniform(0.5, 1.5)
        if retry_after_s is not None:
            return max(backoff, min(retry_after_s, self.max_delay_s))
        return backoff


@dataclass(frozen=True)
class RunConfig:
    """Everything that defines a benchmark run (model x prompt x form over a dataset)."""

    dataset: str
    preset: ModelPreset
    prompt: str = "basic"
    form: str = "country"  # "country" (as LLMGeo) or "coords"
    run_name: str | None = None
    concurrency: int = 8
    rpm: float = 0.0  # requests per minute; 0 = unlimited
    timeout_s: float = 60.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    limit: int | None = None  # the first N samples (after --sample), resume-stable
    sample: int | None = None  # a stratified-by-country subset of N samples
    seed: int = 0
    split: str | None = None  # only samples of this split (e.g. "test")
    headings: tuple[int, ...] | None = None  # only images taken at these headings (e.g. (0,))
    images_root: Path | None = None  # where relative image paths live
    k: int | None = None  # examples for k-shot prompts (strategy default when None)
    examples_split: str | None = "train"  # static k-shot pool: this split of the dataset
    examples_dataset: str | None = None  # ... or of another dataset
    neighbours_csv: Path | None = None  # dynamic k-shot: published neighbour lists
    use_cache: bool = True
    batch_size: int = 50  # predictions per DuckDB write
    flush_interval_s: float = 2.0
    # answers longer than this are cut (the row says so); default from GEOSCOPE_MAX_ANSWER_KB
    max_answer_kb: int = field(default_factory=_default_max_answer_kb)
    # a fine-tuned model may be scored on places it trained on (recorded, flagged)
    allow_leakage: bool = False
    # what the model is given (analysis.prompts.modes.InputMode): image, image+description,
    # description, describe-then-locate or all-views
    mode: str = "image"
    describer: ModelPreset | None = None  # captioning preset writing the descriptions
    description_column: str | None = None  # ... or this column of the dataset's manifest

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ConfigError(f"--concurrency must be >= 1, got {self.concurrency}")
        if self.rpm < 0:
            raise ConfigError(f"--rpm must be >= 0, got {self.rpm}")
        if self.timeout_s <= 0:
            raise ConfigError(f"--timeout must be > 0 seconds, got {self.timeout_s}")
        for name in ("limit", "sample"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ConfigError(f"--{name} must be >= 1, got {value}")
        if self.headings is not None and (
            not self.headings or any(not 0 <= h < 360 for h in self.headings)
        ):
            shown = ", ".join(str(h) for h in self.headings) or "nothing"
            raise ConfigError(f"--heading must be whole degrees in 0..359, got {shown}")
        if self.max_answer_kb < 1:
            raise ConfigError(f"--max-answer-kb must be >= 1, got {self.max_answer_kb}")
        if self.form not in ("country", "coords"):
            raise ConfigError(f"--form must be 'country' or 'coords', got {self.form!r}")
        known = tuple(m.value for m in InputMode)
        if self.mode not in known:
            raise ConfigError(f"--mode must be one of {', '.join(known)}; got {self.mode!r}")

    @property
    def name(self) -> str:
        """Return the run name: explicit, else derived from dataset, preset, prompt and form."""
        return self.run_name or default_run_name(
            self.dataset, self.preset.name, self.prompt, self.form, self.mode
        )


def default_run_name(dataset: str, preset: str, prompt: str, form: str, mode: str = "image") -> str:
    """Return the deterministic default run name (re-running the same command resumes it)."""
    # image-mode runs keep the names they always had; other modes name themselves
    suffix = "" if mode == "image" else f":{mode}"
    return f"{dataset}:{preset}:{prompt}:{form}{suffix}"


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def file_stem(run: str) -> str:
    """Return a filesystem-safe, collision-free file stem for a run name."""
    readable = _UNSAFE.sub("_", run).strip("._")[:80] or "run"
    return f"{readable}-{hashlib.sha256(run.encode()).hexdigest()[:8]}"
