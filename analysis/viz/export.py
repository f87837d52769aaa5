"""Exports that work offline: self-contained HTML, CSV, PNG of charts and of maps.

pydeck's own ``Deck.to_html`` loads deck.gl from a CDN when the file is opened, so map exports are
built here instead: a plotly figure on a plain lon/lat plane (HTML, plotly.js embedded) and a
Pillow rendering (PNG, ``static_map``). Both use the same country rings and great-circle paths as
the live map. Chart PNGs come from kaleido 1.x, which drives a Chrome/Chromium already on the
machine (Debian's chromium here and in CI; any Chrome on a laptop) through choreographer, offline.
"""

from __future__ import annotations

import base64
import gzip
import html
import logging
import warnings
from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.viz.choropleth import SHARE_SCALE, ColorScale
from analysis.viz.colors import (
    ERROR_CLASS_COLORS,
    ERROR_CLASS_LABELS,
    LAND_COLOR,
    OUTLINE_COLOR,
    RGB,
    SEA_COLOR,
    TRUTH_COLOR,
    accuracy_rgb,
    error_class,
    hex_color,
    ramp_colorscale,
)
from analysis.viz.labels import plotly_text, plotly_texts
from analysis.viz.prediction_map import error_paths
from analysis.viz.static_map import LAT_BOTTOM, LAT_TOP
from analysis.viz.static_map import map_png as map_png
from analysis.viz.theme import presentation

LOG = logging.getLogger(__name__)
PNG_WIDTH_PX = 1600  # slides: 16:9 at full HD width or more


def figure_html(fig: go.Figure) -> str:
    """Return a standalone HTML page that draws ``fig`` offline, at about 2 MB instead of 5.

    plotly.js (4.8 MB) is embedded gzip-compressed and base64-encoded (1.9 MB) and unpacked in
    the browser with ``DecompressionStream`` (Chrome/Edge 80+, Firefox 113+, Safari 16.4+), so
    the file needs no network and no server: double-click it, mail it, put it on a USB stick.
    The figure travels as JSON in a non-executed script element, ``<`` escaped as ``\\u003c``
    so no text in it (run names, answers) can close the element or open markup.
    """
    import plotly.io as pio

    spec = pio.to_json(fig, validate=False, engine="json").replace("<", "\\u003c")
    title = fig.layout.title.text if fig.layout.title and fig.layout.title.text else "GeoScope"
    size = "height:100vh" if fig.layout.height is None else f"height:{int(fig.layout.height)}px"
    return _HTML_PAGE.format(
        title=html.escape(str(title)),
        size=size,
        plotly_gz=_plotly_js_gzip_base64(),
        spec=spec,
    )


_HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>html,body{{margin:0;font-family:sans-serif}}</style></head><body>
<div id="geoscope-figure" style="width:100%;{size}"></div>
<noscript>This figure needs JavaScript.</noscript>
<script id="geoscope-plotly-gz" type="application/octet-stream">{plotly_gz}</script>
<script id="geoscope-spec" type="application/json">{spec}</script>
<script>
(async () => {{
  const packed = document.getElementById("geoscope-plotly-gz").textContent.trim();
  const bytes = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  (0, eval)(await new Response(stream).text());
  const spec = JSON.parse(document.getElementById("geoscope-spec").textContent);
  await Plotly.newPlot("geoscope-figure", spec.data, spec.layout,
                       {{displaylogo: false, responsive: true}});
}})().catch((err) => {{
  document.getElementById("geoscope-figure").textContent =
    "This browser could not draw the figure (" + err + "); a current Chrome, Edge, Firefox " +
    "or Safari can.";
}});
</script>
</body></html>
"""


@lru_cache(maxsize=1)
def _plotly_js_gzip_base64() -> str:
    """plotly.js of the installed plotly, gzip-compressed (fixed mtime: same bytes every time)."""
    from plotly.offline import get_plotlyjs

    packed = gzip.compress(get_plotlyjs().encode("utf-8"), compresslevel=9, mtime=0)
    return base64.b64encode(packed).decode("ascii")


@lru_cache(maxsize=1)
def static_export_problem() -> str | None:
    """Return why chart PNGs cannot be rendered here (no kaleido or no Chrome), else None."""
    try:
        from choreographer.browsers.chromium import Chromium
    except ImportError:
        return "kaleido is not installed (pip install -r requirements.txt)"
    # PATH (chromium, google-chrome…), BROWSER_PATH, the usual macOS/Windows install folders
    if Chromium.find_browser(skip_local=False) is None:
        return "no Chrome or Chromium found: install one to export charts as PNG"
    return None


def figure_png(fig: go.Figure, width: int = PNG_WIDTH_PX, slide: bool = True) -> bytes:
    """Render a figure as PNG bytes (kaleido + the machine's Chromium), in the slide look.

    The figure is copied: the caller's figure keeps its dashboard look. Raises RuntimeError with
    a readable reason when no browser is available (``static_export_problem``).
    """
    import plotly.io as pio

    problem = static_export_problem()
    if problem is not None:
        raise RuntimeError(problem)
    out = go.Figure(fig)
    if slide:
        presentation(out)
    height = int(out.layout.height or 600)
    with warnings.catch_warnings():  # with a shared kaleido server plotly's kopts are unused
        warnings.filterwarnings("ignore", message="The kopts argument is ignored")
        png: bytes = pio.to_image(out, format="png", width=max(width, PNG_WIDTH_PX), height=height)
    return png


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
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Draw the failure map on a plain lon/lat plane with plotly (no geo traces, no CDN).

    ``labels`` gives runs' display names for the legend; a frame with an ``outcome`` column
    (two runs compared) is drawn as "only X right" points without truth or error lines.
    """
    labels = labels or {}
    outcome_map = "outcome" in rows
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
    # the map page marks which rows have an error line (``line``): the export draws the same
    lined = with_coords[with_coords["line"].astype(bool)] if "line" in rows else with_coords
    classes = error_class(lined["distance_km"].to_numpy(float))
    for k, (label, color) in enumerate(zip(ERROR_CLASS_LABELS, ERROR_CLASS_COLORS, strict=True)):
        part = lined[classes == k]
        if part.empty or outcome_map:
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
    truth = rows.iloc[0:0] if outcome_map else rows.drop_duplicates("sample_id")
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
                name=plotly_text(
                    f"only {labels.get(run, run)} right"
                    if outcome_map
                    else f"guess: {labels.get(run, run)}"
                ),
                marker={"color": hex_color(color), "size": 6},
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
    scale: ColorScale | None = None,
) -> go.Figure:
    """Draw per-country fills on a plain lon/lat plane with plotly, with the colour scale.

    The colour bar (metric and unit) is an invisible marker trace carrying the ramp: fills of
    ``toself`` shapes have no colour scale of their own.
    """
    scale = scale or SHARE_SCALE
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
    ticks = scale.ticks()
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
            marker={
                "color": [0.0],
                "cmin": 0.0,
                "cmax": 1.0,
                "colorscale": ramp_colorscale(),
                "showscale": True,
                "colorbar": {
                    "title": {"text": plotly_text(scale.title), "side": "right"},
                    "tickvals": [pos for pos, _ in ticks],
                    "ticktext": plotly_texts(label for _, label in ticks),
                    "len": 0.8,
                },
            },
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


def fills_from_stats(
    stats: pd.DataFrame,
    value_col: str = "accuracy",
    full_alpha_n: int = 1,
    scale: ColorScale | None = None,
) -> dict[str, tuple[int, int, int, int]]:
    """Turn per-country stats into iso3 -> RGBA fills (same ramp and fading as the live map)."""
    from analysis.viz.colors import support_alpha

    rgb = accuracy_rgb((scale or SHARE_SCALE).position(stats[value_col].to_numpy(float)))
    alpha = support_alpha(stats["n"].to_numpy(float), full_at=full_alpha_n)
    return {
        str(iso): (int(c[0]), int(c[1]), int(c[2]), int(a))
        for iso, c, a in zip(stats["iso3"], rgb, alpha, strict=True)
        if np.isfinite(a)
    }
