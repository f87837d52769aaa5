"""Speed of the geography core, printed as figures and ratios measured in this one run.

Run: python benchmarks/geo_bench.py [--points 1000000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from anywhere


def _timed(label: str, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    seconds = time.perf_counter() - start
    print(f"{label:<48} {seconds:8.3f} s")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=1_000_000)
    n = parser.parse_args().points
    rng = np.random.default_rng(0)
    # uniform on the sphere: ~29 % of points on land, many near coasts
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    lon = rng.uniform(-180, 180, n)

    from analysis.geo import countries
    from analysis.geo.distance import haversine_km, haversine_sql
    from analysis.geo.names import resolve_country

    _timed("load polygons (first use)", countries.country_of, 0.0, 0.0)
    _, t_world = _timed("world_polygons(0.05), first call", countries.world_polygons)
    _, t_world2 = _timed("world_polygons(0.05), cached", countries.world_polygons)
    _, t_small = _timed(
        f"country_of_points, {n // 10:,} pts",
        countries.country_of_points,
        lat[: n // 10],
        lon[: n // 10],
    )
    _, t_strict = _timed(
        f"country_of_points, {n:,} pts, tolerance 0", countries.country_of_points, lat, lon, 0.0
    )
    out, t_full = _timed(
        f"country_of_points, {n:,} pts, tolerance 25 km", countries.country_of_points, lat, lon
    )
    print(f"  share on land/coast: {np.mean(np.not_equal(out, None)):.3f}")
    print(
        f"  ratio 25 km / no tolerance: {t_full / t_strict:.2f}x;"
        f" {n:,} / {n // 10:,} points: {t_full / t_small:.2f}x"
    )
    print(f"  world_polygons first / cached: {t_world / max(t_world2, 1e-9):.0f}x")

    lat2, lon2 = rng.uniform(-90, 90, n), rng.uniform(-180, 180, n)
    _, t_np = _timed(f"haversine_km numpy, {n:,} pairs", haversine_km, lat, lon, lat2, lon2)
    frame = pd.DataFrame({"a": lat, "b": lon, "c": lat2, "d": lon2})
    con = duckdb.connect()
    con.register("pts", frame)
    sql = f"SELECT sum({haversine_sql('a', 'b', 'c', 'd')}) FROM pts"
    _, t_sql = _timed(f"haversine_sql in DuckDB, {n:,} pairs", lambda: con.execute(sql).fetchone())
    print(f"  ratio DuckDB / numpy: {t_sql / t_np:.2f}x")

    texts = [
        "France",
        "I think this is Japan.",
        "Sorry, I can't help with that.",
        "**Country:** Brazil",
        "The signs suggest somewhere in rural Poland, near Krakow.",
    ]
    resolve_country("warm up")
    _, t_names = _timed(
        "resolve_country, 10,000 answers",
        lambda: [resolve_country(texts[i % len(texts)]) for i in range(10_000)],
    )
    print(f"  per answer: {t_names / 10_000 * 1e6:.0f} us")


if __name__ == "__main__":
    main()
