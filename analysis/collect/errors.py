"""Typed errors of the collector; each names what to fix and never carries a secret."""

from __future__ import annotations

from analysis.errors import ConfigError, GeoScopeError


class CollectError(GeoScopeError):
    """A collection cannot go on; what was already downloaded is kept and resumable."""


class CredentialsError(CollectError, ConfigError):
    """The API key or token is missing or was refused (the message names the env variable)."""


class QuotaExceededError(CollectError):
    """The service keeps refusing for quota reasons after every retry; re-run later to resume."""


class ServiceError(CollectError):
    """The service kept failing (5xx, timeouts) or answered something unusable."""
