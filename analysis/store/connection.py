"""Open DuckDB connections that wait politely for the file lock instead of failing at once.

DuckDB lets one process write a file or several processes read it, never both at once; a second
process gets ``IOException: Could not set lock on file``. Within one process, a read-only and a
read-write connection to the same file cannot coexist either (``ConnectionException: ... different
configuration``). Both are transient while every holder keeps its connection short, so we retry
with jittered exponential backoff up to a deadline, then raise a readable ``StoreError``.

Opening a file builds a whole DuckDB instance (about 25 ms of CPU here, even for an empty file),
while a connection to an instance that is already open costs about 0.03 ms. ``hold_open`` keeps
one instance open for a short batch of work (``Store.session``), and every connection opened
meanwhile in this process reuses it.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from analysis.errors import CorruptDatabaseError, StoreError

DEFAULT_LOCK_TIMEOUT_S = 10.0
_FIRST_DELAY_S = 0.005
_MAX_DELAY_S = 0.25

_TRANSIENT_MARKERS = (
    "could not set lock",  # another process holds the file
    "conflicting lock",
    "different configuration",  # another thread of this process holds it in the other mode
)


# (marker in DuckDB's message, what it means for the user)
_CORRUPT_MARKERS = (
    ("not a valid duckdb database file", "it is not a DuckDB database file"),
    ("could not read enough bytes", "it is truncated (shorter than its own index says)"),
    ("corrupt database file", "a block's checksum does not match (the file is corrupted)"),
    ("does not match stored checksum", "a block's checksum does not match (the file is corrupted)"),
    ("database has been invalidated", "an earlier read of it failed fatally in this process"),
    ("is a directory", "it is a folder, not a file"),
)


def is_lock_error(exc: BaseException) -> bool:
    """Return True when ``exc`` is DuckDB refusing a connection because the file is in use."""
    if not isinstance(exc, duckdb.Error):
        return False
    text = str(exc).lower()
    return any(marker in text for marker in _TRANSIENT_MARKERS)


def corruption_reason(exc: BaseException) -> str | None:
    """Return why ``exc`` says the file is unreadable as a database, or None when it does not."""
    if not isinstance(exc, duckdb.Error) or is_lock_error(exc):
        return None
    text = str(exc).lower()
    for marker, reason in _CORRUPT_MARKERS:
        if marker in text:
            return reason
    return None


def corrupt_database(path: Path, reason: str) -> CorruptDatabaseError:
    """Build the error for a database file that cannot be read (the file is left as it is)."""
    return CorruptDatabaseError(
        f"{path} is not a readable GeoScope database: {reason}. GeoScope left the file "
        f"untouched. Restore it from a backup, or point --db / GEOSCOPE_DB at another file "
        f"(a file that does not exist yet is created)."
    )


@dataclass
class _Held:
    """One database file held open by this process: by which thread, and how many holds."""

    keeper: duckdb.DuckDBPyConnection
    writable: bool
    owner: int  # threading.get_ident() of the thread that opened it
    depth: int = 0


_HELD: dict[str, _Held] = {}  # by absolute path
_HELD_LOCK = threading.Lock()


def _held(path: Path) -> _Held | None:
    with _HELD_LOCK:
        return _HELD.get(os.path.abspath(path))


def _refuse_write_in_own_read_hold(path: Path, held: _Held | None) -> None:
    """A write under this thread's own read-only hold would wait for itself: refuse it now.

    Under another thread's read-only hold a write simply waits, like any lock, for it to end.
    """
    if held is not None and not held.writable and held.owner == threading.get_ident():
        raise StoreError(
            f"cannot write to database {path}: this thread holds it open read-only "
            "(Store.session()); write after that session ends, or open a write session"
        )


@contextmanager
def hold_open(path: Path, *, write: bool, timeout_s: float) -> Iterator[None]:
    """Keep ``path`` open in this process (read-write with ``write``) while the block runs.

    Holds nest and threads share them, except that a write hold cannot share a read-only one
    (DuckDB refuses a read-write instance beside a read-only one in one process): in the thread
    that holds it that is refused, in another it waits for it to end.
    """
    key = os.path.abspath(path)
    with _HELD_LOCK:
        found = _HELD.get(key)
        held = found if found is not None and (found.writable or not write) else None
        if held is not None:  # share the hold already there
            held.depth += 1
    if held is None:
        _refuse_write_in_own_read_hold(path, found)
        # waits (retrying on DuckDB's refusal) for another thread's read-only hold to end
        keeper = connect_with_retry(path, read_only=not write, timeout_s=timeout_s)
        with _HELD_LOCK:
            held = _HELD.setdefault(key, _Held(keeper, writable=write, owner=threading.get_ident()))
            held.depth += 1
        if held.keeper is not keeper:  # another thread's hold of the same file won: share it
            keeper.close()
    try:
        yield
    finally:
        with _HELD_LOCK:
            held.depth -= 1
            last = held.depth == 0
            if last:
                del _HELD[key]
        if last:
            held.keeper.close()


def connect_with_retry(
    path: Path, *, read_only: bool, timeout_s: float = DEFAULT_LOCK_TIMEOUT_S
) -> duckdb.DuckDBPyConnection:
    """Open ``path`` (read-only or read-write), retrying while it is locked, up to ``timeout_s``.

    While this process holds the file open (``hold_open``) the connection shares that instance:
    read-write when the hold is; a write under this thread's own read-only hold is refused.
    """
    held = _held(path)
    if held is not None and held.writable:
        read_only = False  # a reader on a read-write instance: same data, same lock
    elif not read_only:
        _refuse_write_in_own_read_hold(path, held)
    deadline = time.monotonic() + max(timeout_s, 0.0)
    delay = _FIRST_DELAY_S
    attempts = 0
    while True:
        attempts += 1
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            reason = corruption_reason(exc)
            if reason is not None:
                raise corrupt_database(path, reason) from None
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


def foreign_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Return the names of the tables in the file, for a file that lacks ``schema_version``."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() "
        "ORDER BY table_name"
    ).fetchall()
    return [str(r[0]) for r in rows]


_HEADER_BYTES = 3 * 4096  # DuckDB's main header and its two alternating database headers


def missing_bytes(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Return how many bytes the file lacks of the blocks in use (0 when it is long enough).

    DuckDB opens a truncated file happily and fails only when a query reads a missing block,
    while a write that touches no such block succeeds: check the size once, up front.
    """
    # used, not total: DuckDB trims free blocks off the file's end, never used ones
    row = fetch_one(con, "SELECT block_size, used_blocks FROM pragma_database_size()")
    if row is None or row[0] is None or row[1] is None:
        return 0
    expected = _HEADER_BYTES + int(row[0]) * int(row[1])
    try:
        actual = path.stat().st_size
    except OSError:
        return 0
    return max(expected - actual, 0)
