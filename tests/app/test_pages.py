"""AppTest: every registered page renders cleanly; each page's widgets change what is drawn."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pytest

from analysis.store import Store
from pages._registry import PAGES, PageSpec, page_by_url
from tests.app.conftest import (
    REAL_RUN,
    TRICKY_RAW,
    assert_clean,
    decks,
    figures,
    layers_of,
    new_app,
    shared_components,
    shown,
    texts,
)

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.slow


def qp(at: AppTest, key: str) -> list[str]:
    """A query parameter as a list (AppTest gives one value as a plain string)."""
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


@pytest.mark.parametrize("page", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_renders_without_error(app_env: tuple[Path, Path], page: PageSpec) -> None:
    at = new_app()
    at.query_params.update(
        {"dataset": "sim-demo", "runs": ["sim-neighbour-basic", "sim-refuser-basic"]}
    )
    at.run()
    at.switch_page(page.file)
    at.run()
    assert_clean(at)
    assert at.title and at.title[0].value


@pytest.mark.parametrize("url", ["leaderboard", "map", "countries", "compare", "data"])
def test_simulated_data_carries_a_badge(app_env: tuple[Path, Path], url: str) -> None:
    at = new_app()
    at.query_params.update(
        {"dataset": "sim-demo", "runs": ["sim-neighbour-basic", "sim-refuser-basic"]}
    )
    at.switch_page(page_by_url(url).file)
    at.run()
    assert_clean(at)
    assert any("SIMULATED" in m.value for m in at.markdown)  # the visible badge


def test_registry_is_consistent() -> None:
    urls = [p.url_path for p in PAGES]
    assert len(set(urls)) == len(urls) and sum(p.default for p in PAGES) == 1
    from analysis.config import PROJECT_ROOT

    for page in PAGES:
        assert (PROJECT_ROOT / page.file).is_file()
        assert page_by_url(page.url_path) is page


def _full_table(at: AppTest) -> pd.DataFrame:
    """The leaderboard's table of every shown run with full run names (the CI expander)."""
    table = [t.value for t in at.dataframe if "prompt_strategy" in t.value.columns][0]
    assert isinstance(table, pd.DataFrame)
    return table


def test_leaderboard_ranks_filters_and_draws(app_env: tuple[Path, Path]) -> None:
    db, _ = app_env
    n_runs = len(Store(db).list_runs())
    at = new_app()
    at.run()
    assert_clean(at)
    table = _full_table(at)
    assert len(table) == n_runs
    # ranked within each dataset, real data first: the simulated block starts with its best model
    assert table["run"].iloc[0] == REAL_RUN and table["run"].iloc[1].startswith("sim-neighbour")
    figs = figures(at)
    curves = [f for f in figs if f["layout"].get("xaxis", {}).get("type") == "log"]
    assert curves and all(0 <= y <= 1 for t in curves[0]["data"] for y in t["y"])
    pivots = [f for f in figs if f["data"][0]["type"] == "heatmap"]
    assert np.asarray(pivots[0]["data"][0]["z"]).shape == (1, 1)  # real data first
    at.selectbox(key="lb_pivot_ds").select("sim-demo").run()
    pivots = [f for f in figures(at) if f["data"][0]["type"] == "heatmap"]
    assert np.asarray(pivots[0]["data"][0]["z"]).shape == (3, 3)  # 3 models x 3 strategies
    assert pivots[0]["data"][0]["x"] == ["basic", "must", "tips"]
    assert "SIMULATED" in pivots[0]["layout"]["title"]["text"]  # exports keep the label
    # lower-is-better metric: the order flips to ascending
    at.selectbox(key="lb_metric").select("median_km").run()
    assert_clean(at)
    simulated = at.dataframe[1].value  # the sim-demo headline table: numbers, not text
    assert simulated["median_km"].tolist() == sorted(simulated["median_km"])
    assert qp(at, "metric") == ["median_km"]
    # filter to one model
    at.multiselect(key="lb_model").set_value(["sim-faroff"]).run()
    assert set(at.dataframe[0].value["model"]) == {"sim-faroff"}


def test_map_draws_layers_and_follows_filters(app_env: tuple[Path, Path]) -> None:
    db, _ = app_env
    frame = Store(db).run_frame("sim-faroff-basic")
    at = new_app()
    at.query_params["runs"] = ["sim-faroff-basic"]
    at.query_params["dataset"] = "sim-demo"
    at.query_params["lines"] = "all"  # the default draws only the worst 20 lines
    at.switch_page(page_by_url("map").file)
    at.run()
    assert_clean(at)
    layers = layers_of(decks(at)[0])
    assert layers["countries"]["@@type"] == "PolygonLayer"
    assert len(layers["pred-sim-faroff-basic"]["data"]) == frame["pred_lat"].notna().sum()
    assert len(layers["truth"]["data"]) == len(frame)
    n_lines = sum(len(v["data"]) for k, v in layers.items() if k.startswith("err-"))
    assert n_lines >= frame["pred_lat"].notna().sum()
    # only wrong guesses from one true country
    country = frame["true_country"].value_counts().index[0]
    at.multiselect(key="map_country").set_value([country]).run()
    at.radio(key="map_outcome").set_value("wrong").run()
    assert_clean(at)
    wrong = frame[
        (frame["true_country"] == country)
        & ~((frame["pred_country"] == country) & (frame["status"] == "ok"))
    ]
    layers = layers_of(decks(at)[0])
    drawn = len(layers.get("pred-sim-faroff-basic", {"data": []})["data"])
    assert drawn == wrong["pred_lat"].notna().sum()
    assert qp(at, "country") == [country] and qp(at, "outcome") == ["wrong"]
    worst = at.dataframe[0].value
    assert set(worst["true_country"]) <= {country}


def test_map_detail_shows_raw_response_as_plain_text(app_env: tuple[Path, Path]) -> None:
    at = new_app()
    at.query_params.update({"dataset": "real-mini", "runs": [REAL_RUN], "sample": "r1"})
    at.switch_page(page_by_url("map").file)
    at.run()
    assert_clean(at)
    codes = [c.value for c in at.code]
    assert TRICKY_RAW in codes  # verbatim in a code block
    assert all("<script>" not in m.value and "Bold claim" not in m.value for m in at.markdown)
    assert "Truth: France (FRA)" in texts(at)
    layers = layers_of(decks(at)[0])
    assert layers["selected"]["data"][0]["p"] == [2.35, 48.85]
    assert "SIMULATED" not in texts(at)  # a real run alone carries no simulated badge


def test_map_error_range_off_the_slider_stops_is_widened_not_dropped(
    app_env: tuple[Path, Path],
) -> None:
    db, _ = app_env
    frame = Store(db).run_frame("sim-faroff-basic")
    at = new_app()
    at.query_params.update(
        {"dataset": "sim-demo", "runs": ["sim-faroff-basic"], "min_km": "300", "max_km": "1000"}
    )
    at.switch_page(page_by_url("map").file)
    at.run()
    assert_clean(at)
    assert tuple(at.select_slider(key="map_err").value) == (200, 2500)
    kept = frame["distance_km"].between(200, 2500).sum()
    layers = layers_of(decks(at)[0])
    assert len(layers["pred-sim-faroff-basic"]["data"]) == kept


def test_map_unknown_run_in_link_is_reported_not_raised(app_env: tuple[Path, Path]) -> None:
    at = new_app()
    at.query_params.update({"dataset": "sim-demo", "runs": ["no-such-run"]})
    at.switch_page(page_by_url("map").file)
    at.run()
    assert_clean(at)
    assert any("no-such-run" in shown(w.value) for w in at.warning)


def test_countries_choropleth_confusions_link_to_map(app_env: tuple[Path, Path]) -> None:
    at = new_app()
    at.query_params.update(
        {"dataset": "sim-demo", "runs": ["sim-neighbour-basic", "sim-faroff-basic"]}
    )
    at.switch_page(page_by_url("countries").file)
    at.run()
    assert_clean(at)
    layers = layers_of(decks(at)[0])
    fills = {tuple(row["c"]) for row in layers["choropleth"]["data"] if "no images" not in row["t"]}
    assert len(fills) > 5
    assert layers["n-labels"]["data"]
    figs = figures(at)
    heat = [f for f in figs if f["data"][0]["type"] == "heatmap"][0]
    for shares, counts in zip(heat["data"][0]["z"], heat["data"][0]["customdata"], strict=True):
        total = sum(counts)  # row-normalised: each cell is its count over the row's total,
        for share, count in zip(shares, counts, strict=True):  # shown to 4 decimals
            assert abs(share - (count / total if total else 0)) <= 0.5e-4 + 1e-12
    continents = [
        f for f in figs if f["data"][0]["type"] == "scatter" and "error_x" in f["data"][0]
    ]
    assert {t["name"] for t in continents[0]["data"]} == {
        "sim-neighbour · basic",
        "sim-faroff · basic",
    }  # display labels; full names on hover
    links = at.get("page_link")
    assert links
    assert "country=" in links[0].proto.query_string and "predicted=" in links[0].proto.query_string
    at.radio(key="ct_level").set_value("continent").run()
    assert_clean(at)
    heat = [f for f in figures(at) if f["data"][0]["type"] == "heatmap"][0]
    rows = heat["layout"]["yaxis"]["ticktext"]  # categories at integer positions, one tick each
    assert "Europe" in rows or "Africa" in rows


def test_compare_paired_numbers_add_up(app_env: tuple[Path, Path]) -> None:
    at = new_app()
    at.query_params.update(
        {"dataset": "sim-demo", "a": "sim-neighbour-basic", "b": "sim-faroff-basic"}
    )
    at.switch_page(page_by_url("compare").file)
    at.run()
    assert_clean(at)
    table = [f for f in figures(at) if f["data"][0]["type"] == "heatmap"][0]["data"][0]["z"]
    total = sum(sum(r) for r in table)
    n = len(Store(app_env[0]).run_frame("sim-neighbour-basic"))
    assert total == n
    only = int(table[0][1] + table[1][0])
    layers = layers_of(decks(at)[0])
    assert len(layers["only_a"]["data"]) + len(layers["only_b"]["data"]) == only
    assert any("McNemar" in m.label for m in at.metric)
    at.selectbox(key="cmp_b").select("sim-refuser-basic").run()
    assert_clean(at)
    assert qp(at, "b") == ["sim-refuser-basic"]


def test_presentation_link_keeps_the_view(app_env: tuple[Path, Path]) -> None:
    at = new_app()
    at.query_params.update(
        {"dataset": "sim-demo", "a": "sim-neighbour-basic", "b": "sim-faroff-basic"}
    )
    at.switch_page(page_by_url("compare").file)
    at.run()
    link = [x for x in at.get("page_link") if "present=1" in x.proto.query_string]
    assert link and "a=sim-neighbour-basic" in link[0].proto.query_string


def test_presentation_mode_hides_controls(app_env: tuple[Path, Path]) -> None:
    at = new_app()
    at.query_params["present"] = "1"
    at.run()
    assert_clean(at)
    assert len(at.sidebar) <= 1 and not at.get("download_button")
    assert not at.selectbox and not at.multiselect


def test_new_run_appears_after_refresh(
    demo_db: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from tests.app.conftest import add_real_run

    db = tmp_path / "copy.duckdb"
    shutil.copy(demo_db[0], db)
    monkeypatch.setenv("GEOSCOPE_DB", str(db))
    monkeypatch.setenv("GEOSCOPE_CACHE", str(demo_db[1]))
    at = new_app()
    at.run()
    before = len(_full_table(at))
    Store(db).delete_run(REAL_RUN)  # a CLI-side write while the dashboard is open
    at.run()
    assert len(_full_table(at)) == before - 1
    add_real_run(Store(db), run="real-run-2")
    at.run()
    assert "real-run-2" in _full_table(at)["run"].tolist()


def test_busy_database_waits_instead_of_failing(
    demo_db: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil
    import threading
    import time

    import duckdb

    db = tmp_path / "busy.duckdb"
    shutil.copy(demo_db[0], db)
    monkeypatch.setenv("GEOSCOPE_DB", str(db))
    monkeypatch.setenv("GEOSCOPE_CACHE", str(demo_db[1]))
    holding = threading.Event()

    def hold() -> None:
        con = duckdb.connect(str(db))  # a writer holding the file, like a CLI import
        holding.set()
        time.sleep(1.5)
        con.close()

    worker = threading.Thread(target=hold)
    worker.start()
    holding.wait()
    at = new_app()
    at.run()
    worker.join()
    assert_clean(at)
    assert not at.warning and at.dataframe


def test_store_error_becomes_a_friendly_warning(app_env: tuple[Path, Path]) -> None:
    from streamlit.testing.v1 import AppTest

    def page() -> None:
        from analysis.errors import NotFoundError, StoreError
        from pages import _ui as ui

        def a_bug() -> None:
            _ = 1 / 0

        ui.mark_app_run()
        ui.guarded(lambda: (_ for _ in ()).throw(StoreError("locked by another process")))
        ui.mark_app_run()
        ui.guarded(lambda: (_ for _ in ()).throw(NotFoundError("no run named 'x'")))
        ui.mark_app_run()
        ui.guarded(a_bug)  # reported on the page, traceback to the log

    at = shared_components(AppTest.from_function(page, default_timeout=30))
    at.run()
    assert not at.exception
    assert "locked by another process" in shown(at.warning[0].value)
    assert shown(at.error[0].value) == "no run named 'x'"
    assert "Unexpected error (ZeroDivisionError)" in shown(at.error[1].value)


def test_first_launch_creates_database_with_demo(fresh_env: tuple[Path, Path]) -> None:
    db, cache = fresh_env
    at = new_app(timeout=180)
    at.run()
    assert_clean(at)
    runs = Store(db).list_runs()
    assert len(runs) == 9 and runs["is_simulated"].all()
    assert (cache / "demo_images").is_dir()
    assert "SIMULATED" in texts(at)


def test_remove_button_clears_simulated_data(
    demo_db: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    db = tmp_path / "rm.duckdb"
    shutil.copy(demo_db[0], db)
    monkeypatch.setenv("GEOSCOPE_DB", str(db))
    monkeypatch.setenv("GEOSCOPE_CACHE", str(tmp_path / "cache"))
    at = new_app()
    at.run()
    at.switch_page(page_by_url("data").file)
    at.run()
    before = Store(db)
    n_simulated = int(before.list_runs()["is_simulated"].sum()) + int(
        before.list_datasets()["is_simulated"].sum()
    )
    at.button(key="rm_demo").click().run()
    assert_clean(at)
    runs = Store(db).list_runs()
    assert runs["name"].tolist() == [REAL_RUN]
    assert [shown(s.value) for s in at.success] == [
        f"Removed the simulated demo ({n_simulated} datasets and runs); real data is untouched."
    ]
    at.run()  # the message is shown once, not on every later run
    assert not at.success
    assert "SIMULATED DATA" not in texts(at)
    at.switch_page(page_by_url("leaderboard").file)
    at.run()
    assert _full_table(at)["run"].tolist() == [REAL_RUN]


def test_runs_carry_over_when_navigation_drops_the_query(app_env: tuple[Path, Path]) -> None:
    at = new_app()
    at.query_params.update({"dataset": "sim-demo", "runs": ["sim-refuser-tips"]})
    at.switch_page(page_by_url("map").file)
    at.run()
    at.query_params.clear()  # what the sidebar links do
    at.switch_page(page_by_url("countries").file)
    at.run()
    assert_clean(at)
    assert at.multiselect(key="ct_runs").value == ["sim-refuser-tips"]
    assert qp(at, "runs") == ["sim-refuser-tips"]


def test_live_dataset_without_image_files_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an LLMGeo manifest import records image paths even where the images were never copied
    from analysis.store import DatasetMeta

    db = tmp_path / "noimg.duckdb"
    store = Store(db)
    store.ingest_samples(
        DatasetMeta(name="paths-only", kind="csv"),
        pd.DataFrame(
            {
                "sample_id": ["a.jpg", "b.jpg"],
                "true_lat": [48.85, 52.52],
                "true_lon": [2.35, 13.40],
                "true_country": ["FRA", "DEU"],
                "image_path": [str(tmp_path / "gone" / "a.jpg"), str(tmp_path / "gone" / "b.jpg")],
            }
        ),
    )
    monkeypatch.setenv("GEOSCOPE_DB", str(db))
    monkeypatch.setenv("GEOSCOPE_CACHE", str(tmp_path / "cache"))
    at = new_app()
    at.switch_page(page_by_url("live").file)
    at.run()
    at.radio(key="live_source").set_value("Pick from a dataset").run()
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]  # no "image file not found" per pick
    assert all(s.label != "Image" for s in at.selectbox)  # nothing offered that cannot load
    assert "None of the 2 images" in texts(at)


def test_leaderboard_chart_titles_tell_real_from_simulated(app_env: tuple[Path, Path]) -> None:
    at = new_app()
    at.run()
    assert_clean(at)

    def titles() -> list[str]:
        return [str(f["layout"].get("title", {}).get("text", "")) for f in figures(at)]

    # one forest plot per dataset: the real one carries no note, the demo's says SIMULATED
    forest = [t for t in titles() if "95% CI" in t]
    assert len(forest) == 2 and "SIMULATED" not in forest[0], forest
    assert "(SIMULATED data)" in forest[1], forest
    # the pivot opens on the real dataset alone: no simulated note at all
    assert any(
        t.startswith("Country accuracy on real-mini") and "SIMULATED" not in t for t in titles()
    )
    at.multiselect(key="lb_dataset").set_value(["sim-demo"]).run()
    assert all("(SIMULATED data)" in t for t in titles() if "95% CI" in t)


def test_compare_explains_a_dataset_with_a_single_run(app_env: tuple[Path, Path]) -> None:
    at = new_app()
    at.query_params.update({"dataset": "real-mini"})
    at.switch_page(page_by_url("compare").file)
    at.run()
    assert_clean(at)
    # the run is named by its display label (model · prompt strategy)
    assert any(
        "only one run" in i.value and "real-model · basic" in shown(i.value) for i in at.info
    ), texts(at)
    at.selectbox(key="cmp_dataset").select("sim-demo").run()
    at.selectbox(key="cmp_b").select(at.selectbox(key="cmp_a").value).run()
    assert any("Pick two different runs" in i.value for i in at.info)


@pytest.mark.parametrize(
    ("page", "key"), [("map", "map_runs"), ("countries", "ct_runs"), ("clues", "clu_runs")]
)
def test_run_pickers_show_display_labels_and_keep_names_in_the_link(
    app_env: tuple[Path, Path], page: str, key: str
) -> None:
    at = new_app()
    at.query_params.update({"dataset": "sim-demo", "runs": ["sim-refuser-tips"]})
    at.switch_page(page_by_url(page).file)
    at.run()
    assert_clean(at)
    picker = at.multiselect(key=key)
    assert picker.value == ["sim-refuser-tips"]  # the value is the name the URL carries
    assert "sim-refuser · tips" in picker.options  # the option reads as on every other page
    assert not [o for o in picker.options if o.startswith("sim-") and "-basic" in o]
    assert qp(at, "runs") == ["sim-refuser-tips"]


def test_presentation_maps_are_never_shorter_than_their_view_fits() -> None:
    """The CSS floor of a presentation map is the height its opening view was fitted to."""
    from analysis.viz.deck import PRESENT_MAP_MIN_HEIGHT_PX
    from pages._ui import PRESENT_CSS

    floors = re.findall(r"max-height: max\((\d+)px, calc\(100vh", PRESENT_CSS)
    assert floors == [str(PRESENT_MAP_MIN_HEIGHT_PX)]


@pytest.mark.parametrize("reported", [[1750, 620], "1750x620", [1750, 10**9]])
def test_a_presentation_map_opens_fitted_to_the_size_its_browser_reported(
    app_env: tuple[Path, Path], reported: object
) -> None:
    """Until a size is reported the map fits 420 px; then it fits what was reported, if valid."""
    at = new_app()
    at.query_params.update(
        {"present": "1", "dataset": "sim-demo", "a": "sim-neighbour-basic", "b": "sim-faroff-basic"}
    )
    at.switch_page(page_by_url("compare").file)
    at.run()
    assert_clean(at)
    [before] = decks(at)
    at.session_state["_geoscope_map_size"] = reported  # what pages/_map_fit.py keeps
    at.run()
    assert_clean(at)
    [after] = decks(at)
    world_px = [512 * 2 ** spec["initialViewState"]["zoom"] for spec in (before, after)]
    # fitted by height (the map is wide): the world grows with the map's height, 420 -> 620 px
    expected = 620 / 420 if reported == [1750, 620] else 1.0
    assert world_px[1] / world_px[0] == pytest.approx(expected, rel=5e-3)
    assert after["initialViewState"]["latitude"] == before["initialViewState"]["latitude"]


def _simulated_notes(at: AppTest) -> tuple[bool, str]:
    """Whether the page shows the SIMULATED badge, and its captions as one text."""
    badge = any("SIMULATED DATA" in str(markdown.value) for markdown in at.markdown)
    return badge, " ".join(str(caption.value) for caption in at.caption)


@pytest.mark.parametrize("dataset", [None, "real-mini", "sim-demo"])
def test_a_page_mixing_real_and_demo_runs_says_only_some_are_simulated(
    app_env: tuple[Path, Path], dataset: str | None
) -> None:
    """The leaderboard holds the demo's runs and a real one: its note must not call all fake."""
    from analysis.dashboard.simulated import SIMULATED_MIX, SIMULATED_WHAT

    at = new_app()
    if dataset:
        at.query_params["datasets"] = dataset
    at.run()
    assert_clean(at)
    badge, captions = _simulated_notes(at)
    if dataset is None:  # every run: demo and real
        assert badge and SIMULATED_MIX in captions and SIMULATED_WHAT not in captions
    elif dataset == "sim-demo":
        assert badge and SIMULATED_WHAT in captions and SIMULATED_MIX not in captions
    else:
        assert not badge and SIMULATED_WHAT not in captions and SIMULATED_MIX not in captions


def test_countries_labels_each_chart_by_the_runs_it_draws(
    demo_db: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real run and a demo run chosen together: the real run's matrix is not called SIMULATED.

    The map and the confusion matrix draw the first chosen run only; the continent chart draws
    both, so it says the runs include simulated ones.
    """
    import shutil

    from analysis.store import RunMeta
    from analysis.types import Prediction, PredictionStatus

    db = tmp_path / "mixed.duckdb"
    shutil.copy(demo_db[0], db)
    store = Store(db)
    truth = store.dataset_samples("sim-demo").head(60)
    store.create_run(
        RunMeta(name="real-on-demo", dataset="sim-demo", model="m", prompt_strategy="basic")
    )
    store.add_predictions(
        "real-on-demo",
        [
            Prediction(sid, "guess", PredictionStatus.OK, country, lat, lon)
            for sid, country, lat, lon in zip(
                truth["sample_id"], truth["true_country"], truth["true_lat"], truth["true_lon"],
                strict=True,
            )
        ],
    )  # fmt: skip
    monkeypatch.setenv("GEOSCOPE_DB", str(db))
    monkeypatch.setenv("GEOSCOPE_CACHE", str(demo_db[1]))
    at = new_app()
    at.query_params.update({"dataset": "sim-demo", "runs": ["real-on-demo", "sim-faroff-basic"]})
    at.switch_page(page_by_url("countries").file)
    at.run()
    assert_clean(at)
    titles = {
        "matrix" if "Confusion" in text else "continents" if "continent" in text else text: text
        for text in (f["layout"]["title"]["text"] for f in figures(at))
    }
    assert "SIMULATED" not in titles["matrix"], titles
    assert "(includes SIMULATED runs)" in titles["continents"], titles
