"""AppTest of Compare: two different runs by default, run labels in charts, ranked slices."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pages._registry import page_by_url
from tests.app.conftest import assert_clean, figures, new_app, texts
from tests.app.test_map_page import LONG_RUN, rich_db, rich_env  # noqa: F401 (fixtures)

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("rich_env")]


def _compare(params: dict[str, object]) -> AppTest:
    at = new_app()
    at.query_params.update(params)
    at.switch_page(page_by_url("compare").file)
    at.run()
    assert_clean(at)
    return at


def test_switching_dataset_defaults_to_two_different_runs() -> None:
    at = _compare({"dataset": "sim-demo", "a": "sim-faroff-basic", "b": "sim-neighbour-basic"})
    at.selectbox(key="cmp_dataset").set_value("csv-set").run()
    assert_clean(at)
    a, b = at.selectbox(key="cmp_a").value, at.selectbox(key="cmp_b").value
    assert a != b and {a, b} == {LONG_RUN, "csv-b"}
    assert "Pick two different runs" not in texts(at)


def test_charts_and_captions_name_the_runs() -> None:
    at = _compare({"dataset": "sim-demo", "a": "sim-faroff-basic", "b": "sim-neighbour-basic"})
    titles = [f["layout"]["title"]["text"] for f in figures(at)]
    assert any("sim-faroff · basic − sim-neighbour · basic" in t for t in titles), titles
    assert not any("A − B" in t for t in titles)
    heat = [f for f in figures(at) if f["data"][0]["type"] == "heatmap"][0]
    assert "sim-faroff · basic right" in heat["data"][0]["y"]


def test_slices_ranked_with_intervals_and_map_links() -> None:
    at = _compare({"dataset": "sim-demo", "a": "sim-faroff-basic", "b": "sim-neighbour-basic"})
    table = at.dataframe[0].value
    assert list(table.columns) == ["slice", "n", "diff", "low", "high", "clear", "map"]
    sizes = table["diff"].abs().tolist()
    assert sizes == sorted(sizes, reverse=True)
    assert (table["low"] <= table["diff"]).all() and (table["diff"] <= table["high"]).all()
    first = table.iloc[0]
    assert first["map"].startswith("map?") and f"country={first['slice']}" in first["map"]
    at.radio(key="cmp_slice").set_value("heading").run()
    assert_clean(at)
    assert at.query_params.get("slice") in ("heading", ["heading"])
    assert "heading=" in at.dataframe[0].value.iloc[0]["map"]
