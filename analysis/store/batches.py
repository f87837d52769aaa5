"""Provider batch jobs of runs (``run --batch``): the only SQL on the batches tables.

A batch row is written before its file is uploaded (status ``prepared``) together with the
request ids it carries, then updated as the provider reports progress; the rows are what a
restarted process reads to poll, collect or adopt a batch instead of submitting it again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from analysis.store.store import Store

# Statuses after which the provider does nothing more with a batch.
FINISHED = frozenset({"completed", "failed", "expired", "cancelled", "ended"})
# ``collected``: its answers are in the response cache; ``abandoned``: never reached the provider.
CLOSED = frozenset({"collected", "abandoned"})

_COLUMNS = (
    "run", "local_id", "provider", "batch_id", "input_file_id", "output_file_id", "error_file_id",
    "status", "n_requests", "options_json", "detail", "submitted_at", "updated_at",
)  # fmt: skip


@dataclass(frozen=True)
class BatchRow:
    """One provider batch of a run, as stored."""

    run: str
    local_id: str
    provider: str  # "openai" | "anthropic"
    status: str
    n_requests: int
    batch_id: str | None = None
    input_file_id: str | None = None
    output_file_id: str | None = None
    error_file_id: str | None = None
    options: dict[str, Any] = field(default_factory=dict)  # what rebuilds the run's config
    detail: str | None = None
    submitted_at: Any = None
    updated_at: Any = None

    @property
    def open(self) -> bool:
        """Return True while the batch still has answers to bring back."""
        return self.status not in CLOSED


def _row(values: Sequence[Any]) -> BatchRow:
    data = dict(zip(_COLUMNS, values, strict=True))
    options = json.loads(data.pop("options_json") or "{}")
    return BatchRow(**data, options=options)


def add_batch(store: Store, row: BatchRow, requests: Sequence[tuple[str, str]]) -> None:
    """Record a batch about to be uploaded with its (custom_id, sample_id) requests, at once."""
    with store.transaction() as con:
        con.execute(
            "INSERT INTO batches (run, local_id, provider, status, n_requests, options_json) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                row.run,
                row.local_id,
                row.provider,
                row.status,
                row.n_requests,
                json.dumps(row.options, sort_keys=True),
            ],  # fmt: skip
        )
        con.executemany(
            "INSERT INTO batch_requests (local_id, custom_id, sample_id) VALUES (?, ?, ?)",
            [[row.local_id, custom_id, sample_id] for custom_id, sample_id in requests],
        )


_UPDATABLE = frozenset(
    {"batch_id", "input_file_id", "output_file_id", "error_file_id", "status", "detail"}
)


def update_batch(store: Store, local_id: str, *, submitted: bool = False, **values: Any) -> None:
    """Set columns of one batch (and ``submitted_at`` when it was just created)."""
    unknown = set(values) - _UPDATABLE
    if unknown:
        raise ValueError(f"not batch columns: {', '.join(sorted(unknown))}")
    sets = [f"{name} = ?" for name in values] + ["updated_at = current_localtimestamp()"]
    if submitted:
        sets.append("submitted_at = current_localtimestamp()")
    with store.writer() as con:
        con.execute(
            f"UPDATE batches SET {', '.join(sets)} WHERE local_id = ?",  # noqa: S608 - names fixed
            [*values.values(), local_id],
        )


def run_batches(store: Store, run: str | None = None) -> list[BatchRow]:
    """Return the batches of ``run`` (every run's when None), oldest first."""
    where, params = ("WHERE run = ?", [run]) if run is not None else ("", [])
    with store.reader() as con:
        rows = con.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM batches {where} "  # noqa: S608 - fixed text
            "ORDER BY local_id",
            params,
        ).fetchall()
    return [_row(values) for values in rows]


def batch_requests(store: Store, local_ids: Sequence[str]) -> list[tuple[str, str]]:
    """Return the (custom_id, sample_id) requests of these batches (one id may serve several)."""
    if not local_ids:
        return []
    marks = ", ".join("?" for _ in local_ids)
    with store.reader() as con:
        rows = con.execute(
            f"SELECT custom_id, sample_id FROM batch_requests WHERE local_id IN ({marks})",  # noqa: S608
            list(local_ids),
        ).fetchall()
    return [(str(custom_id), str(sample_id)) for custom_id, sample_id in rows]


def forget_batches(store: Store, run: str) -> int:
    """Delete the batch records of ``run`` (a deleted run's: its name may be used again)."""
    with store.transaction() as con:
        ids = [
            r[0]
            for r in con.execute("SELECT local_id FROM batches WHERE run = ?", [run]).fetchall()
        ]
        if ids:
            marks = ", ".join("?" for _ in ids)
            con.execute(f"DELETE FROM batch_requests WHERE local_id IN ({marks})", ids)  # noqa: S608
            con.execute("DELETE FROM batches WHERE run = ?", [run])
    return len(ids)
