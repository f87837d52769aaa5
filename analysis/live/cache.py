"""The live panel's view of the shared response cache (``<cache>/responses``).

The live panel and benchmark runs read and write one cache with one key
(``analysis.models.calls.CallCore.key``), so a photo a benchmark already asked about is answered
at once, and the other way round. Files under ``<cache>/live/`` from older versions are ignored.
"""

from __future__ import annotations

from pathlib import Path

from analysis.models.cache import ResponseCache


class LiveCache(ResponseCache):
    """The shared response cache, opened from a cache folder (``Settings.cache_dir``)."""

    def __init__(self, cache_dir: Path) -> None:
        super().__init__(ResponseCache.in_cache_dir(cache_dir).root)
