"""Failure gallery: one card per image (truth, every selected run's guess), and small thumbnails.

Thumbnails are made here with Pillow (through ``analysis.images``: size cap, bomb guard, EXIF
orientation) and kept on disk under the cache folder, keyed by the file's path, size and mtime,
so a grid of 24 photos costs a few KB each and is decoded once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.dashboard.data import image_file
from analysis.dashboard.filters import filter_mask
from analysis.dashboard.state import ViewState
from analysis.errors import GeoScopeError

THUMB_SIDE_PX = 320
THUMB_QUALITY = 80


@dataclass(frozen=True)
class Thumb:
    """A thumbnail file, or why there is none (``path`` None and ``note`` set)."""

    path: Path | None
    note: str = ""


def thumbnail(
    image_path: object, root: Path | None, cache_dir: Path, side_px: int = THUMB_SIDE_PX
) -> Thumb:
    """Return a small JPEG of a sample's image, made once and cached on disk.

    A missing or unreadable file is reported in ``note`` (never raised): one bad photo must not
    break a grid of 24.
    """
    if not isinstance(image_path, str) or not image_path:
        return Thumb(None, "no image file stored for this sample")
    found = image_file(image_path, root)
    if found is None:
        return Thumb(None, "image file not on this machine")
    stat = found.stat()
    key = f"{found.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{side_px}"
    target = cache_dir / "thumbs" / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.jpg"
    if target.is_file():
        return Thumb(target)
    from PIL import Image

    from analysis.images import load_image

    try:
        image = load_image(found)
    except (GeoScopeError, OSError, ValueError) as exc:
        return Thumb(None, f"image cannot be read: {exc}")
    image.thumbnail((side_px, side_px), Image.Resampling.LANCZOS)
    target.parent.mkdir(parents=True, exist_ok=True)
    # write then rename: two sessions making the same thumbnail never see half a file
    handle, temp = tempfile.mkstemp(dir=target.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            image.save(out, format="JPEG", quality=THUMB_QUALITY)
        os.replace(temp, target)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    return Thumb(target)


def gallery_cards(
    frame: pd.DataFrame, state: ViewState, samples: pd.DataFrame, k: int = 24
) -> pd.DataFrame:
    """Return the ``k`` images to show, worst (or best) first, one row per image.

    An image qualifies when any selected run's row passes the filters of ``state``; its card
    then shows every selected run's guess. Sorting key: the largest error over the runs that
    gave coordinates; ``state.sort`` "best" reverses it. Images no run placed come last either
    way (as in the map's worst-failures table): an error that cannot be measured is not ranked.

    Returns:
        Columns sample_id, true_country, true_lat, true_lon, heading, image_path, key_km, and
        ``guesses``: a list of (run, pred_country, distance_km, status) per image.
    """
    columns = [
        "sample_id",
        "true_country",
        "true_lat",
        "true_lon",
        "heading",
        "image_path",
        "key_km",
        "guesses",
    ]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    # sample ids as integer codes: Series.isin over 1M arrow strings took ~3 s a call
    codes, uniques = pd.factorize(frame["sample_id"])
    qualifies = np.zeros(len(uniques), dtype=bool)
    qualifies[codes[filter_mask(frame, state) & (codes >= 0)]] = True  # -1: no sample id
    if not qualifies.any():
        return pd.DataFrame(columns=columns)
    in_rows = qualifies[codes] & (codes >= 0)
    distance = frame["distance_km"].to_numpy(dtype=float, na_value=np.nan)
    key_all = np.full(len(uniques), np.nan)
    np.fmax.at(key_all, codes[in_rows], distance[in_rows])  # fmax skips NaN, as groupby max
    order = _first_k(uniques, key_all, qualifies, k, ascending=state.sort == "best")
    order_ids = order.index.tolist()
    wanted = np.zeros(len(uniques), dtype=bool)
    wanted[uniques.get_indexer(order.index)] = True
    rows = frame[wanted[codes] & (codes >= 0)]
    runs_rank = {run: i for i, run in enumerate(state.runs)}
    chosen = rows.assign(_run_order=lambda f: f["run"].map(runs_rank).fillna(len(runs_rank)))
    guesses = {
        sid: list(
            zip(
                part["run"].astype(str),
                part["pred_country"],
                part["distance_km"].astype(float),
                part["status"].astype(str),
                strict=True,
            )
        )
        for sid, part in chosen.sort_values("_run_order", kind="stable").groupby("sample_id")
    }
    first = chosen.drop_duplicates("sample_id").set_index("sample_id")
    paths = None
    if "image_path" in samples:  # index only the shown samples, not the whole dataset
        shown = samples[samples["sample_id"].isin(order_ids)]
        paths = shown.set_index("sample_id")["image_path"]
    out = pd.DataFrame(
        {
            "sample_id": order_ids,
            "true_country": first.loc[order_ids, "true_country"].to_numpy(),
            "true_lat": first.loc[order_ids, "true_lat"].to_numpy(float),
            "true_lon": first.loc[order_ids, "true_lon"].to_numpy(float),
            "heading": first.loc[order_ids, "heading"].to_numpy()
            if "heading" in first
            else np.full(len(order_ids), None),
            "image_path": [None if paths is None else paths.get(sid) for sid in order_ids],
            "key_km": order.to_numpy(float),
            "guesses": [guesses.get(sid, []) for sid in order_ids],
        }
    )
    return out[columns]


def _first_k(
    ids: pd.Index,
    key: npt.NDArray[np.float64],
    qualifies: npt.NDArray[np.bool_],
    k: int,
    ascending: bool,
) -> pd.Series:
    """Return the first ``k`` qualifying ids by key (ties by id, NaN last), as key by id.

    Same order as sorting every id by id, then stably by key: only the ids that can reach the
    first ``k`` (the k-th key and every tie of it, NaN keys only when too few are finite) are
    sorted, not the 250k of a 1M-prediction run.
    """
    finite = qualifies & ~np.isnan(key)
    candidates = finite.copy()
    n_finite = int(finite.sum())
    if n_finite > k > 0:
        values = key[finite] if ascending else -key[finite]
        bound = np.partition(values, k - 1)[k - 1]
        candidates &= (key <= bound) if ascending else (-key <= bound)
    elif n_finite < k:
        candidates = qualifies.copy()
    picked = np.flatnonzero(candidates)
    series = pd.Series(key[picked], index=ids[picked])
    return (
        series.sort_index(kind="stable")
        .sort_values(ascending=ascending, kind="stable", na_position="last")
        .head(k)
    )


def fmt_heading(value: object) -> str:
    """Return a heading as "90°", or "" when missing (never the text "<NA>" or "nan")."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    return "" if np.isnan(number) else f"{number:g}°"


def fmt_km(distance_km: object) -> str:
    """Return an error as "1,234 km", or "no coordinates"."""
    try:
        number = float(distance_km)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "no coordinates"
    return "no coordinates" if np.isnan(number) else f"{number:,.0f} km"
