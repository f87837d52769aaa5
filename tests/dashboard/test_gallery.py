"""Failure gallery: card selection and order, and locally made, cached thumbnails."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

from analysis.dashboard.gallery import (
    fmt_heading,
    fmt_km,
    gallery_cards,
    thumbnail,
)
from analysis.dashboard.state import ViewState
from tests.support.frames import sequence_at

PHOTOS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "photos"


def _frame() -> pd.DataFrame:
    rows = []
    for run, errors in (("a", [10.0, 5000.0, np.nan]), ("b", [20.0, 100.0, 300.0])):
        for i, err in enumerate(errors):
            rows.append(
                {
                    "run": run,
                    "sample_id": f"s{i}",
                    "true_country": ["FRA", "DEU", "USA"][i],
                    "true_continent": ["Europe", "Europe", "North America"][i],
                    "true_lat": 1.0,
                    "true_lon": 2.0,
                    "heading": [0, 90, pd.NA][i],
                    "pred_country": "FRA",
                    "status": "ok" if err == err else "refused",
                    "distance_km": err,
                }
            )
    return pd.DataFrame(rows)


def _samples() -> pd.DataFrame:
    return pd.DataFrame({"sample_id": ["s0", "s1", "s2"], "image_path": ["x.jpg", None, "y.jpg"]})


def test_cards_worst_first_with_every_selected_run() -> None:
    cards = gallery_cards(_frame(), ViewState(runs=("b", "a")), _samples())
    # s2: run a gave no coordinates, so run b's 300 km ranks it
    assert cards["sample_id"].tolist() == ["s1", "s2", "s0"]
    assert cards.loc[1, "key_km"] == 300.0
    assert [g[0] for g in sequence_at(cards, 0, "guesses")] == ["b", "a"]  # selection order
    assert cards.loc[1, "image_path"] == "y.jpg"
    frame = _frame()
    frame.loc[frame["sample_id"] == "s0", "distance_km"] = np.nan
    assert gallery_cards(frame, ViewState(), _samples())["sample_id"].tolist()[-1] == "s0"
    best = gallery_cards(_frame(), ViewState(sort="best"), _samples(), k=1)
    assert best["sample_id"].tolist() == ["s0"]


def test_cards_follow_the_filters() -> None:
    cards = gallery_cards(_frame(), ViewState(continents=("Europe",)), _samples())
    assert set(cards["sample_id"]) == {"s0", "s1"}
    assert gallery_cards(_frame(), ViewState(true_countries=("ZZZ",)), _samples()).empty


def test_heading_and_km_never_print_na() -> None:
    assert fmt_heading(pd.NA) == "" and fmt_heading(None) == "" and fmt_heading(90) == "90°"
    assert fmt_km(np.nan) == "no coordinates" and fmt_km(1234.4) == "1,234 km"


def test_thumbnail_is_small_cached_and_missing_files_say_so(tmp_path: Path) -> None:
    big = tmp_path / "photo.png"
    Image.new("RGB", (2000, 1000), (200, 30, 30)).save(big)
    first = thumbnail("photo.png", tmp_path, tmp_path / "cache")
    assert first.path is not None and first.path.stat().st_size < 30_000
    with Image.open(first.path) as img:
        assert max(img.size) == 320
    mtime = first.path.stat().st_mtime_ns
    again = thumbnail("photo.png", tmp_path, tmp_path / "cache")
    assert again.path == first.path and again.path.stat().st_mtime_ns == mtime
    assert (
        thumbnail("gone.jpg", tmp_path, tmp_path / "cache").note == "image file not on this machine"
    )
    assert "no image" in thumbnail(None, tmp_path, tmp_path / "cache").note
    (tmp_path / "bad.jpg").write_bytes(b"not an image")
    assert "cannot be read" in thumbnail("bad.jpg", tmp_path, tmp_path / "cache").note


def test_thumbnail_of_a_real_photo(tmp_path: Path) -> None:
    photos = sorted((PHOTOS / "osv5m").glob("*.jpg"))[:1] + sorted(
        (PHOTOS / "exif_gps").glob("*.jpg")
    )
    if not photos:
        import pytest

        pytest.skip("shared real photos not present")
    for photo in photos:
        thumb = thumbnail(str(photo), None, tmp_path)
        assert thumb.path is not None
        with Image.open(thumb.path) as img:
            assert max(img.size) <= 320
