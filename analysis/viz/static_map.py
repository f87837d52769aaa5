"""Static PNG maps drawn with Pillow: the live pydeck maps' layers, for slides and reports.

Why Pillow and not a screenshot of deck.gl: it needs no browser or GPU, takes well under a second
for the world, and draws the same rings, error classes and colours as the live map. Text uses
DejaVu Sans from the matplotlib wheel (a font shipped by a package, not the machine's: Pillow's
built-in font has no "≤" or "–" and drew them as boxes). DejaVu's licence is the permissive
Bitstream Vera one; matplotlib is only a font source here and is never imported.
"""

from __future__ import annotations

import importlib.util
import io
import logging
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import pandas as pd
from PIL import Image, ImageDraw, ImageFont

from analysis.viz.choropleth import ColorScale
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
)
from analysis.viz.prediction_map import error_paths

LOG = logging.getLogger(__name__)
LAT_TOP, LAT_BOTTOM = 84.0, -58.0  # crop the empty polar strips
INK: RGB = (17, 17, 17)
FONT_NAME = "DejaVuSans.ttf"
OUTCOME_WORDS = {"only_a": "right, the other wrong", "only_b": "right, the other wrong"}


@lru_cache(maxsize=1)
def font_file() -> Path | None:
    """Return the path of DejaVu Sans inside the installed matplotlib package (None if absent)."""
    spec = importlib.util.find_spec("matplotlib")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        path = Path(root) / "mpl-data" / "fonts" / "ttf" / FONT_NAME
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=16)
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Return DejaVu Sans at ``size`` px (Pillow's default font, with a warning, without it)."""
    path = font_file()
    if path is None:
        LOG.warning("matplotlib is not installed: map PNGs fall back to Pillow's font")
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(str(path), size=size)


class _Plane:
    """Equirectangular projection onto a width x height pixel canvas."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon + 180.0) / 360.0 * self.width
        y = (LAT_TOP - lat) / (LAT_TOP - LAT_BOTTOM) * self.height
        return x, y


def _legend_entries(
    rows: pd.DataFrame, colors: Mapping[str, RGB], labels: Mapping[str, str]
) -> list[tuple[str, RGB]]:
    """Return the legend of a point map; a two-run disagreement map says who was right."""
    if rows.empty:
        return []
    if "outcome" in rows:  # compare page: each point is an image only one of the runs got right
        return [(f"only {labels.get(run, run)} right", color) for run, color in colors.items()]
    entries: list[tuple[str, RGB]] = [("truth", TRUTH_COLOR)]
    entries += [(f"guess: {labels.get(run, run)}", c) for run, c in colors.items()]
    entries += [
        (f"error {lab}", c) for lab, c in zip(ERROR_CLASS_LABELS, ERROR_CLASS_COLORS, strict=True)
    ]
    return entries


def _draw_points(
    draw: ImageDraw.ImageDraw, plane: _Plane, rows: pd.DataFrame, colors: Mapping[str, RGB]
) -> None:
    with_coords = rows.dropna(subset=["pred_lat", "pred_lon"])
    outcome_map = "outcome" in rows
    if not outcome_map:  # error lines only where guess and truth differ
        lined = with_coords[with_coords["line"].astype(bool)] if "line" in rows else with_coords
        classes = error_class(lined["distance_km"].to_numpy(float))
        for k, color in enumerate(ERROR_CLASS_COLORS):
            for path in error_paths(lined[classes == k]):
                draw.line([plane.xy(p[0], p[1]) for p in path], fill=(*color, 190), width=2)
        truth = rows.drop_duplicates("sample_id")[["true_lat", "true_lon"]].to_numpy(float)
        for lat, lon in truth:
            x, y = plane.xy(lon, lat)
            draw.ellipse([x - 3, y - 3, x + 3, y + 3], fill=(*TRUTH_COLOR, 255))
    for run, color in colors.items():
        part = with_coords[with_coords["run"] == run][["pred_lat", "pred_lon"]].to_numpy(float)
        for lat, lon in part:
            x, y = plane.xy(lon, lat)
            draw.ellipse([x - 4, y - 4, x + 4, y + 4], fill=(*color, 230), outline=(255, 255, 255))


def _draw_colorbar(
    draw: ImageDraw.ImageDraw, scale: ColorScale, x0: int, y0: int, width: int, note: str
) -> None:
    """Draw a horizontal colour bar with the metric's ticks and unit, plus a no-data swatch."""
    bar_h = 22
    draw.text((x0, y0), scale.title, fill=INK, font=font(22))
    top = y0 + 34
    steps = max(width, 2)
    colors = accuracy_rgb([i / (steps - 1) for i in range(steps)])
    for i, c in enumerate(colors):
        draw.line([(x0 + i, top), (x0 + i, top + bar_h)], fill=(int(c[0]), int(c[1]), int(c[2])))
    draw.rectangle([x0, top, x0 + width, top + bar_h], outline=INK)
    for pos, label in scale.ticks():
        x = x0 + pos * width
        draw.line([(x, top + bar_h), (x, top + bar_h + 6)], fill=INK, width=2)
        text_w = draw.textlength(label, font=font(20))
        draw.text((x - text_w / 2, top + bar_h + 8), label, fill=INK, font=font(20))
    sx = x0 + width + 40
    draw.rectangle([sx, top, sx + 28, top + bar_h], fill=LAND_COLOR, outline=OUTLINE_COLOR)
    draw.text((sx + 38, top), "no images", fill=INK, font=font(20))
    if note:
        draw.text((sx + 38, top + bar_h + 8), note, fill=INK, font=font(18))


def map_png(
    shapes: pd.DataFrame,
    rows: pd.DataFrame,
    colors: Mapping[str, RGB],
    *,
    title: str = "",
    width: int = 1800,
    fills: Mapping[str, tuple[int, int, int, int]] | None = None,
    scale: ColorScale | None = None,
    labels: Mapping[str, str] | None = None,
    note: str = "",
) -> bytes:
    """Render a map as PNG bytes: land, per-country fills, error lines, points, legend.

    ``rows`` may be empty (a choropleth passes ``fills`` iso3 -> RGBA and its ``scale``, drawn
    as a colour bar with units). ``labels`` maps run names to display labels for the legend;
    a frame with an ``outcome`` column (the compare page) gets an "only X right" legend.
    """
    width = max(int(width), 1600)  # slides: never narrower than 1600 px
    height = int(width * (LAT_TOP - LAT_BOTTOM) / 360.0)
    entries = _legend_entries(rows, colors, labels or {})
    per_row = 3
    legend_h = 30 + 34 * ((len(entries) + per_row - 1) // per_row)
    if scale is not None:
        legend_h += 120
    title_h = 56 if title else 0
    image = Image.new("RGB", (width, title_h + height + legend_h), (255, 255, 255))
    draw = ImageDraw.Draw(image, "RGBA")
    if title:
        draw.text((16, 12), title, fill=INK, font=font(30))
    canvas = Image.new("RGB", (width, height), SEA_COLOR)
    cdraw = ImageDraw.Draw(canvas, "RGBA")
    plane = _Plane(width, height)
    for iso3, rings in zip(shapes["iso3"], shapes["rings"], strict=True):
        fill = (fills or {}).get(iso3, (*LAND_COLOR, 255))
        points = [plane.xy(p[0], p[1]) for p in rings[0]]
        cdraw.polygon(points, fill=tuple(fill), outline=(*OUTLINE_COLOR, 255))
    if not rows.empty:
        _draw_points(cdraw, plane, rows, colors)
    image.paste(canvas, (0, title_h))
    y = title_h + height + 16
    col_w = width // per_row
    for i, (label, color) in enumerate(entries):
        x, yy = 16 + (i % per_row) * col_w, y + (i // per_row) * 34
        draw.rectangle([x, yy + 4, x + 22, yy + 26], fill=color)
        draw.text((x + 32, yy), label[:60], fill=INK, font=font(22))
    if scale is not None:
        y += 34 * ((len(entries) + per_row - 1) // per_row)
        _draw_colorbar(draw, scale, 48, y, min(900, width - 440), note)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
