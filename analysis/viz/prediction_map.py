"""The failure map: true points, predicted points per run, great-circle error lines by error class.

Budget: pydeck ships every datum as JSON, so past ``MAX_POINTS`` predictions the map either draws
a seeded random sample of images (all runs of a kept image stay together) or aggregates points into
grid cells, and ``MapBuild.note`` says which, for the page to show.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
import pydeck as pdk

from analysis.geo.distance import great_circle_paths, split_at_antimeridian
from analysis.viz.colors import (
    ERROR_CLASS_COLORS,
    ERROR_CLASS_LABELS,
    ERROR_CLASS_WIDTHS_PX,
    ONLY_A_COLOR,
    ONLY_B_COLOR,
    RGB,
    TRUTH_COLOR,
    error_class,
)
from analysis.viz.deck import COORD_DECIMALS, CompactDeck, lon_lat, make_deck, outline_layer

# pydeck turns a bare string into a JS expression ("@@=pixels"), which deck.gl cannot read and
# silently falls back to metres; a typed String is sent as the literal unit name.
PIXELS = pdk.types.String("pixels")

MAX_POINTS = 20_000
# marker radii in pixels, sized to read on a projector (a 2 px dot vanishes on a slide)
TRUTH_RADIUS_PX = 5.0
GUESS_RADIUS_PX = 4.5
MapMode = Literal["all", "sample", "aggregate"]
TOOLTIP = {"text": "{t}"}


@dataclass(frozen=True)
class MapBuild:
    """A built map plus what the page must tell the user about it."""

    deck: CompactDeck
    n_predictions: int
    n_drawn: int
    mode: MapMode
    note: str = ""
    # rows drawn, in order: a picked object's "i" is a position in this frame
    drawn: pd.DataFrame = field(default_factory=pd.DataFrame)


def _path_points(distance_km: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Pick enough vertices for a smooth arc: 2 for short errors, up to 32 across an ocean."""
    d = np.nan_to_num(distance_km, nan=0.0)
    return np.clip(d // 300 + 2, 2, 32).astype(np.int64)


def error_paths(rows: pd.DataFrame, decimals: int = COORD_DECIMALS) -> list[list[list[float]]]:
    """Return great-circle paths truth -> guess as [[lon, lat], ...], split at the antimeridian.

    Arcs follow the true great circle (``analysis.geo.distance.great_circle_paths``): never
    clamped, so an arc over a pole leaves the frame where the Earth does instead of running
    along its edge.
    """
    cols = rows[["true_lat", "true_lon", "pred_lat", "pred_lon", "distance_km"]].to_numpy(float)
    if len(cols) == 0:
        return []
    counts = _path_points(cols[:, 4])
    out: list[list[list[float]]] = []
    for n in np.unique(counts):
        part = cols[counts == n]
        paths = great_circle_paths(part[:, 0], part[:, 1], part[:, 2], part[:, 3], int(n))
        jump_mask: npt.NDArray[np.bool_] = np.abs(np.diff(paths[..., 1], axis=1)) > 180.0
        jumps: list[bool] = np.asarray(jump_mask.any(axis=1), dtype=bool).tolist()
        flipped = np.round(paths[..., ::-1], decimals)  # (lat, lon) -> [lon, lat]
        for path, pts, jump in zip(paths, flipped.tolist(), jumps, strict=True):
            if not jump:
                out.append(pts)
                continue
            for piece in split_at_antimeridian([(float(p[0]), float(p[1])) for p in path]):
                out.append([[round(lon, decimals), round(lat, decimals)] for lat, lon in piece])
    return out


def line_layers(
    rows: pd.DataFrame,
    prefix: str = "err",
    width_px: float | None = None,
    *,
    alpha: int = 190,
    min_width_px: float | None = None,
) -> list[pdk.Layer]:
    """One PathLayer per error class (constant colour: no per-line colour bytes).

    ``width_px`` None gives each class its own width (``ERROR_CLASS_WIDTHS_PX``).
    """
    with_coords = rows.dropna(subset=["pred_lat", "pred_lon", "true_lat", "true_lon"])
    classes = error_class(with_coords["distance_km"].to_numpy(float))
    # only set when asked: the failure map's JSON stays as small as before
    extra: dict[str, Any] = {} if min_width_px is None else {"width_min_pixels": min_width_px}
    layers = []
    for k, color in enumerate(ERROR_CLASS_COLORS):
        part = with_coords[classes == k]
        if part.empty:
            continue
        layers.append(
            pdk.Layer(
                "PathLayer",
                data=[{"p": p} for p in error_paths(part)],
                id=f"{prefix}-{k}",
                get_path="p",
                get_color=[*color, alpha],
                width_units=PIXELS,
                get_width=ERROR_CLASS_WIDTHS_PX[k] if width_px is None else width_px,
                pickable=False,
                **extra,
            )
        )
    return layers


def point_layer(
    data: list[dict[str, Any]],
    layer_id: str,
    color: RGB,
    radius_px: float,
    pickable: bool = True,
    *,
    fill_alpha: int = 210,
    line_color: tuple[int, int, int, int] = (255, 255, 255, 200),
    line_width_px: float = 0.5,
    filled: bool | None = None,
    auto_highlight: bool | None = None,
) -> pdk.Layer:
    """Draw points (rows with "p" = [lon, lat]) as pixel-sized circles with a ring.

    ``filled`` is left to deck.gl's default (filled) when None; ``auto_highlight`` follows
    ``pickable`` when None.
    """
    extra: dict[str, Any] = {} if filled is None else {"filled": filled}
    return pdk.Layer(
        "ScatterplotLayer",
        data=data,
        id=layer_id,
        get_position="p",
        get_fill_color=[*color, fill_alpha],
        get_line_color=list(line_color),
        stroked=True,
        line_width_min_pixels=line_width_px,
        radius_units=PIXELS,
        get_radius=radius_px,
        pickable=pickable,
        auto_highlight=pickable if auto_highlight is None else auto_highlight,
        **extra,
    )


def _fmt_km(d: float) -> str:
    return "no coordinates" if d != d else f"{d:,.0f} km"  # d != d: NaN, cheaper than isfinite


def _sample_images(
    frame: pd.DataFrame, max_points: int, keep: str | None, seed: int
) -> pd.DataFrame:
    """Keep whole images (every run's guess) so the sample stays comparable across runs."""
    ids = frame["sample_id"].drop_duplicates()
    per_image = max(1, len(frame) // max(1, len(ids)))
    n_keep = max(1, max_points // per_image)
    chosen = ids.sample(n=min(n_keep, len(ids)), random_state=seed)
    wanted = set(chosen)
    if keep is not None:
        wanted.add(keep)
    return frame[frame["sample_id"].isin(wanted)]


def _aggregate_layers(
    frame: pd.DataFrame, colors: Mapping[str, RGB], cell_deg: float
) -> list[pdk.Layer]:
    """Bin points into cell_deg x cell_deg cells; circle area grows with the count."""
    layers: list[pdk.Layer] = []
    truth = frame.drop_duplicates("sample_id")
    groups: list[tuple[str, pd.DataFrame, RGB, str, str]] = [
        ("truth-cells", truth, TRUTH_COLOR, "true_lat", "true_lon")
    ]
    for run, color in colors.items():
        part = frame[(frame["run"] == run)].dropna(subset=["pred_lat", "pred_lon"])
        groups.append((f"pred-cells-{run}", part, color, "pred_lat", "pred_lon"))
    for layer_id, part, color, lat_col, lon_col in groups:
        if part.empty:
            continue
        cells = pd.DataFrame(
            {
                "cy": np.floor(part[lat_col].to_numpy(float) / cell_deg),
                "cx": np.floor(part[lon_col].to_numpy(float) / cell_deg),
                "lat": part[lat_col].to_numpy(float),
                "lon": part[lon_col].to_numpy(float),
                "d": part["distance_km"].to_numpy(float),
            }
        )
        agg = cells.groupby(["cy", "cx"]).agg(
            lat=("lat", "mean"), lon=("lon", "mean"), n=("lat", "size"), d=("d", "median")
        )
        label = "true locations" if layer_id == "truth-cells" else layer_id[len("pred-cells-") :]
        data = [
            {
                "p": p,
                "r": round(2.0 + 1.5 * math.sqrt(n), 1),
                "t": f"{label}: {n} in this {cell_deg:g}° cell"
                + ("" if layer_id == "truth-cells" else f", median error {_fmt_km(d)}"),
            }
            for p, n, d in zip(lon_lat(agg["lat"], agg["lon"]), agg["n"], agg["d"], strict=True)
        ]
        layer = point_layer(data, layer_id, color, 3.0)
        layer.get_radius = "r"
        layer.radius_max_pixels = 30
        if layer_id == "truth-cells":
            layer.filled = False
            layer.get_line_color = [*TRUTH_COLOR, 200]
            layer.line_width_min_pixels = 1.5
        layers.append(layer)
    return layers


def prediction_map(
    frame: pd.DataFrame,
    colors: Mapping[str, RGB],
    shapes: pd.DataFrame,
    *,
    max_points: int = MAX_POINTS,
    aggregate: bool = False,
    selected_sample: str | None = None,
    seed: int = 0,
    cell_deg: float = 2.0,
    line_mask: pd.Series | None = None,
    labels: Mapping[str, str] | None = None,
) -> MapBuild:
    """Build the failure map of a runs frame (columns of ``Store.runs_frame``).

    Args:
        frame: one row per (run, sample) with truth, guess, status and distance_km.
        colors: run name -> RGB; runs absent from it are not drawn.
        shapes: country rings from ``polygon_records`` (drawn as the background).
        max_points: predictions drawn individually before sampling or aggregating.
        aggregate: past ``max_points``, bin into ``cell_deg`` cells instead of sampling.
        selected_sample: sample to highlight (always kept when sampling).
        line_mask: booleans aligned with ``frame``'s index: which rows get an error line
            (None: every row); points are drawn for every row either way.
        labels: run name -> display label for tooltips (the run name when absent).
    """
    frame = frame[frame["run"].isin(list(colors))]
    n_total = len(frame)
    layers: list[pdk.Layer] = [outline_layer(shapes)]
    if n_total > max_points and aggregate:
        layers += _aggregate_layers(frame, colors, cell_deg)
        note = (
            f"{n_total:,} predictions are more than the map draws one by one ({max_points:,}): "
            f"they are aggregated into {cell_deg:g}° cells (circle size = count); error lines "
            "are hidden. Narrow the filters, or switch to sampling, to see single guesses."
        )
        deck = make_deck(layers, tooltip=TOOLTIP)
        return MapBuild(deck, n_total, n_total, "aggregate", note, frame.iloc[0:0])
    mode: MapMode = "all"
    note = ""
    if n_total > max_points:
        frame = _sample_images(frame, max_points, selected_sample, seed)
        mode = "sample"
        note = (
            f"Showing {len(frame):,} of {n_total:,} predictions: a random sample of "
            f"{frame['sample_id'].nunique():,} images (seed {seed}), every selected run's guess "
            "for each. Metrics on the other pages use all predictions."
        )
    lined = (
        np.ones(len(frame), dtype=bool)
        if line_mask is None
        else line_mask.reindex(frame.index, fill_value=False).to_numpy(dtype=bool)
    )
    # ``line`` says which rows have an error line, so exports draw the same lines as the map
    drawn = frame.reset_index(drop=True).assign(line=lined)
    layers += line_layers(drawn[lined])
    names = dict(labels or {})
    for run, color in colors.items():
        part = drawn[drawn["run"] == run].dropna(subset=["pred_lat", "pred_lon"])
        if part.empty:
            continue
        data = [
            {"p": p, "i": int(i), "t": f"{names.get(run, run)}: {c or '?'} · {_fmt_km(d)}"}
            for p, i, c, d in zip(
                lon_lat(part["pred_lat"], part["pred_lon"]),
                part.index,
                part["pred_country"],
                part["distance_km"].to_numpy(float),
                strict=True,
            )
        ]
        layers.append(point_layer(data, f"pred-{run}", color, GUESS_RADIUS_PX, line_width_px=1.0))
    # truth last: black dots stay visible on top of the guesses
    first_row = drawn.reset_index().drop_duplicates("sample_id")
    layers.append(
        point_layer(
            [
                {"p": p, "i": int(i), "t": f"truth {c or '?'} · {s}"}
                for p, i, c, s in zip(
                    lon_lat(first_row["true_lat"], first_row["true_lon"]),
                    first_row["index"],
                    first_row["true_country"],
                    first_row["sample_id"],
                    strict=True,
                )
            ],
            "truth",
            TRUTH_COLOR,
            TRUTH_RADIUS_PX,
            line_width_px=1.0,
        )
    )
    if selected_sample is not None:
        layers += _highlight_layers(drawn[drawn["sample_id"] == selected_sample])
    deck = make_deck(layers, tooltip=TOOLTIP)
    return MapBuild(deck, n_total, len(drawn), mode, note, drawn)


def _highlight_layers(rows: pd.DataFrame) -> list[pdk.Layer]:
    """Ring the selected image's true location and redraw its error lines thicker."""
    if rows.empty:
        return []
    first = rows.iloc[0]
    ring = pdk.Layer(
        "ScatterplotLayer",
        data=[{"p": lon_lat([first["true_lat"]], [first["true_lon"]])[0]}],
        id="selected",
        get_position="p",
        filled=False,
        stroked=True,
        get_line_color=[*TRUTH_COLOR, 255],
        line_width_min_pixels=2.5,
        radius_units=PIXELS,
        get_radius=14,
        pickable=False,
    )
    return [*line_layers(rows, prefix="selected-err", width_px=4.5, alpha=255), ring]


def with_highlight(build: MapBuild, rows: pd.DataFrame) -> MapBuild:
    """Return a copy of a built map with one image's truth ringed and its error lines bold."""
    layers = [*build.deck.layers, *_highlight_layers(rows)]
    return replace(build, deck=make_deck(layers, tooltip=TOOLTIP))


def error_legend() -> list[tuple[str, RGB]]:
    """Return (label, colour) pairs for the error-line classes."""
    return list(zip(ERROR_CLASS_LABELS, ERROR_CLASS_COLORS, strict=True))


def disagreement_map(
    outcomes: pd.DataFrame, shapes: pd.DataFrame, labels: tuple[str, str] = ("A", "B")
) -> CompactDeck:
    """Map images where exactly one of two runs is right (columns true_lat, true_lon, outcome).

    ``outcome`` is ``only_a`` or ``only_b``; other rows are ignored.
    """
    layers: list[pdk.Layer] = [outline_layer(shapes)]
    for outcome, color, label in (
        ("only_a", ONLY_A_COLOR, labels[0]),
        ("only_b", ONLY_B_COLOR, labels[1]),
    ):
        part = outcomes[outcomes["outcome"] == outcome]
        if part.empty:
            continue
        countries = part["true_country"] if "true_country" in part else [None] * len(part)
        data = [
            {"p": p, "t": f"only {label} right · truth {c or '?'} · {s}"}
            for p, c, s in zip(
                lon_lat(part["true_lat"], part["true_lon"]),
                countries,
                part["sample_id"],
                strict=True,
            )
        ]
        layers.append(point_layer(data, f"{outcome}", color, 4.0))
    return make_deck(layers, tooltip=TOOLTIP)
