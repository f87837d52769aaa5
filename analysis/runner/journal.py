"""Append-only JSONL log of a run's predictions: the crash-safe record.

Each finished prediction is one line, flushed and fsynced before the runner moves on, so a
``kill -9`` loses at most the line being written. On restart the log is replayed into the
store (a torn last line is cut off, never parsed), and done samples are skipped.

The file follows the project's run format (docs/run-format.md), so ``python -m analysis import``
reads it too: a first ``{"type": "run", ...}`` header line, then one
``{"type": "prediction", "version": 1, "sample_id": ..., "status": ..., ...,
"created_at": ...}`` line per answer (the last line for a sample wins). Two extra fields are
the runner's own: ``run`` (the run name, checked on replay) and ``cached`` (answer came from the
response cache).
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from analysis.types import CoordsSource, Prediction, PredictionStatus

JOURNAL_VERSION = 1
_FIELDS = (
    "sample_id",
    "raw_response",
    "status",
    "pred_country",
    "pred_lat",
    "pred_lon",
    "coords_source",
    "latency_ms",
    "input_tokens",
    "output_tokens",
    "cost_usd",
    "error",
)


def prediction_to_record(run: str, prediction: Prediction, cached: bool = False) -> dict[str, Any]:
    """Return the journal line (as a dict) for one prediction."""
    record: dict[str, Any] = {"type": "prediction", "version": JOURNAL_VERSION, "run": run}
    for name in _FIELDS:
        value = getattr(prediction, name)
        record[name] = str(value) if name in ("status", "coords_source") and value else value
    record["cached"] = cached
    record["created_at"] = datetime.now(UTC).isoformat(timespec="milliseconds")
    return record


def record_to_prediction(record: dict[str, Any]) -> Prediction:
    """Rebuild a Prediction from a journal line (raises KeyError/ValueError when malformed)."""
    source = record.get("coords_source")
    return Prediction(
        sample_id=str(record["sample_id"]),
        raw_response=record.get("raw_response"),
        status=PredictionStatus(record["status"]),
        pred_country=record.get("pred_country"),
        pred_lat=record.get("pred_lat"),
        pred_lon=record.get("pred_lon"),
        coords_source=CoordsSource(source) if source else None,
        latency_ms=record.get("latency_ms"),
        input_tokens=record.get("input_tokens"),
        output_tokens=record.get("output_tokens"),
        cost_usd=record.get("cost_usd"),
        error=record.get("error"),
    )


@dataclass(frozen=True)
class Replay:
    """What a journal held: the last prediction per sample, and the damage found."""

    predictions: tuple[Prediction, ...]
    lines: int
    torn_tail: bool  # the last line was cut mid-write (crash) and was dropped
    bad_lines: int  # complete lines that did not parse (should be 0)


class RunJournal:
    """The JSONL log of one run; ``open()`` before ``append``, ``close()`` after."""

    def __init__(self, path: Path, run: str) -> None:
        self.path = Path(path)
        self.run = run
        self._handle: IO[str] | None = None
        self._lock = threading.Lock()  # appends may come from worker threads

    def replay(self) -> Replay:
        """Read the log: later lines for a sample replace earlier ones; a torn tail is ignored."""
        if not self.path.exists():
            return Replay((), 0, False, 0)
        data = self.path.read_bytes()
        torn = bool(data) and not data.endswith(b"\n")
        complete = data[: data.rfind(b"\n") + 1] if torn else data
        latest: dict[str, Prediction] = {}
        bad = 0
        lines = 0
        for raw in complete.splitlines():
            if not raw.strip():
                continue
            lines += 1
            try:
                record = json.loads(raw)
                if record.get("type") == "run":
                    continue  # the header
                if record.get("run") != self.run:  # a line of another run never counts
                    bad += 1
                    continue
                prediction = record_to_prediction(record)
            except (ValueError, KeyError, TypeError):
                bad += 1
                continue
            latest[prediction.sample_id] = prediction
        return Replay(tuple(latest.values()), lines, torn, bad)

    def open(self, header: dict[str, Any] | None = None) -> None:
        """Open for appending, first cutting off a torn last line so new lines stay whole.

        ``header`` (a run-format ``{"type": "run", ...}`` object) is written when the file is new.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists():
            data = self.path.read_bytes()
            if data and not data.endswith(b"\n"):
                with open(self.path, "r+b") as handle:
                    handle.truncate(data.rfind(b"\n") + 1)
        # held open for the whole run (closed by close()): one append per answer, no reopen
        self._handle = open(self.path, "a", encoding="utf-8")  # noqa: SIM115
        if header is not None and self._handle.tell() == 0:
            self._handle.write(json.dumps(header, ensure_ascii=False, default=str) + "\n")
            self._handle.flush()
            os.fsync(self._handle.fileno())

    def append(self, prediction: Prediction, cached: bool = False) -> None:
        """Write one prediction as a line and force it to disk."""
        line = json.dumps(prediction_to_record(self.run, prediction, cached), ensure_ascii=False)
        with self._lock:
            if self._handle is None:
                self.open()
            assert self._handle is not None
            self._handle.write(line + "\n")
            self._handle.flush()
            os.fsync(self._handle.fileno())

    def close(self) -> None:
        """Close the file."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def retire(self) -> Path | None:
        """Rename a stale log (its run no longer exists in the store) out of the way."""
        if not self.path.exists():
            return None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        target = self.path.with_name(f"{self.path.name}.stale-{stamp}")
        os.replace(self.path, target)
        return target
