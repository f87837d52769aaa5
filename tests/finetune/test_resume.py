"""Checkpoints: a killed job resumes from its last complete checkpoint when the command reruns."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.errors import ConfigError
from analysis.finetune.checkpoints import (
    check_resumable,
    job_fingerprint,
    last_checkpoint,
    write_fingerprint,
)
from analysis.finetune.config import CARD_NAME
from analysis.finetune.train import WORK_DIR, check_out_dir, prepare_out_dir
from tests.finetune.conftest import SplitStore

ROOT = Path(__file__).resolve().parents[2]


def _checkpoint(work: Path, step: int, complete: bool = True) -> Path:
    folder = work / f"checkpoint-{step}"
    folder.mkdir(parents=True)
    (folder / "model.safetensors").write_bytes(b"x")
    if complete:
        (folder / "trainer_state.json").write_text(json.dumps({"global_step": step}))
    return folder


def test_a_checkpoint_cut_short_is_skipped(tmp_path: Path) -> None:
    work = tmp_path / WORK_DIR
    assert last_checkpoint(work) is None
    _checkpoint(work, 5)
    _checkpoint(work, 10)
    _checkpoint(work, 15, complete=False)  # killed while saving: no state file yet
    found = last_checkpoint(work)
    assert found is not None and found.step == 10 and found.path.name == "checkpoint-10"


def test_checkpoints_of_another_job_are_not_continued(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = job_fingerprint("base", {"learning_rate": 1e-3}, "a" * 64, "p")
    prepare_out_dir(out, False, first)
    _checkpoint(out / WORK_DIR, 4)
    assert check_out_dir(out, False) == (f"resuming the job in {out} from its checkpoint at step 4")
    prepare_out_dir(out, False, first)  # same job: kept for the resume
    assert last_checkpoint(out / WORK_DIR) is not None
    other = job_fingerprint("base", {"learning_rate": 2e-3}, "a" * 64, "p")
    with pytest.raises(ConfigError, match="learning_rate: saved 0.001, now 0.002.*--overwrite"):
        prepare_out_dir(out, False, other)
    prepare_out_dir(out, True, other)  # --overwrite starts over
    assert last_checkpoint(out / WORK_DIR) is None
    check_resumable(out / WORK_DIR, other)
    write_fingerprint(out / WORK_DIR, first)
    with pytest.raises(ConfigError):
        check_resumable(out / WORK_DIR, other)


@pytest.mark.slow
def test_killed_job_resumes_from_its_last_checkpoint(
    tmp_path: Path,
    split_store: SplitStore,
    tiny_llava: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "ft"
    args = [
        "--db", str(split_store.db), "finetune", "--dataset", "syn", "--split", "train",
        "--base", str(tiny_llava), "--out", str(out), "--max-steps", "40", "--save-steps", "4",
        "--grad-accum", "1", "--lr", "1e-3", "--max-side", "32",
    ]  # fmt: skip
    env = {**os.environ, "GEOSCOPE_CACHE": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    job = subprocess.Popen(
        [sys.executable, "-m", "analysis", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    try:
        while last_checkpoint(out / WORK_DIR) is None:
            assert job.poll() is None, job.stderr.read().decode() if job.stderr else ""
            assert time.monotonic() < deadline, "no checkpoint within 120 s"
            time.sleep(0.02)
        job.send_signal(signal.SIGKILL)  # no cleanup runs: what is on disk is all that is left
    finally:
        job.kill()
        job.wait()
    saved = last_checkpoint(out / WORK_DIR)
    assert saved is not None and 4 <= saved.step < 40
    assert not (out / CARD_NAME).exists()  # it really died mid-run

    assert main(args) == 0  # the very same command
    printed = capsys.readouterr().out
    assert f"from its checkpoint at step {saved.step}" in printed
    steps = [int(s) for s in re.findall(r"^step (\d+)/40 ", printed, re.M)]
    assert steps[0] == saved.step + 1 and steps[-1] == 40  # continued, not restarted at 1
    card = json.loads((out / CARD_NAME).read_text())
    assert card["resumed_from_step"] == saved.step and card["steps"] == 40
    # the loss history travels in the checkpoint: every step is reported once
    assert [entry["step"] for entry in card["loss_history"]] == list(range(1, 41))
    assert not (out / WORK_DIR).exists()  # checkpoints go once the model is saved
