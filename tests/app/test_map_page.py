"""AppTest of the failure map: line modes, linked table, the detail panel's honesty, URL keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from analysis.store import DatasetMeta, RunMeta, Store
from analysis.types import CoordsSource, Prediction, PredictionStatus
from pages._registry import page_by_url
from tests.app.conftest import assert_clean, decks, layers_of, new_app, texts

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.slow

LONG_RUN = "a-very-long-run-name-" + "x" * 60


@pytest.fixture(scope="module")
def rich_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Demo (20 places) plus a CSV-like real dataset: no headings, no raw text, two runs."""
    from analysis.demo import load_demo

    root = tmp_path_factory.mktemp("h8")
    store = Store(root / "geoscope.duckdb")
    load_demo(store, root / "cache", n_locations=20, seed=3)
    samples = pd.DataFrame(
        {
            "sample_id": ["c1", "c2", "c3"],
            "true_lat": [48.85, 52.52, 64.8],
            "true_lon": [2.35, 13.40, -147.7],
            "true_country": ["FRA", "DEU", "USA"],
        }
    )
    store.ingest_samples(DatasetMeta(name="csv-set", kind="csv"), samples)
    for run, model in ((LONG_RUN, "openai/gpt-4o"), ("csv-b", "llava")):
        store.create_run(RunMeta(name=run, dataset="csv-set", model=model, prompt_strategy="basic"))
        store.add_predictions(
            run,
            [
                Prediction("c1", None, PredictionStatus.OK, "DEU", 52.0, 13.0, CoordsSource.MODEL),
                Prediction("c2", None, PredictionStatus.OK, "DEU", 52.5, 13.4, CoordsSource.MODEL),
                Prediction("c3", None, PredictionStatus.OK, "NOR", 69.6, 18.9, CoordsSource.MODEL),
            ],
        )
    return root / "geoscope.duckdb", root / "cache"


@pytest.fixture()
def rich_env(rich_db: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("GEOSCOPE_DB", str(rich_db[0]))
    monkeypatch.setenv("GEOSCOPE_CACHE", str(rich_db[1]))
    yield rich_db[0]


def _map(params: dict[str, object]) -> AppTest:
    at = new_app()
    at.query_params.update(params)
    at.switch_page(page_by_url("map").file)
    at.run()
    assert_clean(at)
    return at


def _n_lines(at: AppTest) -> int:
    layers = layers_of(decks(at)[0])
    return sum(len(v["data"]) for k, v in layers.items() if k.startswith("err-"))


def _qp(at: AppTest, key: str) -> list[str]:
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def test_default_draws_the_worst_20_lines_and_modes_change_it(rich_env: Path) -> None:
    runs = ["sim-faroff-basic", "sim-neighbour-basic"]
    at = _map({"dataset": "sim-demo", "runs": runs})
    assert 20 <= _n_lines(at) <= 24  # 20 lines; an antimeridian crossing adds a piece
    layers = layers_of(decks(at)[0])
    n_images = Store(rich_env).run_frame(runs[0])["sample_id"].nunique()
    assert len(layers["truth"]["data"]) == n_images  # every point is still drawn
    at.number_input(key="map_worst_n").set_value(5).run()
    assert 5 <= _n_lines(at) <= 8 and _qp(at, "worst") == ["5"]
    frame = Store(rich_env).runs_frame(runs)
    country = frame["true_country"].value_counts().index[0]
    at.radio(key="map_lines").set_value("country").run()
    at.selectbox(key="map_line_country").set_value(country).run()
    assert_clean(at)
    expected = frame[(frame["true_country"] == country) & frame["pred_lat"].notna()]
    assert len(expected) <= _n_lines(at) <= len(expected) + 4
    assert _qp(at, "lines") == ["country"] and _qp(at, "line_country") == [country]


def test_detail_lists_only_selected_runs_and_says_when_no_raw_text(rich_env: Path) -> None:
    at = _map({"dataset": "csv-set", "runs": [LONG_RUN], "sample": "c1"})
    shown = texts(at)
    assert "<NA>" not in shown and "heading" not in shown.split("Truth:")[1].split("\n")[0]
    detail = at.dataframe[1].value
    assert list(detail["run"]) == [LONG_RUN]  # csv-b exists but is not selected
    assert "gpt-4o · basic" in list(detail["label"])
    assert not [c for c in at.code if c.value == ""]  # no empty raw-response box
    assert "No raw text stored for this run" in shown


def test_worst_table_puts_the_error_first_with_a_short_label(rich_env: Path) -> None:
    at = _map({"dataset": "csv-set", "runs": [LONG_RUN, "csv-b"]})
    table = at.dataframe[0].value
    assert list(table.columns[:2]) == ["distance_km", "label"]
    assert set(table["label"]) == {"gpt-4o · basic", "llava · basic"}
    assert LONG_RUN in set(table["run"])  # the full name stays, last


def test_map_controls_round_trip_through_the_url(rich_env: Path) -> None:
    params: dict[str, object] = {
        "dataset": "sim-demo",
        "runs": ["sim-neighbour-basic"],
        "continent": ["Europe"],
        "outcome": "wrong",
        "lines": "all",
        "min_km": "200",
        "max_km": "5000",
        "status": ["ok"],
    }
    at = _map(params)
    assert at.radio(key="map_lines").value == "all"
    assert at.radio(key="map_outcome").value == "wrong"
    assert at.multiselect(key="map_continent").value == ["Europe"]
    assert tuple(at.select_slider(key="map_err").value) == (200, 5000)
    for key, value in params.items():
        assert _qp(at, key) == ([value] if isinstance(value, str) else value), key


def test_alias_set_on_the_data_page_is_used_on_the_map(
    rich_db: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    db = tmp_path / "copy.duckdb"
    shutil.copy(rich_db[0], db)
    monkeypatch.setenv("GEOSCOPE_DB", str(db))
    monkeypatch.setenv("GEOSCOPE_CACHE", str(rich_db[1]))
    at = new_app()
    at.switch_page(page_by_url("data").file)
    at.run()
    at.selectbox(key="alias_run").set_value("csv-b").run()
    at.text_input(key="alias_text_csv-b").input("LLaVA baseline")
    at.button[[b.label for b in at.button].index("Save")].click().run()
    assert_clean(at)
    runs = at.dataframe[1].value
    assert runs.loc[runs["name"] == "csv-b", "label"].item() == "LLaVA baseline"
    at = _map({"dataset": "csv-set", "runs": ["csv-b"]})
    assert set(at.dataframe[0].value["label"]) == {"LLaVA baseline"}


def test_an_area_box_filters_map_and_table_and_round_trips(rich_env: Path) -> None:
    """The map's box selection: images outside it leave the table and the map; the link keeps it."""
    at = _map({"dataset": "csv-set", "runs": [LONG_RUN], "box": "40,60,-10,20"})  # Europe
    assert at.slider(key="map_box_lat").value == (40, 60)
    assert at.slider(key="map_box_lon").value == (-10, 20)
    assert set(at.dataframe[0].value["sample_id"]) == {"c1", "c2"}  # Alaska's c3 is outside
    assert _qp(at, "box") == ["40,60,-10,20"]
    at.slider(key="map_box_lat").set_value((40, 70)).run()
    at.slider(key="map_box_lon").set_value((-180, -100)).run()  # now only Alaska
    assert set(at.dataframe[0].value["sample_id"]) == {"c3"}
    assert _qp(at, "box") == ["40,70,-180,-100"]
    at.slider(key="map_box_lat").set_value((-90, 90)).run()
    at.slider(key="map_box_lon").set_value((-180, 180)).run()  # the whole world: no box
    assert _qp(at, "box") == [] and len(at.dataframe[0].value) == 3
