"""Hostile or broken import files: each is refused with file, line and cause; nothing is written."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analysis.cli import main
from analysis.errors import ImportValidationError, InputError
from analysis.importers import ImportOptions, import_predictions
from analysis.importers.limits import ImportLimits
from analysis.store import DatasetMeta, Store

HEADER = "sample_id,true_lat,true_lon,pred_lat,pred_lon,raw_response"
GOOD = ["paris,48.8566,2.3522,48.85,2.35,Paris", "tokyo,35.6762,139.6503,35.0,135.7,Kyoto"]
SMALL = ImportLimits(answer_bytes=1024, cell_bytes=128)  # lines up to 6 KB


def snapshot(store: Store) -> dict[str, Any]:
    """Every row of every table: equal snapshots mean an untouched database."""
    with store.reader() as con:
        return {
            table: sorted(map(str, con.execute(f"SELECT * FROM {table}").fetchall()))
            for table in ("datasets", "samples", "runs", "predictions")
        }


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A database that already holds one imported run (so 'unchanged' means something)."""
    s = Store(tmp_path / "t.duckdb")
    first = tmp_path / "first.csv"
    first.write_text("\n".join([HEADER, *GOOD]) + "\n", encoding="utf-8")
    import_predictions(s, first, ImportOptions(run="before"))
    return s


def refusal(store: Store, path: Path, options: ImportOptions | None = None) -> str:
    """Import ``path``, expect a refusal, check the database is unchanged; return the text."""
    before = snapshot(store)
    with pytest.raises((ImportValidationError, InputError)) as err:
        import_predictions(store, path, options or ImportOptions(run="new"))
    assert snapshot(store) == before
    problems = getattr(err.value, "problems", [])
    return "\n".join([str(err.value), *problems])


def test_giant_csv_line_is_refused_without_reading_it(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "giant.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER + "\n" + GOOD[0] + "\n")
        fh.write("lima,-12.04,-77.04,-12.0,-77.0," + "x" * 40_000_000 + "\n")
    tracemalloc.start()
    text = refusal(store, path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "giant.csv: line 3 is longer than 256 KB" in text
    assert "column 6 ('raw_response')" in text and "GEOSCOPE_MAX_ANSWER_KB" in text
    assert peak < 24_000_000  # 8 MB chunks, never the 40 MB line
    assert "Original Line" not in text and len(text) < 2000  # no DuckDB dump


def test_giant_jsonl_line_names_its_key(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    line = {"sample_id": "x", "true_lat": 1.0, "true_lon": 2.0, "raw_response": "y" * 20_000}
    path.write_text(json.dumps({"sample_id": "a", "true_lat": 1, "true_lon": 2,
                                "pred_country": "FRA"}) + "\n" + json.dumps(line) + "\n")  # fmt: skip
    text = refusal(store, path, ImportOptions(run="new", limits=SMALL))
    assert "run.jsonl: line 2 is longer than 6 KB" in text
    assert "in the value of key 'raw_response'" in text


def test_answers_may_be_long_other_cells_not(store: Store, tmp_path: Path) -> None:
    answer = "a" * 60_000  # under the 64 KB default
    ok = tmp_path / "ok.csv"
    ok.write_text(f'{HEADER}\n{GOOD[0]}\nlima,-12.04,-77.04,,,"{answer}"\n', encoding="utf-8")
    report = import_predictions(store, ok, ImportOptions(run="long-answer"))
    assert report.n_predictions == 2
    raw = store.run_frame("long-answer", with_raw=True).set_index("sample_id")["raw_response"]
    assert raw["lima"] == answer
    country = tmp_path / "country.csv"
    country.write_text(
        "sample_id,true_lat,true_lon,pred_country\n" f"a,1,2,{'France' * 1000}\nb,1,2,FRA\n"
    )
    text = refusal(store, country)
    assert "row 1" in text and "pred_country is longer than 4 KB" in text and "6000" in text
    # a quoted answer spread over many short lines is held to the answer limit too
    lines = "\n".join(["z" * 100] * 30)  # 3 KB over 30 lines
    spread = tmp_path / "spread.csv"
    spread.write_text(f'{HEADER}\n{GOOD[0]}\nlima,-12.04,-77.04,,,"{lines}"\n')
    text = refusal(store, spread, ImportOptions(run="new", limits=SMALL))
    assert "line 3: a cell in column 6 ('raw_response') is longer than 1 KB" in text


def test_a_folder_is_called_a_folder(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "results.csv"
    folder.mkdir()
    text = refusal(store, folder)
    assert "is a folder, not a file" in text and "no such file" not in text


def test_control_characters_in_ids_are_refused(store: Store, tmp_path: Path) -> None:
    csv_path = tmp_path / "nul.csv"
    csv_path.write_bytes(f"{HEADER}\n{GOOD[0]}\npa\x00ris2,48.8,2.3,48.8,2.3,x\n".encode())
    text = refusal(store, csv_path)
    assert "row 2 ('pa?ris2')" in text and "control character" in text
    jsonl = tmp_path / "nul.jsonl"
    jsonl.write_text(json.dumps({"sample_id": "a\u0000b", "true_lat": 1, "true_lon": 2,
                                 "pred_country": "FRA"}) + "\n")  # fmt: skip
    assert "line 1 ('a?b')" in refusal(store, jsonl)


def test_unbalanced_quote_is_refused_with_its_line(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text(f'{HEADER}\n{GOOD[0]}\n"lima,-12.04,-77.04,,,x\n{GOOD[1]}\n')
    text = refusal(store, path)
    assert "line 3: a quoted cell opens here and never closes" in text
    path.write_text(f'{HEADER}\n{GOOD[0]}\n"lima"x,-12.04,-77.04,,,x\n')
    assert "line 3: text follows a closing quote" in refusal(store, path)


def test_rows_with_extra_fields_are_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "extra.csv"
    rows = [GOOD[0], "lima,-12.04,-77.04,,,Lima, Peru", *[f"r{i},1,2,1,2,x" for i in range(3000)]]
    path.write_text("\n".join([HEADER, *rows, "late,1,2,1,2,x,y"]) + "\n")
    text = refusal(store, path)
    assert "row 2 (line 3) has 7 fields but the header names 6" in text
    assert "row 3003 (line 3004) has 7 fields" in text


def test_an_empty_id_is_called_empty_not_a_footer(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "noid.csv"
    path.write_text(f"{HEADER}\n{GOOD[0]}\n,35.6762,139.6503,35.0,135.7,Kyoto\n")
    text = refusal(store, path)
    assert "row 2: sample_id is empty" in text and "summary/footer line (e.g." not in text


def test_llmgeo_json_with_a_repeated_file_name_is_refused(store: Store, tmp_path: Path) -> None:
    samples = pd.DataFrame({"sample_id": ["1_2_h0_p0_f90.jpg", "3_4_h0_p0_f90.jpg"],
                            "true_lat": [2.0, 4.0], "true_lon": [1.0, 3.0]})  # fmt: skip
    store.ingest_samples(DatasetMeta("lg", kind="llmgeo"), samples)
    path = tmp_path / "raw_basic_gen.json"
    path.write_text('{"1_2_h0_p0_f90.jpg": "France", "3_4_h0_p0_f90.jpg": "Peru", '
                    '"1_2_h0_p0_f90.jpg": "Spain"}')  # fmt: skip
    text = refusal(store, path, ImportOptions(run="g", dataset="lg"))
    assert "'1_2_h0_p0_f90.jpg' is given 2 times (entries 1, 3)" in text
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"1_2_h0_p0_f90.jpg": "x" * 2_000_000}))
    text = refusal(store, big, ImportOptions(run="g", dataset="lg", limits=SMALL))
    assert "big.json is 1,953 KB, over the 1,024 KB a result file may hold" in text


def test_limits_come_from_the_environment(
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "answers.csv"
    path.write_text(f"{HEADER}\n{GOOD[0]}\nlima,-12.04,-77.04,,,{'w' * 3000}\n")
    before = snapshot(store)
    monkeypatch.setenv("GEOSCOPE_MAX_ANSWER_KB", "2")
    assert main(["--db", str(store.path), "import", str(path), "--run", "env"]) == 1
    err = capsys.readouterr().err
    assert "line 3: a cell in column 6 ('raw_response') is longer than 2 KB" in err
    jsonl = tmp_path / "answers.jsonl"
    jsonl.write_text(json.dumps({"sample_id": "a", "true_lat": 1, "true_lon": 2,
                                 "raw_response": "w" * 3000}) + "\n")  # fmt: skip
    assert main(["--db", str(store.path), "import", str(jsonl), "--run", "env"]) == 1
    assert "line 1 (3000): raw_response is longer than 2 KB" in capsys.readouterr().err
    monkeypatch.setenv("GEOSCOPE_MAX_ANSWER_KB", "lots")
    assert main(["--db", str(store.path), "import", str(path), "--run", "env"]) == 1
    assert "GEOSCOPE_MAX_ANSWER_KB='lots'" in capsys.readouterr().err
    assert snapshot(store) == before
