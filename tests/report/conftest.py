"""Real-data stores for the report: the LLMGeo CLIP baseline and the two OSV-5M runs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.datasets import import_dataset
from analysis.importers import ImportOptions, import_predictions
from analysis.store import Store


def load_real_runs(
    store: Store, shared_data: Path, work: Path, full_manifest: bool = False
) -> None:
    """Import the LLMGeo test set, its CLIP nn1 baseline (h0) and the two OSV-5M runs.

    ``full_manifest`` adds a run over all 998 images (82 true countries), a guess per image
    taken from the next image in the file, to exercise the full confusion matrix.
    """
    manifest = shared_data / "llmgeo" / "test_manifest.csv"
    import_dataset(store, manifest, "llmgeo-test")
    knn = pd.read_csv(shared_data / "llmgeo" / "clip_knn5_h0.csv")
    knn = knn[knn["test_path"].str.contains("/h0/")]
    clip = work / "clip.csv"
    pd.DataFrame({
        "sample_id": knn["test_path"].str.rsplit("/", n=1).str[-1],
        "pred_lat": knn["nn1_lat"], "pred_lon": knn["nn1_lon"],
        "pred_country": knn["nn1_country_iso3"],
    }).to_csv(clip, index=False)  # fmt: skip
    import_predictions(
        store, clip, ImportOptions(run="llmgeo-clip-nn1", dataset="llmgeo-test", model="clip")
    )
    select = shared_data / "osv5m" / "select.csv"
    base = {"sample_id": "id", "true_country": "country"}
    import_predictions(store, select, ImportOptions(run="osv-best", model="osv5m", column_map=base))
    import_predictions(
        store,
        select,
        ImportOptions(
            run="osv-base",
            dataset="osv-best",
            model="osv5m-base",
            column_map={
                **base,
                "pred_lat": "pred_lat_base",
                "pred_lon": "pred_lon_base",
                "pred_country": "pred_country_base",
            },  # fmt: skip
        ),
    )
    if full_manifest:
        rows = pd.read_csv(manifest)
        shifted = rows.iloc[list(range(7, len(rows))) + list(range(7))].reset_index(drop=True)
        every = work / "every.csv"
        pd.DataFrame({
            "sample_id": rows["path"].str.rsplit("/", n=1).str[-1],
            "pred_lat": shifted["lat"], "pred_lon": shifted["lon"],
            "pred_country": shifted["country_iso3"],
        }).to_csv(every, index=False)  # fmt: skip
        import_predictions(
            store, every, ImportOptions(run="llmgeo-every", dataset="llmgeo-test", model="shift7")
        )


@pytest.fixture(scope="session")
def real_store(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A store with the real runs (built once per session)."""
    root = tmp_path_factory.mktemp("real")
    store = Store(root / "geoscope.duckdb")
    load_real_runs(store, shared_data, root)
    return store
