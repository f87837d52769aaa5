"""Per-country choropleth drawn with pydeck from local polygons (plotly geo: CDN).

Any registered metric can be mapped: shares in [0, 1], distances in km (log scale, lower is
better) or GeoGuessr points. ``ColorScale`` puts a value on the accuracy ramp (dark = good) and
gives the legend's ticks with units, so the live map, the PNG and the HTML export agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import pydeck as pdk

from analysis.viz.colors import LAND_COLOR, OUTLINE_COLOR, accuracy_rgb, support_alpha
from analysis.viz.deck import CompactDeck, lon_lat, make_deck

GEOGUESSR_MAX_POINTS = 5000.0


@dataclass(frozen=True)
class ColorScale:
    """How a metric's values map onto the ramp (position 1 = best = darkest) and its legend."""

    label: str
    unit: str
    low: float
    high: float
    log: bool = False
    higher_is_better: bool = True

    def position(self, values: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Return ramp positions in [0, 1] (NaN stays NaN), 1 for the best values."""
        v = np.asarray(values, dtype=float)
        lo, hi = self.low, self.high
        if self.log:
            v, lo, hi = np.log10(np.maximum(v, 1e-9)), math.log10(lo), math.log10(hi)
        pos = np.clip((v - lo) / (hi - lo), 0.0, 1.0)
        return pos if self.higher_is_better else 1.0 - pos

    def format(self, value: float) -> str:
        """Format one value with its unit (shares as %, km with separators, points)."""
        if not math.isfinite(value):
            return "–"
        if self.unit == "share":
            return f"{value:.1%}"
        if self.unit == "km":
            return f"{value:,.0f} km"
        return f"{value:,.0f}"

    def ticks(self, n_stops: int = 5) -> list[tuple[float, str]]:
        """Return (ramp position, label) pairs for a legend, best last."""
        if self.log:
            values = [10.0**e for e in range(int(math.log10(self.low)), 6)]
            values = [v for v in values if self.low <= v <= self.high]
        else:
            values = list(np.linspace(self.low, self.high, n_stops))
        # ticks are round numbers: no decimals ("25%", "1,000 km")
        short = (lambda v: f"{v:.0%}") if self.unit == "share" else self.format
        out = [(float(self.position([v])[0]), short(v)) for v in values]
        return sorted(out)

    @property
    def title(self) -> str:
        """Legend title with the unit."""
        unit = {"share": "%", "km": "km, log scale", "points": "points"}.get(self.unit, self.unit)
        return f"{self.label} ({unit})"


def color_scale(label: str, unit: str, higher_is_better: bool | None = True) -> ColorScale:
    """Return the colour scale of a metric from its registered unit and direction."""
    if unit == "km":
        return ColorScale(label, unit, 1.0, 20000.0, log=True, higher_is_better=False)
    if unit == "share":
        return ColorScale(label, unit, 0.0, 1.0, higher_is_better=higher_is_better is not False)
    if "geoguessr" in label.lower() or unit == "points":
        return ColorScale(label, "points", 0.0, GEOGUESSR_MAX_POINTS)
    return ColorScale(label, unit, 0.0, 1.0, higher_is_better=higher_is_better is not False)


SHARE_SCALE = color_scale("accuracy", "share")
# the image counts printed on countries: bold, and larger in presentation mode, where the
# 11 px regular weight they had was a grey blur from the back of a room
LABEL_PX = 13
PRESENT_LABEL_PX = 17


def choropleth_deck(
    stats: pd.DataFrame,
    shapes: pd.DataFrame,
    *,
    value_col: str = "accuracy",
    value_label: str = "accuracy",
    full_alpha_n: int = 1,
    labels: pd.DataFrame | None = None,
    scale: ColorScale | None = None,
    label_px: int = LABEL_PX,
) -> CompactDeck:
    """Fill countries by a metric; optionally fade small samples; label n at given points.

    Args:
        stats: one row per country: iso3, n, and ``value_col``.
        shapes: country rings from ``polygon_records``.
        full_alpha_n: sample size from which a country is drawn fully opaque (1: no fading).
        labels: optional iso3, rep_lat, rep_lon to print n on the map (see ``label_points``).
        scale: how values map to colours (default: a share in [0, 1]).
        label_px: type size of the printed counts (``PRESENT_LABEL_PX`` for presentation).
    """
    scale = scale or color_scale(value_label, "share")
    by_iso = stats.set_index("iso3")
    merged = shapes.join(by_iso[[value_col, "n"]], on="iso3")
    has = merged["n"].fillna(0).to_numpy(float) > 0
    rgb = accuracy_rgb(scale.position(merged[value_col].to_numpy(float)))
    alpha = support_alpha(merged["n"].fillna(0).to_numpy(float), full_at=full_alpha_n)
    data = []
    for rings, name, n, value, row_rgb, a, ok in zip(
        merged["rings"],
        merged["name"],
        merged["n"],
        merged[value_col],
        rgb,
        alpha,
        has,
        strict=True,
    ):
        if ok:
            fill = [int(row_rgb[0]), int(row_rgb[1]), int(row_rgb[2]), int(a)]
            small = " (small sample)" if n < full_alpha_n else ""
            images = "1 image" if int(n) == 1 else f"{int(n):,} images"
            tip = f"{name}: {value_label} {scale.format(float(value))}, {images}{small}"
        else:
            fill = [*LAND_COLOR, 255]
            tip = f"{name}: no images"
        data.append({"p": rings, "c": fill, "t": tip})
    layers = [
        pdk.Layer(
            "PolygonLayer",
            data=data,
            id="choropleth",
            get_polygon="p",
            get_fill_color="c",
            get_line_color=[*OUTLINE_COLOR, 200],
            line_width_min_pixels=0.5,
            stroked=True,
            filled=True,
            pickable=True,
            auto_highlight=True,
        )
    ]
    if labels is not None:
        lab = labels.merge(stats[["iso3", "n"]], on="iso3").dropna(subset=["rep_lat", "rep_lon"])
        lab = lab[lab["n"] > 0]
        text = [
            {"p": p, "t": f"{int(n)}"}
            for p, n in zip(lon_lat(lab["rep_lat"], lab["rep_lon"]), lab["n"], strict=True)
        ]
        layers.append(
            pdk.Layer(
                "TextLayer",
                data=text,
                id="n-labels",
                get_position="p",
                get_text="t",
                get_size=label_px,
                font_weight=700,
                get_color=[20, 20, 20, 235],
                outline_width=2,
                outline_color=[255, 255, 255, 230],
                font_settings={"sdf": True},
                pickable=False,
            )
        )
    return make_deck(layers, tooltip={"text": "{t}"})


def legend_stops(
    n_stops: int = 5, scale: ColorScale | None = None
) -> list[tuple[str, tuple[int, int, int]]]:
    """Return (label, colour) pairs along the ramp for a legend, in the scale's units."""
    ticks = (scale or SHARE_SCALE).ticks(n_stops)
    colors = accuracy_rgb([pos for pos, _ in ticks])
    return [
        (label, (int(c[0]), int(c[1]), int(c[2])))
        for (_, label), c in zip(ticks, colors, strict=True)
    ]


def label_points(
    shapes: pd.DataFrame, points: pd.DataFrame, min_span_deg: float = 7.0
) -> pd.DataFrame:
    """Keep label points of countries large enough on the map to carry a number.

    Small neighbours (most of Europe, the Caribbean) would print their counts over each other;
    their counts stay in the hover and the table.
    """
    spans: dict[str, float] = {}
    for iso3, rings in zip(shapes["iso3"], shapes["rings"], strict=True):
        ring = np.asarray(rings[0], dtype=float)
        if ring.size == 0:
            continue
        span = float(min(np.ptp(ring[:, 0]), np.ptp(ring[:, 1])))
        spans[str(iso3)] = max(spans.get(str(iso3), 0.0), span)
    keep = points["iso3"].map(lambda c: spans.get(str(c), 0.0) >= min_span_deg)
    return points[keep.to_numpy(dtype=bool)]
