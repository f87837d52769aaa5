"""``python -m analysis clues``: JSON lines in and out, and the per-category table of a run."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.commands.clues import clues_jsonl
from analysis.store import Store
from analysis.store.meta import DatasetMeta, RunMeta
from analysis.types import Prediction, PredictionStatus

ROOT = Path(__file__).resolve().parents[2]


def test_jsonl_gives_one_line_per_input_line_in_order() -> None:
    lines = [
        json.dumps({"text": "Cars drive on the left."}),
        "not json",
        json.dumps({"text": None, "id": 7}),
        json.dumps({"nope": 1}),
        json.dumps({"text": "No visible text."}),
    ]
    out = io.StringIO()
    written, bad = clues_jsonl(io.StringIO("\n".join(lines) + "\n"), out)
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert (written, bad) == (5, 2)
    assert results[0]["clues"] == [
        {
            "category": "driving_side",
            "evidence": "Cars drive on the left",
            "start": 0,
            "end": 22,
            "claim": {"kind": "driving_side", "value": "left"},
        }
    ]
    assert results[1]["clues"] == [] and "not JSON" in results[1]["error"]
    assert results[2] == {"id": 7, "clues": []}
    assert results[3]["clues"] == [] and '"text"' in results[3]["error"]
    assert results[4] == {"clues": []}


def test_jsonl_through_the_real_cli_reads_stdin() -> None:
    stdin = json.dumps({"text": "Les panneaux sont en cyrillique."}) + "\n"
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "clues", "--jsonl"],
        input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()
    claims = [c["claim"] for c in json.loads(line)["clues"]]
    assert {"kind": "script", "value": "Cyrillic"} in claims


def test_jsonl_reads_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": "Palm trees."}) + "\n", encoding="utf-8")
    assert main(["clues", "--jsonl", str(path)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [c["category"] for c in result["clues"]] == ["vegetation", "vegetation"]


def _store_with_run(tmp_path: Path) -> Path:
    db = tmp_path / "g.duckdb"
    store = Store(db)
    samples = pd.DataFrame(
        {
            "sample_id": ["a", "b", "c"],
            "location_id": ["a", "b", "c"],
            "true_lat": [-15.8, -34.6, 35.7],
            "true_lon": [-47.9, -58.4, 139.7],
            "true_country": ["BRA", "ARG", "JPN"],
        }
    )
    store.ingest_samples(DatasetMeta("d"), samples)
    store.create_run(RunMeta(name="r", dataset="d", model="m"))
    answers = [
        ("a", "Signs in Portuguese. Country: Brazil", "BRA"),
        ("b", "Signs in Portuguese. Country: Brazil", "BRA"),
        ("c", "Cars drive on the left. Country: Japan", "JPN"),
    ]
    store.add_predictions(
        "r",
        [Prediction(s, text, PredictionStatus.OK, pred_country=c) for s, text, c in answers],
    )
    return db


def test_run_table_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _store_with_run(tmp_path)
    assert main(["--db", str(db), "clues", "--run", "r", "--json", "--resamples", "50"]) == 0
    records = {r["category"]: r for r in json.loads(capsys.readouterr().out)}
    text = records["text"]
    # a (right) and b (wrong) cite Portuguese text; c (right) does not
    assert (text["n"], text["n_cited"]) == (3, 2)
    assert text["acc_cited"] == pytest.approx(0.5) and text["acc_not_cited"] == pytest.approx(1.0)
    assert (text["n_checkable"], text["n_contradicted"]) == (2, 1)  # Portuguese in Argentina
    assert records["driving_side"]["contradiction_rate"] == pytest.approx(0.0)


def test_run_table_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _store_with_run(tmp_path)
    assert main(["--db", str(db), "clues", "--run", "r", "--resamples", "50"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("run r: 3 samples")
    assert any(line.startswith("text ") and "0.50 (1/2)" in line for line in out.splitlines())


def test_false_claims_of_a_run_as_json_and_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _store_with_run(tmp_path)
    assert main(["--db", str(db), "clues", "--run", "r", "--false-claims", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    # "Portuguese" was checked twice (Brazil: true, Argentina: false); "left" was true of Japan
    assert [(r["claim"], r["n_contradicted"], r["n_checkable"]) for r in records] == [
        ("language: Portuguese", 1, 2)
    ]
    assert records[0]["true_countries"] == "Argentina 1"
    assert records[0]["guessed_countries"] == "Brazil 1"
    assert main(["--db", str(db), "clues", "--run", "r", "--false-claims", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == [
        "  language: Portuguese: 1 / 2",
        "      said of Argentina 1; guessed Brazil 1",
    ]
    assert main(["--db", str(db), "clues", "--jsonl", "--false-claims"]) == 1  # needs --run
    assert main(["--db", str(db), "clues", "--run", "r", "--false-claims", "0"]) == 1
    assert "N >= 1" in capsys.readouterr().err


def test_unknown_run_is_a_user_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _store_with_run(tmp_path)
    assert main(["--db", str(db), "clues", "--run", "nope"]) == 1
    assert "error:" in capsys.readouterr().err
