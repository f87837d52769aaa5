"""Exports that work offline: self-contained HTML, CSV, and a static PNG of maps drawn with Pillow.

pydeck's own ``Deck.to_html`` loads deck.gl from a CDN when the file is opened, so map exports are
built here instead: a plotly figure on a plain lon/lat plane (HTML, plotly.js embedded) and a
Pillow rendering (PNG). Both use the same country rings and great-circle paths as the live map.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from PIL import Image, ImageDraw, ImageFont

from analysis.viz.colors import (
    ERROR_CLASS_COLORS,
    ERROR_CLASS_LABELS,
    LAND_COLOR,
    OUTLINE_COLOR,
    RGB,
    SEA_COLOR,
    TRUTH_COLOR,
    error_class,
    hex_color,
)
from analysis.viz.labels import plotly_text, plotly_texts
from analysis.viz.prediction_map import error_paths

LAT_TOP, LAT_BOTTOM = 84.0, -58.0  # crop the empty polar strips


def figure_html(fig: go.Figure) -> str:
    """Return a standalone HTML page with plotly.js inlined (opens offline)."""
    html: str = fig.to_html(include_plotlyjs=True, full_html=True, config={"displaylogo": False})
    return html


def frame_csv(frame: pd.DataFrame) -> bytes:
    """Return a table as UTF-8 CSV bytes."""
    text: str = frame.to_csv(index=False)
    return text.encode("utf-8")


def map_figure(
    shapes: pd.DataFrame,
    rows: pd.DataFrame,
    colors: Mapping[str, RGB],
    *,
    title: str = "Predictions",
) -> go.Figure:
    """Draw the failure map on a plain lon/lat plane with plotly (no geo traces, no CDN)."""
    fig = go.Figure()
    xs: list[float | None] = []
    ys: list[float | None] = []
    for rings in shapes["rings"]:
        ring = rings[0]
        xs += [p[0] for p in ring] + [None]
        ys += [p[1] for p in ring] + [None]
    fig.add_trace(
        go.Scattergl(
            x=xs,
            y=ys,
            mode="lines",
            fill="toself",
            fillcolor=hex_color(LAND_COLOR),
            line={"color": hex_color(OUTLINE_COLOR), "width": 0.5},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    with_coords = rows.dropna(subset=["pred_lat", "pred_lon"])
    classes = error_class(with_coords["distance_km"].to_numpy(float))
    for k, (label, color) in enumerate(zip(ERROR_CLASS_LABELS, ERROR_CLASS_COLORS, strict=True)):
        part = with_coords[classes == k]
        if part.empty:
            continue
        lx: list[float | None] = []
        ly: list[float | None] = []
        for path in error_paths(part):
            lx += [p[0] for p in path] + [None]
            ly += [p[1] for p in path] + [None]
        fig.add_trace(
            go.Scattergl(
                x=lx,
                y=ly,
                mode="lines",
                name=f"error {label}",
                hoverinfo="skip",
                line={"color": hex_color(color), "width": 1},
            )
        )
    truth = rows.drop_duplicates("sample_id")
    fig.add_trace(
        go.Scattergl(
            x=truth["true_lon"],
            y=truth["true_lat"],
            mode="markers",
            name="truth",
            marker={"color": hex_color(TRUTH_COLOR), "size": 4},
            text=plotly_texts(truth["sample_id"]),
            hovertemplate="%{text}<extra>truth</extra>",
        )
    )
    for run, color in colors.items():
        part = with_coords[with_coords["run"] == run]
        fig.add_trace(
            go.Scattergl(
                x=part["pred_lon"],
                y=part["pred_lat"],
                mode="markers",
                name=plotly_text(run),
                marker={"color": hex_color(color), "size": 5},
                text=plotly_texts(part["sample_id"]),
                hovertemplate="%{text}<extra>%{fullData.name}</extra>",
            )
        )
    return _as_world_plane(fig, title)


def choropleth_figure(
    shapes: pd.DataFrame,
    fills: Mapping[str, tuple[int, int, int, int]],
    tooltips: Mapping[str, str],
    *,
    title: str = "",
) -> go.Figure:
    """Draw per-country fills on a plain lon/lat plane with plotly (standalone HTML export)."""
    fig = go.Figure()
    for iso3, part in shapes.groupby("iso3", sort=True):
        xs: list[float | None] = []
        ys: list[float | None] = []
        for rings in part["rings"]:
            xs += [p[0] for p in rings[0]] + [None]
            ys += [p[1] for p in rings[0]] + [None]
        r, g, b, a = fills.get(str(iso3), (*LAND_COLOR, 255))
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=f"rgba({r},{g},{b},{a / 255:.2f})",
                line={"color": hex_color(OUTLINE_COLOR), "width": 0.5},
                showlegend=False,
                name=plotly_text(iso3),
                text=plotly_text(tooltips.get(str(iso3), str(iso3))),
                hoveron="fills",
                hoverinfo="text",
            )
        )
    return _as_world_plane(fig, title)


def _as_world_plane(fig: go.Figure, title: str) -> go.Figure:
    """Lay a figure out as an equal-aspect lon/lat world with the sea as background."""
    fig.update_xaxes(range=[-180, 180], visible=False)
    fig.update_yaxes(range=[LAT_BOTTOM, LAT_TOP], visible=False, scaleanchor="x")
    fig.update_layout(
        title=plotly_text(title),  # quotes run names: escaped like every label
        template="plotly_white",
        plot_bgcolor=hex_color(SEA_COLOR),
        height=650,
        margin={"l": 0, "r": 0, "t": 60, "b": 0},
    )
    return fig


class _Plane:
    """Equirectangular projection onto a width x height pixel canvas."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon + 180.0) / 360.0 * self.width
        y = (LAT_TOP - lat) / (LAT_TOP - LAT_BOTTOM) * self.height
        return x, y


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def map_png(
    shapes: pd.DataFrame,
    rows: pd.DataFrame,
    colors: Mapping[str, RGB],
    *,
    title: str = "",
    width: int = 1800,
    fills: Mapping[str, tuple[int, int, int, int]] | None = None,
) -> bytes:
    """Render a map as PNG bytes: land, optional per-country fills, error lines, points, legend.

    ``rows`` may be empty (a choropleth passes ``fills`` iso3 -> RGBA instead).
    """
    height = int(width * (LAT_TOP - LAT_BOTTOM) / 360.0)
    legend_h = 40 + 24 * ((len(colors) + 5) // 4 + 1)
    image = Image.new("RGB", (width, height + legend_h), (255, 255, 255))
    draw = ImageDraw.Draw(image, "RGBA")
    plane = _Plane(width, height)
    draw.rectangle([0, 0, width, height], fill=SEA_COLOR)
    for iso3, rings in zip(shapes["iso3"], shapes["rings"], strict=True):
        fill = (fills or {}).get(iso3, (*LAND_COLOR, 255))
        points = [plane.xy(p[0], p[1]) for p in rings[0]]
        draw.polygon(points, fill=tuple(fill), outline=(*OUTLINE_COLOR, 255))
    if not rows.empty:
        with_coords = rows.dropna(subset=["pred_lat", "pred_lon"])
        classes = error_class(with_coords["distance_km"].to_numpy(float))
        for k, color in enumerate(ERROR_CLASS_COLORS):
            for path in error_paths(with_coords[classes == k]):
                draw.line([plane.xy(p[0], p[1]) for p in path], fill=(*color, 190), width=1)
        for lat, lon in rows.drop_duplicates("sample_id")[["true_lat", "true_lon"]].to_numpy(float):
            x, y = plane.xy(lon, lat)
            draw.ellipse([x - 2.5, y - 2.5, x + 2.5, y + 2.5], fill=(*TRUTH_COLOR, 255))
        for run, color in colors.items():
            part = with_coords[with_coords["run"] == run][["pred_lat", "pred_lon"]].to_numpy(float)
            for lat, lon in part:
                x, y = plane.xy(lon, lat)
                draw.ellipse(
                    [x - 3, y - 3, x + 3, y + 3], fill=(*color, 230), outline=(255, 255, 255)
                )
    font = _font(18)
    if title:
        draw.text((12, 8), title, fill=(20, 20, 20), font=_font(24))
    entries: list[tuple[str, tuple[int, int, int]]] = []
    if not rows.empty:
        entries = [("truth", TRUTH_COLOR)] + [(str(r), c) for r, c in colors.items()]
        entries += [
            (f"error {lab}", c)
            for lab, c in zip(ERROR_CLASS_LABELS, ERROR_CLASS_COLORS, strict=True)
        ]
    x0, y0 = 12, height + 12
    col_w = width // 4
    for i, (label, color) in enumerate(entries):
        x, y = x0 + (i % 4) * col_w, y0 + (i // 4) * 24
        draw.rectangle([x, y + 3, x + 14, y + 17], fill=color)
        draw.text((x + 20, y), label[:48], fill=(30, 30, 30), font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def fills_from_stats(
    stats: pd.DataFrame, value_col: str = "accuracy", full_alpha_n: int = 30
) -> dict[str, tuple[int, int, int, int]]:
    """Turn per-country stats into iso3 -> RGBA fills (same ramp and fading as the live map)."""
    from analysis.viz.colors import accuracy_rgb, support_alpha

    rgb = accuracy_rgb(stats[value_col].to_numpy(float))
    alpha = support_alpha(stats["n"].to_numpy(float), full_at=full_alpha_n)
    return {
        str(iso): (int(c[0]), int(c[1]), int(c[2]), int(a))
        for iso, c, a in zip(stats["iso3"], rgb, alpha, strict=True)
        if np.isfinite(a)
    }
