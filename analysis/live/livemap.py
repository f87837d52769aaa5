"""The live panel's map: every model's guess, the truth, error lines and the consensus point.

Built from the dashboard's tile-free pydeck pieces (``analysis.viz``): no basemap is fetched, land
is drawn from local Natural Earth outlines. (lat, lon) becomes [lon, lat] only through ``lon_lat``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
import pydeck as pdk

from analysis.live.orchestrator import ConsensusPoint
from analysis.live.results import LiveResult
from analysis.types import LatLon
from analysis.viz.colors import RGB, TRUTH_COLOR, run_colors
from analysis.viz.deck import CompactDeck, lon_lat, make_deck, outline_layer
from analysis.viz.prediction_map import line_layers, point_layer

CONSENSUS_COLOR: RGB = (213, 94, 0)  # Okabe-Ito vermillion: unused by the preset palette
TOOLTIP = {"text": "{t}"}


def preset_colors(presets: Sequence[str]) -> dict[str, RGB]:
    """Give each preset its palette colour, in the order chosen on the page."""
    return run_colors(list(presets))


def _fmt_km(distance_km: float | None) -> str:
    return "" if distance_km is None else f" - {distance_km:,.0f} km off"


def _view(points: list[tuple[float, float]]) -> dict[str, float]:
    """Centre on the points and zoom so they all fit (world view when spread wide)."""
    if not points:
        return {"latitude": 20.0, "longitude": 10.0, "zoom": 0.7}
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    span = max(max(lats) - min(lats), max(lons) - min(lons), 0.5)
    # Each zoom level halves the degrees shown; a 1000 px wide map shows ~360 deg at zoom ~1.5.
    zoom = max(0.7, min(5.0, math.log2(360.0 / (span * 1.6))))
    if max(lons) - min(lons) > 180.0:  # points on both sides of the antimeridian: show it all
        return {"latitude": 20.0, "longitude": 10.0, "zoom": 0.7}
    return {
        "latitude": (max(lats) + min(lats)) / 2.0,
        "longitude": (max(lons) + min(lons)) / 2.0,
        "zoom": zoom,
    }


def _marker(
    data: list[dict[str, Any]],
    layer_id: str,
    color: RGB,
    radius_px: float,
    ring: RGB,
    filled: bool = True,
) -> pdk.Layer:
    """Draw one large marker: opaque ring, thicker when hollow so it still reads as a ring."""
    return point_layer(
        data,
        layer_id,
        color,
        radius_px,
        fill_alpha=230,
        line_color=(*ring, 255),
        line_width_px=2.0 if filled else 3.0,
        filled=filled,
        auto_highlight=False,
    )


def live_map(
    results: Sequence[LiveResult],
    truth: LatLon | None,
    consensus: ConsensusPoint | None,
    shapes: pd.DataFrame | None,
    colors: dict[str, RGB] | None = None,
) -> CompactDeck:
    """Build the map of one photo's guesses (layers: land, error lines, truth, guesses, consensus).

    Args:
        results: the models' results; those without coordinates are not drawn.
        truth: the true location, if known (drawn black, with error lines to each guess).
        consensus: the geometric median of the guesses, if any (drawn as an orange ring).
        shapes: country rings from ``analysis.viz.deck.polygon_records`` (None: no outlines).
        colors: preset name -> colour; defaults to the palette in result order.
    """
    located = [r for r in results if r.has_location]
    palette = colors or preset_colors([r.preset for r in results])
    layers: list[pdk.Layer] = []
    if shapes is not None and not shapes.empty:
        layers.append(outline_layer(shapes))
    if truth is not None and located:
        rows = pd.DataFrame(
            {
                "true_lat": [truth.lat] * len(located),
                "true_lon": [truth.lon] * len(located),
                "pred_lat": [r.lat for r in located],
                "pred_lon": [r.lon for r in located],
                "distance_km": [r.distance_km for r in located],
            },
            dtype=float,
        )
        # the map page's error-class colours, bolder: a handful of lines, not thousands
        layers.extend(line_layers(rows, "live-err", 3, alpha=230, min_width_px=2))
    # Drawing order keeps every marker visible when they overlap: the truth underneath, the
    # guesses on it, and the consensus as a hollow ring around whatever lies below.
    if truth is not None:
        layers.append(
            _marker(
                [{"p": lon_lat([truth.lat], [truth.lon])[0], "t": "truth"}],
                "truth",
                TRUTH_COLOR,
                10.0,
                (255, 215, 0),
            )
        )
    for index, result in enumerate(located):
        position = lon_lat([result.lat], [result.lon])[0]
        label = f"{result.preset}: {result.country_iso3 or '?'}{_fmt_km(result.distance_km)}"
        layers.append(
            _marker(
                [{"p": position, "t": label}],
                f"guess-{index}",
                palette.get(result.preset, (90, 90, 90)),
                7.0,
                (255, 255, 255),
            )
        )
    if consensus is not None:
        text = f"consensus of {consensus.n_guesses} guesses{_fmt_km(consensus.distance_km)}"
        layers.append(
            _marker(
                [{"p": lon_lat([consensus.lat], [consensus.lon])[0], "t": text}],
                "consensus",
                CONSENSUS_COLOR,
                14.0,
                CONSENSUS_COLOR,
                filled=False,
            )
        )
    points = [(r.lat, r.lon) for r in located if r.lat is not None and r.lon is not None]
    if truth is not None:
        points.append((truth.lat, truth.lon))
    return make_deck(layers, tooltip=TOOLTIP, view=_view(points))
