"""pydeck basics: a compact, tile-free Deck and the country-outline layer drawn from polygons.

This is the one place where (lat, lon) becomes pydeck's [lon, lat].
"""

from __future__ import annotations

import copy
import json
import math
import re
import weakref
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize

from analysis.viz.colors import LAND_COLOR, OUTLINE_COLOR

# 2 decimals = ~1 km at the equator: finer than a pixel at world zoom, and half the bytes of 5.
COORD_DECIMALS = 2
DEFAULT_VIEW = {"latitude": 20.0, "longitude": 10.0, "zoom": 0.7}
# deck.gl draws the whole Web Mercator world 512 px wide at zoom 0 (and twice that per zoom level)
WORLD_PX_AT_ZOOM_0 = 512
# Presentation mode caps a map at the screen's height less its title and legend, never below
# this (pages/_ui.py's PRESENT_CSS): the presentation view fits the inhabited latitudes (Tierra
# del Fuego to Svalbard) into that height, where DEFAULT_VIEW showed only 60°S to 75°N.
PRESENT_MAP_MIN_HEIGHT_PX = 420
LAND_LATITUDES_DEG = (-56.0, 80.0)
# Antarctica fills the bottom of a Mercator map while holding no street-level benchmark images.
DEFAULT_DROP = ("ATA",)
# points are 2-3 px: let a click a few pixels off still pick one
PICKING_RADIUS_PX = 6


# Layer JSON by layer object: streamlit serialises the deck on every rerun, and a highlighted copy
# of a map shares all the base layers. Layers are never mutated once a builder returns them.
_LAYER_JSON: weakref.WeakKeyDictionary[pdk.Layer, str] = weakref.WeakKeyDictionary()
_LAYERS_SLOT = "__geoscope_layers__"


def _dumps(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, default=default_serialize, separators=(",", ":"))


# deck.gl's JSON converter reads any string that starts with "@@=" as an expression and "@@#"
# as a constant lookup, in data rows too: a run or sample named "@@#a.b" would break the map.
# Data strings (names GeoScope did not write) get an invisible word joiner in front; only the
# layer's own props (accessors such as "@@=p", which pydeck writes) keep the prefix.
_DATA_DIRECTIVE = re.compile(r'(?<!\\)"@@')
_WORD_JOINER_JSON = '"\\u2060@@'


def _layer_json(layer: pdk.Layer) -> str:
    cached = _LAYER_JSON.get(layer)
    if cached is None:
        attrs = default_serialize(layer)
        data = attrs.pop("data", None)
        text = _dumps(attrs)
        if data is not None:
            data_json = _DATA_DIRECTIVE.sub(lambda _: _WORD_JOINER_JSON, _dumps(data))
            text = text[:-1] + ("," if len(text) > 2 else "") + '"data":' + data_json + "}"
        cached = _LAYER_JSON[layer] = text
    return cached


class CompactDeck(pdk.Deck):  # type: ignore[misc]
    """A Deck whose JSON has no indentation: streamlit ships ``to_json()`` as-is to the browser."""

    def to_json(self) -> str:
        """Serialise without whitespace (pydeck's default indents every point), layers memoised."""
        attrs = default_serialize(self)  # a fresh dict: safe to edit while other threads read
        layers = attrs.get("layers") or []
        attrs["layers"] = _LAYERS_SLOT
        text = _dumps(attrs)
        return text.replace(f'"{_LAYERS_SLOT}"', "[" + ",".join(map(_layer_json, layers)) + "]", 1)


def lon_lat(lat: Any, lon: Any, decimals: int = COORD_DECIMALS) -> list[list[float]]:
    """Return ``[[lon, lat], ...]`` rounded for pydeck from (lat, lon) arrays."""
    lats = np.round(np.asarray(lat, dtype=float), decimals)
    lons = np.round(np.asarray(lon, dtype=float), decimals)
    return np.column_stack([lons, lats]).tolist()  # type: ignore[no-any-return]


def make_deck(
    layers: Sequence[pdk.Layer],
    tooltip: dict[str, Any] | bool = False,
    view: dict[str, float] | None = None,
) -> CompactDeck:
    """Build a Deck with no basemap (works offline) around the given layers."""
    state = pdk.ViewState(**(view or DEFAULT_VIEW))
    # map_provider=None yields the "__MAP_STYLE__" sentinel, which streamlit reads as "no basemap";
    # map_style=None instead would make streamlit fetch a CARTO style from the internet.
    deck = CompactDeck(
        layers=list(layers),
        initial_view_state=state,
        map_provider=None,
        views=[pdk.View(type="MapView", controller=True)],
        tooltip=tooltip,
    )
    deck.picking_radius = PICKING_RADIUS_PX  # serialised as deck.gl's pickingRadius
    return deck


def _mercator_y(lat_deg: float) -> float:
    """Web Mercator's northing of a latitude, in radians of the world's width / 2π."""
    return math.log(math.tan(math.pi / 4 + math.radians(lat_deg) / 2))


def fit_latitudes(
    south_deg: float, north_deg: float, height_px: float, longitude: float = 10.0
) -> dict[str, float]:
    """Return the view (latitude, longitude, zoom) that shows exactly south..north in height_px.

    deck.gl's JSON view state cannot "fit bounds" in the browser, so the fit is computed here
    for a known height; a taller map shows more, never less, around the same centre.
    """
    if not -85.06 <= south_deg < north_deg <= 85.06 or height_px <= 0:
        raise ValueError(f"cannot fit latitudes {south_deg}..{north_deg} into {height_px} px")
    y_south, y_north = _mercator_y(south_deg), _mercator_y(north_deg)
    world_px = height_px * 2 * math.pi / (y_north - y_south)
    centre_y = (y_south + y_north) / 2
    centre_lat = math.degrees(2 * math.atan(math.exp(centre_y)) - math.pi / 2)
    return {
        "latitude": round(centre_lat, 3),
        "longitude": longitude,
        "zoom": round(math.log2(world_px / WORLD_PX_AT_ZOOM_0), 3),
    }


PRESENT_VIEW = fit_latitudes(*LAND_LATITUDES_DEG, height_px=PRESENT_MAP_MIN_HEIGHT_PX)
# the sizes a browser may report for a map (px): anything else is refused, not clamped
MAP_SIZE_RANGE_PX = (100, 20_000)


class MapSize(NamedTuple):
    """A map's drawn size on screen in CSS pixels, as the browser measured it."""

    width_px: int
    height_px: int


def parse_map_size(value: object) -> MapSize | None:
    """Read a map size the browser reported (``[width, height]``); None for anything else.

    The value arrives from the client, so it is checked, not trusted: two whole numbers of
    pixels within `MAP_SIZE_RANGE_PX`.
    """
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    low, high = MAP_SIZE_RANGE_PX
    if not all(type(px) is int and low <= px <= high for px in value):
        return None
    return MapSize(int(value[0]), int(value[1]))


def fit_world(size: MapSize) -> dict[str, float]:
    """Return the view that fills a map of `size` with the inhabited world.

    The inhabited latitudes (`LAND_LATITUDES_DEG`) fill the height, unless the whole width of
    the world (360° of longitude) would then be wider than the map: a narrow map is filled
    side to side instead, and shows more sea above and below.
    """
    view = fit_latitudes(*LAND_LATITUDES_DEG, height_px=size.height_px)
    widest_zoom = round(math.log2(size.width_px / WORLD_PX_AT_ZOOM_0), 3)
    return {**view, "zoom": min(view["zoom"], widest_zoom)}


def present_view(size: MapSize | None) -> dict[str, float]:
    """The view a presentation map opens on: fitted to its measured size, once it is known.

    Until the browser has reported it (the first run of a session), the fit is for the
    smallest height presentation mode gives a map (`PRESENT_VIEW`).
    """
    return PRESENT_VIEW if size is None else fit_world(size)


# In presentation mode a map fills most of the screen, so the mouse wheel scrolls the page
# instead of zooming the map (which the wheel did wherever the pointer rested on it);
# dragging still pans, and a double click zooms in (with Shift held, out).
PRESENT_CONTROLLER = {"scrollZoom": False, "dragPan": True, "doubleClickZoom": True}


def with_view(
    deck: CompactDeck, view: Mapping[str, float], controller: Mapping[str, bool] | None = None
) -> CompactDeck:
    """Return a copy of `deck` that opens on `view` (a cached deck is shared: never edit it).

    ``controller`` replaces the map's interaction options (deck.gl's ``controller`` prop).
    """
    copied = copy.copy(deck)
    copied.initial_view_state = pdk.ViewState(**view)
    if controller is not None:
        copied.views = [pdk.View(type="MapView", controller=dict(controller))]
    return copied


def polygon_records(
    polygons: Any,
    decimals: int = COORD_DECIMALS,
    drop: Iterable[str] = DEFAULT_DROP,
) -> pd.DataFrame:
    """Explode country polygons into one row per part: iso3, name, rings as [[lon, lat], ...].

    ``polygons`` is a GeoDataFrame with columns iso3, name, geometry (lon/lat degrees).
    """
    dropped = set(drop)
    rows: list[dict[str, Any]] = []
    for iso3, name, geom in zip(polygons["iso3"], polygons["name"], polygons.geometry, strict=True):
        if geom is None or geom.is_empty or iso3 in dropped:
            continue
        parts = shapely.get_parts(geom)
        for part in parts:
            if part.geom_type != "Polygon":
                continue
            rings = [part.exterior, *part.interiors]
            coords = [np.round(shapely.get_coordinates(r), decimals).tolist() for r in rings]
            if len(coords[0]) >= 4:
                rows.append({"iso3": iso3, "name": name, "rings": coords})
    return pd.DataFrame(rows, columns=["iso3", "name", "rings"])


def outline_layer(shapes: pd.DataFrame, layer_id: str = "countries") -> pdk.Layer:
    """Draw land as light polygons with thin grey borders (not pickable: it is the background)."""
    data = [{"p": rings} for rings in shapes["rings"]]
    return pdk.Layer(
        "PolygonLayer",
        data=data,
        id=layer_id,
        get_polygon="p",
        get_fill_color=[*LAND_COLOR, 255],
        get_line_color=[*OUTLINE_COLOR, 160],
        line_width_min_pixels=0.5,
        get_line_width=0,
        stroked=True,
        filled=True,
        pickable=False,
    )


def deck_spec(deck: pdk.Deck) -> dict[str, Any]:
    """Parse a deck's JSON (the exact payload streamlit sends) into a dict for inspection."""
    parsed: dict[str, Any] = json.loads(deck.to_json())
    return parsed


def deck_bytes(deck: pdk.Deck) -> int:
    """Return how many bytes of JSON the deck sends to the browser."""
    return len(deck.to_json().encode("utf-8"))
