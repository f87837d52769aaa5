"""``python -m analysis parse`` and ``rescore``: the commands users debug prompts with."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.commands.parse import parse_jsonl
from analysis.config import PROJECT_ROOT
from analysis.store import DatasetMeta, RunMeta, Store
from analysis.types import Prediction, PredictionStatus

KEYS = {"status", "country_iso3", "lat", "lon", "coords_source", "detail"}


def _run_cli(args: list[str], stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
        check=False,
    )


def test_parse_reads_stdin_and_prints_json() -> None:
    done = _run_cli(["parse"], "**Country:** Brazil\n**Coordinates:** -23.55, -46.63\n")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert set(out) == KEYS
    assert (out["status"], out["country_iso3"], out["lat"], out["lon"]) == (
        "ok",
        "BRA",
        -23.55,
        -46.63,
    )
    assert out["coords_source"] == "model"


def test_parse_jsonl_keeps_order_and_survives_bad_lines() -> None:
    lines = [
        json.dumps({"id": 1, "text": "Country: Japan"}),
        "this is not json",
        json.dumps({"text": "I'm sorry, but I can't help identify the location of this image."}),
        json.dumps({"no_text": "x"}),
        json.dumps({"text": None}),
        json.dumps({"text": 42}),
        "",
        json.dumps({"text": '{"lat": 48.85, "lon": 2.35}'}),
    ]
    out = io.StringIO()
    written, bad = parse_jsonl(io.StringIO("\n".join(lines) + "\n"), out)
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert (written, bad) == (8, 4)
    assert len(results) == len(lines)
    assert [r["status"] for r in results] == [
        "ok",
        None,
        "refused",
        None,
        "parse_error",
        None,
        None,
        "ok",
    ]
    assert results[0]["id"] == 1 and results[0]["country_iso3"] == "JPN"
    assert "line 2" in results[1]["error"] and "line 4" in results[3]["error"]
    assert results[7]["country_iso3"] == "FRA"
    assert all(r["error"] is None for r in results if r["status"] is not None)


def test_parse_jsonl_through_the_process() -> None:
    stdin = '{"text": "Italia"}\n{bad\n{"text": "unknown"}\n'
    done = _run_cli(["parse", "--jsonl"], stdin)
    assert done.returncode == 0, done.stderr
    statuses = [json.loads(line)["status"] for line in done.stdout.splitlines()]
    assert statuses == ["ok", None, "unknown"]
    assert "1 malformed" in done.stderr


def test_parse_text_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "--text", "Coordinates: 35.68, 139.76"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["status"], out["country_iso3"]) == ("ok", "JPN")


def _store_with_run(tmp_path: Path, adapter: str = "openai_compat") -> Store:
    store = Store(tmp_path / "geo.duckdb")
    store.migrate()
    samples = pd.DataFrame(
        {
            "sample_id": ["a", "b", "c", "d"],
            "true_lat": [48.85, 35.68, -33.87, 40.71],
            "true_lon": [2.35, 139.76, 151.21, -74.0],
            "true_country": ["FRA", "JPN", "AUS", "USA"],
        }
    )
    store.ingest_samples(DatasetMeta(name="mini"), samples)
    store.create_run(RunMeta(name="r1", dataset="mini", adapter=adapter))
    # As an older parser might have stored them: "b" and "c" misread.
    store.add_predictions(
        "r1",
        [
            Prediction("a", "Country: France", PredictionStatus.OK, "FRA", 46.7, 2.2),
            Prediction(
                "b", "**Country:** Japan\n**Latitude:** 35.68", PredictionStatus.PARSE_ERROR
            ),
            Prediction("c", '{"lat": -33.87, "lon": 151.21}', PredictionStatus.PARSE_ERROR),
            Prediction("d", None, PredictionStatus.API_ERROR, error="timeout after 60 s"),
        ],
    )
    return store


def test_rescore_rewrites_only_changed_rows(tmp_path: Path) -> None:
    from analysis.runner.rescore import rescore_run

    store = _store_with_run(tmp_path)
    before = store.run_frame("r1").set_index("sample_id")
    dry = rescore_run(store, "r1", dry_run=True)
    assert (dry.n_rows, dry.n_reparsed, dry.n_skipped_api_error, dry.written) == (4, 3, 1, False)
    pd.testing.assert_frame_equal(store.run_frame("r1").set_index("sample_id"), before)

    report = rescore_run(store, "r1")
    after = store.run_frame("r1", with_raw=True).set_index("sample_id")
    assert report.written and report.n_changed == 3  # "a" moves to the real country point
    assert report.transitions[("parse_error", "ok")] == 2
    assert after.loc["b", "status"] == "ok" and after.loc["b", "pred_country"] == "JPN"
    assert after.loc["c", "pred_country"] == "AUS" and after.loc["c", "coords_source"] == "model"
    assert after.loc["c", "distance_km"] == pytest.approx(0.0, abs=1e-6)
    assert (
        after.loc["d", "status"] == "api_error" and after.loc["d", "error"] == "timeout after 60 s"
    )
    assert len(after) == 4
    again = rescore_run(store, "r1")
    assert again.n_changed == 0 and not again.written  # idempotent


def test_rescore_command_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _store_with_run(tmp_path)
    db = str(tmp_path / "geo.duckdb")
    assert main(["--db", db, "rescore", "r1"]) == 0
    assert "re-parsed" in capsys.readouterr().out
    assert main(["--db", db, "rescore", "r1"]) == 0  # nothing left to change: not a dry run
    assert "rewrote 0" in capsys.readouterr().out
    assert main(["--db", db, "rescore", "r1", "--dry-run"]) == 0
    assert "would rewrite 0" in capsys.readouterr().out
    assert main(["--db", db, "rescore", "nope"]) == 1
    assert "nope" in capsys.readouterr().err


def test_rescore_refuses_structured_adapters(tmp_path: Path) -> None:
    from analysis.errors import InputError
    from analysis.runner.rescore import rescore_run

    store = _store_with_run(tmp_path, adapter="retrieval")
    with pytest.raises(InputError, match="retrieval"):
        rescore_run(store, "r1")
