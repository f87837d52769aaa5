"""Plotly builders (no geo traces: plotly geo fetches its base map from a CDN)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.viz.colors import RGB, distinct_colors, hex_color, ramp_colorscale, run_colors
from analysis.viz.labels import plotly_text, plotly_texts

BASE_FONT_PX = 13


def plotly_config(filename: str) -> dict[str, Any]:
    """Chart options: the camera button saves a 2x PNG in the browser (offline, no kaleido)."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }


def _layout(fig: go.Figure, title: str, font_px: int, height: int) -> go.Figure:
    fig.update_layout(
        # titles quote run and dataset names: escaped like every other label (see labels.py)
        # from the figure's left edge, not the plot's: long tick labels left titles no room
        title={"text": plotly_text(title), "x": 0.01, "xanchor": "left", "xref": "container"},
        font={"size": font_px, "family": "Source Sans, Arial, sans-serif"},
        template="plotly_white",
        height=height,
        margin={"l": 10, "r": 10, "t": 50 + font_px, "b": 10 + 6 * font_px},
        # below the plot: a legend above it collides with the title once runs are many
        legend={"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0.0},
    )
    return fig


def accuracy_curve_figure(
    curves: pd.DataFrame,
    colors: Mapping[str, RGB] | None = None,
    *,
    title: str = "Share of guesses within d km",
    font_px: int = BASE_FONT_PX,
) -> go.Figure:
    """Plot share within d km against d (log axis), one line per run.

    ``curves`` has columns run, threshold_km, share (share of *all* samples, misses included).
    """
    runs = list(dict.fromkeys(curves["run"]))
    palette = distinct_colors(runs, colors or run_colors(runs))
    fig = go.Figure()
    for run in runs:
        part = curves[curves["run"] == run].sort_values("threshold_km")
        fig.add_trace(
            go.Scatter(
                x=part["threshold_km"],
                y=part["share"],
                mode="lines",
                name=plotly_text(run),
                line={"color": hex_color(palette.get(run, (90, 90, 90))), "width": 2},
                # the (escaped) trace name, not the run pasted in: "%{" in a name stays text
                hovertemplate="%{x:,.0f} km: %{y:.1%}<extra>%{fullData.name}</extra>",
            )
        )
    for km in (1, 25, 200, 750, 2500):
        fig.add_vline(x=km, line={"color": "#cccccc", "width": 1, "dash": "dot"})
    # ticks at the Acc@k thresholds: explicit, so plotly draws no small log "minor" labels
    ticks = [1, 25, 200, 750, 2500, 20000]
    fig.update_xaxes(
        type="log",
        title="distance d (km, log scale)",
        tickmode="array",
        tickvals=ticks,
        ticktext=[f"{km:,}" for km in ticks],
    )
    fig.update_yaxes(title="share of images within d", range=[0, 1], tickformat=".0%")
    return _layout(fig, title, font_px, 460)


def confusion_heatmap(
    matrix: pd.DataFrame,
    *,
    title: str = "Confusion (rows: true, columns: predicted)",
    font_px: int = BASE_FONT_PX,
    normalized: bool = True,
    counts: pd.DataFrame | None = None,
    names: Mapping[str, str] | None = None,
    plot_px: int = 800,
) -> go.Figure:
    """Draw a confusion matrix (rows true, columns predicted) with every label on its axis.

    Categories sit at integer positions with one tick each (``tickmode="array"``), so plotly
    never thins the labels out, whatever the size (82 countries and more). Cells are square,
    sized from the font so that rotated labels never overlap; values are printed in the cells
    only while they are large enough to read, and the hover gives names, shares and counts.

    Args:
        matrix: shares (``normalized``) or counts, rows true, columns predicted.
        counts: the same matrix as counts, for the hover (optional).
        names: label -> full name for the hover (e.g. ISO3 -> country name).
        plot_px: the plot width the caller expects (px): cells and tick labels are sized so
            that every label fits in one cell's pitch at that width (82 countries at ~800 px:
            ~10 px cells, 9 px labels). Wider screens only enlarge the cells.
    """
    rows, cols = [str(r) for r in matrix.index], [str(c) for c in matrix.columns]
    z = matrix.to_numpy(dtype=float)
    n = counts.to_numpy(dtype=float) if counts is not None else np.full(z.shape, np.nan)
    full = dict(names or {})
    cell_px = int(np.clip(plot_px // max(len(cols), 1), 11, 44))
    # upper-case codes are ~0.75 em tall: a label at 0.85 of the pitch never touches the next
    tick_px = min(font_px, max(8, int(cell_px * 0.85)))
    show_values = max(len(rows), len(cols)) <= 20
    spec = "{:.0%}" if normalized else "{:,.0f}"
    text = (
        [[spec.format(v) if np.isfinite(v) and v > 0 else "" for v in line] for line in z]
        if show_values
        else None
    )
    # hover: the axes carry the full names as categories and the cells only their counts, so a
    # 250 x 250 matrix sends ~0.6 MB instead of ~3 MB of per-cell hover strings
    x_names, y_names = _hover_names(cols, full), _hover_names(rows, full)
    value_fmt = "%{z:.1%}" if normalized else "%{z:,.0f}"
    count_fmt = ", %{customdata:,d} images" if counts is not None else ""
    fig = go.Figure(
        go.Heatmap(
            z=np.round(z, 4) if normalized else z,
            x=x_names,
            y=y_names,
            colorscale="Blues",
            zmin=0.0,
            zmax=1.0 if normalized else None,
            xgap=1,
            ygap=1,
            text=text,
            texttemplate="%{text}" if show_values else None,
            textfont={"size": max(11, font_px - 2)},
            customdata=np.nan_to_num(n, nan=0.0).astype(np.int64) if counts is not None else None,
            hovertemplate="true %{y} → predicted %{x}: "
            + value_fmt
            + count_fmt
            + "<extra></extra>",
            colorbar={
                "title": {
                    "text": "share of the true<br>label's images" if normalized else "images"
                },
                "tickformat": ".0%" if normalized else ",d",
            },
        )
    )
    rotate = len(cols) > 12 or max((len(c) for c in cols), default=0) > 6
    fig.update_xaxes(
        title="predicted",
        type="category",
        tickmode="array",
        tickvals=x_names,
        ticktext=plotly_texts(cols),
        tickangle=-90 if rotate else 0,
        tickfont={"size": tick_px},
        constrain="domain",
        showgrid=False,
        zeroline=False,
    )
    fig.update_yaxes(
        title="true",
        type="category",
        tickmode="array",
        tickvals=y_names,
        ticktext=plotly_texts(rows),
        tickfont={"size": tick_px},
        autorange="reversed",
        scaleanchor="x",  # square cells
        constrain="domain",
        showgrid=False,
        zeroline=False,
    )
    longest = max((len(c) for c in cols), default=4)
    label_px = int(longest * tick_px * 0.62) if rotate else tick_px
    height = len(rows) * cell_px + 90 + 2 * font_px + label_px + 2 * font_px
    fig = _layout(fig, title, font_px, max(360, height))
    fig.update_layout(
        margin={"b": label_px + 2 * font_px + 10, "t": 50 + 2 * font_px},
        meta={"cell_px": cell_px, "n_rows": len(rows), "n_cols": len(cols)},
    )
    return fig


def _hover_names(labels: list[str], full: Mapping[str, str]) -> list[str]:
    """Category values of a confusion axis: "France (FRA)", or the label itself (unique)."""
    return [
        plotly_text(f"{full[label]} ({label})" if full.get(label, label) != label else label)
        for label in labels
    ]


def interval_figure(
    rows: pd.DataFrame,
    *,
    label_col: str = "label",
    group_col: str | None = None,
    title: str = "",
    x_title: str = "",
    percent: bool = True,
    zero_line: bool = False,
    colors: Mapping[str, RGB] | None = None,
    font_px: int = BASE_FONT_PX,
) -> go.Figure:
    """Plot point estimates with 95% CI whiskers (columns estimate, low, high; optional n).

    One row per label; with ``group_col`` one marker series per group (e.g. run).
    """
    groups = list(dict.fromkeys(rows[group_col])) if group_col else [None]
    palette = dict(colors) if colors else run_colors([str(g) for g in groups])
    fig = go.Figure()
    for group in groups:
        part = rows if group is None else rows[rows[group_col] == group]
        est = part["estimate"].to_numpy(float)
        hover_n = (
            part["n"].map(lambda v: f"{v:,.0f}" if pd.notna(v) else "").to_numpy()
            if "n" in part
            else np.full(len(part), "")
        )
        # full run names on hover: the axis shows the short display label
        full = plotly_texts(part["run"] if "run" in part else part[label_col])
        color = (
            hex_color(palette.get(str(group), (0, 114, 178))) if group is not None else "#0072b2"
        )
        fig.add_trace(
            go.Scatter(
                x=est,
                y=plotly_texts(part[label_col]),
                mode="markers",
                name=plotly_text(group) if group is not None else "estimate",
                marker={"color": color, "size": 9},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": part["high"].to_numpy(float) - est,
                    "arrayminus": est - part["low"].to_numpy(float),
                    "color": color,
                    "thickness": 1.5,
                },
                customdata=np.column_stack([part["low"], part["high"], hover_n, full]),
                hovertemplate=(
                    "%{customdata[3]}: %{x:.1%} [%{customdata[0]:.1%}, %{customdata[1]:.1%}]"
                    " n = %{customdata[2]}"
                    if percent
                    else "%{customdata[3]}: %{x:,.0f} [%{customdata[0]:,.0f}, "
                    "%{customdata[1]:,.0f}] n = %{customdata[2]}"
                )
                + "<extra></extra>",
                showlegend=group is not None,
            )
        )
    if zero_line:
        fig.add_vline(x=0, line={"color": "#888888", "width": 1})
    fig.update_xaxes(title=plotly_text(x_title), tickformat=".0%" if percent else None)
    if percent and not zero_line:  # shares are never negative: no axis running to -100%
        fig.update_xaxes(rangemode="nonnegative")
    fig.update_yaxes(autorange="reversed", type="category")
    height = max(300, 34 * rows[label_col].nunique() + 140)
    return _layout(fig, title, font_px, height)


def pivot_heatmap(
    pivot: pd.DataFrame,
    *,
    title: str,
    higher_is_better: bool,
    percent: bool = True,
    font_px: int = BASE_FONT_PX,
) -> go.Figure:
    """Draw a models x prompt-strategies table as a heatmap; better cells are darker."""
    z = pivot.to_numpy(dtype=float)
    fmt = "{:.1%}" if percent else "{:,.0f}"
    text = [[("" if not np.isfinite(v) else fmt.format(v)) for v in row] for row in z]
    scale = ramp_colorscale()
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=plotly_texts(pivot.columns),
            y=plotly_texts(pivot.index),
            colorscale=scale,
            reversescale=not higher_is_better,
            text=text,
            texttemplate="%{text}",
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
            showscale=False,
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, font_px, max(260, 46 * len(pivot.index) + 140))


def paired_table_figure(
    counts: Sequence[Sequence[int]], labels: tuple[str, str], *, font_px: int = BASE_FONT_PX
) -> go.Figure:
    """Draw the 2x2 agreement table (rows run A right/wrong, columns run B right/wrong)."""
    z = np.asarray(counts, dtype=float)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=plotly_texts([f"{labels[1]} right", f"{labels[1]} wrong"]),
            y=plotly_texts([f"{labels[0]} right", f"{labels[0]} wrong"]),
            colorscale="Greys",
            text=[[f"{int(v):,}" for v in row] for row in z],
            texttemplate="%{text}",
            # the four counts are what the table is for: larger than its labels
            textfont={"size": round(font_px * 1.6)},
            showscale=False,
            hovertemplate="%{y} & %{x}: %{text}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, "Paired outcomes (country)", font_px, 300)
