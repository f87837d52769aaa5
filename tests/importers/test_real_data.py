"""Real third-party files through the importers, checked against independently published figures.

References (../shared/data/README.md): OSV-5M ``select.csv`` best model median 361.58 km,
accuracy 0.02/0.12/0.36/0.66/0.86 at 1/25/200/750/2500 km, mean GeoGuessr 3290.73; base model
median 1554.52 km, mean 1778.50; the file's own per-row ``distance`` and ``score`` columns.
LLMGeo CLIP nearest neighbour on the 250 h0 test images: country accuracy 0.328, accuracy
0.000/0.008/0.068/0.300/0.552, median 1963 km.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.datasets import import_dataset
from analysis.errors import ImportValidationError
from analysis.geo.distance import geoguessr_score
from analysis.importers import ImportOptions, import_predictions
from analysis.store import Store

OSV_MAP = {"sample_id": "id", "true_country": "country"}
THRESHOLDS_KM = (1, 25, 200, 750, 2500)


def _accuracies(distance_km: pd.Series) -> list[float]:
    return [float((distance_km <= k).mean()) for k in THRESHOLDS_KM]


def test_osv5m_select_reproduces_published_figures(shared_data: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "osv.duckdb")
    path = shared_data / "osv5m" / "select.csv"
    import_predictions(store, path, ImportOptions(run="best", dataset="osv", column_map=OSV_MAP))
    base_map = {**OSV_MAP, "pred_lat": "pred_lat_base", "pred_lon": "pred_lon_base",
                "pred_country": "pred_country_base"}  # fmt: skip
    import_predictions(store, path, ImportOptions(run="base", dataset="osv", column_map=base_map))

    best = store.run_frame("best")
    assert len(best) == 50
    assert best["distance_km"].median() == pytest.approx(361.58, abs=0.005)
    assert _accuracies(best["distance_km"]) == pytest.approx([0.02, 0.12, 0.36, 0.66, 0.86])
    assert np.mean(geoguessr_score(best["distance_km"].to_numpy())) == pytest.approx(
        3290.73, abs=0.005
    )
    base = store.run_frame("base")
    assert base["distance_km"].median() == pytest.approx(1554.52, abs=0.005)
    assert np.mean(geoguessr_score(base["distance_km"].to_numpy())) == pytest.approx(
        1778.50, abs=0.005
    )

    # per row: the stored distance equals the one OSV-5M published in the file
    published = pd.read_csv(path, dtype={"id": str}).set_index("id")
    stored = best.set_index("sample_id")
    np.testing.assert_allclose(
        stored["distance_km"], published.loc[stored.index, "distance"], rtol=0, atol=1e-6
    )
    # ISO2 truth/guess columns became ISO3; both runs share one dataset
    assert stored.loc["297765091851450", "true_country"] == "NZL"
    assert store.list_datasets()["n_runs"].tolist() == [2]


def test_osv5m_radians_file_is_refused(shared_data: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "rad.duckdb")
    path = shared_data / "osv5m" / "select_radians_bug.csv"
    with pytest.raises(ImportValidationError) as err:
        import_predictions(store, path, ImportOptions(run="rad", column_map=OSV_MAP))
    assert "radians" in str(err.value.problems)
    assert store.list_runs().empty and store.list_datasets().empty


def test_osv5m_lonlat_file_needs_the_right_mapping(shared_data: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "ll.duckdb")
    path = shared_data / "osv5m" / "select_71_lonlat.csv"
    right = {"sample_id": "id", "true_lat": "latitude", "true_lon": "longitude",
             "pred_lat": "pred_latitude", "pred_lon": "pred_longitude"}  # fmt: skip
    swapped = {**right, "true_lat": "longitude", "true_lon": "latitude"}
    with pytest.raises(ImportValidationError, match="refused") as err:
        import_predictions(store, path, ImportOptions(run="x", column_map=swapped))
    assert "outside [-90, 90]" in str(err.value.problems)
    assert "look swapped" in str(err.value.problems)  # 20 of 71 rows overflow, all swap-shaped
    radians = {**right, "true_lat": "lat_radians", "true_lon": "lon_radians",
               "pred_lat": "pred_lat_radians", "pred_lon": "pred_lon_radians"}  # fmt: skip
    with pytest.raises(ImportValidationError) as err:
        import_predictions(store, path, ImportOptions(run="x", column_map=radians))
    assert "radians" in str(err.value.problems)
    report = import_predictions(store, path, ImportOptions(run="x", column_map=right))
    assert report.n_predictions == 71


def clip_baseline_csv(shared_data: Path, out: Path) -> Path:
    """Write the CLIP nearest-neighbour baseline (250 h0 images) as a generic prediction CSV."""
    knn = pd.read_csv(shared_data / "llmgeo" / "clip_knn5_h0.csv")
    knn = knn[knn["test_path"].str.contains("/h0/")]  # the published figures cover h0 only
    pd.DataFrame({
        "sample_id": knn["test_path"].str.rsplit("/", n=1).str[-1],  # LLMGeo keys by file name
        "true_lat": knn["test_lat"],
        "true_lon": knn["test_lon"],
        "pred_lat": knn["nn1_lat"],
        "pred_lon": knn["nn1_lon"],
        "pred_country": knn["nn1_country_iso3"],
    }).to_csv(out, index=False)  # fmt: skip
    return out


def test_llmgeo_manifest_and_clip_baseline(shared_data: Path, tmp_path: Path) -> None:
    from analysis.metrics import compute_metrics

    store = Store(tmp_path / "llmgeo.duckdb")
    manifest = shared_data / "llmgeo" / "test_manifest.csv"
    report = import_dataset(store, manifest, "llmgeo-test")
    raw = pd.read_csv(manifest, dtype=str)
    assert report.n_samples == len(raw) == 998
    assert report.n_countries == raw["country_iso3"].nunique() == 82
    # one location per distinct lon/lat text: in this test split every image is its own place
    assert report.n_locations == (raw["lon"] + "_" + raw["lat"]).nunique()
    samples = store.dataset_samples("llmgeo-test")
    assert samples["heading"].value_counts().to_dict() == {0: 250, 180: 250, 270: 250, 90: 248}
    assert set(samples["split"]) == {"test"}

    csv = clip_baseline_csv(shared_data, tmp_path / "clip.csv")
    run = import_predictions(store, csv, ImportOptions(run="clip-nn1", dataset="llmgeo-test"))
    assert run.n_predictions == 250 and not run.dataset_created
    metrics = compute_metrics(store.run_frame("clip-nn1"))
    assert metrics["country_accuracy"] == pytest.approx(0.328)
    assert [metrics[f"acc_{k}km"] for k in THRESHOLDS_KM] == pytest.approx(
        [0.000, 0.008, 0.068, 0.300, 0.552]
    )
    assert metrics["median_km"] == pytest.approx(1963, abs=0.5)
