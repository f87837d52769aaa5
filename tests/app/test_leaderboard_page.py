"""Leaderboard page (AppTest): one table and CI chart per dataset, every run, URL state, CSV."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pytest

from analysis.dashboard import leaderboard as lbm
from analysis.dashboard.names import NO_PROMPT
from analysis.store import DatasetMeta, RunMeta, Store
from analysis.types import CoordsSource, Prediction, PredictionStatus
from tests.app.conftest import REAL_DATASET, REAL_RUN, assert_clean, figures, new_app

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

N_MANY = 23  # more runs than the old forest plot's silent cap of 20


def _forests(at: AppTest) -> list[dict[str, Any]]:
    return [f for f in figures(at) if "95% CI" in str(f["layout"].get("title", {}).get("text"))]


@pytest.fixture(scope="module")
def many_runs_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real dataset of 6 images with 23 runs (one of them a retrieval baseline)."""
    root = tmp_path_factory.mktemp("lb")
    store = Store(root / "geoscope.duckdb")
    samples = pd.DataFrame(
        {
            "sample_id": [f"s{i}" for i in range(6)],
            "true_lat": [48.85, 52.52, -33.87, 40.4, 35.7, -23.5],
            "true_lon": [2.35, 13.40, 151.21, -3.7, 139.7, -46.6],
            "true_country": ["FRA", "DEU", "AUS", "ESP", "JPN", "BRA"],
        }
    )
    store.ingest_samples(DatasetMeta(name="six", kind="csv"), samples)
    rng = np.random.default_rng(3)
    for k in range(N_MANY):
        adapter = "retrieval" if k == 0 else "openai_compat"
        name = "clip-knn" if k == 0 else f"model-{k:02d}-basic"
        store.create_run(
            RunMeta(name=name, dataset="six", model=name, adapter=adapter, prompt_strategy="basic")
        )
        preds = []
        columns = ("sample_id", "true_country", "true_lat", "true_lon")
        for sample_id, country, true_lat, true_lon in samples[list(columns)].to_numpy().tolist():
            lat = float(true_lat) + rng.normal(0, 3)
            lon = float(true_lon) + rng.normal(0, 3)
            preds.append(
                Prediction(
                    str(sample_id),
                    "x",
                    PredictionStatus.OK,
                    str(country),
                    lat,
                    lon,
                    CoordsSource.MODEL,
                )  # fmt: skip
            )
        store.add_predictions(name, preds)
    return root / "geoscope.duckdb"


def test_each_dataset_gets_its_own_table_and_interval_chart(app_env: tuple[Path, Path]) -> None:
    db, _ = app_env
    runs = Store(db).list_runs()
    at = new_app()
    at.run()
    assert_clean(at)
    # one headline table per dataset, real data first (old: one table mixing n=4 and n=60 runs)
    tables = [t.value for t in at.dataframe][:2]
    assert len(tables[0]) == 1 and tables[0]["run"].iloc[0] == "real-model · basic"
    assert len(tables[1]) == int((runs["dataset"] == "sim-demo").sum())
    forests = _forests(at)
    assert len(forests) == 2  # two datasets, two CI axes
    assert "real-mini" in forests[0]["layout"]["title"]["text"]
    assert "SIMULATED" not in forests[0]["layout"]["title"]["text"]
    assert "(SIMULATED data)" in forests[1]["layout"]["title"]["text"]
    # values are numbers (sortable), shares in percent
    assert tables[1]["country_accuracy"].between(0, 100).all()


def test_headline_table_is_compact(app_env: tuple[Path, Path]) -> None:
    at = new_app()
    at.run()
    columns = list(at.dataframe[0].value.columns)
    # run, model, prompt and the 8 headline metrics; no dataset/data columns, no brackets
    assert columns[:3] == ["run", "model", "prompt"] and len(columns) <= 11, columns
    assert "dataset" not in columns and "data" not in columns


def test_every_run_is_charted_and_retrieval_has_no_prompt(
    many_runs_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GEOSCOPE_DB", str(many_runs_db))
    monkeypatch.setenv("GEOSCOPE_CACHE", str(many_runs_db.parent / "cache"))
    at = new_app()
    at.run()
    assert_clean(at)
    (forest,) = _forests(at)
    labels = {y for trace in forest["data"] for y in trace["y"]}
    assert len(labels) == N_MANY  # old: the first 20 only, silently
    table = at.dataframe[0].value
    assert table.loc[table["model"] == "clip-knn", "prompt"].tolist() == [NO_PROMPT]
    assert "clip-knn · no prompt" in labels and "clip-knn · basic" not in labels


def test_dataset_filter_travels_in_the_url(app_env: tuple[Path, Path]) -> None:
    at = new_app()
    at.query_params["datasets"] = "sim-demo"
    at.run()
    assert_clean(at)
    assert at.multiselect(key="lb_dataset").value == ["sim-demo"]
    assert len(_forests(at)) == 1 and REAL_RUN not in str(at.dataframe[0].value)
    at.multiselect(key="lb_dataset").set_value([REAL_DATASET]).run()
    assert at.query_params["datasets"] in (REAL_DATASET, [REAL_DATASET])


def test_csv_has_intervals_only_for_metrics_that_have_one(app_env: tuple[Path, Path]) -> None:
    db, _ = app_env
    store = Store(db)
    runs = store.list_runs()
    row = runs[runs["name"] == REAL_RUN]
    summary = lbm.summarize_run(store.run_frame(REAL_RUN), REAL_RUN, n_resamples=50)
    csv = lbm.export_frame(lbm.leaderboard_frame(row, {REAL_RUN: summary}))
    assert "n" in csv and not {"n__low", "n__high", "n_ci95_low", "n_ci95_high"} & set(csv)
    assert {"country_accuracy_ci95_low", "country_accuracy_ci95_high"} <= set(csv.columns)
    assert not any("__" in c for c in csv.columns)
    assert csv["run"].tolist() == [REAL_RUN] and csv["label"].tolist() == ["real-model · basic"]
