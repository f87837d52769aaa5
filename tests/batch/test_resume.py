"""A batch run killed anywhere resumes without paying twice or losing an answer."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from analysis.cli import main
from analysis.config import PROJECT_ROOT
from analysis.store import Store
from analysis.store.batches import run_batches
from tests.support.batch_server import BatchServer

RUN = "photos-batch"


class Crash(BaseException):
    """The process dying at this point (not caught by the CLI, as a real kill is not)."""


def _command(db: Path, models: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "analysis", "--db", str(db), "run", "--dataset", "photos",
            "--model", "local-batch", "--models", str(models), "--run", RUN, "--no-progress",
            "--batch", *extra]  # fmt: skip


@pytest.mark.slow
def test_sigkill_between_submit_and_collect_then_resume(
    photo_setup: tuple[Path, Path, int], batch_server: BatchServer
) -> None:
    db, models, n = photo_setup
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    batch_server.hold = True  # the batch stays in progress while the process polls it
    process = subprocess.Popen(
        _command(db, models, "--batch-poll", "0.05"), cwd=PROJECT_ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while batch_server.batch_calls["GET /v1/batches/ID"] < 3 and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1].decode()[-2000:]
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    assert batch_server.batch_calls["POST /v1/batches"] == 1
    assert sum(batch_server.answered.values()) == 0  # submitted, not yet answered

    batch_server.hold = False
    done = subprocess.run(
        _command(db, models, "--batch-poll", "0.05"), cwd=PROJECT_ROOT, env=env,
        capture_output=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    frame = Store(db).run_frame(RUN)
    assert len(frame) == n and frame["sample_id"].is_unique
    assert batch_server.batch_calls["POST /v1/batches"] == 1  # never submitted twice
    assert batch_server.batch_calls["POST /v1/files"] == 1
    assert set(batch_server.answered.values()) == {1} and len(batch_server.answered) == n
    assert batch_server.calls == 0
    assert Store(db).run_info(RUN).get("finished_at") is not None


def _cli(db: Path, models: Path, *extra: str) -> int:
    return main(["--db", str(db), "run", "--dataset", "photos", "--model", "local-batch",
                 "--models", str(models), "--run", RUN, "--no-progress", "--batch", *extra])  # fmt: skip


@pytest.mark.parametrize("model", ["local-batch", "claude-batch"])
def test_crash_after_creating_the_batch_before_its_id_was_stored_adopts_it(
    photo_setup: tuple[Path, Path, int],
    batch_server: BatchServer,
    monkeypatch: pytest.MonkeyPatch,
    model: str,
) -> None:
    import analysis.batch.cycle as cycle

    db, models, n = photo_setup
    create = "POST /v1/batches" if model == "local-batch" else "POST /v1/messages/batches"
    real_update = vars(cycle)["update_batch"]

    def crash_when_recording(store: Any, local_id: str, **values: Any) -> None:
        if values.get("submitted"):
            raise Crash  # the process dies right after the provider created it
        real_update(store, local_id, **values)

    monkeypatch.setattr(cycle, "update_batch", crash_when_recording)
    with pytest.raises(Crash):
        _cli(db, models, "--model", model)
    monkeypatch.setattr(cycle, "update_batch", real_update)
    assert batch_server.batch_calls[create] == 1
    assert [r.batch_id for r in run_batches(Store(db), RUN)] == [None]

    assert _cli(db, models, "--model", model, "--batch-poll", "0.01") == 0
    assert batch_server.batch_calls[create] == 1  # found again, adopted, not paid twice
    assert len(Store(db).run_frame(RUN)) == n
    assert set(batch_server.answered.values()) == {1}


def test_crash_after_download_before_ingest_pays_nothing_again(
    photo_setup: tuple[Path, Path, int],
    batch_server: BatchServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import analysis.batch.cycle as cycle

    db, models, n = photo_setup

    async def crash(self: Any) -> None:
        raise Crash  # answers downloaded and cached, nothing stored yet

    real_ingest = cycle.Cycle.ingest
    monkeypatch.setattr(cycle.Cycle, "ingest", crash)
    with pytest.raises(Crash):
        _cli(db, models, "--batch-poll", "0.01")
    monkeypatch.setattr(cycle.Cycle, "ingest", real_ingest)
    assert [r.status for r in run_batches(Store(db), RUN)] == ["collected"]
    assert not Store(db).has_run(RUN) or len(Store(db).run_frame(RUN)) == 0

    assert _cli(db, models) == 0
    frame = Store(db).run_frame(RUN)
    assert len(frame) == n
    assert batch_server.batch_calls["POST /v1/batches"] == 1
    assert set(batch_server.answered.values()) == {1} and batch_server.calls == 0
    # the answers that came from the batch are priced at the batch price, not as calls
    assert (frame["cost_usd"] > 0).all()
    half = frame["input_tokens"] * 2.5 / 2e6 + frame["output_tokens"] * 10.0 / 2e6
    assert frame["cost_usd"].to_numpy() == pytest.approx(half.to_numpy())
