"""Typed exceptions: every failure a user can cause has its own class and a precise message."""

from __future__ import annotations


class GeoScopeError(Exception):
    """Base class of every error GeoScope raises on purpose."""


class ConfigError(GeoScopeError):
    """A setting, preset file or environment variable is missing or malformed."""


class RegistryError(GeoScopeError):
    """A registry name is unknown or registered twice."""


class InputError(GeoScopeError):
    """Input data (a CSV, JSONL, folder or image) cannot be used as given."""


class ImportValidationError(InputError):
    """An import file was refused; nothing was written. ``problems`` lists each reason."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems: list[str] = problems or []


class ImageError(InputError):
    """An image cannot be decoded or is unsafe to decode (bomb, truncated, wrong type)."""


class StoreError(GeoScopeError):
    """The DuckDB store is unavailable, locked for too long, or its schema is too new."""


class CorruptDatabaseError(StoreError):
    """The database file exists but is not a readable GeoScope database; it is left untouched."""


class NotFoundError(GeoScopeError):
    """A named dataset, run or sample does not exist."""


class ModelError(GeoScopeError):
    """A model call failed in a way the runner records as ``api_error``."""


class ModelUnavailableError(ModelError):
    """A model cannot be used here (missing key, missing optional package or weights)."""


class BudgetExceededError(ModelError):
    """A spending cap was reached; no further paid calls are made."""
