"""CSV manifests and folders of EXIF-geotagged photos (real photos with known GPS)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from analysis.datasets import detect_dataset_format, import_dataset
from analysis.datasets.exif import dms_to_degrees, read_gps
from analysis.errors import ImportValidationError
from analysis.store import Store
from tests.support.frames import cell, is_missing


def test_manifest_with_optional_columns_and_images(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    Image.new("RGB", (4, 4)).save(tmp_path / "img" / "a.jpg")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "sample_id,lat,lon,country,image_path,heading,location_id,split\n"
        "a,48.8566,2.3522,France,img/a.jpg,0,paris,test\n"
        "b,48.8566,2.3522,,img/missing.jpg,90,paris,test\n"
        "c,-33.8688,151.2093,AU,,,,train\n",
        encoding="utf-8",
    )
    assert detect_dataset_format(manifest) == "manifest"
    store = Store(tmp_path / "m.duckdb")
    report = import_dataset(store, manifest, "mine")
    assert (report.n_samples, report.n_locations, report.n_countries) == (3, 2, 2)
    samples = store.dataset_samples("mine").set_index("sample_id")
    assert samples["true_country"].tolist() == ["FRA", "FRA", "AUS"]  # b located by polygon
    assert samples.loc["c", "location_id"] == "c"
    expected = hashlib.sha256((tmp_path / "img" / "a.jpg").read_bytes()).hexdigest()
    assert samples.loc["a", "image_sha256"] == expected
    assert is_missing(cell(samples, "b", "image_sha256"))  # file absent: no hash, no error
    assert samples.loc["a", "image_path"] == (tmp_path / "img" / "a.jpg").as_posix()


def test_manifest_refusals(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.duckdb")
    bad = tmp_path / "bad.csv"
    bad.write_text("sample_id,latitude,lon\na,1,2\n", encoding="utf-8")
    with pytest.raises(ImportValidationError, match="missing columns lat"):
        import_dataset(store, bad, "x", "manifest")
    rows = "\n".join(f"s{i},{0.05 * i:.3f},{0.1 * i:.3f}" for i in range(15))
    bad.write_text(f"sample_id,lat,lon\n{rows}\ns1,1,1\nTotal,15,\n", encoding="utf-8")
    with pytest.raises(ImportValidationError) as err:
        import_dataset(store, bad, "x", "manifest")
    text = "\n".join(err.value.problems)
    assert "radians" in text and "duplicate sample ids" in text and "summary/footer" in text
    assert store.list_datasets().empty


def test_exif_photos_match_ground_truth(shared_data: Path, tmp_path: Path) -> None:
    photos = shared_data / "photos" / "exif_gps"
    truth = pd.read_csv(shared_data / "photos" / "ground_truth.csv")
    truth = truth[truth["filename"].str.startswith("exif_gps/")]
    truth = truth.assign(sample_id=truth["filename"].str.removeprefix("exif_gps/"))
    store = Store(tmp_path / "e.duckdb")
    assert detect_dataset_format(photos) == "exif"
    report = import_dataset(store, photos, "exif")
    assert report.n_samples == len(truth) == 5 and report.skipped == ()
    got = store.dataset_samples("exif").set_index("sample_id").join(truth.set_index("sample_id"))
    pd.testing.assert_series_equal(got["true_lat"], got["lat"], check_names=False, atol=1e-6)
    pd.testing.assert_series_equal(got["true_lon"], got["lon"], check_names=False, atol=1e-6)
    assert (got["true_country"] == got["country_iso3"]).all()
    for name, row in got.iterrows():
        assert row["image_sha256"] == hashlib.sha256((photos / str(name)).read_bytes()).hexdigest()


def test_exif_folder_skips_photos_without_gps(shared_data: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    source = shared_data / "photos" / "exif_gps" / "Kodak_CX7530.jpg"  # south of the equator
    (folder / "kenya.jpg").write_bytes(source.read_bytes())
    Image.new("RGB", (4, 4)).save(folder / "plain.jpg")
    (folder / "broken.jpg").write_bytes(b"not a jpeg")
    store = Store(tmp_path / "x.duckdb")
    report = import_dataset(store, folder, "mixed", "exif")
    assert report.n_samples == 1
    assert sorted(s.split(":")[0] for s in report.skipped) == ["broken.jpg", "plain.jpg"]
    assert "no GPS" in " ".join(report.skipped)
    lat, lon = read_gps(folder / "kenya.jpg") or (0.0, 0.0)
    assert lat < 0 < lon
    empty = tmp_path / "none"
    empty.mkdir()
    Image.new("RGB", (4, 4)).save(empty / "plain.jpg")
    with pytest.raises(ImportValidationError, match="no photo with a GPS"):
        import_dataset(store, empty, "none", "exif")


@pytest.mark.parametrize(
    ("dms", "ref", "expected"),
    [
        ((40.0, 26.0, 49.1), "N", 40 + 26 / 60 + 49.1 / 3600),
        ((3.0, 43.0, 29.11), "W", -(3 + 43 / 60 + 29.11 / 3600)),
        ((0.0, 22.278, 0.0), b"S", -22.278 / 60),
        (12.5, "E", 12.5),
    ],
)
def test_dms_to_degrees(dms: object, ref: object, expected: float) -> None:
    assert dms_to_degrees(dms, ref) == pytest.approx(expected, abs=1e-12)
