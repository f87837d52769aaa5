"""End the test process as soon as the tests have ended, and say what would have kept it alive.

Why: CI once printed "1008 passed" and then never returned (the run was killed after 90 min).
After the summary the interpreter still joins every non-daemon thread (thread-pool workers
included) and every multiprocessing child, and any child process that inherited stdout keeps
the CI pipe open. None of that is a test, so the guard lists what is still alive (threads with
their stack, child processes with their command line), stops the children, and leaves with the
session's exit status.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import traceback
from pathlib import Path


def child_pids(parent: int) -> list[int]:
    """Return every living descendant of ``parent`` (read from /proc; empty where it is absent)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    children: dict[int, list[int]] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: list[int] = []
    todo = list(children.get(parent, []))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _command_line(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()[:200] or "?"


def leftovers() -> list[str]:
    """Describe the non-daemon threads and child processes still alive (one entry each)."""
    found: list[str] = []
    frames = sys._current_frames()
    for thread in threading.enumerate():
        if thread is threading.main_thread() or thread.daemon or not thread.is_alive():
            continue
        frame = frames.get(thread.ident or -1)
        stack = "".join(traceback.format_stack(frame, limit=6)) if frame is not None else ""
        found.append(f"thread {thread.name!r} (non-daemon) at:\n{stack}")
    for pid in _stray_children():
        found.append(f"child process {pid}: {_command_line(pid)}")
    return found


def _stray_children() -> list[int]:
    # multiprocessing's resource tracker is meant to outlive its users: it ends by itself when
    # this process's end closes its pipe, so it is neither reported nor killed
    return [
        pid
        for pid in child_pids(os.getpid())
        if "multiprocessing.resource_tracker" not in _command_line(pid)
    ]


def stop_children() -> None:
    """Kill every descendant process (they are leftovers: every test has finished)."""
    for pid in _stray_children():
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def report_and_exit(status: int) -> None:
    """Print the leftovers to stderr, stop the children, and exit with ``status`` at once."""
    found = leftovers()
    if found:
        sys.stderr.write(
            "\nexit guard: still alive after the last test (stopped now, not waited for):\n"
        )
        for item in found:
            sys.stderr.write(f"  {item}\n")
    stop_children()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
