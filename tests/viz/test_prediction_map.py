"""The failure map spec: layers, points, lines, colours, picking, sampling and aggregation."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.geo.distance import great_circle_path, great_circle_paths
from analysis.viz.colors import ERROR_CLASS_COLORS, error_class, run_colors
from analysis.viz.deck import deck_bytes, deck_spec
from analysis.viz.prediction_map import (
    MapBuild,
    disagreement_map,
    error_paths,
    prediction_map,
    with_highlight,
)
from tests.viz.conftest import make_frame


def _layers(build: MapBuild) -> dict[str, dict[str, Any]]:
    return {layer["id"]: layer for layer in deck_spec(build.deck)["layers"]}


def test_layers_points_and_colours(small_frame: pd.DataFrame, toy_shapes: pd.DataFrame) -> None:
    colors = run_colors(["r1", "r2"])
    build = prediction_map(small_frame, colors, toy_shapes)
    layers = _layers(build)
    assert build.mode == "all" and build.note == ""
    assert list(layers)[0] == "countries"
    for run in ("r1", "r2"):
        part = small_frame[(small_frame["run"] == run) & small_frame["pred_lat"].notna()]
        layer = layers[f"pred-{run}"]
        assert len(layer["data"]) == len(part)
        assert layer["getFillColor"][:3] == list(colors[run])
        assert layer["pickable"] is True
    assert len(layers["truth"]["data"]) == small_frame["sample_id"].nunique()
    # one error line per guess with coordinates, split by error class, coloured by class
    with_coords = small_frame.dropna(subset=["pred_lat"])
    classes = error_class(with_coords["distance_km"].to_numpy())
    n_lines = 0
    for k, color in enumerate(ERROR_CLASS_COLORS):
        err_layer = layers.get(f"err-{k}")
        if err_layer is None:
            assert (classes == k).sum() == 0
            continue
        assert err_layer["getColor"][:3] == list(color)
        n_lines += len(err_layer["data"])
    assert n_lines >= len(with_coords)  # antimeridian crossings add pieces, never remove


def test_picked_index_maps_back_to_the_row(
    small_frame: pd.DataFrame, toy_shapes: pd.DataFrame
) -> None:
    build = prediction_map(small_frame, run_colors(["r1", "r2"]), toy_shapes)
    layer = _layers(build)["pred-r2"]
    for obj in layer["data"][:10]:
        row = build.drawn.iloc[obj["i"]]
        assert row["run"] == "r2"
        assert obj["p"] == [round(row["pred_lon"], 2), round(row["pred_lat"], 2)]
        assert "r2" in obj["t"]
    truth = _layers(build)["truth"]["data"][0]
    row = build.drawn.iloc[truth["i"]]
    assert truth["p"] == [round(row["true_lon"], 2), round(row["true_lat"], 2)]


def test_error_path_runs_from_truth_to_guess_and_splits_at_antimeridian() -> None:
    rows = pd.DataFrame(
        {
            "true_lat": [10.0, 0.0],
            "true_lon": [20.0, 175.0],
            "pred_lat": [12.0, 0.0],
            "pred_lon": [22.0, -175.0],
            "distance_km": [300.0, 1112.0],
        }
    )
    paths = error_paths(rows)
    assert paths[0][0] == [20.0, 10.0] and paths[0][-1] == [22.0, 12.0]
    crossing = paths[1:]
    assert len(crossing) == 2  # one line, two pieces, none spanning the map
    for piece in crossing:
        lons = [p[0] for p in piece]
        assert max(lons) - min(lons) < 20


def test_polar_arcs_follow_the_great_circle_and_are_never_clamped_to_the_frame() -> None:
    # Alaska -> Norway crosses near the North Pole; Cape Town -> Wellington dips far south;
    # the old map held the bends inside a latitude band, so they ran along the map's edges
    rows = pd.DataFrame(
        {
            "true_lat": [64.8, -33.9, 60.0],
            "true_lon": [-147.7, 18.4, 10.0],
            "pred_lat": [69.6, -41.3, 88.0],
            "pred_lon": [18.9, 174.8, 10.0],
            "distance_km": [5000.0, 11300.0, 3100.0],
        }
    )
    paths = error_paths(rows)
    assert max(p[1] for p in paths[0]) > 85.0  # over the pole, like the real great circle
    assert min(p[1] for path in paths for p in path) < -60.0
    for path in paths:  # no run of vertices glued to one latitude (an edge of the frame)
        lats = [round(p[1], 1) for p in path[1:-1]]
        assert all(a != b for a, b in zip(lats, lats[1:], strict=False) if abs(a) > 60)
    ends = {tuple(p) for path in paths for p in (path[0], path[-1])}
    assert {(-147.7, 64.8), (18.9, 69.6), (10.0, 88.0)} <= ends


def test_runs_missing_from_colours_are_not_drawn(
    small_frame: pd.DataFrame, toy_shapes: pd.DataFrame
) -> None:
    build = prediction_map(small_frame, run_colors(["r1"]), toy_shapes)
    assert "pred-r2" not in _layers(build)
    assert set(build.drawn["run"]) == {"r1"}


def test_sampling_keeps_whole_images_and_the_selection(toy_shapes: pd.DataFrame) -> None:
    frame = make_frame(3000)
    build = prediction_map(
        frame, run_colors(["r1", "r2"]), toy_shapes, max_points=1000, selected_sample="s002999"
    )
    assert build.mode == "sample"
    assert build.n_predictions == len(frame)
    assert build.n_drawn <= 1000 + 2
    per_image = build.drawn.groupby("sample_id")["run"].nunique()
    assert (per_image == 2).all()
    assert "s002999" in set(build.drawn["sample_id"])
    assert f"{len(frame):,}" in build.note and "sample" in build.note


def test_aggregation_counts_every_point(toy_shapes: pd.DataFrame) -> None:
    frame = make_frame(3000)
    build = prediction_map(
        frame, run_colors(["r1", "r2"]), toy_shapes, max_points=1000, aggregate=True
    )
    layers = _layers(build)
    assert build.mode == "aggregate" and "aggregated" in build.note
    assert not any(layer["@@type"] == "PathLayer" for layer in layers.values())
    for run in ("r1", "r2"):
        cells = layers[f"pred-cells-{run}"]["data"]
        counts = [int(c["t"].split(": ")[1].split(" ")[0]) for c in cells]
        assert sum(counts) == frame[(frame["run"] == run)]["pred_lat"].notna().sum()
    truth_counts = [int(c["t"].split(": ")[1].split(" ")[0]) for c in layers["truth-cells"]["data"]]
    assert sum(truth_counts) == frame["sample_id"].nunique()


def test_highlight_adds_ring_and_bold_lines(
    small_frame: pd.DataFrame, toy_shapes: pd.DataFrame
) -> None:
    build = prediction_map(small_frame, run_colors(["r1", "r2"]), toy_shapes)
    sample = small_frame.dropna(subset=["pred_lat"])["sample_id"].iloc[0]
    lit = with_highlight(build, small_frame[small_frame["sample_id"] == sample])
    layers = _layers(lit)
    row = small_frame[small_frame["sample_id"] == sample].iloc[0]
    assert layers["selected"]["data"][0]["p"] == [
        round(row["true_lon"], 2),
        round(row["true_lat"], 2),
    ]
    assert any(name.startswith("selected-err") for name in layers)
    assert len(layers) > len(_layers(build))


def test_disagreement_map_colours_each_side(toy_shapes: pd.DataFrame) -> None:
    outcomes = pd.DataFrame(
        {
            "sample_id": ["a", "b", "c"],
            "true_lat": [1.0, 2.0, 3.0],
            "true_lon": [4.0, 5.0, 6.0],
            "true_country": ["AAA", "BBB", None],
            "outcome": ["only_a", "only_b", "both_right"],
        }
    )
    layers = {
        layer["id"]: layer for layer in deck_spec(disagreement_map(outcomes, toy_shapes))["layers"]
    }
    assert len(layers["only_a"]["data"]) == 1 and len(layers["only_b"]["data"]) == 1
    assert layers["only_a"]["getFillColor"][:3] != layers["only_b"]["getFillColor"][:3]


@pytest.mark.slow
def test_100k_prediction_map_fits_the_budget(toy_shapes: pd.DataFrame) -> None:
    rng = np.random.default_rng(1)
    n = 100_000
    frame = pd.DataFrame(
        {
            "run": "big",
            "sample_id": [f"s{i}" for i in range(n)],
            "true_lat": rng.uniform(-50, 60, n),
            "true_lon": rng.uniform(-180, 180, n),
            "true_country": "AAA",
            "pred_lat": rng.uniform(-50, 60, n),
            "pred_lon": rng.uniform(-180, 180, n),
            "pred_country": "BBB",
            "status": "ok",
            "distance_km": rng.uniform(0, 20_000, n),
        }
    )
    build = prediction_map(frame, run_colors(["big"]), toy_shapes)
    assert build.mode == "sample" and build.n_drawn <= 20_000
    assert deck_bytes(build.deck) <= 15_000_000


lats = st.floats(-89.9, 89.9)
lons = st.floats(-180.0, 180.0)


@settings(max_examples=60, deadline=None)
@given(lats, lons, lats, lons, st.integers(2, 16))
def test_map_paths_are_the_geo_great_circle(
    lat1: float, lon1: float, lat2: float, lon2: float, n: int
) -> None:
    """One implementation: the map draws exactly analysis.geo's great circle."""
    reference = np.asarray(great_circle_path(lat1, lon1, lat2, lon2, n_points=n))
    got = great_circle_paths([lat1], [lon1], [lat2], [lon2], n)[0]
    assert np.allclose(got, reference)


def test_batch_paths_antipodes_and_identical_points() -> None:
    got = great_circle_paths([0.0, 10.0], [0.0, 20.0], [0.0, 10.0], [180.0, 20.0], 5)
    assert np.allclose(got[0], great_circle_path(0.0, 0.0, 0.0, 180.0, n_points=5))
    assert np.allclose(got[1], [[10.0, 20.0]] * 5)


def test_line_mask_limits_the_lines_not_the_points(
    small_frame: pd.DataFrame, toy_shapes: pd.DataFrame
) -> None:
    worst = small_frame["distance_km"].nlargest(3).index
    mask = pd.Series(small_frame.index.isin(worst), index=small_frame.index)
    build = prediction_map(small_frame, run_colors(["r1", "r2"]), toy_shapes, line_mask=mask)
    layers = _layers(build)
    n_paths = sum(len(v["data"]) for k, v in layers.items() if k.startswith("err-"))
    assert 3 <= n_paths <= 6  # three lines (a crossing adds a piece)
    assert len(layers["truth"]["data"]) == small_frame["sample_id"].nunique()


def test_error_classes_are_distinct_and_markers_readable(
    small_frame: pd.DataFrame, toy_shapes: pd.DataFrame
) -> None:
    from analysis.viz.colors import ERROR_CLASS_WIDTHS_PX

    # the two long classes (most failures) must not be two similar dark reds
    far, farthest = np.array(ERROR_CLASS_COLORS[3]), np.array(ERROR_CLASS_COLORS[4])
    assert np.abs(far - farthest).sum() > 150
    assert list(ERROR_CLASS_WIDTHS_PX) == sorted(ERROR_CLASS_WIDTHS_PX)
    layers = _layers(prediction_map(small_frame, run_colors(["r1", "r2"]), toy_shapes))
    assert layers["truth"]["getRadius"] >= 4 and layers["pred-r1"]["getRadius"] >= 4


def test_tooltips_use_display_labels(small_frame: pd.DataFrame, toy_shapes: pd.DataFrame) -> None:
    build = prediction_map(
        small_frame, run_colors(["r1", "r2"]), toy_shapes, labels={"r1": "Model one"}
    )
    assert _layers(build)["pred-r1"]["data"][0]["t"].startswith("Model one: ")


def test_size_units_are_literal_pixels_not_expressions(
    small_frame: pd.DataFrame, toy_shapes: pd.DataFrame
) -> None:
    # pydeck turns bare strings into "@@=..." expressions that deck.gl ignores (sizes fall back
    # to metres); every unit must reach the browser as the plain word.
    base = prediction_map(small_frame, run_colors(["r1", "r2"]), toy_shapes)
    build = with_highlight(
        base, small_frame[small_frame["sample_id"] == small_frame["sample_id"].iloc[0]]
    )
    units = [
        (layer["id"], key, value)
        for layer in deck_spec(build.deck)["layers"]
        for key, value in layer.items()
        if key.endswith("Units")
    ]
    assert units, "the map sets size units on its layers"
    assert all(value == "pixels" for _, _, value in units), units
