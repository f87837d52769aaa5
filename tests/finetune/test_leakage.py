"""Leakage guard: shared location ids, nearby coordinates and identical images are refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import ConfigError
from analysis.finetune.config import CARD_NAME
from analysis.finetune.leakage import LeakageError, find_overlap, guard, keys_from_records
from analysis.finetune.lineage import SampleKey, read_samples, write_samples
from analysis.models.presets import ModelPreset
from analysis.runner import RunConfig
from analysis.runner.prepare import prepare_run
from analysis.store import DatasetMeta, Store
from tests.support.datasets import gps_jpeg


def _key(sid: str, lat: float, lon: float, **extra: str) -> SampleKey:
    return SampleKey(sample_id=sid, dataset="a", split="train", lat=lat, lon=lon, **extra)


def test_each_kind_of_overlap_is_found_and_nothing_else() -> None:
    train = [
        _key("t1", 48.8566, 2.3522, location_id="paris"),
        _key("t2", -33.9, 18.4, image_sha256="f" * 64),
        _key("t3", 35.0, 139.0),
    ]
    evaluation = [
        SampleKey("e1", "a", "test", location_id="paris", lat=10.0, lon=10.0),  # same id
        SampleKey("e2", "b", "test", location_id="paris", lat=20.0, lon=20.0),  # other dataset
        SampleKey("e3", "a", "test", lat=35.005, lon=139.005),  # ~0.7 km from t3
        SampleKey("e4", "a", "test", lat=35.02, lon=139.0),  # ~2.2 km: outside 1 km
        SampleKey("e5", "b", "test", lat=0.0, lon=0.0, image_sha256="f" * 64),  # same image
        SampleKey("e6", "a", "test", lat=48.8566, lon=-177.0),  # same latitude, far away
    ]
    overlap = find_overlap(train, evaluation, radius_km=1.0)
    assert overlap.same_location_id == {"a/test/e1"}
    assert overlap.near_coords == {"a/test/e3"}
    assert overlap.same_image == {"b/test/e5"}
    record = overlap.record(override=True)
    assert (record["overlapping_samples"], record["checked_samples"]) == (3, 6)
    assert record["override"] is True
    assert find_overlap(train, evaluation, radius_km=3.0).near_coords == {"a/test/e3", "a/test/e4"}


def test_coordinates_across_the_antimeridian_are_near() -> None:
    train = [_key("t", 0.0, 179.9995)]
    overlap = find_overlap(train, [SampleKey("e", "a", "test", lat=0.0, lon=-179.9995)])
    assert overlap.near_coords == {"a/test/e"}


def test_guard_refuses_without_the_override_and_records_it_with() -> None:
    overlap = find_overlap([_key("t", 1.0, 1.0)], [SampleKey("e", "a", "test", lat=1.0, lon=1.0)])
    with pytest.raises(LeakageError, match="1 of 1 samples of a/test overlap.*--allow-leakage"):
        guard(overlap, allow=False, evaluated="a/test", trained="a/train")
    assert isinstance(LeakageError("x"), ConfigError)  # the CLI prints it, no traceback
    assert guard(overlap, allow=True, evaluated="a/test", trained="a/train")["override"] is True
    clean = find_overlap([_key("t", 1.0, 1.0)], [SampleKey("e", "a", "test", lat=9.0, lon=9.0)])
    assert guard(clean, allow=True, evaluated="a/test", trained="a/train")["override"] is False


def test_missing_image_hashes_are_computed_from_the_files(tmp_path: Path) -> None:
    image = tmp_path / "x.jpg"
    image.write_bytes(gps_jpeg((10, 20, 30), 1.0, 2.0))
    rows = [{"sample_id": "s", "image_path": "x.jpg", "true_lat": 1.0, "true_lon": 2.0}]
    (key,) = keys_from_records(rows, "d", [tmp_path])
    import hashlib

    assert key.image_sha256 == hashlib.sha256(image.read_bytes()).hexdigest()
    assert (key.lat, key.lon, key.dataset) == (1.0, 2.0, "d")


def _store_with(tmp_path: Path) -> tuple[Store, Path]:
    """Dataset ``d``: train t1..t3 and test e1 (t1's location), e2 (t2's copy), e3 (near t3)."""
    folder = tmp_path / "img"
    folder.mkdir()
    rows = []
    spec = [
        ("t1", "train", "loc1", 10.0, 10.0, (200, 0, 0)),
        ("t2", "train", "loc2", 20.0, 20.0, (0, 200, 0)),
        ("t3", "train", "loc3", 30.0, 30.0, (0, 0, 200)),
        ("e1", "test", "loc1", 40.0, 40.0, (90, 90, 0)),
        ("e2", "test", "loc9", 50.0, 50.0, None),  # a byte copy of t2's image
        ("e3", "test", "loc8", 30.003, 30.003, (0, 90, 90)),
        ("e4", "test", "loc7", -40.0, -60.0, (30, 30, 30)),  # clean
    ]
    for sid, split, loc, lat, lon, colour in spec:
        path = folder / f"{sid}.jpg"
        if colour is None:
            shutil.copy(folder / "t2.jpg", path)
        else:
            path.write_bytes(gps_jpeg(colour, lat, lon))
        rows.append(
            {"sample_id": sid, "location_id": loc, "true_lat": lat, "true_lon": lon,
             "true_country": None, "split": split, "image_path": str(path)}
        )  # fmt: skip
    store = Store(tmp_path / "db.duckdb")
    store.ingest_samples(DatasetMeta(name="d", kind="synthetic"), pd.DataFrame(rows))
    return store, folder


def _finetuned_folder(tmp_path: Path, store: Store) -> Path:
    folder = tmp_path / "ft"
    folder.mkdir()
    card = {"base_model": "base", "dataset": "d", "split": "train", "method": "full",
            "created_at": "2026-01-02T03:04:05+00:00"}  # fmt: skip
    (folder / CARD_NAME).write_text(json.dumps(card))
    train = store.dataset_samples("d")
    train = train[train["split"] == "train"]
    write_samples(folder, keys_from_records(train.to_dict("records"), "d"))
    assert [k.sample_id for k in read_samples(folder) or []] == ["t1", "t2", "t3"]
    return folder


def _config(folder: Path, split: str | None, allow: bool = False) -> RunConfig:
    preset = ModelPreset(name="ft", adapter="hf_local", model=str(folder))
    return RunConfig(
        dataset="d", preset=preset, prompt="basic", form="coords", split=split,
        allow_leakage=allow,
    )  # fmt: skip


def test_run_of_a_finetuned_model_refuses_overlapping_samples(tmp_path: Path) -> None:
    store, _ = _store_with(tmp_path)
    folder = _finetuned_folder(tmp_path, store)
    with pytest.raises(LeakageError) as caught:
        prepare_run(_config(folder, "test"), store)
    message = str(caught.value)
    assert "3 of 4 samples of d/test overlap" in message
    assert (
        "1 share a location id, 1 lie within 1 km" in message and "1 have an identical" in message
    )
    with pytest.raises(LeakageError, match="3 of 3 samples of d/train"):  # its own training split
        prepare_run(_config(folder, "train"), store)

    prepared = prepare_run(_config(folder, "test", allow=True), store)
    record = prepared.run_meta.params["finetune"]["leakage"]
    assert record["override"] is True and record["overlapping_samples"] == 3
    assert prepared.run_meta.params["finetune"]["created_at"] == "2026-01-02T03:04:05+00:00"


def test_run_on_a_clean_split_records_the_check(tmp_path: Path) -> None:
    store, _ = _store_with(tmp_path)
    folder = _finetuned_folder(tmp_path, store)
    frame = store.dataset_samples("d")
    keep = frame[frame["sample_id"] == "e4"].assign(split="holdout")
    store.ingest_samples(DatasetMeta(name="d2", kind="synthetic"), keep)
    config = RunConfig(
        dataset="d2", preset=_config(folder, None).preset, prompt="basic", form="coords"
    )
    record = prepare_run(config, store).run_meta.params["finetune"]["leakage"]
    assert record["checked"] is True and record["overlapping_samples"] == 0
    assert record["override"] is False
