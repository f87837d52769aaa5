"""Collector: build in-the-wild geolocation datasets from street-level imagery services.

``plan_targets`` spreads seeded points over countries; a source (``COLLECT_SOURCES``) snaps each
to real imagery; ``collect`` downloads, verifies and journals it into a folder whose
``manifest.csv`` ``python -m analysis import-dataset`` reads as is. See docs/collect.md.
Adding a source is one module implementing ``CollectSource`` plus one line here.
"""

from __future__ import annotations

from analysis.collect.collector import CollectOptions, CollectReport, collect, import_command
from analysis.collect.errors import (
    CollectError,
    CredentialsError,
    QuotaExceededError,
    ServiceError,
)
from analysis.collect.plan import Target, all_countries, plan_targets, resolve_countries
from analysis.collect.source import CollectSource
from analysis.registry import Registry

COLLECT_SOURCES: Registry[type[CollectSource]] = Registry("collect source")
COLLECT_SOURCES.register("streetview", "analysis.collect.streetview:StreetViewSource")
COLLECT_SOURCES.register("mapillary", "analysis.collect.mapillary:MapillarySource")

__all__ = [
    "COLLECT_SOURCES",
    "CollectError",
    "CollectOptions",
    "CollectReport",
    "CollectSource",
    "CredentialsError",
    "QuotaExceededError",
    "ServiceError",
    "Target",
    "all_countries",
    "collect",
    "import_command",
    "plan_targets",
    "resolve_countries",
]
