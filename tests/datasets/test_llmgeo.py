"""LLMGeo layout: the one path parser (longitude first), folder walk, location grouping."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from analysis.datasets import detect_dataset_format, import_dataset
from analysis.datasets.llmgeo import parse_llmgeo_path
from analysis.errors import ImportValidationError, InputError, StoreError
from analysis.store import Store


def test_parse_reads_longitude_first() -> None:
    img = parse_llmgeo_path(
        "dataset/test/h90/arg/-57.36092454422258_-27.47048754033231_h90_p0_f90.jpg"
    )
    assert (img.lat, img.lon) == (-27.47048754033231, -57.36092454422258)
    assert (img.heading, img.country_iso3, img.split) == (90, "ARG", "test")
    assert img.location_key == "-57.36092454422258_-27.47048754033231"


@given(
    lat=st.floats(-90, 90, allow_nan=False).map(lambda v: round(v, 7)),
    lon=st.floats(-180, 180, allow_nan=False).map(lambda v: round(v, 7)),
    heading=st.sampled_from([0, 90, 180, 270]),
)
def test_parse_round_trips_any_point(lat: float, lon: float, heading: int) -> None:
    img = parse_llmgeo_path(f"x/train/h{heading}/fra/{lon!r}_{lat!r}_h{heading}_p0_f90.jpg")
    assert (img.lat, img.lon, img.heading) == (lat, lon, heading)


@pytest.mark.parametrize(
    ("path", "needle"),
    [
        ("test/h0/fra/2.3_48.8.jpg", "file name"),
        ("test/h0/fra/2.3_95.0_h0_p0_f90.jpg", "out of range"),
        ("test/h0/france/2.3_48.8_h0_p0_f90.jpg", "3-letter country folder"),
        ("test/x0/fra/2.3_48.8_h0_p0_f90.jpg", "h<heading> folder"),
        ("test/h90/fra/2.3_48.8_h0_p0_f90.jpg", "folder h90 but file name says h0"),
    ],
)
def test_parse_refuses_what_does_not_fit(path: str, needle: str) -> None:
    with pytest.raises(InputError, match=needle):
        parse_llmgeo_path(path)


def _jpeg(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (8, 8), (120, 80, 40)).save(path, "JPEG")


def test_folder_groups_headings_of_one_place(tmp_path: Path) -> None:
    root = tmp_path / "dataset"
    for heading in (0, 90, 180, 270):  # one place photographed four ways
        _jpeg(root / f"test/h{heading}/fra/2.3522_48.8566_h{heading}_p0_f90.jpg")
    _jpeg(root / "test/h0/jpn/139.6503_35.6762_h0_p0_f90.jpg")
    _jpeg(root / "train/h0/usa/-74.006_40.7128_h0_p0_f90.jpg")
    (root / "test/h0/notes.txt").write_text("not an image")
    assert detect_dataset_format(root) == "llmgeo"
    store = Store(tmp_path / "f.duckdb")
    report = import_dataset(store, root, "folder", split="test")
    assert (report.n_samples, report.n_locations, report.n_countries) == (5, 2, 2)
    assert any("notes.txt" in s for s in report.skipped)
    samples = store.dataset_samples("folder").set_index("sample_id")
    paris = samples[samples["location_id"] == "2.3522_48.8566"]
    assert sorted(paris["heading"]) == [0, 90, 180, 270]
    assert samples.loc["139.6503_35.6762_h0_p0_f90.jpg", "true_lat"] == 35.6762
    assert samples["image_sha256"].str.len().eq(64).all()
    assert Path(samples["image_path"].iloc[0]).is_file()
    # the same folder again: nothing changes; other content under the name needs --replace
    assert import_dataset(store, root, "folder", split="test").unchanged
    _jpeg(root / "test/h0/deu/13.405_52.52_h0_p0_f90.jpg")
    with pytest.raises(StoreError, match="--replace"):
        import_dataset(store, root, "folder", split="test")
    assert import_dataset(store, root, "folder", split="test", replace=True).n_samples == 6


def test_manifest_rows_must_agree_with_their_path(tmp_path: Path) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text(
        "split,heading,country_iso3,lon,lat,path\n"
        "test,0,FRA,2.3522,48.8566,dataset/test/h0/fra/2.3522_48.8566_h0_p0_f90.jpg\n"
        "test,0,FRA,48.8566,2.3522,dataset/test/h0/fra/2.3522_48.8566_h90_p0_f90.jpg\n"
        "test,0,DEU,13.405,52.52,dataset/test/h0/fra/13.405_52.52_h0_p0_f90.jpg\n",
        encoding="utf-8",
    )
    store = Store(tmp_path / "m.duckdb")
    with pytest.raises(ImportValidationError) as err:
        import_dataset(store, manifest, "m")
    text = "\n".join(err.value.problems)
    assert "row 2:" in text and "h90" in text
    assert "row 3: country_iso3 disagree" in text
    assert store.list_datasets().empty
