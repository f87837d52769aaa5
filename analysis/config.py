"""Frozen settings resolved once from the environment; passed in, never read from globals."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_DB = "GEOSCOPE_DB"
ENV_CACHE = "GEOSCOPE_CACHE"
ENV_MODELS = "GEOSCOPE_MODELS"


@dataclass(frozen=True)
class Settings:
    """Paths and limits shared by the CLI, the runner and the dashboard."""

    db_path: Path = field(default_factory=lambda: PROJECT_ROOT / "cache" / "geoscope.duckdb")
    cache_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "cache")
    models_file: Path = field(default_factory=lambda: PROJECT_ROOT / "models.toml")

    @classmethod
    def from_env(
        cls, db: str | os.PathLike[str] | None = None, models: str | os.PathLike[str] | None = None
    ) -> Settings:
        """Build settings: explicit arguments win, then environment variables, then defaults."""
        base = cls()
        cache_dir = Path(os.environ.get(ENV_CACHE) or base.cache_dir)
        db_path = Path(db or os.environ.get(ENV_DB) or cache_dir / "geoscope.duckdb")
        models_file = Path(models or os.environ.get(ENV_MODELS) or base.models_file)
        return cls(db_path=db_path, cache_dir=cache_dir, models_file=models_file)
