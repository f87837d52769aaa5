"""kill -9 in the middle of a real `python -m analysis run` process, then a restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.config import PROJECT_ROOT
from analysis.runner.config import file_stem
from analysis.store import Store
from tests.support.datasets import ingest, make_samples
from tests.support.openai_server import OpenAIServer, Reply
from tests.support.presets import write_presets

N_SAMPLES = 60
CONCURRENCY = 4


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


@pytest.mark.slow
def test_kill_9_then_restart_stores_each_sample_once(
    tmp_path: Path, openai_server: OpenAIServer
) -> None:
    openai_server.default = Reply.answer('{"country": "France", "lat": 48.85, "lon": 2.35}')
    openai_server.latency_s = 0.1  # ~25 answers/s at concurrency 4: time to kill mid-run
    samples = make_samples(tmp_path / "images", N_SAMPLES)
    db = tmp_path / "db.duckdb"
    ingest(Store(db), "syn", samples)
    models = write_presets(tmp_path / "models.toml", openai_server.base_url)
    env = {**os.environ, "GEOSCOPE_CACHE": str(tmp_path / "cache"), "PYTHONPATH": str(PROJECT_ROOT)}
    command = [
        sys.executable,
        "-m",
        "analysis",
        "--db",
        str(db),
        "run",
        "--dataset",
        "syn",
        "--model",
        "local-free",
        "--models",
        str(models),
        "--run",
        "killed",
        "--concurrency",
        str(CONCURRENCY),
        "--no-progress",
    ]
    journal = tmp_path / "cache" / "runs" / f"{file_stem('killed')}.jsonl"

    process = subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while _lines(journal) < 12 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, process.communicate()[1].decode()[-2000:]
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    logged = _lines(journal)
    assert 12 <= logged < N_SAMPLES  # really killed in the middle

    store = Store(db)
    before = len(store.run_frame("killed")) if store.has_run("killed") else 0
    assert before <= logged  # the store lags behind the journal; the journal is the record

    done = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, timeout=180)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    frame = store.run_frame("killed")
    assert len(frame) == N_SAMPLES
    assert frame["sample_id"].is_unique
    assert set(frame["sample_id"]) == {s.sample_id for s in samples}
    assert (frame["status"] == "ok").all()
    # At most the requests in flight at the moment of the kill were asked twice.
    assert N_SAMPLES <= openai_server.calls <= N_SAMPLES + CONCURRENCY
    assert store.run_info("killed")["finished_at"] is not None
    if before < logged:
        assert "recovered" in done.stdout.decode()
