"""One process at a time per run: a lock file under ``<cache>/locks`` held while a run executes.

Two identical ``run`` commands on one run name would otherwise both plan the same samples and
call each of them twice. The lock is ``fcntl.flock`` on a file keyed by the database path and
the run name: the kernel drops it when its process dies (even by ``kill -9``), so a crash never
leaves a stale lock behind. The file keeps the holder's pid and start time for the message.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from analysis.errors import GeoScopeError

WAIT_POLL_S = 0.25


class RunLockedError(GeoScopeError):
    """Another process is executing the same run."""


def lock_path(cache_dir: Path, db_path: Path, run: str) -> Path:
    """Return the lock file of ``run`` in the database at ``db_path``."""
    identity = f"{Path(db_path).expanduser().resolve()}\0{run}"
    return Path(cache_dir) / "locks" / f"{hashlib.sha256(identity.encode()).hexdigest()[:24]}.lock"


class RunLock:
    """An exclusive, process-bound claim on one run; use as a context manager."""

    def __init__(self, cache_dir: Path, db_path: Path, run: str) -> None:
        self.run = run
        self.path = lock_path(cache_dir, db_path, run)
        self._fd: int | None = None

    def _try(self) -> bool:
        # lazy: POSIX only; importing the runner must still work where it is missing
        import fcntl

        assert self._fd is not None
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def holder(self) -> str:
        """Return what the lock file says about its holder (pid and start), or a fallback."""
        try:
            text = self.path.read_text(encoding="utf-8").strip()
        except OSError:
            text = ""
        return text or "another process (pid unknown)"

    def _open(self) -> None:
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # no O_TRUNC: that would wipe the holder's pid before we know we own the lock
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)

    def try_acquire(self) -> bool:
        """Claim the run if nobody holds it; return whether it is now ours."""
        self._open()
        if not self._try():
            return False
        assert self._fd is not None
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, f"pid {os.getpid()} (since {stamp})".encode(), 0)
        return True

    def refusal(self) -> RunLockedError:
        """Return the error naming the run and its holder (and close our descriptor)."""
        holder = self.holder()
        self._close()
        return RunLockedError(
            f"run {self.run!r} is being executed by {holder}; wait for it to finish, "
            "or pass --wait to start when it does"
        )

    def acquire(self) -> None:
        """Claim the run now, or raise RunLockedError naming the holder."""
        if not self.try_acquire():
            raise self.refusal()

    async def acquire_async(
        self, wait: bool = False, on_wait: Callable[[str], None] | None = None
    ) -> None:
        """Claim the run; with ``wait``, poll until the holder is done (Ctrl-C still works)."""
        if self.try_acquire():
            return
        if not wait:
            raise self.refusal()
        if on_wait is not None:
            on_wait(f"run {self.run!r} is being executed by {self.holder()}; waiting for it")
        while not self.try_acquire():
            await asyncio.sleep(WAIT_POLL_S)

    def release(self) -> None:
        """Drop the claim (the file stays: removing it would race with a waiting process)."""
        if self._fd is None:
            return
        os.ftruncate(self._fd, 0)
        self._close()

    def _close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
