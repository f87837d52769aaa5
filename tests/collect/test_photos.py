"""Your own geotagged photos as a collector source, on real photos from ../shared/data/photos."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from analysis.store import Store
from tests.collect.util import manifest_rows, provenance, run_cli


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _truth(shared_data: Path) -> dict[str, tuple[float, float, str]]:
    with (shared_data / "photos" / "ground_truth.csv").open(encoding="utf-8") as fh:
        return {
            Path(r["filename"]).name: (float(r["lat"]), float(r["lon"]), r["country_iso3"])
            for r in csv.DictReader(fh)
            if r["gps_in_exif"] == "yes"
        }


def _originals(shared_data: Path) -> dict[Path, tuple[str, float]]:
    folder = shared_data / "photos"
    return {p: (_sha(p), p.stat().st_mtime) for p in sorted(folder.rglob("*.jpg"))}


def test_a_photo_folder_becomes_a_collection_with_places_that_never_straddle_splits(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _originals(shared_data)
    out = tmp_path / "mine"
    argv = ["collect", "photos", "--from", str(shared_data / "photos"), "--out", str(out),
            "--test-share", "0.5"]  # fmt: skip
    assert run_cli(argv) == 0
    printed = capsys.readouterr().out
    rows = manifest_rows(out)
    truth = _truth(shared_data)
    assert len(rows) == len(truth) == 5
    for row in rows:  # truth is each photo's own EXIF position
        lat, lon, iso3 = truth[Path(row["source_image_id"]).name]
        assert abs(float(row["lat"]) - lat) < 1e-6 and abs(float(row["lon"]) - lon) < 1e-6
        assert row["country"] == iso3 and row["source"] == "photos"
        copy = out / row["image_path"]
        assert copy.is_file() and not copy.is_symlink()
        assert _sha(copy) == _sha(shared_data / "photos" / row["source_image_id"])
    place = {Path(r["source_image_id"]).name: r["location_id"] for r in rows}
    split = {Path(r["source_image_id"]).name: r["split"] for r in rows}
    # the two Arezzo photos are ~60 m apart: one place, hence one split
    assert place["DSCN0010.jpg"] == place["DSCN0021.jpg"]
    assert split["DSCN0010.jpg"] == split["DSCN0021.jpg"]
    assert len(set(place.values())) == 4
    # the 50 OSV-5M images carry no GPS: listed and skipped, never guessed
    assert "skipped: 50" in printed and "osv5m/" in printed and "no GPS" in printed
    info = provenance(out)
    assert info["source"] == "photos" and len(info["skipped_photos"]) == 50
    assert "copies of the originals" in info["images"] and info["counts"]["locations"] == 4
    assert _originals(shared_data) == before  # read, never modified
    db = tmp_path / "p.duckdb"
    manifest = str(out / "manifest.csv")
    assert run_cli(["--db", str(db), "import-dataset", manifest, "--name", "mine"]) == 0
    samples = Store(db).dataset_samples("mine")
    assert len(samples) == 5 and samples.groupby("location_id")["split"].nunique().max() == 1
    assert run_cli(argv) == 0  # a re-run has nothing new to copy
    assert "(0 new this run" in capsys.readouterr().out and len(manifest_rows(out)) == 5


def test_photos_can_be_linked_instead_of_copied(shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "linked"
    argv = ["collect", "photos", "--from", str(shared_data / "photos" / "exif_gps"), "--out",
            str(out), "--link", "--split", "test"]  # fmt: skip
    assert run_cli(argv) == 0
    rows = manifest_rows(out)
    assert len(rows) == 5 and {r["split"] for r in rows} == {"test"}
    for row in rows:
        link = out / row["image_path"]
        assert link.is_symlink()
        assert link.resolve() == (shared_data / "photos" / "exif_gps" / row["source_image_id"]).resolve()
    assert "symbolic links" in provenance(out)["images"]
    copy_argv = [a for a in argv if a != "--link"]
    assert run_cli(copy_argv) == 1  # copies into a folder of links: refused, not mixed


def test_bad_photo_folders_are_refused_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(["collect", "photos", "--from", str(tmp_path / "nope"), "--out",
                    str(tmp_path / "o")]) == 1  # fmt: skip
    assert "is not a folder of photos" in capsys.readouterr().err
    assert run_cli(["collect", "photos", "--from", str(tmp_path), "--out", str(tmp_path)]) == 1
    assert "would hold the originals" in capsys.readouterr().err
