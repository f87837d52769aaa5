"""One image lookup for runs and fine-tuning exports: which folders, in which order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import analysis.finetune.export as finetune_export
import analysis.finetune.leakage as finetune_leakage
import analysis.runner.execute as runner_execute
import analysis.runner.prepare as runner_prepare
from analysis.datasets import import_dataset
from analysis.datasets.locate import image_bases, locate_image
from analysis.store import Store


def test_bases_are_root_then_source_folder_then_cwd(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "p.jpg").write_bytes(b"x")
    store = Store(tmp_path / "t.duckdb")
    manifest = tmp_path / "m.csv"
    manifest.write_text("sample_id,lat,lon\na,1,2\n", encoding="utf-8")
    import_dataset(store, manifest, "from-file")
    root = tmp_path / "root"
    assert image_bases(store, "from-file", root) == (root, Path.cwd())  # a file source: no base
    assert image_bases(store, "no-such-dataset") == (Path.cwd(),)
    store_info = {"source": str(folder)}

    class FolderStore:
        def dataset_info(self, name: str) -> dict[str, str]:
            return store_info

    assert image_bases(FolderStore(), "d", root) == (root, folder, Path.cwd())


def test_locate_tries_each_base_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    (second / "img").mkdir(parents=True)
    first.mkdir()
    (second / "img" / "a.jpg").write_bytes(b"x")
    assert locate_image("img/a.jpg", (first, second)) == (second / "img" / "a.jpg").resolve()
    (first / "img").mkdir()
    (first / "img" / "a.jpg").write_bytes(b"y")
    assert locate_image("img/a.jpg", (first, second)) == (first / "img" / "a.jpg").resolve()
    assert locate_image("img/zz.jpg", (first, second)) == (first / "img" / "zz.jpg").resolve()
    assert locate_image(str(tmp_path / "abs.jpg"), (first,)) == tmp_path / "abs.jpg"
    monkeypatch.setenv("HOME", str(second))
    assert locate_image("~/img/a.jpg", ()) == Path(os.path.expanduser("~/img/a.jpg"))


def test_runs_and_exports_share_the_lookup() -> None:
    # both call sites use this module's functions, not copies that could drift (read through
    # vars(): those modules import the names for their own use and do not re-export them)
    assert vars(runner_prepare)["image_bases"] is image_bases
    assert vars(finetune_export)["image_bases"] is image_bases
    assert vars(finetune_export)["locate_image"] is locate_image
    assert vars(runner_execute)["locate_image"] is locate_image  # a model call reads the image
    assert vars(finetune_leakage)["locate_image"] is locate_image  # the leakage guard hashes it
