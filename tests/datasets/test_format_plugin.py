"""A dataset format registered from outside the package (a plugin): a reader module with
``read_dataset`` and ``sniff``, one ``DATASET_FORMATS.register`` call, and ``import-dataset``
detects and reads it (``--format`` accepts its name) although ``analysis.datasets`` was imported
long before. The in-package recipe of docs/extending.md is followed by tests/test_extending_guide.py."""

from __future__ import annotations

import hashlib
import json
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.datasets import DATASET_FORMATS, DatasetFormat, detect_dataset_format
from analysis.importers.source import content_hash
from analysis.store import Store

MY_FORMAT = '''
"""Points files: a "#points" line, then "sample_id lat lon" per line."""
from pathlib import Path

import pandas as pd
import pyarrow as pa

from analysis.store.samples import normalize_samples


def sniff(path: Path, head: bytes) -> bool:
    return head.startswith(b"#points")


def read_dataset(path: Path, request: object) -> tuple[pa.Table, tuple[str, ...]]:
    rows, skipped = [], []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        parts = line.split()
        if len(parts) != 3:
            skipped.append(f"{line!r}: not 'sample_id lat lon'")
            continue
        rows.append({"sample_id": parts[0], "true_lat": float(parts[1]),
                     "true_lon": float(parts[2])})
    return normalize_samples(pd.DataFrame(rows)), tuple(skipped)
'''
POINTS = "#points\nparis 48.8566 2.3522\ntokyo 35.6762 139.6503\nbroken line\n"


@pytest.fixture
def my_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    (tmp_path / "my_points_format.py").write_text(textwrap.dedent(MY_FORMAT), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    DATASET_FORMATS.register("my_format", DatasetFormat(
        "my_points_format:read_dataset", suffixes=(".points",), sniff="my_points_format:sniff",
    ))  # fmt: skip
    try:
        yield "my_format"
    finally:
        DATASET_FORMATS.unregister("my_format")


def test_registered_dataset_format_is_detected_and_accepted(
    my_format: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "t.duckdb"
    detected = tmp_path / "cities.points"
    detected.write_text(POINTS, encoding="utf-8")
    assert detect_dataset_format(detected) == my_format
    assert main(["--db", str(db), "import-dataset", str(detected), "--name", "cities"]) == 0
    assert "(my_format): 2 samples" in capsys.readouterr().out
    samples = Store(db).dataset_samples("cities").set_index("sample_id")
    assert samples.loc["tokyo", "true_lat"] == pytest.approx(35.6762)
    named = tmp_path / "cities.txt"  # no claim by suffix: --format names it
    named.write_text(POINTS, encoding="utf-8")
    argv = ["--db", str(db), "import-dataset", str(named), "--name", "c2", "--format", my_format]
    assert main(argv) == 0
    assert len(Store(db).dataset_samples("c2")) == 2
    # the suffix without the content: the sniff rules it out, the manifest fallback takes it
    (tmp_path / "other.points").write_text("sample_id,lat,lon\na,1,2\n", encoding="utf-8")
    assert detect_dataset_format(tmp_path / "other.points") == "manifest"


def test_built_in_detection_unchanged(tmp_path: Path) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text("\ufeffsplit,heading,country_iso3,lon,lat,path\n", encoding="utf-8")
    assert detect_dataset_format(manifest) == "llmgeo"  # a BOM before the header is fine
    manifest.write_text("sample_id,lat,lon\n", encoding="utf-8")
    assert detect_dataset_format(manifest) == "manifest"
    (tmp_path / "photos").mkdir()
    assert detect_dataset_format(tmp_path / "photos") == "exif"
    with pytest.raises(SystemExit):
        main(["--db", str(tmp_path / "t.duckdb"), "import-dataset", str(manifest), "--name",
              "x", "--format", "my_format"])  # fmt: skip


def _old_dataset_hash(path: Path, params: dict[str, object]) -> str:
    """The dataset hash as stored before the schemes were merged, written out independently."""
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode())
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(file.relative_to(path).as_posix().encode())
        digest.update(file.read_bytes())
        digest.update(str(file.stat().st_size).encode())
    return digest.hexdigest()


def test_datasets_use_the_one_content_hash_and_keep_stored_hashes_valid(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.jpg").write_bytes(b"\xff\xd8 not really a photo")
    (folder / "sub" / "b.jpg").write_bytes(b"\xff\xd8 another")
    params: dict[str, object] = {"format": "exif", "split": None, "map": {}, "root": ""}
    assert content_hash(folder, params) == _old_dataset_hash(folder, params)
    manifest = tmp_path / "m.csv"
    manifest.write_text("sample_id,lat,lon\na,48.85,2.35\n", encoding="utf-8")
    store = Store(tmp_path / "t.duckdb")
    assert main(["--db", str(store.path), "import-dataset", str(manifest), "--name", "m"]) == 0
    stored = store.dataset_info("m")["content_hash"]
    assert stored == content_hash(manifest, {**params, "format": "manifest"})
