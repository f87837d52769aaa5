"""Data assembly for pages: freshness tokens, per-country/continent tables, curves, pairing.

Everything takes DataFrames (from ``analysis.store``) and returns DataFrames ready to draw;
the statistics themselves come from ``analysis.metrics``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.dashboard.filters import is_correct

# 1 km .. half the Earth's circumference, log-spaced: smooth curves on a log axis.
CURVE_THRESHOLDS_KM: tuple[float, ...] = tuple(float(x) for x in np.geomspace(1.0, 20038.0, 64))


def db_token(db_path: str | Path) -> str:
    """Return a cheap fingerprint of the database files (size and mtime of the file and its WAL).

    Any committed write changes it, so caches keyed on it refresh after a CLI import; reading
    it opens no connection, so it never waits on a writer's lock.
    """
    path = Path(db_path)
    parts = []
    for candidate in (path, path.with_name(path.name + ".wal")):
        try:
            stat = candidate.stat()
        except OSError:
            parts.append("-")
            continue
        parts.append(f"{stat.st_mtime_ns}:{stat.st_size}")
    return "|".join(parts)


def run_fingerprint(row: Mapping[str, Any]) -> str:
    """Hash the list_runs row of a run: it changes when predictions are added or rescored."""
    keys = ("name", "dataset", "n_predictions", "n_ok", "started_at", "finished_at", "prompt_hash")
    text = "|".join(str(row.get(k)) for k in keys)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def country_stats(frame: pd.DataFrame, metric: str = "country_accuracy") -> pd.DataFrame:
    """Return per-true-country iso3, n, n_locations and ``value`` (the chosen share metric)."""
    from analysis.metrics import breakdown

    if frame.empty:
        return pd.DataFrame(columns=["iso3", "n", "n_locations", "value"])
    table = breakdown(frame, "true_country", metrics=[metric])
    table = table[table["true_country"].notna()]
    return pd.DataFrame(
        {
            "iso3": table["true_country"].astype(str),
            "n": table["n"].astype(int),
            "n_locations": table["n_locations"].astype(int),
            "value": table[metric].astype(float),
        }
    ).reset_index(drop=True)


def continent_intervals(
    frames: Mapping[str, pd.DataFrame], metric: str = "country_accuracy", n_resamples: int = 500
) -> pd.DataFrame:
    """Return per-run, per-continent estimates with 95% CIs.

    Columns: group (run), label (continent), estimate, low, high, n.
    """
    from analysis.metrics import breakdown

    parts = []
    for run, frame in frames.items():
        if frame.empty:
            continue
        table = breakdown(
            frame,
            "true_continent",
            metrics=[metric],
            ci=True,
            ci_metrics=[metric],
            n_resamples=n_resamples,
        )
        # continents listed by the country table but absent here (n = 0) would draw empty rows
        table = table[table["true_continent"].notna() & (table["n"] > 0)]
        parts.append(
            pd.DataFrame(
                {
                    "group": run,
                    "label": table["true_continent"].astype(str),
                    "estimate": table[metric].astype(float),
                    "low": table[f"{metric}_low"].astype(float),
                    "high": table[f"{metric}_high"].astype(float),
                    "n": table["n"].astype(int),
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=["group", "label", "estimate", "low", "high", "n"])
    return pd.concat(parts, ignore_index=True)


def accuracy_curves(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Return run, threshold_km, share for each run (share of all its images within d km)."""
    from analysis.metrics import accuracy_curve

    parts = [
        accuracy_curve(frame, CURVE_THRESHOLDS_KM).assign(run=run)
        for run, frame in frames.items()
        if not frame.empty
    ]
    if not parts:
        return pd.DataFrame(columns=["run", "threshold_km", "share"])
    return pd.concat(parts, ignore_index=True)[["run", "threshold_km", "share"]]


def paired_outcomes(frame_a: pd.DataFrame, frame_b: pd.DataFrame) -> pd.DataFrame:
    """Join two runs on sample_id: truth, each run's correctness and the outcome label.

    ``outcome`` is both_right, only_a, only_b or both_wrong (country level).
    """
    cols = ["sample_id", "true_lat", "true_lon", "true_country"]
    a = frame_a[cols].assign(a_correct=is_correct(frame_a).to_numpy())
    b = frame_b[["sample_id"]].assign(b_correct=is_correct(frame_b).to_numpy())
    joined = a.merge(b, on="sample_id", how="inner")
    labels = np.select(
        [
            joined["a_correct"] & joined["b_correct"],
            joined["a_correct"] & ~joined["b_correct"],
            ~joined["a_correct"] & joined["b_correct"],
        ],
        ["both_right", "only_a", "only_b"],
        default="both_wrong",
    )
    return joined.assign(outcome=labels)


def name_lookup() -> dict[str, str]:
    """Return iso3 -> country name (empty when the country table cannot be read)."""
    from analysis.geo.countries import countries_frame

    table = countries_frame()
    return dict(zip(table["iso3"].astype(str), table["name"].astype(str), strict=True))


def image_file(path: object, root: Path | None = None) -> Path | None:
    """Return the image file ``path`` names (relative paths against ``root``), None when absent."""
    if not isinstance(path, str | Path) or not str(path):
        return None
    candidate = Path(path)
    if not candidate.is_absolute() and root is not None:
        candidate = root / candidate
    return candidate if candidate.is_file() else None


def samples_with_image_files(samples: pd.DataFrame, root: Path | None = None) -> pd.DataFrame:
    """Keep the samples whose image file is on this machine (a stored path alone is not enough)."""
    if samples.empty or "image_path" not in samples:
        return samples.iloc[0:0]
    present = samples["image_path"].map(lambda p: image_file(p, root) is not None)
    return samples[present.astype(bool)]
