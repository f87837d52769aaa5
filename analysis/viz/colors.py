"""Colour rules shared by every chart: one colour per run, error classes, accuracy ramps."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

RGB = tuple[int, int, int]

# Mostly Okabe-Ito (safe for the common colour-vision deficiencies), minus its orange and
# vermillion, which the yellow-to-red error lines already use.
RUN_PALETTE: tuple[RGB, ...] = (
    (0, 114, 178),
    (0, 158, 115),
    (204, 121, 167),
    (86, 180, 233),
    (120, 94, 240),
    (60, 60, 60),
    (0, 90, 60),
    (160, 160, 40),
)

# Error classes share their edges with the Acc@k thresholds, so a colour reads as "within k km".
ERROR_EDGES_KM: tuple[float, ...] = (25.0, 200.0, 750.0, 2500.0)
ERROR_CLASS_LABELS: tuple[str, ...] = (
    "≤ 25 km",
    "25–200 km",
    "200–750 km",
    "750–2500 km",
    "> 2500 km",
)
# sequential yellow -> orange -> red -> magenta -> indigo (plasma-like): each step changes hue as
# well as lightness, so the two long classes (most failures) no longer read as one dark red
ERROR_CLASS_COLORS: tuple[RGB, ...] = (
    (250, 210, 40),
    (247, 143, 30),
    (222, 60, 45),
    (200, 40, 150),
    (60, 20, 110),
)
# pixels: longer errors draw thicker, so the worst ones lead the eye
ERROR_CLASS_WIDTHS_PX: tuple[float, ...] = (1.5, 1.5, 2.0, 2.5, 3.0)
NO_COORDS_COLOR: RGB = (150, 150, 150)
TRUTH_COLOR: RGB = (20, 20, 20)
OUTLINE_COLOR: RGB = (120, 128, 140)
LAND_COLOR: RGB = (236, 238, 241)
SEA_COLOR: RGB = (214, 228, 240)
ONLY_A_COLOR: RGB = (0, 114, 178)
ONLY_B_COLOR: RGB = (213, 94, 0)  # comparisons draw no error lines, so orange is free

# Sequential ramp for accuracy in [0, 1] (light yellow -> green -> dark blue, viridis-like).
_RAMP_STOPS: tuple[tuple[float, RGB], ...] = (
    (0.0, (253, 231, 37)),
    (0.25, (94, 201, 98)),
    (0.5, (33, 145, 140)),
    (0.75, (59, 82, 139)),
    (1.0, (68, 1, 84)),
)


def run_color(run: str) -> RGB:
    """Return a run's home colour: derived from a hash of its name, the same on every page."""
    digest = hashlib.blake2b(run.encode("utf-8"), digest_size=4).digest()
    return RUN_PALETTE[int.from_bytes(digest, "big") % len(RUN_PALETTE)]


def run_colors(runs: Sequence[str]) -> dict[str, RGB]:
    """Give each run its home colour; runs whose home colour is taken get the next free one.

    Independent of the order given and of position in a selection: runs claim colours in name
    order, so the same set of runs is coloured the same way on every page and in every export,
    and a run keeps its home colour unless a run with a smaller name shares it.
    """
    return distinct_colors(list(runs), {r: run_color(r) for r in runs})


def distinct_colors(shown: Sequence[str], base: Mapping[str, RGB]) -> dict[str, RGB]:
    """Colours for the runs on screen: each keeps its ``base`` colour unless an earlier one took it.

    ``base`` (from ``run_colors`` over all runs of a dataset) keeps a run's colour stable across
    pages; past the palette size two runs would share one, so later ones get a free colour.
    """
    taken: set[RGB] = set()
    picked: dict[str, RGB] = {}
    homes = {base.get(r, run_color(r)) for r in shown}
    for run in sorted(set(shown)):  # name order, not selection order: stable colours
        color = base.get(run, run_color(run))
        if color in taken:
            # prefer a colour nobody on screen calls home, then any colour still free
            spare = [c for c in RUN_PALETTE if c not in taken and c not in homes]
            spare = spare or [c for c in RUN_PALETTE if c not in taken]
            color = spare[0] if spare else color
        taken.add(color)
        picked[run] = color
    return {run: picked[run] for run in shown}


def palette(dataset_of: Mapping[str, str], shown: Sequence[str]) -> dict[str, RGB]:
    """Colours of ``shown`` runs as every page, chart and export draws them.

    ``dataset_of`` maps every stored run to its dataset. A run's colour is settled among the runs
    of its own dataset (``run_colors``), so it is the same on the map (one dataset), on the
    leaderboard (several) and in the report; only two runs on one chart that would share a
    colour make the later one (by name) move to a free colour.
    """
    by_dataset: dict[str, list[str]] = {}
    for run, dataset in dataset_of.items():
        by_dataset.setdefault(str(dataset), []).append(str(run))
    base: dict[str, RGB] = {}
    for names in by_dataset.values():
        base.update(run_colors(names))
    return distinct_colors(list(shown), base)


def hex_color(rgb: RGB) -> str:
    """Format an RGB triple as ``#rrggbb`` for plotly."""
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def error_class(distance_km: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Map distances to error-class indices (0 = best); NaN (no coordinates) maps to -1.

    An edge belongs to the class below it (25 km is "within 25 km", as in Acc@25km).
    """
    values = np.asarray(distance_km, dtype=float)
    classes = np.searchsorted(np.asarray(ERROR_EDGES_KM), values, side="left").astype(np.int64)
    classes[np.isnan(values)] = -1
    return classes


def accuracy_rgb(share: npt.ArrayLike) -> npt.NDArray[np.uint8]:
    """Map accuracies in [0, 1] to RGB rows on the sequential ramp (NaN -> grey)."""
    values = np.clip(np.asarray(share, dtype=float).reshape(-1), 0.0, 1.0)
    positions = np.array([stop for stop, _ in _RAMP_STOPS])
    colors = np.array([rgb for _, rgb in _RAMP_STOPS], dtype=float)
    out = np.empty((values.size, 3), dtype=float)
    for channel in range(3):
        out[:, channel] = np.interp(values, positions, colors[:, channel])
    out[np.isnan(np.asarray(share, dtype=float).reshape(-1))] = NO_COORDS_COLOR
    return np.rint(out).astype(np.uint8)


def ramp_colorscale() -> list[list[float | str]]:
    """Return the accuracy ramp as a plotly colorscale."""
    return [[stop, hex_color(rgb)] for stop, rgb in _RAMP_STOPS]


def support_alpha(n: npt.ArrayLike, full_at: int = 30, floor: int = 60) -> npt.NDArray[np.uint8]:
    """Fade colours for small samples: alpha grows with n and saturates at ``full_at``."""
    counts = np.asarray(n, dtype=float).reshape(-1)
    share = np.clip(np.sqrt(np.nan_to_num(counts) / float(full_at)), 0.0, 1.0)
    alpha: npt.NDArray[np.uint8] = np.rint(floor + (230 - floor) * share).astype(np.uint8)
    return alpha
