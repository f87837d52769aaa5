"""Synthetic inputs for the viz builders: tiny square 'countries' and a hand-made runs frame."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from analysis.viz.deck import polygon_records


@pytest.fixture(scope="session")
def toy_polygons() -> gpd.GeoDataFrame:
    """Three square countries (one a two-part multipolygon) and Antarctica."""
    return gpd.GeoDataFrame(
        {
            "iso3": ["AAA", "BBB", "CCC", "ATA"],
            "name": ["Aland", "Bland", "Cland", "Antarctica"],
            "continent": ["Europe", "Asia", "Africa", "Antarctica"],
        },
        geometry=[
            shapely.box(0, 40, 10, 50),
            shapely.MultiPolygon([shapely.box(100, 0, 110, 10), shapely.box(120, 0, 125, 5)]),
            shapely.box(20, -10, 30, 0),
            shapely.box(-180, -90, 180, -70),
        ],
        crs="EPSG:4326",
    )


@pytest.fixture(scope="session")
def toy_shapes(toy_polygons: gpd.GeoDataFrame) -> pd.DataFrame:
    return polygon_records(toy_polygons)


def make_frame(n_samples: int, runs: tuple[str, ...] = ("r1", "r2"), seed: int = 0) -> pd.DataFrame:
    """A runs frame: every run answers every sample; some answers have no coordinates."""
    rng = np.random.default_rng(seed)
    rows = []
    true_lat = rng.uniform(-50, 60, n_samples)
    true_lon = rng.uniform(-170, 170, n_samples)
    for k, run in enumerate(runs):
        pred_lat = np.clip(true_lat + rng.normal(0, 5 + 10 * k, n_samples), -89, 89)
        pred_lon = np.clip(true_lon + rng.normal(0, 5 + 10 * k, n_samples), -179, 179)
        missing = rng.random(n_samples) < 0.1
        for i in range(n_samples):
            rows.append(
                {
                    "run": run,
                    "sample_id": f"s{i:06d}",
                    "location_id": f"l{i // 2:06d}",
                    "heading": (i % 4) * 90,
                    "true_lat": true_lat[i],
                    "true_lon": true_lon[i],
                    "true_country": "AAA" if i % 3 else "BBB",
                    "pred_lat": np.nan if missing[i] else pred_lat[i],
                    "pred_lon": np.nan if missing[i] else pred_lon[i],
                    "pred_country": None if missing[i] else ("AAA" if i % 2 else "CCC"),
                    "status": "refused" if missing[i] else "ok",
                }
            )
    frame = pd.DataFrame(rows)
    from analysis.geo.distance import haversine_km

    frame["distance_km"] = haversine_km(
        frame["true_lat"].to_numpy(),
        frame["true_lon"].to_numpy(),
        frame["pred_lat"].to_numpy(),
        frame["pred_lon"].to_numpy(),
    )
    return frame


@pytest.fixture()
def small_frame() -> pd.DataFrame:
    return make_frame(40)
