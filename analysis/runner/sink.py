"""Where finished predictions go: the journal at once (crash-safe), the store in batches.

DuckDB allows one writing process at a time and the dashboard may be reading: each batch is
written in its own short ``store.add_predictions`` call (a brief writer session), never by
holding a connection for the whole run.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from analysis.errors import StoreError
from analysis.runner.journal import RunJournal
from analysis.types import Prediction


class PredictionSink:
    """Journal every prediction immediately; ingest them into the store in batches."""

    def __init__(
        self,
        store: Any,
        run: str,
        journal: RunJournal,
        batch_size: int = 50,
        flush_interval_s: float = 2.0,
    ) -> None:
        self.store = store
        self.run = run
        self.journal = journal
        self.batch_size = max(1, batch_size)
        self.flush_interval_s = flush_interval_s
        self._pending: list[Prediction] = []
        self._last_flush = time.monotonic()
        self._flush_lock = asyncio.Lock()
        self.stored = 0
        self.store_failures = 0

    async def add(self, prediction: Prediction, cached: bool = False) -> None:
        """Record one prediction (journal now, store when the batch is full or old)."""
        await asyncio.to_thread(self.journal.append, prediction, cached)
        self._pending.append(prediction)
        due = time.monotonic() - self._last_flush >= self.flush_interval_s
        if len(self._pending) >= self.batch_size or due:
            await self.flush(final=False)

    async def flush(self, final: bool = True) -> None:
        """Write pending predictions to the store; on the final flush, failures raise."""
        async with self._flush_lock:
            if not self._pending:
                return
            batch = list({p.sample_id: p for p in self._pending}.values())  # last one wins
            self._pending.clear()
            self._last_flush = time.monotonic()
            try:
                self.stored += await asyncio.to_thread(self.store.add_predictions, self.run, batch)
            except StoreError as exc:
                # The journal holds them: keep them pending and try again later.
                self._pending[:0] = batch
                self.store_failures += 1
                if final:
                    raise StoreError(
                        f"{exc}; the predictions are safe in {self.journal.path} and are "
                        "ingested when the same run is started again"
                    ) from exc
