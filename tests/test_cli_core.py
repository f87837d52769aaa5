"""Core CLI: import + metrics on a hand-written CSV (real subprocesses), the LLMGeo baseline,
listings, compare, export, deletes, errors and --help for every command."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.config import PROJECT_ROOT

CORE_COMMANDS = ("import", "import-dataset", "metrics", "compare", "runs", "datasets", "export",
                 "delete-run", "delete-dataset")  # fmt: skip

# What a user might type: Paris exactly, Paris->Lyon, New York->London, Tokyo by country only,
# Sydney unknown.
HAND_CSV = """sample_id,true_lat,true_lon,pred_lat,pred_lon,pred_country
paris,48.8566,2.3522,48.8566,2.3522,France
paris2,48.8566,2.3522,45.7640,4.8357,France
nyc,40.7128,-74.0060,51.5074,-0.1278,United Kingdom
tokyo,35.6762,139.6503,,,Japan
sydney,-33.8688,151.2093,,,unknown
"""


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Independent haversine (R = 6371 km), written out here on purpose."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _cli(*args: str, env_db: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ}
    if env_db is not None:
        env["GEOSCOPE_DB"] = str(env_db)
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], cwd=PROJECT_ROOT, env=env,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.slow
def test_hand_written_csv_import_then_metrics_json(tmp_path: Path) -> None:
    csv = tmp_path / "my_results.csv"
    csv.write_text(HAND_CSV, encoding="utf-8")
    db = tmp_path / "user.duckdb"
    done = _cli("import", str(csv), "--run", "mine", "--model", "my-model", env_db=db)
    assert done.returncode == 0, done.stderr
    assert "imported 5 predictions as run 'mine'" in done.stdout
    shown = _cli("--db", str(db), "metrics", "--run", "mine", "--json", "--resamples", "200")
    assert shown.returncode == 0, shown.stderr
    out = json.loads(shown.stdout)
    lyon = _km(48.8566, 2.3522, 45.7640, 4.8357)
    london = _km(40.7128, -74.0060, 51.5074, -0.1278)
    assert out["n"] == 5 and out["model"] == "my-model"
    assert out["country_accuracy"] == pytest.approx(3 / 5)  # paris, paris2, tokyo
    assert out["unknown_rate"] == pytest.approx(1 / 5)
    assert [out[f"acc_{k}km"] for k in (1, 25, 200, 750, 2500)] == pytest.approx(
        [1 / 5, 1 / 5, 1 / 5, 2 / 5, 2 / 5]
    )
    assert out["median_km"] == pytest.approx(lyon, abs=1e-6)
    assert out["mean_km"] == pytest.approx((0 + lyon + london) / 3, abs=1e-6)
    expected_points = sum(5000 * math.exp(-d / 1492.7) for d in (0.0, lyon, london)) / 5
    assert out["geoguessr_mean"] == pytest.approx(expected_points, abs=1e-6)
    ci = out["ci"]["country_accuracy"]
    assert ci["low"] <= out["country_accuracy"] <= ci["high"]
    again = _cli("import", str(csv), "--run", "mine", "--model", "my-model", env_db=db)
    assert again.returncode == 0 and "nothing changed" in again.stdout


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_llmgeo_baseline_through_the_cli(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.importers.test_real_data import clip_baseline_csv

    db = str(tmp_path / "cli.duckdb")
    manifest = str(shared_data / "llmgeo" / "test_manifest.csv")
    code, out, _ = _run(capsys, "--db", db, "import-dataset", manifest, "--name", "llmgeo-test")
    assert code == 0 and "998 samples, 998 locations, 82 countries" in out
    csv = clip_baseline_csv(shared_data, tmp_path / "clip.csv")
    code, out, err = _run(capsys, "--db", db, "import", str(csv), "--run", "clip",
                          "--dataset", "llmgeo-test", "--model", "clip-knn1")  # fmt: skip
    assert code == 0, err
    code, out, _ = _run(capsys, "--db", db, "metrics", "--run", "clip", "--json", "--no-ci")
    metrics = json.loads(out)
    assert metrics["country_accuracy"] == pytest.approx(0.328)
    assert [metrics[f"acc_{k}km"] for k in (1, 25, 200, 750, 2500)] == pytest.approx(
        [0.000, 0.008, 0.068, 0.300, 0.552]
    )
    assert metrics["median_km"] == pytest.approx(1963, abs=0.5)
    code, out, _ = _run(capsys, "--db", db, "metrics", "--run", "clip", "--by", "continent",
                        "--resamples", "100")  # fmt: skip
    assert code == 0 and "95% CI" in out and "Country accuracy" in out and "by continent" in out


def test_listings_compare_export_delete(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "l.duckdb")
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(HAND_CSV, encoding="utf-8")
    b.write_text(HAND_CSV.replace("France", "Spain"), encoding="utf-8")
    assert _run(capsys, "--db", db, "import", str(a), "--run", "A", "--dataset", "hand")[0] == 0
    assert _run(capsys, "--db", db, "import", str(b), "--run", "B", "--dataset", "hand")[0] == 0
    code, out, _ = _run(capsys, "--db", db, "runs", "--json")
    assert [r["name"] for r in json.loads(out)] == ["A", "B"]
    code, out, _ = _run(capsys, "--db", db, "datasets")
    assert "hand" in out and "n_samples" in out
    code, out, _ = _run(capsys, "--db", db, "metrics", "--run", "A", "--by", "country", "--no-ci")
    by_country = out.split("by country:")[1].strip().splitlines()
    assert by_country[0].split()[:4] == ["country", "n", "Country", "accuracy"]
    france = next(line for line in by_country if line.startswith("FRA"))
    lyon = _km(48.8566, 2.3522, 45.7640, 4.8357)  # France's two rows: 0 km and Paris->Lyon
    assert france.split()[1:3] == ["2", "100.0%"] and f"{lyon / 2:,.1f} km" in france, france
    assert next(line for line in by_country if line.startswith("USA")).split()[2] == "0.0%"
    assert not any(line.startswith("GBR") for line in by_country)  # only ever predicted: n = 0
    code, out, _ = _run(capsys, "--db", db, "metrics", "--run", "A", "--by", "heading", "--no-ci")
    assert out.split("by heading:")[1].strip().splitlines()[1].split()[:2] == ["(none)", "5"]
    code, out, _ = _run(capsys, "--db", db, "compare", "A", "B", "--json", "--resamples", "100")
    paired = json.loads(out)
    assert (paired["n"], paired["only_a"], paired["only_b"], paired["both_right"]) == (5, 2, 0, 1)
    code, out, _ = _run(capsys, "--db", db, "compare", "A", "B", "--resamples", "100")
    assert "McNemar" in out
    other = tmp_path / "other.csv"
    other.write_text(HAND_CSV.replace("paris", "rome").replace("nyc", "lima"), encoding="utf-8")
    assert _run(capsys, "--db", db, "import", str(other), "--run", "C", "--dataset", "o")[0] == 0
    code, _, err = _run(capsys, "--db", db, "compare", "A", "C", "--resamples", "100")
    assert code == 0 and "compared on the 2 sample ids they share" in err, err  # tokyo, sydney
    apart = tmp_path / "apart.csv"
    apart.write_text("".join(f"x{i}_{line}" if i else line for i, line in
                             enumerate(HAND_CSV.splitlines(keepends=True))), encoding="utf-8")  # fmt: skip
    assert _run(capsys, "--db", db, "import", str(apart), "--run", "D", "--dataset", "p")[0] == 0
    code, _, err = _run(capsys, "--db", db, "compare", "A", "D", "--resamples", "100")
    assert code == 1 and "run 'A' is on dataset 'hand' and run 'D' on 'p'" in err, err
    for run in ("C", "D"):
        assert _run(capsys, "--db", db, "delete-run", run)[0] == 0
    code, out, _ = _run(capsys, "--db", db, "export", "--run", "A", "--format", "csv")
    assert out.splitlines()[0].startswith("sample_id,location_id,heading,true_lat")
    assert len(out.strip().splitlines()) == 6
    code, out, _ = _run(capsys, "--db", db, "export", "--run", "A", "--format", "jsonl")
    assert json.loads(out.splitlines()[0])["type"] == "run"
    code, _, err = _run(capsys, "--db", db, "delete-dataset", "hand")
    assert code == 1 and "used by runs" in err
    assert _run(capsys, "--db", db, "delete-run", "B")[0] == 0
    code, out, _ = _run(capsys, "--db", db, "delete-dataset", "hand", "--with-runs")
    assert code == 0 and "A" in out
    assert json.loads(_run(capsys, "--db", db, "runs", "--json")[1]) == []


def test_user_errors_exit_1_with_the_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "e.duckdb")
    bad = tmp_path / "bad.csv"
    bad.write_text("sample_id,true_lat,true_lon,pred_lat,pred_lon\na,123,10,1,1\na,1,1,1,1\n")
    code, _, err = _run(capsys, "--db", db, "import", str(bad), "--run", "x")
    assert code == 1
    assert err.startswith("error: bad.csv: refused, nothing was written")
    assert "  - row 1 (123.0, 10.0): true_lat/true_lon outside" in err
    assert "duplicate sample ids (1): 'a' on rows 1, 2" in err
    code, _, err = _run(capsys, "--db", db, "import", str(bad), "--run", "x", "--map", "oops")
    assert code == 1 and "NEW=OLD" in err
    code, _, err = _run(capsys, "--db", db, "metrics", "--run", "nope")
    assert code == 1 and "no run named 'nope'" in err


def test_closed_pipe_stops_quietly(tmp_path: Path) -> None:
    # `... | head -1`: the reader leaves after one line; no traceback may follow.
    source = tmp_path / "many.jsonl"
    source.write_text('{"text": "France"}\n' * 20000)  # far more output than a pipe buffer
    with source.open("rb") as stdin:
        process = subprocess.Popen(
            [sys.executable, "-m", "analysis", "parse", "--jsonl"], cwd=PROJECT_ROOT,
            stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
    assert process.stdout is not None
    assert process.stdout.readline().startswith(b'{"status": "ok"')
    process.stdout.close()
    _, err = process.communicate(timeout=60)
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err.decode()[-1000:]
    assert process.returncode == 141


def test_a_lone_problem_is_not_repeated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert main(["--db", str(tmp_path / "g.duckdb"), "import", str(empty), "--run", "e"]) == 1
    err = capsys.readouterr().err
    assert err.count("empty.csv is empty") == 1, err


def _registered_commands() -> list[str]:
    import argparse

    from analysis.cli import build_parser

    (sub,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(sub.choices)


def test_every_registered_command_family_is_present() -> None:
    # a command module that failed to import would silently drop its commands
    expected = {*CORE_COMMANDS, "parse", "rescore", "run", "sweep", "export-finetune", "models",
                "demo", "collect", "finetune"}  # fmt: skip
    assert expected <= set(_registered_commands())


@pytest.mark.parametrize("command", _registered_commands())
def test_every_command_answers_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert f"python -m analysis {command}" in out
    # argparse %-formats an argument's help but prints a description as written: "95%%" there
    # reached the reader doubled
    assert "%%" not in out


PARSER_ONLY = """
import sys
from analysis.cli import build_parser
build_parser()
heavy = ("analysis.importers", "analysis.datasets", "pandas", "duckdb", "torch", "streamlit")
print(",".join(m for m in heavy if m in sys.modules))
"""


def test_building_the_parser_imports_no_format_registry() -> None:
    # argparse lists a choices argument's values when it is added unless it has a metavar:
    # that imported every importer (pandas and all) before any command, --help included
    found = subprocess.run(
        [sys.executable, "-c", PARSER_ONLY],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert found.stdout.strip() == "", found.stdout


@pytest.mark.parametrize(
    ("command", "formats"), [("import", "csv, jsonl, llmgeo-json"), ("import-dataset", "llmgeo")]
)
def test_format_help_still_lists_the_registered_formats(
    command: str, formats: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert formats in " ".join(capsys.readouterr().out.split())


def _outside_env(**extra: str) -> dict[str, str]:
    """The environment of a user outside the checkout: no PYTHONPATH, no GeoScope variables."""
    env = {
        k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("GEOSCOPE_")
    }
    return {**env, **extra}


@pytest.mark.parametrize("launcher", ["python -m analysis", "geoscope"])
def test_cli_runs_from_any_folder(tmp_path: Path, launcher: str) -> None:
    # the installed package (scripts/install.sh: pip install -e .), not the current folder
    command = (
        [sys.executable, "-m", "analysis"]
        if launcher != "geoscope"
        else [str(Path(sys.executable).parent / "geoscope")]
    )
    db = tmp_path / "elsewhere.duckdb"
    done = subprocess.run(
        [*command, "--db", str(db), "datasets"], cwd=tmp_path, env=_outside_env(),
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "(none)" in done.stdout and db.is_file()


def test_cache_follows_the_database_unless_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analysis.config import Settings

    for name in ("GEOSCOPE_DB", "GEOSCOPE_CACHE"):
        monkeypatch.delenv(name, raising=False)
    assert Settings.from_env().cache_dir == PROJECT_ROOT / "cache"
    assert Settings.from_env().db_path == PROJECT_ROOT / "cache" / "geoscope.duckdb"
    monkeypatch.setenv("GEOSCOPE_DB", str(tmp_path / "a" / "bench.duckdb"))
    assert Settings.from_env().cache_dir == tmp_path / "a" / "geoscope-cache"
    assert Settings.from_env(db=tmp_path / "b.duckdb").cache_dir == tmp_path / "geoscope-cache"
    monkeypatch.setenv("GEOSCOPE_CACHE", str(tmp_path / "mine"))
    assert Settings.from_env().cache_dir == tmp_path / "mine"
    monkeypatch.delenv("GEOSCOPE_DB")
    assert Settings.from_env().db_path == tmp_path / "mine" / "geoscope.duckdb"


def test_only_geoscope_db_keeps_the_checkout_clean(tmp_path: Path) -> None:
    db = tmp_path / "bench.duckdb"
    repo_cache = PROJECT_ROOT / "cache"
    before = {p for p in repo_cache.rglob("*")} if repo_cache.exists() else set()
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "demo", "--locations", "10"], cwd=tmp_path,
        env=_outside_env(GEOSCOPE_DB=str(db)), capture_output=True, text=True, timeout=300,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert any((tmp_path / "geoscope-cache").rglob("*.jpg"))  # the demo's images
    after = {p for p in repo_cache.rglob("*")} if repo_cache.exists() else set()
    assert after == before
