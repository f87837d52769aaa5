"""The test-run exit guard finds what would keep a finished run alive."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

from tests.support.exit_guard import child_pids, leftovers


def test_child_processes_and_grandchildren_are_found() -> None:
    # a child that starts a grandchild: both must be listed as descendants of this process
    script = "import subprocess,sys,time; subprocess.Popen(['sleep','30']); time.sleep(30)"
    child = subprocess.Popen([sys.executable, "-c", script])
    try:
        for _ in range(100):
            found = child_pids(os.getpid())
            if child.pid in found and len([p for p in found if p != child.pid]) >= 1:
                break
            threading.Event().wait(0.05)
        assert child.pid in found
        assert any(str(child.pid) in item for item in leftovers())
    finally:
        for pid in child_pids(child.pid):
            os.kill(pid, 9)
        child.kill()
        child.wait(timeout=10)
    assert child.pid not in child_pids(os.getpid())


def test_non_daemon_threads_are_named_with_their_stack() -> None:
    release = threading.Event()
    worker = threading.Thread(target=release.wait, name="stuck-worker", daemon=False)
    worker.start()
    try:
        described = [item for item in leftovers() if "stuck-worker" in item]
        assert len(described) == 1 and "wait" in described[0]
    finally:
        release.set()
        worker.join(5)
    assert not [item for item in leftovers() if "stuck-worker" in item]
