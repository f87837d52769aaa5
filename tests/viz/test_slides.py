"""Presentation-grade exports: full-scale confusion matrix, theme, PNG fonts, legends, scales."""

from __future__ import annotations

import html
import io

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image

from analysis.viz import charts
from analysis.viz.choropleth import color_scale, legend_stops
from analysis.viz.clues import clue_heatmap
from analysis.viz.colors import ONLY_A_COLOR, ONLY_B_COLOR, accuracy_rgb
from analysis.viz.export import (
    choropleth_figure,
    figure_png,
    fills_from_stats,
    map_png,
    static_export_problem,
)
from analysis.viz.labels import plotly_text
from analysis.viz.static_map import font_file
from analysis.viz.theme import (
    NORMAL_TITLE_CHARS,
    PRESENT_FONT_PX,
    PRESENT_TITLE_CHARS,
    fit_title,
    presentation,
)


def _matrix(n: int) -> pd.DataFrame:
    labels = [f"C{i:02d}" for i in range(n)]
    rng = np.random.default_rng(0)
    z = rng.random((n, n + 2))
    return pd.DataFrame(z / z.sum(axis=1, keepdims=True), index=labels, columns=[*labels, "o", "u"])


def test_confusion_matrix_shows_every_label_at_82_countries() -> None:
    matrix = _matrix(82)
    fig = charts.confusion_heatmap(matrix, counts=matrix * 10, names={"C01": "Country one"})
    x, y = fig.layout.xaxis, fig.layout.yaxis
    # one tick per category: plotly's automatic ticks kept every other label at 40
    assert x.tickmode == "array" and list(x.ticktext) == list(matrix.columns)
    assert y.tickmode == "array" and list(y.ticktext) == list(matrix.index)
    assert y.scaleanchor == "x"  # square cells
    # labels fit one cell's pitch at the expected width: no overlap
    cell = fig.layout.meta["cell_px"]
    assert x.tickfont.size <= cell and x.tickangle == -90
    trace = fig.data[0]
    assert trace.texttemplate is None  # no unreadable 5 px numbers in 84 columns
    assert "Country one (C01)" in list(trace.y) and "images" in trace.hovertemplate


def test_small_matrix_prints_readable_values() -> None:
    fig = charts.confusion_heatmap(_matrix(5), font_px=PRESENT_FONT_PX, plot_px=1300)
    assert fig.data[0].texttemplate == "%{text}" and fig.data[0].textfont.size >= 11
    assert fig.layout.xaxis.tickfont.size == PRESENT_FONT_PX


def test_presentation_theme_enlarges_and_darkens_all_text() -> None:
    fig = charts.interval_figure(
        pd.DataFrame(
            {"label": ["a", "b"], "estimate": [0.3, 0.5], "low": [0.2, 0.4], "high": [0.4, 0.6]}
        ),  # fmt: skip
        title="Country accuracy",
    )
    assert fig.layout.xaxis.tickfont.size is None or fig.layout.xaxis.tickfont.size < 18
    presentation(fig)
    assert fig.layout.xaxis.tickfont.size >= 18 and fig.layout.yaxis.tickfont.size >= 18
    assert fig.layout.xaxis.tickfont.color == "#111111"
    assert fig.layout.title.font.size > fig.layout.font.size >= 18


def test_paired_counts_stay_larger_than_their_labels_in_presentation() -> None:
    fig = charts.paired_table_figure([[10, 23], [2, 15]], ("osv5m", "osv5m-base"))
    assert fig.data[0].textfont.size > fig.layout.font.size  # the four counts lead
    presentation(fig)
    assert fig.data[0].textfont.size > fig.layout.xaxis.tickfont.size >= PRESENT_FONT_PX
    # a matrix's small cell numbers still grow to the presentation minimum, no further
    matrix = charts.confusion_heatmap(_matrix(5))
    presentation(matrix)
    assert matrix.data[0].textfont.size == 18


@pytest.mark.parametrize("labels_on_top", [True, False])
def test_presentation_margins_grow_with_the_text(labels_on_top: bool) -> None:
    # reference: the same figure built at the presentation font by its own builder; the slide
    # version of the small build must leave its title and tick labels at least that much room
    matrix = pd.DataFrame(
        [[0.5, 0.1, 0.9], [0.2, 0.4, 0.7]],
        index=["run-a", "run-b"],
        columns=["text", "terrain_climate", "road_furniture"],
    )
    names = {
        "text": "Text & signage",
        "terrain_climate": "Terrain & climate",
        "road_furniture": "Road furniture",
    }

    def build(font_px: int) -> go.Figure:
        if labels_on_top:  # the Clues heatmap: rotated category labels above the cells
            return clue_heatmap(matrix, title="Citation rate", column_labels=names, font_px=font_px)
        frame = pd.DataFrame(
            {"label": ["a", "b"], "estimate": [0.3, 0.5], "low": [0.2, 0.4], "high": [0.4, 0.6]}
        )
        return charts.interval_figure(frame, title="Country accuracy", font_px=font_px)

    slide = presentation(build(charts.BASE_FONT_PX))
    native = build(PRESENT_FONT_PX)
    assert slide.layout.margin.t >= native.layout.margin.t
    assert slide.layout.margin.b >= native.layout.margin.b


def test_map_png_font_has_the_glyphs_pillows_default_lacks() -> None:
    from fontTools.ttLib import TTFont

    path = font_file()
    assert path is not None and path.name == "DejaVuSans.ttf"
    cmap = TTFont(str(path)).getBestCmap()
    for char in "≤–→·é":  # error classes, ranges, accents in country names
        assert ord(char) in cmap, char


def test_choropleth_png_and_html_carry_the_colour_scale(toy_shapes: pd.DataFrame) -> None:
    scale = color_scale("Country accuracy", "share")
    stats = pd.DataFrame({"iso3": ["AAA", "BBB"], "n": [5, 1], "accuracy": [0.0, 1.0]})
    fills = fills_from_stats(stats, scale=scale)
    png = map_png(toy_shapes, pd.DataFrame(), {}, title="t", fills=fills, scale=scale)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.width >= 1600
    map_h = int(image.width * (84 + 58) / 360) + 56
    legend = np.asarray(image)[map_h:]
    for end in (accuracy_rgb([0.0])[0], accuracy_rgb([1.0])[0]):  # both ends of the ramp
        assert (np.abs(legend.astype(int) - end.astype(int)).sum(axis=2) < 12).any()
    fig = choropleth_figure(toy_shapes, fills, {}, title="t", scale=scale)
    bars = [t for t in fig.data if getattr(t.marker, "showscale", None)]
    assert bars and "%" in bars[0].marker.colorbar.title.text
    assert list(bars[0].marker.colorbar.ticktext)[-1] == "100%"


def test_median_error_scale_is_log_and_reversed() -> None:
    scale = color_scale("Median error", "km", False)
    assert scale.position([1.0])[0] == 1.0 and scale.position([20000.0])[0] == 0.0
    assert [label for label, _ in legend_stops(scale=scale)][0] == "10,000 km"


def test_disagreement_png_legend_says_who_was_right(toy_shapes: pd.DataFrame) -> None:
    from analysis.viz.static_map import _legend_entries

    rows = pd.DataFrame({"run": ["a"], "outcome": ["only_a"], "sample_id": ["s"]})
    entries = _legend_entries(rows, {"a": ONLY_A_COLOR, "b": ONLY_B_COLOR}, {"a": "Run A"})
    assert [e[0] for e in entries] == ["only Run A right", "only b right"]


@pytest.mark.slow
def test_chart_png_is_slide_sized() -> None:
    if static_export_problem():
        pytest.skip(static_export_problem() or "")
    fig = go.Figure(go.Bar(x=["≤ 25 km", "25–200 km"], y=[1, 2]))
    image = Image.open(io.BytesIO(figure_png(fig)))
    assert image.format == "PNG" and image.width >= 1600


def _titled(title: str) -> go.Figure:
    frame = pd.DataFrame({"label": ["a"], "estimate": [0.3], "low": [0.2], "high": [0.4]})
    return charts.interval_figure(frame, title=title)


def test_a_long_title_is_broken_at_spaces_and_given_room() -> None:
    # a run name with markup: the title is escaped text, which no break may cut into
    title = 'm<a href="http://x.test/p">p</a> · basic − gpt-4o-2024-08-06 · tips (95% CI) & more'
    fig = _titled(title)
    margin_before = fig.layout.margin.t
    fit_title(fig, 20)
    lines = fig.layout.title.text.split("<br>")
    assert len(lines) > 1
    assert " ".join(lines) == plotly_text(title)  # nothing lost, nothing added but breaks
    for line in lines:  # short enough, or one word that cannot be broken
        assert len(line) <= 20 or " " not in line, line
        assert html.escape(html.unescape(line), quote=False) == line  # no entity cut in two
    # default title size: 1.2 x the 13 px font = 16 px; a line of title is 1.3 x that
    assert fig.layout.margin.t == margin_before + (len(lines) - 1) * 21


def test_refitting_a_title_undoes_the_earlier_breaks() -> None:
    title = "sim-neighbour · basic − sim-faroff · basic (95% CI) (SIMULATED data)"
    once, twice = _titled(title), _titled(title)
    fit_title(once, NORMAL_TITLE_CHARS)
    fit_title(fit_title(twice, 12), NORMAL_TITLE_CHARS)
    assert twice.layout.title.text == once.layout.title.text
    assert twice.layout.margin.t == once.layout.margin.t
    short = _titled("Country accuracy")
    fit_title(short, PRESENT_TITLE_CHARS)
    assert short.layout.title.text == "Country accuracy"
    assert short.layout.margin.t == _titled("Country accuracy").layout.margin.t
