"""Open DuckDB connections that wait politely for the file lock instead of failing at once.

DuckDB lets one process write a file or several processes read it, never both at once; a second
process gets ``IOException: Could not set lock on file``. Within one process, a read-only and a
read-write connection to the same file cannot coexist either (``ConnectionException: ... different
configuration``). Both are transient while every holder keeps its connection short, so we retry
with jittered exponential backoff up to a deadline, then raise a readable ``StoreError``.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import duckdb

from analysis.errors import StoreError

DEFAULT_LOCK_TIMEOUT_S = 10.0
_FIRST_DELAY_S = 0.005
_MAX_DELAY_S = 0.25

_TRANSIENT_MARKERS = (
    "could not set lock",  # another process holds the file
    "conflicting lock",
    "different configuration",  # another thread of this process holds it in the other mode
)


def is_lock_error(exc: BaseException) -> bool:
    """Return True when ``exc`` is DuckDB refusing a connection because the file is in use."""
    if not isinstance(exc, duckdb.Error):
        return False
    text = str(exc).lower()
    return any(marker in text for marker in _TRANSIENT_MARKERS)


def connect_with_retry(
    path: Path, *, read_only: bool, timeout_s: float = DEFAULT_LOCK_TIMEOUT_S
) -> duckdb.DuckDBPyConnection:
    """Open ``path`` (read-only or read-write), retrying while it is locked, up to ``timeout_s``."""
    deadline = time.monotonic() + max(timeout_s, 0.0)
    delay = _FIRST_DELAY_S
    attempts = 0
    while True:
        attempts += 1
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            if not is_lock_error(exc):
                raise StoreError(f"cannot open database {path}: {exc}") from exc
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                mode = "read" if read_only else "write to"
                raise StoreError(
                    f"cannot {mode} database {path}: it stayed locked by another process for "
                    f"{timeout_s:.1f} s ({attempts} attempts). Wait for the other GeoScope "
                    f"command (an import or a run) to finish, or use another --db. "
                    f"DuckDB said: {exc}"
                ) from exc
            # jitter keeps a dashboard's readers and the CLI writer from retrying in lockstep
            time.sleep(min(delay * (0.5 + random.random()), remaining))
            delay = min(delay * 2.0, _MAX_DELAY_S)


def fetch_one(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None
) -> tuple[Any, ...] | None:
    """Run ``sql`` and return its first row (None when empty), leaving no pending result.

    DuckDB 2.0 refuses further work on a connection whose last result was not read to the
    end, so a bare ``execute(...).fetchone()`` is a trap.
    """
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None
