"""JSONL run format: header, last line wins, interrupted writer, versions, export round trips."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import ImportValidationError
from analysis.importers import ImportOptions, import_predictions
from analysis.importers.export import export_run
from analysis.importers.runformat import (
    RUN_FORMAT_VERSION,
    format_line,
    header_record,
    prediction_record,
)
from analysis.store import DatasetMeta, RunMeta, Store
from analysis.types import CoordsSource, Prediction, PredictionStatus

SAMPLES = pd.DataFrame(
    {
        "sample_id": ["a", "b", "c"],
        "true_lat": [48.85, 40.71, 35.68],
        "true_lon": [2.35, -74.0, 139.65],
        "true_country": ["FRA", "USA", "JPN"],
    }
)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "j.duckdb")
    s.ingest_samples(DatasetMeta("d"), SAMPLES)
    return s


def _run_file(tmp_path: Path, lines: list[dict[str, object]], tail: str = "") -> Path:
    path = tmp_path / "run.jsonl"
    path.write_text("".join(format_line(r) for r in lines) + tail, encoding="utf-8")
    return path


def _header(**extra: object) -> dict[str, object]:
    meta = RunMeta("gpt-basic", "d", model="gpt", prompt_strategy="basic",
                   params={"temperature": 0.2, "api_key": "sk-abcdefghijkl"},
                   started_at=datetime(2025, 1, 31, 10, 0))  # fmt: skip
    return {**header_record(meta), **extra}


def test_header_and_predictions_import(store: Store, tmp_path: Path) -> None:
    lines = [
        _header(),
        prediction_record(Prediction("a", '{"country": "France"}', PredictionStatus.OK, "FRA",
                                     46.6, 2.4, CoordsSource.COUNTRY_POINT, latency_ms=812.5,
                                     input_tokens=812, output_tokens=9, cost_usd=0.002)),
        prediction_record(Prediction("b", "no idea", PredictionStatus.UNKNOWN)),
    ]  # fmt: skip
    assert lines[0]["params"] == {"api_key": "[redacted]", "temperature": 0.2}
    report = import_predictions(store, _run_file(tmp_path, lines), ImportOptions(run=""))
    assert (report.run, report.dataset, report.n_predictions) == ("gpt-basic", "d", 2)
    info = store.run_info("gpt-basic")
    assert (info["model"], info["prompt_strategy"]) == ("gpt", "basic")
    assert info["started_at"] == datetime(2025, 1, 31, 10, 0)
    frame = store.run_frame("gpt-basic").set_index("sample_id")
    assert frame.loc["a", "coords_source"] == "country_point"
    assert frame.loc["a", "input_tokens"] == 812
    assert frame.loc["b", "status"] == "unknown"


def test_last_line_wins_and_interrupted_tail_is_skipped(store: Store, tmp_path: Path) -> None:
    lines = [
        prediction_record(Prediction("a", None, PredictionStatus.API_ERROR, error="timeout")),
        prediction_record(Prediction("b", "USA", PredictionStatus.OK, "USA")),
        prediction_record(Prediction("a", "France", PredictionStatus.OK, "FRA")),  # the retry
    ]
    path = _run_file(tmp_path, lines, tail='{"type": "prediction", "sample_id": "c", "raw_')
    report = import_predictions(store, path, ImportOptions(run="r", dataset="d"))
    assert report.n_predictions == 2
    assert any("line 4 is incomplete" in w for w in report.warnings)
    frame = store.run_frame("r").set_index("sample_id")
    assert frame.loc["a", "status"] == "ok" and frame.loc["a", "pred_country"] == "FRA"


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ('{"type": "prediction", "sample_id": "a"\n{"sample_id": "b"}\n', "line 1: not valid JSON"),
        (
            f'{{"type": "prediction", "version": {RUN_FORMAT_VERSION + 1}, "sample_id": "a"}}\n',
            "newer than this GeoScope",
        ),
        (
            '{"type": "prediction", "sample_id": "a", "status": "ok"}\n{"type": "run"}\n',
            "line 2: a run header may only be the first line",
        ),
        ('["a"]\n', "expected a JSON object"),
        (
            '{"type": "prediction", "sample_id": "zzz", "pred_country": "FRA"}\n',
            "sample_id not in the dataset",
        ),
        ('{"type": "prediction", "sample_id": "a", "pred_lat": 91, "pred_lon": 1}\n', "line 1"),
        ('{"type": "run", "name": "x"}\n', "no prediction lines"),
    ],
)
def test_bad_files_are_refused_with_line_numbers(
    store: Store, tmp_path: Path, body: str, needle: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ImportValidationError) as err:
        import_predictions(store, path, ImportOptions(run="r", dataset="d"))
    assert needle in str(err.value) + "\n".join(err.value.problems)
    assert store.list_runs().empty


def test_export_jsonl_and_csv_round_trip(store: Store, tmp_path: Path) -> None:
    store.create_run(RunMeta("orig", "d", model="m", params={"token": "hf_abcdefghijk", "t": 1}))
    store.add_predictions("orig", [
        Prediction("a", "France", PredictionStatus.OK, "FRA", 46.6, 2.4, CoordsSource.MODEL, 10.0),
        Prediction("b", None, PredictionStatus.API_ERROR, error="401: bad key sk-abcdefghijklmnop"),
        Prediction("c", "Japan", PredictionStatus.OK, "JPN"),
    ])  # fmt: skip
    original = store.run_frame("orig", with_raw=True)
    jsonl, csv = tmp_path / "out.jsonl", tmp_path / "out.csv"
    assert export_run(store, "orig", "jsonl", str(jsonl)) == 3
    assert export_run(store, "orig", "csv", str(csv)) == 3
    for text in (jsonl.read_text(), csv.read_text()):
        assert "sk-abcdefghijklmnop" not in text and "hf_abcdefghijk" not in text
    header = json.loads(jsonl.read_text().splitlines()[0])
    assert header["params"]["token"] == "[redacted]" and header["model"] == "m"

    fresh = Store(tmp_path / "fresh.duckdb")  # no dataset there: the truth fields create it
    import_predictions(fresh, jsonl, ImportOptions(run="copy"))
    import_predictions(fresh, csv, ImportOptions(run="copy-csv", dataset="d"))
    cols = ["sample_id", "true_lat", "true_lon", "true_country", "pred_lat", "pred_lon",
            "pred_country", "status", "distance_km", "coords_source"]  # fmt: skip
    for name in ("copy", "copy-csv"):
        copied = fresh.run_frame(name, with_raw=True)
        pd.testing.assert_frame_equal(copied[cols], original[cols], check_dtype=False)
    assert fresh.run_info("copy")["model"] == "m"
    assert fresh.run_frame("copy", with_raw=True)["error"].tolist()[1] == "401: bad key [redacted]"
