"""Frozen settings resolved once from the environment; passed in, never read from globals.

Where things go: the database is ``--db``, else ``$GEOSCOPE_DB``, else ``cache/geoscope.duckdb``
in the project. The cache (model answers, run journals, demo images) is ``$GEOSCOPE_CACHE``; when
that is unset it follows the database: the project's ``cache/`` for the default database, else a
``geoscope-cache`` folder beside the chosen database file. A user who points GeoScope at another
database (a second project, a test) thereby never writes answers and journals into this checkout,
and the journals that rebuild a database stay next to it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_DB = "GEOSCOPE_DB"
ENV_CACHE = "GEOSCOPE_CACHE"
ENV_MODELS = "GEOSCOPE_MODELS"
ENV_MAX_ANSWER_KB = "GEOSCOPE_MAX_ANSWER_KB"
ENV_IMPORT_MAX_CELL_KB = "GEOSCOPE_IMPORT_MAX_CELL_KB"
DEFAULT_CACHE_DIR = PROJECT_ROOT / "cache"
DB_FILE_NAME = "geoscope.duckdb"
CACHE_BESIDE_DB = "geoscope-cache"
# One cap on a model answer's size: the runner and the live panel cut longer answers before they
# are stored or cached, and an import refuses a longer raw_response/error cell. Other import
# cells are ids, names and numbers, and get the much smaller cell cap.
DEFAULT_MAX_ANSWER_KB = 64
DEFAULT_IMPORT_MAX_CELL_KB = 4


def _positive_kb(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        from analysis.errors import ConfigError

        raise ConfigError(f"{name}={raw!r}: expected a whole number of kilobytes above 0")
    return value


@dataclass(frozen=True)
class Settings:
    """Paths and limits shared by the CLI, the runner and the dashboard."""

    db_path: Path = field(default_factory=lambda: DEFAULT_CACHE_DIR / DB_FILE_NAME)
    cache_dir: Path = field(default_factory=lambda: DEFAULT_CACHE_DIR)
    models_file: Path = field(default_factory=lambda: PROJECT_ROOT / "models.toml")
    max_answer_kb: int = DEFAULT_MAX_ANSWER_KB
    import_max_cell_kb: int = DEFAULT_IMPORT_MAX_CELL_KB

    @classmethod
    def from_env(
        cls, db: str | os.PathLike[str] | None = None, models: str | os.PathLike[str] | None = None
    ) -> Settings:
        """Build settings: explicit arguments win, then environment variables, then defaults."""
        base = cls()
        env_cache = os.environ.get(ENV_CACHE)
        chosen_db = db or os.environ.get(ENV_DB)
        if env_cache:
            cache_dir = Path(env_cache)
        elif chosen_db:
            cache_dir = default_cache_for(Path(chosen_db))
        else:
            cache_dir = base.cache_dir
        db_path = Path(chosen_db) if chosen_db else cache_dir / DB_FILE_NAME
        models_file = Path(models or os.environ.get(ENV_MODELS) or base.models_file)
        return cls(
            db_path=db_path,
            cache_dir=cache_dir,
            models_file=models_file,
            max_answer_kb=_positive_kb(
                ENV_MAX_ANSWER_KB, DEFAULT_MAX_ANSWER_KB
            ),
            import_max_cell_kb=_positive_kb(ENV_IMPORT_MAX_CELL_KB, DEFAULT_IMPORT_MAX_CELL_KB),
        )


def default_cache_for(db_path: Path) -> Path:
    """Return the cache folder used with ``db_path`` when GEOSCOPE_CACHE is unset."""
    resolved = db_path.expanduser().resolve()
    if resolved == (DEFAULT_CACHE_DIR / DB_FILE_NAME).resolve():
        return DEFAULT_CACHE_DIR  # the default database already lives in the cache folder
    return resolved.parent / CACHE_BESIDE_DB
