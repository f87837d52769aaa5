"""Checkpoints of a running job and resuming from the last complete one.

The Trainer saves ``checkpoint-N`` folders under ``OUT/.trainer`` every ``save_steps``
optimizer steps and writes ``trainer_state.json`` last, so a folder without a readable one was
cut short by a kill and is skipped. ``job.json`` beside them fingerprints the job, so rerunning
the same command resumes and a different command never continues someone else's weights.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.errors import ConfigError

JOB_FILE = "job.json"
STATE_FILE = "trainer_state.json"
_CHECKPOINT = re.compile(r"^checkpoint-(\d+)$")


@dataclass(frozen=True)
class Checkpoint:
    """One complete checkpoint folder and the optimizer step it was saved at."""

    path: Path
    step: int


def last_checkpoint(work: Path) -> Checkpoint | None:
    """Return the newest complete checkpoint under ``work`` (None when there is none)."""
    if not work.is_dir():
        return None
    found = []
    for child in work.iterdir():
        match = _CHECKPOINT.match(child.name)
        if match is None or not child.is_dir():
            continue
        try:
            state = json.loads((child / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # killed while saving: the state file is written last
        if isinstance(state, dict) and int(state.get("global_step", -1)) == int(match.group(1)):
            found.append(Checkpoint(child, int(match.group(1))))
    return max(found, key=lambda c: c.step, default=None)


def job_fingerprint(
    base: str, hyperparameters: dict[str, Any], samples_sha256: str, prompt_hash: str
) -> dict[str, Any]:
    """Return what must match for a rerun to continue a job's checkpoints."""
    return {
        "base_model": base,
        "hyperparameters": hyperparameters,
        "samples_sha256": samples_sha256,
        "prompt_hash": prompt_hash,
    }


def check_resumable(work: Path, fingerprint: dict[str, Any]) -> None:
    """Raise ConfigError when ``work`` holds checkpoints of a job other than ``fingerprint``."""
    try:
        stored = json.loads((work / JOB_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stored = None
    if stored == fingerprint:
        return
    if not isinstance(stored, dict):
        differs = "its job description is missing or unreadable"
    else:
        now = {**fingerprint, **fingerprint["hyperparameters"]}
        then = {**stored, **(stored.get("hyperparameters") or {})}
        keys = [k for k in now if k != "hyperparameters" and now.get(k) != then.get(k)]
        differs = "; ".join(f"{k}: saved {then.get(k)!r}, now {now.get(k)!r}" for k in keys)
    raise ConfigError(
        f"{work.parent} holds checkpoints of a different fine-tuning job ({differs}); rerun "
        "the command that started it to resume, or pass --overwrite to start over"
    )


def write_fingerprint(work: Path, fingerprint: dict[str, Any]) -> None:
    """Record the job's fingerprint beside its checkpoints."""
    work.mkdir(parents=True, exist_ok=True)
    (work / JOB_FILE).write_text(json.dumps(fingerprint, indent=2) + "\n", encoding="utf-8")


def history_from_state(log_history: list[dict[str, Any]]) -> list[dict[str, float]]:
    """Return {"step", "epoch", "loss"} per logged step from the Trainer's log history.

    The history travels inside each checkpoint, so a resumed job still reports every step.
    """
    return [
        {
            "step": float(entry["step"]),
            "epoch": float(entry.get("epoch") or 0.0),
            "loss": float(entry["loss"]),
        }
        for entry in log_history
        if "loss" in entry and "step" in entry
    ]
