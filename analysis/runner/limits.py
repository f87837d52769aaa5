"""A requests-per-minute limiter for the async runner."""

from __future__ import annotations

import asyncio
import time


class RateLimiter:
    """Space request starts at least ``60 / rpm`` seconds apart (0 rpm = no limit).

    Spacing rather than a bursty token bucket: providers count requests over sliding windows,
    and an even pace never trips them.
    """

    def __init__(self, rpm: float) -> None:
        self.interval_s = 60.0 / rpm if rpm > 0 else 0.0
        self._next_at = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        """Wait until the next request may start."""
        if self.interval_s <= 0:
            return
        async with self._lock:
            now = time.monotonic()
            start_at = max(now, self._next_at)
            self._next_at = start_at + self.interval_s
        if start_at > now:
            await asyncio.sleep(start_at - now)
