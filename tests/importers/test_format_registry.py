"""Prediction file formats are a registry read at call time: a plugin format registered after
``analysis.importers`` was imported is detected by ``import`` and accepted by ``--format``."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.importers import PREDICTION_FORMATS, PredictionFormat, detect_format
from analysis.importers.formats import FileFormat, detect
from analysis.importers.source import InputDigest, content_hash
from analysis.registry import Registry
from analysis.store import Store

PLUGIN = '''
"""A pipe-separated prediction file: sample_id|true_lat|true_lon|pred_lat|pred_lon."""
from pathlib import Path

from analysis.importers.generic_csv import import_csv


def sniff(path: Path, head: bytes) -> bool:
    return head.startswith(b"#pipes")


def import_pipes(store, path, options):
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    csv_path = path.with_name(path.name + ".csv")
    csv_path.write_text("\\n".join(line.replace("|", ",") for line in lines) + "\\n")
    return import_csv(store, csv_path, options)
'''
BODY = "#pipes\nsample_id|true_lat|true_lon|pred_lat|pred_lon\na|48.85|2.35|48.0|2.0\n"


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Register formats from a module written now, long after analysis.importers loaded."""
    (tmp_path / "plugin_pipes.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    PREDICTION_FORMATS.register("pipes", PredictionFormat(
        "plugin_pipes:import_pipes", (".pipes",), description="pipe-separated predictions",
    ))  # fmt: skip
    PREDICTION_FORMATS.register("pipes-json", PredictionFormat(
        "plugin_pipes:import_pipes", (".json",), sniff="plugin_pipes:sniff",
    ))  # fmt: skip
    try:
        yield "pipes"
    finally:
        PREDICTION_FORMATS.unregister("pipes")
        PREDICTION_FORMATS.unregister("pipes-json")


def n_predictions(db: Path, run: str) -> int:
    return len(Store(db).run_frame(run))


def test_late_format_is_detected_and_accepted_by_the_cli(plugin: str, tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    by_suffix = tmp_path / "preds.pipes"
    by_suffix.write_text(BODY, encoding="utf-8")
    assert main(["--db", str(db), "import", str(by_suffix), "--run", "r1"]) == 0
    assert n_predictions(db, "r1") == 1
    by_name = tmp_path / "preds.dat"  # an extension no format claims: --format decides
    by_name.write_text(BODY, encoding="utf-8")
    assert main(["--db", str(db), "import", str(by_name), "--run", "r2", "--format", plugin]) == 0
    assert n_predictions(db, "r2") == 1
    # a sniff that accepts the first bytes beats the built-in claim on the .json suffix
    assert detect_format(tmp_path / "x.json") == "llmgeo-json"  # missing file: suffix only
    sniffed = tmp_path / "results.json"
    sniffed.write_text(BODY, encoding="utf-8")
    assert detect_format(sniffed) == "pipes-json"


def test_unregistered_format_is_refused_by_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "preds.pipes"
    path.write_text(BODY, encoding="utf-8")
    with pytest.raises(SystemExit):  # argparse: invalid choice
        main(["--db", str(tmp_path / "t.duckdb"), "import", str(path), "--format", "pipes"])
    assert main(["--db", str(tmp_path / "t.duckdb"), "import", str(path), "--run", "r"]) == 1


def test_detection_ranks_sniff_over_suffix_over_fallback(tmp_path: Path) -> None:
    registry: Registry[FileFormat[object]] = Registry("test format")
    registry.register("any-file", FileFormat("m:a", sniff=lambda p, h: p.is_file(), fallback=True))
    registry.register("by-suffix", FileFormat("m:b", (".txt",)))
    registry.register("by-content", FileFormat("m:c", sniff=lambda p, h: h.startswith(b"MAGIC")))
    registry.register("both", FileFormat("m:d", (".txt",), sniff=lambda p, h: b"BOTH" in h))
    plain, magic, both, other = (tmp_path / n for n in ("a.txt", "b.txt", "c.txt", "d.bin"))
    plain.write_bytes(b"hello")
    magic.write_bytes(b"MAGIC...")
    both.write_bytes(b"BOTH")
    other.write_bytes(b"hello")
    assert detect(registry, plain) == "by-suffix"
    assert detect(registry, magic) == "by-content"
    assert detect(registry, both) == "both"  # suffix and sniff: a sniff's claim, first of ties
    assert detect(registry, other) == "any-file"
    assert detect(registry, tmp_path / "missing.bin") is None


def test_runs_use_the_one_content_hash(tmp_path: Path) -> None:
    path = tmp_path / "preds.csv"
    path.write_text("sample_id,true_lat,true_lon,pred_lat,pred_lon\na,1,2,3,4\n", "utf-8")
    store = Store(tmp_path / "t.duckdb")
    assert main(["--db", str(store.path), "import", str(path), "--run", "r"]) == 0
    params: dict[str, object] = {"format": "csv", "map": {}, "dataset": None, "model": None}
    assert store.run_info("r")["content_hash"] == content_hash(path, params)
    digest = InputDigest(params)  # streamed by hand: the same bytes in, the same hash out
    digest.begin_file("")
    digest.update(path.read_bytes())
    digest.end_file(path.stat().st_size)
    assert digest.hexdigest() == content_hash(path, params)
