"""What every imagery source provides to the collector: locate a place, list its downloads."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from analysis.collect.errors import CredentialsError
from analysis.collect.http import HttpClient
from analysis.collect.writer import LocationRecord

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def safe_id(text: str, limit: int = 80) -> str:
    """Return ``text`` reduced to letters, digits, '-' and '_' (for ids and file names)."""
    cleaned = _UNSAFE.sub("-", text).strip("-")
    return cleaned[:limit] or "x"


@dataclass(frozen=True)
class Download:
    """One image request; ``suffix`` names the image inside its location (e.g. ``h90``)."""

    url: str
    suffix: str = ""
    heading: int | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Place:
    """Where the service snapped a target point: its own coordinates are the truth."""

    source_id: str
    lat: float
    lon: float
    captured: str = ""
    attribution: str = ""
    downloads: tuple[Download, ...] = ()


@dataclass(frozen=True)
class NoPlace:
    """Nothing usable near a point; ``reason`` reads ``category: detail``."""

    reason: str


class CollectSource(Protocol):
    """An imagery service the collector can draw a dataset from."""

    name: ClassVar[str]
    prefix: ClassVar[str]  # short id prefix of its samples: sv, mly
    licence: ClassVar[str]
    default_key_env: ClassVar[str]
    default_base_url: ClassVar[str]

    def identity(self) -> dict[str, Any]:
        """Return the settings that shape the images (a folder resumes only with the same)."""
        ...

    def secrets(self) -> tuple[str, ...]:
        """Return the values that must never be written or printed."""
        ...

    def locate(
        self, lat: float, lon: float, http: HttpClient, taken: frozenset[str]
    ) -> Place | NoPlace:
        """Find imagery near (lat, lon), avoiding the source ids in ``taken``."""
        ...

    def downloads_for(self, location: LocationRecord, http: HttpClient) -> tuple[Download, ...]:
        """Rebuild the download list of a location recorded by an earlier run."""
        ...

    def credentials_error(self, detail: str) -> CredentialsError:
        """Return the error for a refused key, naming its environment variable."""
        ...

    def dry_run_lines(self, n_targets: int, n_points: int) -> list[str]:
        """Describe the requests a real run would make, billable ones first."""
        ...
