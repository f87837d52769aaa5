"""Image paths work from any folder: stored absolute at import, repaired by ``relink``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.datasets import import_dataset
from analysis.datasets.manifest import sha256_file
from analysis.store import DatasetMeta, Store

MANIFEST = "sample_id,lat,lon,image_path\na,48.85,2.35,photos/a.jpg\nb,35.68,139.65,photos/b.jpg\n"


def _folder(root: Path) -> Path:
    """A manifest folder with two 'images' (their bytes are never decoded by the import)."""
    (root / "photos").mkdir(parents=True)
    (root / "photos" / "a.jpg").write_bytes(b"image a")
    (root / "photos" / "b.jpg").write_bytes(b"image b")
    (root / "manifest.csv").write_text(MANIFEST)
    return root


def test_relative_manifest_path_stores_paths_that_work_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path / "bench")
    store = Store(tmp_path / "t.duckdb")
    monkeypatch.chdir(tmp_path)
    import_dataset(store, Path("bench/manifest.csv"), "d")  # relative, from the parent folder
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    paths = store.dataset_samples("d").set_index("sample_id")["image_path"]
    assert paths["a"] == (folder / "photos" / "a.jpg").as_posix()
    assert all(Path(p).is_absolute() and Path(p).is_file() for p in paths)


def _legacy(tmp_path: Path) -> tuple[Store, Path]:
    """A dataset stored the old way: paths relative to the folder the import ran in."""
    folder = _folder(tmp_path / "bench")
    store = Store(tmp_path / "t.duckdb")
    samples = pd.DataFrame({
        "sample_id": ["a", "b"], "true_lat": [48.85, 35.68], "true_lon": [2.35, 139.65],
        "image_path": ["bench/photos/a.jpg", "bench/photos/b.jpg"],
        "image_sha256": [sha256_file(folder / "photos" / "a.jpg"), None],
    })  # fmt: skip
    meta = DatasetMeta("d", kind="manifest", source=str(folder / "manifest.csv"))
    store.ingest_samples(meta, samples)
    return store, folder


def test_relink_repairs_an_old_import_from_its_manifest_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store, folder = _legacy(tmp_path)
    assert main(["--db", str(store.path), "relink", "d", "--dry-run"]) == 0
    assert "would re-point 2" in capsys.readouterr().out
    assert store.dataset_samples("d")["image_path"].tolist()[0] == "bench/photos/a.jpg"
    assert main(["--db", str(store.path), "relink", "d"]) == 0
    assert "re-pointed 2" in capsys.readouterr().out
    paths = store.dataset_samples("d").set_index("sample_id")["image_path"]
    assert paths["a"] == (folder / "photos" / "a.jpg").as_posix()
    assert main(["--db", str(store.path), "relink", "d"]) == 0  # again: nothing left to do
    assert "2 already in place, re-pointed 0" in capsys.readouterr().out


def test_relink_root_follows_moved_images_and_checks_hashes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store, folder = _legacy(tmp_path)
    moved = tmp_path / "new-disk"
    shutil.move(str(folder / "photos"), str(moved / "photos"))
    (moved / "photos" / "a.jpg").write_bytes(b"another image")  # a's recorded hash now differs
    assert main(["--db", str(store.path), "relink", "d", "--root", str(moved)]) == 0
    captured = capsys.readouterr()
    assert "re-pointed 1" in captured.out and "not found: bench/photos/a.jpg" in captured.err
    paths = store.dataset_samples("d").set_index("sample_id")["image_path"]
    assert paths["b"] == (moved / "photos" / "b.jpg").as_posix()
    assert paths["a"] == "bench/photos/a.jpg"  # left as it was, not pointed at the wrong file
    assert main(["--db", str(store.path), "relink", "nope"]) == 1
    assert "nope" in capsys.readouterr().err
