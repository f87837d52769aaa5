"""The simulated demo: marked simulated, three distinct failure styles, images, removal, CLI."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from analysis.cli import main
from analysis.demo import DEMO_DATASET, SIM_MODELS, SIM_PROMPTS, load_demo, remove_demo
from analysis.metrics import compute_metrics
from analysis.store import DatasetMeta, Store


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Path]:
    root = tmp_path_factory.mktemp("demo")
    store = Store(root / "db.duckdb")
    load_demo(store, root / "cache", n_locations=120, seed=3)
    return store, root / "cache"


def _metrics(store: Store, run: str) -> dict[str, float]:
    return compute_metrics(store.run_frame(run))


def test_everything_is_marked_simulated(demo_store: tuple[Store, Path]) -> None:
    store, _ = demo_store
    runs = store.list_runs()
    assert len(runs) == len(SIM_MODELS) * len(SIM_PROMPTS)
    assert runs["is_simulated"].all()
    assert runs["name"].str.startswith("sim-").all()
    datasets = store.list_datasets()
    assert datasets.loc[datasets["name"] == DEMO_DATASET, "is_simulated"].item()


def test_samples_spread_over_many_countries_with_headings(demo_store: tuple[Store, Path]) -> None:
    store, _ = demo_store
    samples = store.dataset_samples(DEMO_DATASET)
    assert samples["location_id"].nunique() == 120
    assert samples["true_country"].nunique() >= 40
    assert samples.groupby("location_id").size().max() == 4
    assert set(samples["heading"]) == {0, 90, 180, 270}


def test_truth_points_lie_in_their_country(demo_store: tuple[Store, Path]) -> None:
    from analysis.geo.countries import country_of_points

    samples = demo_store[0].dataset_samples(DEMO_DATASET)
    found = country_of_points(samples["true_lat"].to_numpy(), samples["true_lon"].to_numpy())
    assert (pd.Series(found) == samples["true_country"].to_numpy()).mean() > 0.97


def test_models_have_distinct_failure_styles(demo_store: tuple[Store, Path]) -> None:
    store, _ = demo_store
    neighbour = _metrics(store, "sim-neighbour-basic")
    refuser = _metrics(store, "sim-refuser-basic")
    faroff = _metrics(store, "sim-faroff-basic")
    assert refuser["refusal_rate"] > 0.25 > neighbour["refusal_rate"]
    assert refuser["answered_accuracy"] > refuser["country_accuracy"] + 0.2
    assert faroff["median_km"] > 3 * neighbour["median_km"]
    assert faroff["continent_accuracy"] < neighbour["continent_accuracy"] - 0.2
    # the neighbour-confuser's mistakes stay near: most wrong guesses are on the right continent
    frame = store.run_frame("sim-neighbour-basic")
    wrong = frame[(frame["status"] == "ok") & (frame["pred_country"] != frame["true_country"])]
    assert (wrong["distance_km"] < 2500).mean() > 0.7
    # 'must answer' cuts refusals
    assert _metrics(store, "sim-refuser-must")["refusal_rate"] < refuser["refusal_rate"] / 2


def test_raw_responses_name_the_guess(demo_store: tuple[Store, Path]) -> None:
    store, _ = demo_store
    guesses = store.sample_predictions(
        DEMO_DATASET, store.dataset_samples(DEMO_DATASET)["sample_id"].iloc[0]
    )
    assert len(guesses) == 9
    ok = guesses[guesses["status"] == "ok"]
    assert ok["raw_response"].str.len().gt(10).all()


def test_placeholder_images_exist_and_decode(demo_store: tuple[Store, Path]) -> None:
    store, cache = demo_store
    samples = store.dataset_samples(DEMO_DATASET)
    paths = [Path(p) for p in samples["image_path"]]
    assert all(p.is_file() and p.parent == cache / "demo_images" for p in paths)
    with Image.open(paths[0]) as image:
        assert image.size == (384, 256)


def test_demo_is_deterministic(tmp_path: Path) -> None:
    a, b = Store(tmp_path / "a.duckdb"), Store(tmp_path / "b.duckdb")
    load_demo(a, tmp_path / "c", n_locations=15, seed=5, with_images=False)
    load_demo(b, tmp_path / "c", n_locations=15, seed=5, with_images=False)
    fa, fb = a.run_frame("sim-faroff-tips"), b.run_frame("sim-faroff-tips")
    pd.testing.assert_frame_equal(fa, fb)


def test_remove_keeps_real_data(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.duckdb")
    store.ingest_samples(
        DatasetMeta(name="real"),
        pd.DataFrame(
            {
                "sample_id": ["x"],
                "location_id": ["x"],
                "true_lat": [1.0],
                "true_lon": [2.0],
                "true_country": ["FRA"],
            }
        ),
    )
    load_demo(store, tmp_path / "cache", n_locations=12, seed=1)
    assert (tmp_path / "cache" / "demo_images").is_dir()
    assert remove_demo(store, tmp_path / "cache") > 0
    assert store.list_runs().empty
    assert store.list_datasets()["name"].tolist() == ["real"]
    assert not (tmp_path / "cache" / "demo_images").exists()


def test_cli_loads_and_removes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GEOSCOPE_CACHE", str(tmp_path / "cache"))
    db = tmp_path / "cli.duckdb"
    assert main(["--db", str(db), "demo", "--locations", "12"]) == 0
    assert "SIMULATED" in capsys.readouterr().out
    assert len(Store(db).list_runs()) == 9
    assert main(["--db", str(db), "demo", "--remove"]) == 0
    assert Store(db).list_runs().empty
    assert main(["--db", str(db), "demo", "--locations", "3"]) == 1
    assert "--locations" in capsys.readouterr().err
