"""The JSONL journal: fsynced appends, replay, torn last line after a crash."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from analysis.runner.journal import RunJournal
from analysis.types import CoordsSource, Prediction, PredictionStatus


def _p(sample_id: str, status: PredictionStatus = PredictionStatus.OK, **kw: Any) -> Prediction:
    return Prediction(sample_id=sample_id, raw_response="r", status=status, **kw)


def test_append_and_replay_last_line_wins(tmp_path: Path) -> None:
    journal = RunJournal(tmp_path / "r.jsonl", "run-a")
    journal.open()
    journal.append(_p("a", PredictionStatus.API_ERROR, error="HTTP 500"))
    journal.append(
        _p(
            "b",
            pred_country="FRA",
            pred_lat=48.0,
            pred_lon=2.0,
            coords_source=CoordsSource.MODEL,
            cost_usd=0.001,
        )
    )
    journal.append(_p("a", pred_country="JPN"), cached=True)
    journal.close()
    replay = journal.replay()
    assert replay.lines == 3 and not replay.torn_tail and replay.bad_lines == 0
    by_id = {p.sample_id: p for p in replay.predictions}
    assert by_id["a"].status == PredictionStatus.OK and by_id["a"].pred_country == "JPN"
    assert by_id["b"].coords_source == CoordsSource.MODEL and by_id["b"].cost_usd == 0.001
    first = json.loads((tmp_path / "r.jsonl").read_text().splitlines()[0])
    assert (
        first["run"] == "run-a" and first["status"] == "api_error" and first["error"] == "HTTP 500"
    )


def test_torn_tail_is_ignored_then_cut_before_appending(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    journal = RunJournal(path, "run-a")
    journal.append(_p("a"))
    journal.append(_p("b"))
    journal.close()
    whole = path.read_bytes()
    path.write_bytes(whole + whole.splitlines()[0][:25])  # a crash in the middle of a write
    replay = journal.replay()
    assert replay.torn_tail and replay.lines == 2
    assert {p.sample_id for p in replay.predictions} == {"a", "b"}
    journal.open()
    journal.append(_p("c"))
    journal.close()
    lines = path.read_bytes().splitlines()
    assert len(lines) == 3 and all(json.loads(line) for line in lines)


def test_lines_of_another_run_are_not_taken(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    RunJournal(path, "other").append(_p("a"))
    replay = RunJournal(path, "mine").replay()
    assert replay.predictions == () and replay.bad_lines == 1


def test_retire_moves_a_stale_log_away(tmp_path: Path) -> None:
    journal = RunJournal(tmp_path / "r.jsonl", "run-a")
    journal.append(_p("a"))
    journal.close()
    moved = journal.retire()
    assert moved is not None and moved.exists() and not (tmp_path / "r.jsonl").exists()
    assert journal.replay().predictions == ()
