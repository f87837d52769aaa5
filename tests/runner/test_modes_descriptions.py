"""Stored descriptions: one row per key, and none reused after the dataset is replaced."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.store import DatasetMeta, Store
from analysis.store.descriptions import load_descriptions, save_descriptions


def _samples(path: str) -> pd.DataFrame:
    return pd.DataFrame(
        {"sample_id": ["a", "b"], "true_lat": [1.0, 2.0], "true_lon": [3.0, 4.0],
         "image_path": [f"{path}/a.jpg", f"{path}/b.jpg"]}
    )  # fmt: skip


def test_saving_again_replaces_and_a_replaced_dataset_is_described_afresh(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.duckdb")
    store.ingest_dataset(DatasetMeta(name="d"), _samples("old"))
    save_descriptions(store, "d", "preset:x", "h", {"a": "first", "b": "bee"})
    save_descriptions(store, "d", "preset:x", "h", {"a": "second"})
    assert load_descriptions(store, "d", "preset:x", "h") == {"a": "second", "b": "bee"}
    assert load_descriptions(store, "d", "preset:y", "h") == {}  # another describer
    assert load_descriptions(store, "d", "preset:x", "other") == {}  # another describe prompt
    # new images under the same ids: the old descriptions describe other pictures
    store.ingest_dataset(DatasetMeta(name="d"), _samples("new"), replace=True)
    assert load_descriptions(store, "d", "preset:x", "h") == {}
    save_descriptions(store, "d", "preset:x", "h", {"a": "third"})
    assert load_descriptions(store, "d", "preset:x", "h") == {"a": "third"}
