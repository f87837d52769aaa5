"""Which stored image paths point at files on this machine."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.dashboard.data import image_file, samples_with_image_files


def test_image_file_resolves_relative_paths_and_rejects_missing(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    real = tmp_path / "img" / "a.jpg"
    real.write_bytes(b"x")
    assert image_file(str(real)) == real
    assert image_file("img/a.jpg", tmp_path) == tmp_path / "img" / "a.jpg"
    assert image_file("img/b.jpg", tmp_path) is None
    assert image_file(str(tmp_path / "img")) is None  # a folder is not an image
    assert image_file(None) is None
    assert image_file(float("nan")) is None
    assert image_file("") is None


def test_samples_with_image_files_keeps_only_present_files(tmp_path: Path) -> None:
    (tmp_path / "a.jpg").write_bytes(b"x")
    samples = pd.DataFrame(
        {"sample_id": ["a", "b", "c"], "image_path": ["a.jpg", "missing.jpg", None]}
    )
    assert samples_with_image_files(samples, tmp_path)["sample_id"].tolist() == ["a"]
    assert samples_with_image_files(samples.drop(columns="image_path"), tmp_path).empty
