"""Two real `python -m analysis run` processes on one run name: the second is refused or waits."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from analysis.config import PROJECT_ROOT
from analysis.runner.lock import RunLock, RunLockedError, lock_path
from analysis.store import Store
from tests.support.datasets import ingest, make_samples
from tests.support.openai_server import OpenAIServer, Reply
from tests.support.presets import write_presets

N_SAMPLES = 12


def test_the_same_run_is_executed_by_one_process_at_a_time(
    tmp_path: Path, openai_server: OpenAIServer
) -> None:
    # The first run's first answer is held back until the other two commands have met its lock,
    # so the test does not depend on how fast processes start on a loaded machine.
    release = threading.Event()

    def held_answer(_request: object) -> Reply:
        release.wait(120)
        return Reply.answer('{"country": "France"}')

    openai_server.default = held_answer
    db = tmp_path / "db.duckdb"
    ingest(Store(db), "syn", make_samples(tmp_path / "images", N_SAMPLES))
    models = write_presets(tmp_path / "models.toml", openai_server.base_url)
    env = {**os.environ, "GEOSCOPE_CACHE": str(tmp_path / "cache"), "PYTHONPATH": str(PROJECT_ROOT)}
    command = [sys.executable, "-m", "analysis", "--db", str(db), "run", "--dataset", "syn",
               "--model", "local-free", "--models", str(models), "--run", "shared",
               "--concurrency", "1", "--no-progress"]  # fmt: skip
    lock_file = lock_path(tmp_path / "cache", db, "shared")

    first = subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    waiter: subprocess.Popen[bytes] | None = None
    try:
        deadline = time.monotonic() + 60
        while openai_server.calls < 1 and time.monotonic() < deadline:
            assert first.poll() is None, first.communicate()[1].decode()[-2000:]
            time.sleep(0.02)
        refused = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True)
        assert refused.returncode == 1
        message = refused.stderr.decode()
        assert f"run 'shared' is being executed by pid {first.pid}" in message, message
        assert "--wait" in message and "Traceback" not in message
        waiter = subprocess.Popen(
            [*command, "--wait"], cwd=PROJECT_ROOT, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        assert waiter.stderr is not None
        said = waiter.stderr.readline().decode()  # printed before it starts waiting
        assert f"being executed by pid {first.pid}" in said, said
        release.set()
        out, err = waiter.communicate(timeout=120)
        assert waiter.returncode == 0, err.decode()[-2000:]
        # it started once the first was done: nothing left to ask
        assert "nothing asked now; 12 were done before" in out.decode()
        assert first.wait(timeout=60) == 0
    finally:
        release.set()
        for process in (first, waiter):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
    assert openai_server.calls == N_SAMPLES  # every sample asked exactly once
    assert len(Store(db).run_frame("shared")) == N_SAMPLES
    assert lock_file.exists()  # the file stays; the lock died with its holder
    with RunLock(tmp_path / "cache", db, "shared"):
        pass


def test_a_lock_is_per_database_and_run_and_dies_with_its_holder(tmp_path: Path) -> None:
    held = RunLock(tmp_path, tmp_path / "a.duckdb", "r")
    held.acquire()
    try:
        with pytest.raises(
            RunLockedError, match=rf"run 'r' is being executed by pid {os.getpid()}"
        ):
            RunLock(tmp_path, tmp_path / "a.duckdb", "r").acquire()
        with (
            RunLock(tmp_path, tmp_path / "b.duckdb", "r"),
            RunLock(tmp_path, tmp_path / "a.duckdb", "s"),
        ):
            pass  # another database or another run name is another lock
    finally:
        held.release()
    # a holder killed with SIGKILL leaves the file but not the lock
    code = (
        "import os, sys; from pathlib import Path; from analysis.runner.lock import RunLock; "
        f"RunLock(Path({str(tmp_path)!r}), Path({str(tmp_path / 'a.duckdb')!r}), 'r').acquire(); "
        "print('held', flush=True); os.kill(os.getpid(), 9)"
    )
    child = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )  # fmt: skip
    assert child.stdout.decode().strip() == "held" and child.returncode == -9
    with RunLock(tmp_path, tmp_path / "a.duckdb", "r"):
        pass
