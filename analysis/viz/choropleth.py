"""Per-country accuracy choropleth drawn with pydeck from local polygons (plotly geo: CDN)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pydeck as pdk

from analysis.viz.colors import LAND_COLOR, OUTLINE_COLOR, accuracy_rgb, support_alpha
from analysis.viz.deck import CompactDeck, lon_lat, make_deck


def choropleth_deck(
    stats: pd.DataFrame,
    shapes: pd.DataFrame,
    *,
    value_col: str = "accuracy",
    value_label: str = "accuracy",
    full_alpha_n: int = 30,
    labels: pd.DataFrame | None = None,
) -> CompactDeck:
    """Fill countries by a share in [0, 1]; fade small samples; label n at representative points.

    Args:
        stats: one row per country: iso3, n, and ``value_col`` (share in [0, 1]).
        shapes: country rings from ``polygon_records``.
        full_alpha_n: sample size from which a country is drawn fully opaque.
        labels: optional iso3, rep_lat, rep_lon to print n on the map.
    """
    by_iso = stats.set_index("iso3")
    merged = shapes.join(by_iso[[value_col, "n"]], on="iso3")
    has = merged["n"].fillna(0).to_numpy(float) > 0
    rgb = accuracy_rgb(merged[value_col].to_numpy(float))
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
            tip = f"{name}: {value_label} {value:.0%}, n = {int(n)}{small}"
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
                get_size=11,
                get_color=[20, 20, 20, 220],
                outline_width=2,
                outline_color=[255, 255, 255, 230],
                font_settings={"sdf": True},
                pickable=False,
            )
        )
    return make_deck(layers, tooltip={"text": "{t}"})


def legend_stops(n_stops: int = 5) -> list[tuple[str, tuple[int, int, int]]]:
    """Return (label, colour) pairs along the accuracy ramp for a legend."""
    values = np.linspace(0.0, 1.0, n_stops)
    colors = accuracy_rgb(values)
    return [
        (f"{v:.0%}", (int(c[0]), int(c[1]), int(c[2])))
        for v, c in zip(values, colors, strict=True)
        if math.isfinite(v)
    ]
