"""Colour rules and the pydeck basics: offline deck, compact JSON, [lon, lat] order, polygons."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.viz import colors
from analysis.viz.deck import (
    LAND_LATITUDES_DEG,
    PRESENT_CONTROLLER,
    PRESENT_MAP_MIN_HEIGHT_PX,
    PRESENT_VIEW,
    MapSize,
    deck_bytes,
    deck_spec,
    fit_latitudes,
    fit_world,
    lon_lat,
    make_deck,
    outline_layer,
    parse_map_size,
    present_view,
    with_view,
)


def test_error_class_edges_follow_acc_thresholds() -> None:
    # "within 25 km" includes 25 km exactly, as Acc@25km does
    got = colors.error_class([0.0, 25.0, 25.01, 200.0, 750.0, 2500.0, 2500.1, float("nan")])
    assert got.tolist() == [0, 0, 1, 1, 2, 3, 4, -1]
    assert (
        len(colors.ERROR_CLASS_COLORS)
        == len(colors.ERROR_CLASS_LABELS)
        == len(colors.ERROR_EDGES_KM) + 1
    )


@given(st.lists(st.floats(0, 20_038), min_size=2, max_size=30))
def test_error_class_is_monotone(distances: list[float]) -> None:
    ordered = sorted(distances)
    classes = colors.error_class(ordered)
    assert np.all(np.diff(classes) >= 0)


def test_accuracy_ramp_endpoints_and_nan() -> None:
    rgb = colors.accuracy_rgb([0.0, 1.0, float("nan"), -3.0, 7.0])
    assert tuple(rgb[0]) == colors._RAMP_STOPS[0][1]
    assert tuple(rgb[1]) == colors._RAMP_STOPS[-1][1]
    assert tuple(rgb[2]) == colors.NO_COORDS_COLOR
    assert tuple(rgb[3]) == tuple(rgb[0]) and tuple(rgb[4]) == tuple(rgb[1])  # clipped


def test_support_alpha_grows_then_saturates() -> None:
    alpha = colors.support_alpha([0, 1, 5, 30, 300], full_at=30)
    assert list(alpha) == sorted(alpha)
    assert alpha[3] == alpha[4] == 230
    assert alpha[0] == 60


def test_run_colors_distinct_and_wrap() -> None:
    names = [f"run{i}" for i in range(len(colors.RUN_PALETTE) + 1)]
    got = colors.run_colors(names)
    assert len(set(got.values())) == len(colors.RUN_PALETTE)  # all used before any repeats
    assert colors.hex_color((0, 114, 178)) == "#0072b2"


def test_run_colour_is_stable_whatever_the_selection() -> None:
    """A run's colour comes from its name, not from where it sits in the current selection."""
    names = ["gpt-4o-basic", "gemini-basic", "llava-tips", "geoclip"]
    for name in names:
        assert colors.run_colors([name])[name] == colors.run_color(name)
    assert colors.run_colors(names) == colors.run_colors(list(reversed(names)))
    both = colors.run_colors(["gemini-basic", "gpt-4o-basic"])
    assert both == colors.run_colors(["gpt-4o-basic", "gemini-basic"])


def test_lon_lat_flips_and_rounds() -> None:
    assert lon_lat([48.8566], [2.3522]) == [[2.35, 48.86]]


def test_deck_has_no_basemap_and_compact_json(toy_shapes: pd.DataFrame) -> None:
    deck = make_deck([outline_layer(toy_shapes)])
    text = deck.to_json()
    assert "\n" not in text and ": " not in text
    spec = deck_spec(deck)
    # the sentinel is what streamlit reads as "no basemap"; a null/absent style fetches CARTO tiles
    assert spec["mapStyle"] == "__MAP_STYLE__"
    assert "mapProvider" not in spec
    assert "http" not in text
    assert deck_bytes(deck) == len(text.encode())


def test_polygon_records_drop_antarctica_and_explode_parts(toy_shapes: pd.DataFrame) -> None:
    assert "ATA" not in set(toy_shapes["iso3"])
    assert (toy_shapes["iso3"] == "BBB").sum() == 2  # multipolygon -> two parts
    ring = toy_shapes.loc[toy_shapes["iso3"] == "AAA", "rings"].iloc[0][0]
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    assert min(lons) == 0 and max(lons) == 10  # x = longitude first
    assert min(lats) == 40 and max(lats) == 50
    assert ring[0] == ring[-1]


def test_outline_layer_is_background(toy_shapes: pd.DataFrame) -> None:
    layer = json.loads(make_deck([outline_layer(toy_shapes)]).to_json())["layers"][0]
    assert layer["@@type"] == "PolygonLayer"
    assert layer["pickable"] is False
    assert len(layer["data"]) == len(toy_shapes)
    assert not math.isnan(layer["getFillColor"][0])


def test_distinct_colors_keep_base_unless_taken() -> None:
    names = [f"r{i}" for i in range(10)]
    base = {n: colors.RUN_PALETTE[i % len(colors.RUN_PALETTE)] for i, n in enumerate(names)}
    shown = colors.distinct_colors(["r0", "r8", "r3"], base)
    assert shown["r0"] == base["r0"] and shown["r3"] == base["r3"]
    assert shown["r8"] != shown["r0"] and len(set(shown.values())) == 3
    assert colors.distinct_colors(["r8"], base)["r8"] == base["r8"]  # alone: keeps its colour


def test_names_in_map_data_are_never_read_as_deck_gl_directives() -> None:
    """deck.gl evaluates data strings starting with "@@=" / "@@#": a hostile name must stay text."""
    import json

    import pandas as pd
    import pydeck as pdk

    from analysis.viz.deck import make_deck

    rows = pd.DataFrame({"p": [[2.35, 48.85], [0.0, 0.0]], "run": ["@@#Enum.X", "@@=a.b()"]})
    layer = pdk.Layer("ScatterplotLayer", data=rows, get_position="p", id="pts")
    spec = json.loads(make_deck([layer]).to_json())["layers"][0]
    assert spec["getPosition"] == "@@=p"  # our own accessor keeps its prefix
    shown = [row["run"] for row in spec["data"]]
    assert all(not name.startswith("@@") for name in shown)
    assert [name.lstrip("\u2060") for name in shown] == ["@@#Enum.X", "@@=a.b()"]


def test_palette_gives_a_run_one_colour_on_every_page() -> None:
    """The leaderboard (runs of several datasets, any subset) colours a run as the map does."""
    names = [f"run-{i}" for i in range(200)]
    first = names[0]
    # a second run of the same dataset whose home colour is the first one's: on the map, with both
    # shown, it moves to a free colour; it must keep that colour wherever it is shown
    clash = next(n for n in names[1:] if colors.run_color(n) == colors.run_color(first))
    other = next(n for n in names[1:] if colors.run_color(n) != colors.run_color(first))
    dataset_of = {first: "llmgeo", clash: "llmgeo", other: "osv5m"}
    on_map = colors.palette(dataset_of, [first, clash])
    assert on_map[clash] != colors.run_color(clash)  # moved: its home colour was taken
    on_leaderboard = colors.palette(dataset_of, [clash, other])
    alone = colors.palette(dataset_of, [clash])
    assert on_leaderboard[clash] == on_map[clash] == alone[clash]
    assert on_leaderboard[other] == colors.run_color(other)  # no clash: its home colour
    # the old leaderboard coloured only the curves shown, so the moved run took its home colour
    assert colors.run_colors([clash, other])[clash] != on_map[clash]


def _slippy_y_px(lat_deg: float, zoom: float) -> float:
    """Pixel row of a latitude on the Web Mercator world (the OSM tile formula, asinh form)."""
    world_px = 512 * 2**zoom
    return (1 - math.asinh(math.tan(math.radians(lat_deg))) / math.pi) / 2 * world_px


def test_the_square_mercator_world_fits_512_px_at_zoom_0() -> None:
    view = fit_latitudes(-85.05113, 85.05113, height_px=512)
    assert view["zoom"] == pytest.approx(0, abs=1e-3)
    assert view["latitude"] == pytest.approx(0, abs=1e-3)
    assert fit_latitudes(-85.05113, 85.05113, height_px=1024)["zoom"] == pytest.approx(1, abs=1e-3)


@pytest.mark.parametrize(
    ("south", "north", "height_px"), [(-56, 80, 420), (-30, 10, 300), (35, 72, 600), (-10, 10, 50)]
)
def test_fitted_view_puts_both_latitudes_on_the_map_edges(
    south: float, north: float, height_px: float
) -> None:
    view = fit_latitudes(south, north, height_px=height_px)
    centre = _slippy_y_px(view["latitude"], view["zoom"])
    top, bottom = _slippy_y_px(north, view["zoom"]), _slippy_y_px(south, view["zoom"])
    assert bottom - top == pytest.approx(height_px, rel=3e-3)
    assert centre - top == pytest.approx(height_px / 2, rel=3e-3)


def test_fit_refuses_latitudes_mercator_cannot_show() -> None:
    with pytest.raises(ValueError, match="cannot fit"):
        fit_latitudes(-90, 80, height_px=400)
    with pytest.raises(ValueError, match="cannot fit"):
        fit_latitudes(50, 10, height_px=400)


def test_presentation_view_shows_the_inhabited_world_at_the_smallest_map_height() -> None:
    south, north = LAND_LATITUDES_DEG
    assert south <= -55.98 and north >= 78.2  # Tierra del Fuego and Svalbard
    zoom = PRESENT_VIEW["zoom"]
    centre = _slippy_y_px(PRESENT_VIEW["latitude"], zoom)
    half = PRESENT_MAP_MIN_HEIGHT_PX / 2
    assert centre - _slippy_y_px(north, zoom) <= half + 1
    assert _slippy_y_px(south, zoom) - centre <= half + 1


def _world_width_px(view: dict[str, float]) -> float:
    return 512 * 2 ** view["zoom"]


def _land_height_px(view: dict[str, float]) -> float:
    south, north = LAND_LATITUDES_DEG
    return _slippy_y_px(south, view["zoom"]) - _slippy_y_px(north, view["zoom"])


@pytest.mark.parametrize(("width_px", "height_px"), [(1680, 620), (1300, 440), (900, 700)])
def test_a_measured_map_is_filled_without_cutting_the_world(width_px: int, height_px: int) -> None:
    """Latitudes fill the height or the world's width fills the map; neither runs past it."""
    view = fit_world(MapSize(width_px, height_px))
    world, land = _world_width_px(view), _land_height_px(view)
    assert world <= width_px * 1.003 and land <= height_px * 1.003
    assert world == pytest.approx(width_px, rel=3e-3) or land == pytest.approx(height_px, rel=3e-3)
    centre = _slippy_y_px(view["latitude"], view["zoom"])
    south, north = LAND_LATITUDES_DEG
    assert centre - _slippy_y_px(north, view["zoom"]) == pytest.approx(land / 2, rel=3e-3)


def test_a_1920x1080_projector_map_is_half_as_large_again_as_the_fallback() -> None:
    # 1080 px less the 460 px presentation mode keeps for the title and legend (pages/_ui.py)
    fitted = fit_world(MapSize(1750, 620))
    assert _land_height_px(fitted) == pytest.approx(620, rel=3e-3)
    assert _world_width_px(fitted) / _world_width_px(PRESENT_VIEW) == pytest.approx(
        620 / 420, rel=5e-3
    )
    assert present_view(None) == PRESENT_VIEW
    assert present_view(MapSize(1750, 620)) == fitted


@pytest.mark.parametrize(
    "reported",
    [
        None, "1200x600", {"width_px": 1200, "height_px": 600}, [1200], [1200, 600, 1],
        [1200.0, 600], [True, 600], ["1200", "600"], [1200, 99], [1200, 20_001], [-1, 600],
        [1200, None],
    ],
)  # fmt: skip
def test_a_reported_map_size_that_is_not_two_pixel_counts_is_ignored(reported: object) -> None:
    assert parse_map_size(reported) is None


def test_a_reported_map_size_is_read_as_width_then_height() -> None:
    assert parse_map_size([1200, 600]) == MapSize(width_px=1200, height_px=600)
    assert parse_map_size((100, 20_000)) == MapSize(100, 20_000)


def test_with_view_copies_the_deck_and_leaves_the_cached_one_alone(
    toy_shapes: pd.DataFrame,
) -> None:
    deck = make_deck([outline_layer(toy_shapes)])
    before = deck.to_json()
    moved = deck_spec(with_view(deck, {"latitude": 33.0, "longitude": 10.0, "zoom": 0.5}))
    assert deck.to_json() == before
    assert moved["initialViewState"]["latitude"] == 33.0
    assert moved["initialViewState"]["zoom"] == 0.5
    assert moved["layers"] == deck_spec(deck)["layers"]


def test_a_presentation_map_keeps_the_wheel_for_the_page(toy_shapes: pd.DataFrame) -> None:
    deck = make_deck([outline_layer(toy_shapes)])
    before = deck.to_json()
    [view] = deck_spec(with_view(deck, PRESENT_VIEW, PRESENT_CONTROLLER))["views"]
    assert view["controller"]["scrollZoom"] is False  # deck.gl's own option name
    assert view["controller"]["dragPan"] is True and view["controller"]["doubleClickZoom"] is True
    assert deck.to_json() == before  # the cached deck still zooms with the wheel
    assert deck_spec(deck)["views"][0]["controller"] is True
