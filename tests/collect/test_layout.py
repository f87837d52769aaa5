"""The LLMGeo folder layout: a collection in the study's format imports back unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.datasets.llmgeo import parse_llmgeo_path
from analysis.store import Store
from tests.collect.util import FAST, cover_targets, manifest_rows, planned, run_cli, sv_args
from tests.support.imagery_server import ImageryServer


def _import(db: Path, path: Path, name: str, *extra: str) -> None:
    assert run_cli(["--db", str(db), "import-dataset", str(path), "--name", name, *extra]) == 0


def test_an_llmgeo_layout_imports_back_with_the_same_samples_and_truth(
    imagery: ImageryServer, keys: None, tmp_path: Path
) -> None:
    targets = planned(per_country=3)
    cover_targets(imagery, targets)
    out = tmp_path / "study"
    args = [*sv_args(out, imagery, "--layout", "llmgeo", "--test-share", "0.5"),
            "--per-country", "3"]  # fmt: skip
    assert run_cli(args) == 0
    rows = manifest_rows(out)
    assert len(rows) == 24
    assert any(float(r["lon"]) < 0 for r in rows)  # French Guiana: a sign the name must keep
    for row in rows:
        path = row["image_path"]
        assert path.startswith(
            f"dataset/{row['split']}/h{row['heading']}/{row['country'].lower()}/"
        )
        assert (out / path).is_file()
        parsed = parse_llmgeo_path(path)  # the study's own parser: longitude first
        assert (parsed.lat, parsed.lon) == (float(row["lat"]), float(row["lon"]))
        assert parsed.heading == int(row["heading"]) and parsed.split == row["split"]
    db = tmp_path / "s.duckdb"
    _import(db, out / "manifest.csv", "ours")
    _import(db, out / "dataset", "study", "--format", "llmgeo")
    store = Store(db)
    ours = store.dataset_samples("ours").set_index("image_path").sort_index()
    study = store.dataset_samples("study").set_index("image_path").sort_index()
    assert list(ours.index) == list(study.index) and len(ours) == 24
    for column in ("true_lat", "true_lon", "true_country", "heading", "split"):
        assert ours[column].tolist() == study[column].tolist(), column
    # one place, one group, both ways: the four headings share a location in each import
    pairs = set(zip(ours["location_id"], study["location_id"], strict=True))
    assert len(pairs) == ours["location_id"].nunique() == study["location_id"].nunique() == 6


def test_llmgeo_layout_defaults_to_the_test_split_and_is_part_of_the_folder_identity(
    imagery: ImageryServer, keys: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cover_targets(imagery, planned())
    out = tmp_path / "t"
    assert run_cli(sv_args(out, imagery, "--layout", "llmgeo", "--max-images", "4")) == 0
    assert {r["split"] for r in manifest_rows(out)} == {"test"}
    assert all(r["image_path"].startswith("dataset/test/h") for r in manifest_rows(out))
    capsys.readouterr()
    assert run_cli(sv_args(out, imagery, "--split", "test")) == 1  # the collector layout now
    assert "layout: folder has 'llmgeo', asked 'collector'" in capsys.readouterr().err


def test_mapillary_cannot_fill_the_heading_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from analysis.collect import CollectOptions, collect
    from analysis.collect.mapillary import MapillaryOptions, MapillarySource
    from analysis.errors import InputError

    options = CollectOptions(out_dir=tmp_path / "m", layout="llmgeo", split="test")
    with pytest.raises(InputError, match="fixed camera headings"):
        collect(MapillarySource(MapillaryOptions(), "t"), [], options)
    argv = ["collect", "mapillary", "--countries", "FRA", "--out", str(tmp_path / "x"), *FAST,
            "--layout", "llmgeo", "--dry-run"]  # fmt: skip
    with pytest.raises(SystemExit):  # the option exists for streetview only
        run_cli(argv)
