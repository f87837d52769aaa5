"""Metrics against figures published with real data (../shared/data/README.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.metrics import compute_metrics

ACC_KEYS = ["acc_1km", "acc_25km", "acc_200km", "acc_750km", "acc_2500km"]


def _osv_frame(shared_data: Path, suffix: str) -> pd.DataFrame:
    raw = pd.read_csv(shared_data / "osv5m" / "select.csv")
    # coordinates only, no distance column: the metrics must compute distances themselves
    return pd.DataFrame(
        {
            "sample_id": raw["id"].astype(str),
            "status": "ok",
            "true_lat": raw["true_lat"],
            "true_lon": raw["true_lon"],
            "pred_lat": raw[f"pred_lat{suffix}"],
            "pred_lon": raw[f"pred_lon{suffix}"],
        }
    )


def test_osv5m_best_model_matches_published_summary(shared_data: Path) -> None:
    m = compute_metrics(_osv_frame(shared_data, ""))
    assert m["n"] == 50
    assert m["median_km"] == pytest.approx(361.58, abs=0.005)
    assert [m[k] for k in ACC_KEYS] == pytest.approx([0.02, 0.12, 0.36, 0.66, 0.86], abs=1e-12)
    assert m["geoguessr_mean"] == pytest.approx(3290.73, abs=0.005)
    assert m["coords_coverage"] == 1.0


def test_osv5m_base_model_matches_published_summary(shared_data: Path) -> None:
    m = compute_metrics(_osv_frame(shared_data, "_base"))
    assert m["median_km"] == pytest.approx(1554.52, abs=0.005)
    assert m["geoguessr_mean"] == pytest.approx(1778.50, abs=0.005)


def test_osv5m_scores_and_distances_agree_with_the_file(shared_data: Path) -> None:
    raw = pd.read_csv(shared_data / "osv5m" / "select.csv")
    m = compute_metrics(_osv_frame(shared_data, ""))
    # the file's own per-image distance/score columns, averaged independently
    assert m["mean_km"] == pytest.approx(raw["distance"].mean(), rel=1e-9)
    assert m["geoguessr_mean"] == pytest.approx(raw["score"].mean(), rel=1e-9)


def _clip_knn_frame(shared_data: Path) -> pd.DataFrame:
    raw = pd.read_csv(shared_data / "llmgeo" / "clip_knn5_h0.csv")
    # the README's reference figures cover the 250 h0 test images, not the 3 extra h180 rows
    raw = raw[raw["test_path"].str.contains("/h0/", regex=False)].reset_index(drop=True)
    assert len(raw) == 250
    return pd.DataFrame(
        {
            "sample_id": raw["test_path"],
            "location_id": raw["test_path"],
            "heading": 0,
            "status": "ok",
            "true_lat": raw["test_lat"],
            "true_lon": raw["test_lon"],
            "true_country": raw["test_country_iso3"],
            "pred_lat": raw["nn1_lat"],
            "pred_lon": raw["nn1_lon"],
            "pred_country": raw["nn1_country_iso3"],
        }
    )


def test_llmgeo_clip_nearest_neighbour_baseline(shared_data: Path) -> None:
    m = compute_metrics(_clip_knn_frame(shared_data))
    assert m["n"] == 250
    assert m["country_accuracy"] == pytest.approx(0.328, abs=1e-12)
    assert [m[k] for k in ACC_KEYS] == pytest.approx([0.000, 0.008, 0.068, 0.300, 0.552], abs=1e-12)
    assert m["median_km"] == pytest.approx(1963, abs=0.5)  # published rounded to whole km
    # a retrieval baseline always answers: coverage 1, so both accuracies coincide
    assert m["answered_rate"] == 1.0
    assert m["answered_accuracy"] == m["country_accuracy"]
