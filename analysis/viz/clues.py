"""Clue heatmaps: runs x clue categories, one figure per figure of merit (pure plotly)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.viz.charts import BASE_FONT_PX, _layout
from analysis.viz.colors import ramp_colorscale
from analysis.viz.labels import plotly_text, plotly_texts

# blue (negative) - white - orange (positive): a lift of 0 must read as "no difference"
_DIVERGING: list[list[float | str]] = [[0.0, "#2b6cb0"], [0.5, "#f7f7f7"], [1.0, "#dd6b20"]]
# a citation rate is neither good nor bad: one hue, darker = cited more often
_SEQUENTIAL: list[list[float | str]] = [[0.0, "#f1f5fb"], [1.0, "#1e4e8c"]]


def clue_heatmap(
    matrix: pd.DataFrame,
    *,
    title: str,
    column_labels: Mapping[str, str],
    row_labels: Mapping[str, str] | None = None,
    hover: pd.DataFrame | None = None,
    diverging: bool = False,
    higher_is_better: bool | None = None,
    signed: bool = False,
    font_px: int = BASE_FONT_PX,
) -> go.Figure:
    """Draw runs (rows) x categories (columns) of shares; empty cells stay blank.

    Args:
        matrix: values in [0, 1] (or [-1, 1] when ``diverging``); NaN where undefined.
        column_labels: category id -> label shown on the x axis (every column gets one).
        row_labels: run -> display label (untrusted: escaped here, like every label).
        hover: same shape as ``matrix``, one extra hover line per cell (escaped).
        diverging: centre the colours on 0 (a lift), fixed range [-1, 1].
        higher_is_better: colours follow the accuracy ramp (reversed when False); None: one hue.
        signed: print values with a sign ("+12%").
    """
    z = matrix.to_numpy(dtype=float)
    spec = "{:+.0%}" if signed else "{:.0%}"
    text = [["" if not np.isfinite(v) else spec.format(v) for v in row] for row in z]
    labels = row_labels or {}
    rows = plotly_texts(labels.get(str(r), str(r)) for r in matrix.index)
    columns = plotly_texts(column_labels.get(str(c), str(c)) for c in matrix.columns)
    extra = (
        hover.reindex(index=matrix.index, columns=matrix.columns).fillna("")
        if hover is not None
        else pd.DataFrame("", index=matrix.index, columns=matrix.columns)
    )
    custom = [[plotly_text(v) for v in row] for row in extra.to_numpy()]
    if diverging:
        scale, zmin, zmax = _DIVERGING, -1.0, 1.0
    elif higher_is_better is None:
        scale, zmin, zmax = _SEQUENTIAL, 0.0, 1.0
    else:
        scale, zmin, zmax = ramp_colorscale(), 0.0, 1.0
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=columns,
            y=rows,
            zmin=zmin,
            zmax=zmax,
            colorscale=scale,
            reversescale=higher_is_better is False,
            text=text,
            texttemplate="%{text}",
            customdata=custom,
            hovertemplate="%{y} · %{x}: %{text}<br>%{customdata}<extra></extra>",
            xgap=2,
            ygap=2,
            showscale=False,
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top", tickangle=-30)
    fig = _layout(fig, title, font_px, max(260, 44 * len(matrix.index) + 170))
    fig.update_layout(title={"text": plotly_text(title), "y": 0.98, "yanchor": "top"})
    fig.update_layout(margin={"t": 40 + 5 * font_px, "b": 10})
    return fig
