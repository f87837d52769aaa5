"""Plotly builders, the choropleth and the offline exports."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pandas as pd
from PIL import Image

from analysis.viz import charts
from analysis.viz.choropleth import LABEL_PX, PRESENT_LABEL_PX, choropleth_deck
from analysis.viz.colors import LAND_COLOR, accuracy_rgb, hex_color, run_colors
from analysis.viz.deck import deck_spec
from analysis.viz.export import figure_html, fills_from_stats, frame_csv, map_figure, map_png


def test_accuracy_curve_log_axis_one_line_per_run() -> None:
    curves = pd.DataFrame(
        {
            "run": ["a"] * 3 + ["b"] * 3,
            "threshold_km": [1, 100, 10000] * 2,
            "share": [0.0, 0.3, 0.9, 0.1, 0.2, 0.5],
        }
    )
    colors = run_colors(["a", "b"])
    fig = charts.accuracy_curve_figure(curves, colors)
    assert fig.layout.xaxis.type == "log"
    lines = [t for t in fig.data if t.type == "scatter"]
    assert [t.name for t in lines] == ["a", "b"]
    assert lines[1].line.color == hex_color(colors["b"])
    assert list(lines[0].y) == [0.0, 0.3, 0.9]


def test_confusion_heatmap_carries_the_matrix() -> None:
    matrix = pd.DataFrame([[0.8, 0.2], [0.5, 0.5]], index=["FRA", "DEU"], columns=["FRA", "DEU"])
    fig = charts.confusion_heatmap(matrix)
    trace = fig.data[0]
    assert trace.type == "heatmap"
    assert np.allclose(np.asarray(trace.z), matrix.to_numpy())
    assert list(fig.layout.yaxis.ticktext) == ["FRA", "DEU"]
    assert trace.text[0][0] == "80%"


def test_interval_figure_whiskers_are_distances_to_bounds() -> None:
    rows = pd.DataFrame(
        {
            "label": ["Europe", "Asia"],
            "estimate": [0.6, 0.4],
            "low": [0.5, 0.2],
            "high": [0.7, 0.5],
            "n": [100, 20],
        }
    )
    figure = charts.interval_figure(rows)
    trace = figure.data[0]
    assert np.allclose(trace.error_x.array, [0.1, 0.1])
    assert np.allclose(trace.error_x.arrayminus, [0.1, 0.2])
    # shares never go below 0 (an all-zero run once drew an axis from -100%); differences can
    assert figure.layout.xaxis.rangemode == "nonnegative"
    diffs = charts.interval_figure(rows.assign(low=-0.2), zero_line=True)
    assert diffs.layout.xaxis.rangemode is None


def test_pivot_heatmap_reverses_scale_when_lower_is_better() -> None:
    pivot = pd.DataFrame([[100.0, 50.0]], index=["m"], columns=["basic", "tips"])
    better_high = charts.pivot_heatmap(pivot, title="t", higher_is_better=True).data[0]
    better_low = charts.pivot_heatmap(pivot, title="t", higher_is_better=False, percent=False).data[
        0
    ]
    assert better_high.reversescale is False and better_low.reversescale is True
    assert list(better_low.text[0]) == ["100", "50"]


def test_choropleth_fill_fades_small_samples(toy_shapes: pd.DataFrame) -> None:
    stats = pd.DataFrame({"iso3": ["AAA", "BBB"], "n": [200, 3], "accuracy": [0.9, 0.9]})
    labels = pd.DataFrame(
        {"iso3": ["AAA", "BBB", "CCC"], "rep_lat": [45, 5, -5], "rep_lon": [5, 105, 25]}
    )
    layers = {
        x["id"]: x
        for x in deck_spec(choropleth_deck(stats, toy_shapes, labels=labels, full_alpha_n=30))[
            "layers"
        ]
    }
    data = layers["choropleth"]["data"]
    by_name: dict[str, dict[str, Any]] = {}
    for row in data:
        by_name.setdefault(row["t"].split(":")[0], row)
    expected = accuracy_rgb([0.9])[0].tolist()
    assert by_name["Aland"]["c"][:3] == expected == by_name["Bland"]["c"][:3]
    assert by_name["Bland"]["c"][3] < by_name["Aland"]["c"][3]
    assert by_name["Cland"]["c"] == [*LAND_COLOR, 255] and "no images" in by_name["Cland"]["t"]
    assert "3 images" in by_name["Bland"]["t"] and "small sample" in by_name["Bland"]["t"]
    assert sorted(x["t"] for x in layers["n-labels"]["data"]) == ["200", "3"]
    # counts are bold, at least 13 px, and larger still for a room (presentation mode)
    assert layers["n-labels"]["fontWeight"] == 700 and layers["n-labels"]["getSize"] >= 13
    big = deck_spec(choropleth_deck(stats, toy_shapes, labels=labels, label_px=PRESENT_LABEL_PX))
    assert [x["getSize"] for x in big["layers"] if x["id"] == "n-labels"] == [PRESENT_LABEL_PX]
    assert PRESENT_LABEL_PX > LABEL_PX


def test_figure_html_is_self_contained() -> None:
    html = figure_html(charts.paired_table_figure([[3, 1], [2, 4]], ("A", "B")))
    import re

    assert re.findall(r"<script[^>]*\bsrc=", html) == []  # nothing loaded from elsewhere
    # plotly.js itself names a CDN only as the default topojson URL of geo traces, never used here
    assert "geo" not in {
        t.type for t in charts.paired_table_figure([[1, 1], [1, 1]], ("A", "B")).data
    }
    assert "Plotly.newPlot" in html and len(html) > 1_000_000  # plotly.js inlined


def test_figure_html_packs_plotly_js_and_the_figure_losslessly() -> None:
    import base64
    import gzip
    import json
    import re

    from plotly.offline import get_plotlyjs

    name = "B</script><!-- x"
    fig = charts.paired_table_figure([[3, 1], [2, 4]], ("A", name))
    html = figure_html(fig)
    packed = re.search(r'id="geoscope-plotly-gz"[^>]*>([^<]*)</script>', html)
    spec = re.search(r'id="geoscope-spec"[^>]*>([^<]*)</script>', html)
    assert packed and spec  # neither element was closed early by the name inside the figure
    assert gzip.decompress(base64.b64decode(packed.group(1))).decode() == get_plotlyjs()
    assert len(packed.group(1)) < len(get_plotlyjs()) / 2
    data = json.loads(spec.group(1))
    assert data["data"] == json.loads(fig.to_json())["data"]


def test_map_exports_draw_offline(small_frame: pd.DataFrame, toy_shapes: pd.DataFrame) -> None:
    colors = run_colors(["r1", "r2"])
    png = map_png(toy_shapes, small_frame, colors, title="test")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width == 1800
    fig = map_figure(toy_shapes, small_frame, colors)
    kinds = {t.type for t in fig.data}
    assert kinds == {"scattergl"}  # no geo trace: plotly geo would fetch a CDN base map
    stats = pd.DataFrame({"iso3": ["AAA"], "n": [5], "accuracy": [0.5]})
    fills = fills_from_stats(stats)
    assert fills["AAA"][:3] == tuple(accuracy_rgb([0.5])[0].tolist())
    choropleth_png = map_png(toy_shapes, pd.DataFrame(), {}, fills=fills)
    assert Image.open(io.BytesIO(choropleth_png)).format == "PNG"
    assert frame_csv(pd.DataFrame({"a": [1]})) == b"a\n1\n"


def test_choropleth_figure_fills_each_country(toy_shapes: pd.DataFrame) -> None:
    from analysis.viz.export import choropleth_figure

    fig = choropleth_figure(toy_shapes, {"AAA": (10, 20, 30, 255)}, {"AAA": "Aland: 50%"})
    by_name = {t.name: t for t in fig.data if t.name}
    assert set(by_name) == {"AAA", "BBB", "CCC"}
    assert by_name["AAA"].fillcolor == "rgba(10,20,30,1.00)" and by_name["AAA"].text == "Aland: 50%"
    assert by_name["BBB"].fillcolor.startswith(f"rgba({LAND_COLOR[0]},")
    assert list(by_name["BBB"].x).count(None) == 2  # two parts, each closed by a gap


HOSTILE = '<a href="http://127.0.0.1:9/a">x</a><img src=http://127.0.0.1:9/p>%{x}'


def _plotly_strings(fig: object) -> list[str]:
    """Every string in a figure's spec that plotly draws as (HTML-ish) label text."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(fig.to_plotly_json())  # type: ignore[attr-defined]
    return found


def test_untrusted_names_never_become_plotly_tags(
    small_frame: pd.DataFrame, toy_shapes: pd.DataFrame
) -> None:
    # plotly parses <a href>, <b>, <br> in titles, legend names, ticks and hover text
    curves = pd.DataFrame({"run": [HOSTILE] * 2, "threshold_km": [1, 10], "share": [0.1, 0.2]})
    rows = pd.DataFrame(
        {"label": [HOSTILE], "estimate": [0.5], "low": [0.4], "high": [0.6], "group": [HOSTILE]}
    )
    pivot = pd.DataFrame([[0.5]], index=[HOSTILE], columns=[HOSTILE])
    frame = small_frame.assign(run=small_frame["run"].map({"r1": HOSTILE, "r2": "r2"}))
    frame = frame.assign(sample_id=HOSTILE)
    figures = [
        charts.accuracy_curve_figure(curves, title=HOSTILE),
        charts.interval_figure(rows, group_col="group", title=HOSTILE, x_title=HOSTILE),
        charts.pivot_heatmap(pivot, title=HOSTILE, higher_is_better=True),
        charts.confusion_heatmap(pivot, title=HOSTILE),
        charts.paired_table_figure([[1, 2], [3, 4]], (HOSTILE, HOSTILE)),
        map_figure(toy_shapes, frame, run_colors([HOSTILE, "r2"]), title=HOSTILE),
    ]
    for fig in figures:
        strings = _plotly_strings(fig)
        assert not [s for s in strings if "<a" in s or "<img" in s], strings
        # the name is still there, escaped: plotly decodes &lt; back to "<" as plain text
        assert any("&lt;a href=" in s for s in strings)
        assert not [s for s in strings if "%{x}</extra>" in s or "%{x}<" in s]


def test_map_exports_draw_only_the_lines_the_map_draws(
    small_frame: pd.DataFrame, toy_shapes: pd.DataFrame
) -> None:
    """The map page marks its lined rows (``line``); exports draw those lines and no others."""
    from analysis.viz.prediction_map import prediction_map

    colors = run_colors(["r1", "r2"])
    wrong = small_frame["distance_km"].fillna(0) > 0
    mask = pd.Series(False, index=small_frame.index)
    mask[wrong[wrong].index[:2]] = True  # two lines, like "worst 2"
    build = prediction_map(small_frame, colors, toy_shapes, line_mask=mask)
    assert int(build.drawn["line"].sum()) == 2

    def segments(rows: pd.DataFrame) -> int:
        fig = map_figure(toy_shapes, rows, colors)
        xs = [x for t in fig.data if (t.name or "").startswith("error") for x in t.x]
        return sum(1 for a, b in zip(xs, xs[1:], strict=False) if a is not None and b is None)

    assert segments(build.drawn) == 2
    assert segments(build.drawn.drop(columns="line")) > 2  # without the mark: every guess
    lined, every = (
        map_png(toy_shapes, rows, colors) for rows in (build.drawn, build.drawn.assign(line=True))
    )
    assert lined != every  # the PNG draws fewer lines too
