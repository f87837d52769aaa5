"""Two processes under torchrun (gloo on CPU): both train, only rank 0 writes and evaluates."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.finetune.config import CARD_NAME
from tests.finetune.conftest import SplitStore

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_two_processes_write_one_card_and_one_run(
    tmp_path: Path, split_store: SplitStore, tiny_llava: Path
) -> None:
    torchrun = Path(sys.executable).with_name("torchrun")
    if not torchrun.exists():
        pytest.skip("torchrun is not installed beside this Python")
    out = tmp_path / "ft"
    env = {
        **os.environ,
        "GEOSCOPE_DB": str(split_store.db),
        "GEOSCOPE_CACHE": str(tmp_path / "cache"),
        "PYTHONPATH": str(ROOT),
        "OMP_NUM_THREADS": "1",
    }
    command = [
        str(torchrun), "--standalone", "--nproc_per_node", "2", "-m", "analysis",
        "finetune", "--dataset", "syn", "--base", str(tiny_llava), "--out", str(out),
        "--max-steps", "4", "--grad-accum", "1", "--max-side", "32", "--lr", "1e-3",
        "--name", "ddp", "--evaluate", "test",
    ]  # fmt: skip
    job = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own process group: a hang is killed with its workers
    )  # fmt: skip
    try:
        printed, errors = job.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        os.killpg(job.pid, signal.SIGKILL)
        printed, errors = job.communicate()
        pytest.fail(f"torchrun hung: {printed[-2000:]} {errors[-2000:]}")
    assert job.returncode == 0, printed[-3000:] + errors[-3000:]
    assert printed.count("training ") == 1 and printed.count("benchmarking ddp") == 1
    card = json.loads((out / CARD_NAME).read_text())
    assert card["steps"] == 4 and card["n_samples"] == 4
    # 4 samples, one per process per step: two processes finish an epoch every 2 steps
    assert card["loss_history"][-1]["epoch"] == pytest.approx(2.0)
    runs = split_store.store.list_runs()
    assert runs["name"].tolist() == [card["evaluation_run"]]  # one run, under rank 0's name
    frame = split_store.store.run_frame(card["evaluation_run"])
    assert sorted(frame["sample_id"]) == [s.sample_id for s in split_store.test]
    assert (out / "geoscope_models.toml").is_file()
    assert len((out / "geoscope_train_samples.csv").read_text().splitlines()) == 5
    assert not (out / ".trainer").exists()
