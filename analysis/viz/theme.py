"""Plotly themes: the normal dashboard look and a presentation look readable from the back row.

Builders in ``charts.py`` set their own font size; ``presentation`` overrides every text size and
colour afterwards (layout, axes, legend, colour bars, cell text), so one call turns any GeoScope
figure into its slide version. The same look is used for PNG exports meant for slides.
"""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import plotly.io as pio

PRESENT_FONT_PX = 20  # >= 18 px: readable on a projector from the back of a seminar room
PRESENT_TITLE_PX = 28
INK = "#111111"  # near-black: plotly's default #444 grey washes out on projectors
GRID = "#d0d0d0"
TEMPLATE_NAME = "geoscope_present"
FONT_FAMILY = "Source Sans, DejaVu Sans, Arial, sans-serif"
# Title line lengths that fit a chart in half the page's width at 1440 px (about 450 px of plot
# width with the sidebar, 640 px in presentation mode): plotly never wraps a title itself.
NORMAL_TITLE_CHARS = 46
PRESENT_TITLE_CHARS = 36


def _template() -> go.layout.Template:
    """Build the presentation template: plotly_white with large dark text."""
    base = go.layout.Template(pio.templates["plotly_white"])
    axis = {
        "tickfont": {"size": PRESENT_FONT_PX, "color": INK},
        "title": {"font": {"size": PRESENT_FONT_PX + 2, "color": INK}},
        "gridcolor": GRID,
        "linecolor": INK,
    }
    base.layout.update(
        font={"size": PRESENT_FONT_PX, "color": INK, "family": FONT_FAMILY},
        title={"font": {"size": PRESENT_TITLE_PX, "color": INK}},
        legend={"font": {"size": PRESENT_FONT_PX, "color": INK}},
        hoverlabel={"font": {"size": PRESENT_FONT_PX}},
        xaxis=axis,
        yaxis=axis,
    )
    return base


pio.templates[TEMPLATE_NAME] = _template()


def presentation(fig: go.Figure, font_px: int = PRESENT_FONT_PX, *, grow: bool = True) -> go.Figure:
    """Restyle ``fig`` in place for presentation: large dark text everywhere, more margin.

    Explicit sizes set by the builders win over a template, so they are overwritten here too.
    ``grow=False`` keeps the height (a figure built for the large font already, e.g. a matrix
    whose cells are sized from the font).
    """
    title_px = font_px + (PRESENT_TITLE_PX - PRESENT_FONT_PX)
    # builders size the top and bottom margins (title, top or rotated tick labels) from their own
    # font: those grow with the text, or large labels run into the title
    grown = max(font_px / (fig.layout.font.size or font_px), 1.0)
    fig.update_layout(
        template=TEMPLATE_NAME,
        font={"size": font_px, "color": INK, "family": FONT_FAMILY},
        title_font={"size": title_px, "color": INK},
        legend_font={"size": font_px, "color": INK},
        hoverlabel_font_size=font_px,
    )
    axis = {
        "tickfont": {"size": font_px, "color": INK},
        "title_font": {"size": font_px + 2, "color": INK},
    }
    fig.update_xaxes(**axis)
    fig.update_yaxes(**axis)
    for trace in fig.data:
        if "colorbar" in trace:  # heatmaps: the colour scale reads at the same size
            trace.update(
                colorbar={
                    "tickfont": {"size": font_px, "color": INK},
                    "title": {"font": {"size": font_px, "color": INK}},
                }
            )
        if "textfont" in trace and getattr(trace, "texttemplate", None):
            # cell text grows with the rest; a builder's headline numbers stay larger than it
            built = trace.textfont.size
            size = max(font_px - 2, 18, round(built * grown) if built else 0)
            trace.update(textfont={"size": size})
    margin = fig.layout.margin
    fig.update_layout(
        margin={
            "t": max(round((margin.t or 0) * grown), title_px * 2 + 20),
            "b": max(round((margin.b or 0) * grown), font_px * 5),
            "l": max(margin.l or 0, 10),
            "r": max(margin.r or 0, 10),
        }
    )
    height = fig.layout.height
    if height and grow:  # bigger text needs more room, or labels overlap
        fig.update_layout(height=int(height * font_px / 13 * 0.75 + 120))
    return fig


def fit_title(fig: go.Figure, max_chars: int) -> go.Figure:
    """Break the title into lines of at most ``max_chars`` and grow the top margin to hold them.

    Titles are escaped plotly text (``labels.plotly_text``): lines break at spaces only, never
    inside an entity, and a word longer than a line stays whole. Earlier breaks are undone
    first, so a figure can be refitted for another size (presentation mode, a PNG export).
    """
    text = fig.layout.title.text or ""
    before = text.count("<br>") + 1
    words = text.replace("<br>", " ")
    lines = textwrap.wrap(words, max_chars, break_long_words=False, break_on_hyphens=False)
    if not lines:
        return fig
    title_px = fig.layout.title.font.size or round((fig.layout.font.size or 13) * 1.2)
    added_px = (len(lines) - before) * round(title_px * 1.3)
    fig.update_layout(
        title_text="<br>".join(lines), margin_t=max((fig.layout.margin.t or 0) + added_px, 0)
    )
    if len(lines) > 1:
        # hung from the figure's top; plotly draws a title of several lines about 0.7 em higher
        # than one of a single line (measured in chromium at 16 and 28 px), which cut its first
        # line off: the pad gives that back
        fig.update_layout(
            title={
                "y": 1.0,
                "yref": "container",
                "yanchor": "top",
                "pad": {"t": 10 + round(0.75 * title_px)},
            }
        )
    return fig
