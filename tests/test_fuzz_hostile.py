"""Fuzz: generated hostile prediction files and model answers through import and the parser.

The promise (docs/security.md): a file is either imported cleanly or refused with a clear
``error: ...`` message, the database is then byte-for-byte the same as before, and nothing ever
escapes as a traceback. A model answer, however odd, parses to a valid ``ParsedAnswer``.

The examples are derandomized so CI sees the same cases every run; set
``GEOSCOPE_FUZZ_EXAMPLES`` to a larger number to search further by hand.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import string
import subprocess
import sys
from collections.abc import Iterator
from itertools import count
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.cli import main
from analysis.config import PROJECT_ROOT
from analysis.parsing import parse_answer
from analysis.types import ParsedAnswer, PredictionStatus

EXAMPLES = int(os.environ.get("GEOSCOPE_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TABLES = ("datasets", "samples", "runs", "predictions")

# Cells an attacker or a broken exporter writes: markup, control bytes, quotes, numbers that
# are not numbers, out-of-range and radian-looking coordinates, country spellings.
HOSTILE_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    '"',
    '""',
    "'",
    "a,b",
    "line\nbreak",
    "\r",
    "\ufeff",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "1e309",
    "-0",
    "91",
    "-181",
    "1.2.3",
    "0x1F",
    "1,5",
    "France",
    "FR",
    "FRA",
    "unknown",
    "null",
    "None",
    "![p](http://127.0.0.1:9/pixel)",
    "<img src=x onerror=alert(1)>",
    ":red[x]",
    "\u202eevil",
    "Ünïcödé 北京",
    "sk-" + "A" * 40,
    "x" * 5000,
]
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(min_value=-90, max_value=90).map(lambda v: f"{v:.5f}"),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)
CELL = st.one_of(st.sampled_from(HOSTILE_TEXT), NUMBERS, st.text(max_size=30))
CSV_COLUMNS = [
    "sample_id",
    "true_lat",
    "true_lon",
    "pred_lat",
    "pred_lon",
    "pred_country",
    "true_country",
    "raw_response",
    "status",
    "heading",
    "location_id",
]


def _quote(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in ',"\n\r') else cell


VALID_CELL = {
    "sample_id": st.integers(min_value=0, max_value=50).map(lambda i: f"s{i}"),
    "true_lat": st.floats(min_value=-89, max_value=89).map(lambda v: f"{v:.4f}"),
    "true_lon": st.floats(min_value=-179, max_value=179).map(lambda v: f"{v:.4f}"),
    "pred_lat": st.floats(min_value=-89, max_value=89).map(lambda v: f"{v:.4f}"),
    "pred_lon": st.floats(min_value=-179, max_value=179).map(lambda v: f"{v:.4f}"),
    "pred_country": st.sampled_from(["France", "JPN", "br", "unknown", ""]),
    "true_country": st.sampled_from(["FRA", "Japan", ""]),
    "raw_response": st.sampled_from(['{"country": "Peru"}', "Somewhere in Chile.", ""]),
    "status": st.sampled_from(["ok", "unknown", "refused", "api_error", ""]),
    "heading": st.sampled_from(["0", "90", "180", "270", ""]),
    "location_id": st.sampled_from(["loc1", "loc2", ""]),
}


@st.composite
def _broken_csv(draw: st.DrawFn) -> str:
    """Draw anything CSV-shaped: random headers, ragged rows, raw cells."""
    header = draw(
        st.one_of(
            st.lists(st.sampled_from(CSV_COLUMNS), min_size=1, max_size=8),
            st.lists(st.text(alphabet=string.printable, max_size=12), min_size=1, max_size=6),
        )
    )
    rows = []
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        width = max(len(header) + draw(st.sampled_from([0, 0, -1, 1, 3])), 0)
        rows.append(",".join(draw(st.lists(CELL, min_size=width, max_size=width))))
    return "\n".join([",".join(header), *rows])


@st.composite
def _mutated_csv(draw: st.DrawFn) -> str:
    """Draw a valid prediction CSV, then spoil a few cells and perhaps one row's shape."""
    extra = draw(st.lists(st.sampled_from(CSV_COLUMNS[5:]), max_size=4, unique=True))
    header = CSV_COLUMNS[:5] + extra
    rows = [
        [draw(VALID_CELL[column]) for column in header]
        for _ in range(draw(st.integers(min_value=1, max_value=6)))
    ]
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        row = draw(st.integers(min_value=0, max_value=len(rows) - 1))
        column = draw(st.integers(min_value=0, max_value=len(header) - 1))
        rows[row][column] = draw(CELL)
    lines = [",".join(_quote(cell) for cell in row) for row in rows]
    damage = draw(st.sampled_from(["none", "none", "extra", "short", "quote", "nul-id"]))
    target = draw(st.integers(min_value=0, max_value=len(lines) - 1))
    if damage == "extra":
        lines[target] += ",surplus"
    elif damage == "short":
        lines[target] = lines[target].rsplit(",", 1)[0]
    elif damage == "quote":
        lines[target] = '"' + lines[target]
    elif damage == "nul-id":
        lines[target] = "x\x00" + lines[target]
    return "\n".join([",".join(header), *lines])


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """Draw a CSV: mostly a valid file with hostile spots, sometimes anything CSV-shaped."""
    text = draw(st.one_of(_mutated_csv(), _mutated_csv(), _broken_csv()))
    text += draw(st.sampled_from(["", "\n", "\r\n"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-16", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        data = draw(st.binary(min_size=1, max_size=40)) + data  # garbage bytes in front
    return data


JSON_VALUE = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.integers(min_value=-(10**30), max_value=10**30),
        CELL,
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
RUN_FIELDS = [
    "type",
    "version",
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
    "true_lat",
    "true_lon",
    "heading",
    "name",
    "params",
]


@st.composite
def jsonl_files(draw: st.DrawFn) -> bytes:
    """Draw a GeoScope run file: mostly prediction-shaped records with hostile values."""
    lines: list[str] = []
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        keys = draw(st.lists(st.sampled_from(RUN_FIELDS), max_size=8, unique=True))
        record: dict[str, Any] = {"type": "prediction", "version": 1}
        record.update({k: draw(JSON_VALUE) for k in keys})
        line = json.dumps(record, ensure_ascii=draw(st.booleans()))
        lines.append(draw(st.sampled_from([line, line, line[: len(line) // 2], "", "[]", "{"])))
    if draw(st.booleans()):  # a header first, sometimes hostile
        header = {"type": "run", "version": draw(st.sampled_from([1, 2, "1", None])),
                  "name": draw(CELL), "params": draw(JSON_VALUE)}  # fmt: skip
        lines.insert(0, json.dumps(header))
    return ("\n".join(lines) + "\n").encode("utf-8", errors="surrogatepass")


@st.composite
def llmgeo_files(draw: st.DrawFn) -> bytes:
    """Draw an LLMGeo result JSON ({file name: answer}), with duplicate keys now and then."""
    pairs = draw(st.lists(st.tuples(CELL, JSON_VALUE), max_size=5))
    if len(pairs) > 0 and draw(st.booleans()):
        pairs.append((pairs[0][0], draw(JSON_VALUE)))  # a duplicate key
    body = ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in pairs)
    return ("{" + body + "}").encode("utf-8", errors="surrogatepass")


def _snapshot(db: Path) -> dict[str, list[str]]:
    if not db.exists():  # a refused first import may leave an empty database: the same rows
        return {table: [] for table in TABLES}
    with duckdb.connect(str(db), read_only=True) as con:  # raw rows: no schema check needed
        return {
            table: sorted(map(str, con.execute(f"SELECT * FROM {table}").fetchall()))
            for table in TABLES
        }


@contextlib.contextmanager
def _captured() -> Iterator[tuple[io.StringIO, io.StringIO]]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        yield out, err


_RUN_IDS = count()
STATUSES = {str(s) for s in PredictionStatus}
HALF_CIRCUMFERENCE_KM = 20_038.0


def _check_stored(db: Path, run: str) -> None:
    """A clean import stores only values that mean something: the run, ids, in-range points."""
    with duckdb.connect(str(db), read_only=True) as con:  # the import just made the schema
        assert con.execute("SELECT count(*) FROM runs WHERE name = ?", [run]).fetchone() == (1,)
        rows = con.execute(
            "SELECT p.sample_id, p.status, p.pred_lat, p.pred_lon, p.distance_km, s.true_lat,"
            " s.true_lon FROM predictions p JOIN runs r ON r.name = p.run"
            " JOIN samples s ON s.dataset = r.dataset AND s.sample_id = p.sample_id"
            " WHERE p.run = ?",
            [run],
        ).fetchall()
        n_predictions = con.execute(
            "SELECT count(*) FROM predictions WHERE run = ?", [run]
        ).fetchone()
    assert n_predictions == (len(rows),), "a prediction without its sample"
    for sample_id, status, pred_lat, pred_lon, distance_km, true_lat, true_lon in rows:
        assert sample_id and sample_id.strip() and "\x00" not in sample_id, repr(sample_id)
        assert status in STATUSES
        for lat, lon in ((pred_lat, pred_lon), (true_lat, true_lon)):
            assert (lat is None) == (lon is None)
            if lat is not None:
                assert -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0, (lat, lon)
        if distance_km is not None:
            assert 0.0 <= distance_km <= HALF_CIRCUMFERENCE_KM


def _check_import(tmp_path: Path, data: bytes, suffix: str) -> None:
    db = tmp_path / "fuzz.duckdb"
    path = tmp_path / f"hostile{suffix}"
    path.write_bytes(data)
    run = f"fuzz-{next(_RUN_IDS)}"
    before = _snapshot(db)
    with _captured() as (_, err):
        # any exception other than the CLI's own exit codes is a traceback for the user
        code = main(["--db", str(db), "import", str(path), "--run", run, "--model", "m"])
    message = err.getvalue()
    assert "Traceback" not in message
    if code == 0:
        _check_stored(db, run)
        return
    assert code == 1, f"unexpected exit code {code}: {message}"
    first = message.splitlines()[0] if message else ""
    assert first.startswith("error: ") and len(first) > len("error: ") + 10, message
    assert len(message) < 20_000, "an error message should not dump the file"
    assert _snapshot(db) == before, "a refused import changed the database"


@FUZZ
@given(data=csv_files())
def test_hostile_csv_imports_cleanly_or_is_refused_cleanly(tmp_path: Path, data: bytes) -> None:
    _check_import(tmp_path, data, ".csv")


@FUZZ
@given(data=jsonl_files())
def test_hostile_run_files_import_cleanly_or_are_refused(tmp_path: Path, data: bytes) -> None:
    _check_import(tmp_path, data, ".jsonl")


@FUZZ
@given(data=llmgeo_files())
def test_hostile_llmgeo_json_imports_cleanly_or_is_refused(tmp_path: Path, data: bytes) -> None:
    _check_import(tmp_path, data, ".json")


@FUZZ
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".csv", ".jsonl", ".json"]))
def test_random_bytes_are_refused_cleanly(tmp_path: Path, data: bytes, suffix: str) -> None:
    _check_import(tmp_path, data, suffix)


# -- model answers -------------------------------------------------------------------------
ANSWER_PIECES = [
    '{"country": ',
    '"lat": ',
    '"lon": ',
    '"latitude": 1e999',
    '"country": null}',
    "```json\n",
    "```",
    "Country: ",
    "Coordinates: ",
    "48°51'N 2°21'E",
    "-91.5, 200.0",
    "NaN, NaN",
    "I cannot determine",
    "I'm sorry, I can't help with that.",
    "^^^^",
    "...",
    "France",
    "Republic of Korea",
    "Georgia",
    "\x00",
    "\u200b",
    "<think>",
    "</think>",
]
ANSWERS = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(ANSWER_PIECES), NUMBERS, CELL), max_size=8).map("".join),
    JSON_VALUE.map(json.dumps),
)


def _valid(parsed: ParsedAnswer) -> None:
    assert isinstance(parsed.status, PredictionStatus)
    assert (parsed.lat is None) == (parsed.lon is None)
    if parsed.lat is not None and parsed.lon is not None:
        assert math.isfinite(parsed.lat) and math.isfinite(parsed.lon)
        assert -90.0 <= parsed.lat <= 90.0 and -180.0 <= parsed.lon <= 180.0
    if parsed.status == PredictionStatus.OK:
        assert parsed.country_iso3 is not None or parsed.lat is not None
    if parsed.country_iso3 is not None:
        assert len(parsed.country_iso3) == 3 and parsed.country_iso3.isupper()


@settings(max_examples=EXAMPLES * 5, deadline=None, derandomize=True)
@given(text=ANSWERS)
def test_any_answer_parses_to_a_valid_result(text: str) -> None:
    _valid(parse_answer(text))


def test_parse_jsonl_cli_survives_hostile_lines(tmp_path: Path) -> None:
    """``parse --jsonl`` answers every line, in order, whatever the line holds."""
    lines = [json.dumps({"text": piece}) for piece in ANSWER_PIECES]
    lines += ["not json", json.dumps({"text": None}), json.dumps(["list"]), json.dumps({})]
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "parse", "--jsonl"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
        check=False,
    )
    code, out, err = done.returncode, done.stdout, done.stderr
    assert "Traceback" not in err
    printed = [line for line in out.splitlines() if line.strip()]
    if code == 0:
        assert len(printed) == len(lines)
        for line in printed:
            json.loads(line)  # one JSON object per input line
    else:
        assert err.startswith("error: "), err


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".json"])
def test_a_directory_or_missing_file_is_named_plainly(tmp_path: Path, suffix: str) -> None:
    folder = tmp_path / f"folder{suffix}"
    folder.mkdir()
    for target in (folder, tmp_path / f"missing{suffix}"):
        with _captured() as (_, err):
            code = main(["--db", str(tmp_path / "d.duckdb"), "import", str(target), "--run", "r"])
        assert code == 1
        assert str(target) in err.getvalue() and "Traceback" not in err.getvalue()
