"""Dashboard scaling: page build time with 1M predictions in the database vs 1k, and map bytes.

Run: ``python benchmarks/bench_dashboard.py [--big 1000000] [--small 1000] [--runs 10]``.

Two databases with the same shape (``--runs`` runs on one dataset), one with ``--small`` and
one with ``--big`` predictions in all. Printed, measured in the same run:
  1. each page rendered by streamlit's AppTest: the first visit (cold caches: queries, metrics
     with 1000-resample bootstrap CIs, figures) and a rerun (what a click costs), big / small
     ratio for each                                                     target <= 5x (warm);
  2. the data + figure functions the pages call, without streamlit, same ratio (the map's
     grows with what it draws: ~300 points for the small database, the 20k cap for the big);
  3. bytes of the map spec (deck JSON, exactly what streamlit sends) for one run of 100k
     predictions, with the real country outlines                        target <= 15 MB.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.config import PROJECT_ROOT
from analysis.geo.countries import countries_frame
from analysis.store import PREDICTION_COLUMNS, DatasetMeta, RunMeta, Store

PAGE_RATIO_TARGET = 5.0
MAP_BYTES_TARGET = 15_000_000


def build_db(path: Path, n_predictions: int, n_runs: int, seed: int = 0) -> Store:
    """Write one dataset of n_predictions / n_runs images (4 headings per place) and n_runs runs."""
    rng = np.random.default_rng(seed)
    countries = countries_frame().dropna(subset=["rep_lat", "rep_lon"]).reset_index(drop=True)
    n_samples = max(4, n_predictions // n_runs)
    n_loc = max(1, n_samples // 4)
    loc_country = rng.integers(0, len(countries), n_loc)
    loc = np.arange(n_samples) // 4 % n_loc
    iso = countries["iso3"].to_numpy(object)
    lat0 = countries["rep_lat"].to_numpy(float)[loc_country] + rng.normal(0, 1.5, n_loc)
    lon0 = countries["rep_lon"].to_numpy(float)[loc_country] + rng.normal(0, 1.5, n_loc)
    samples = pd.DataFrame(
        {
            "sample_id": [f"s{i:07d}" for i in range(n_samples)],
            "location_id": [f"l{j:07d}" for j in loc],
            "true_lat": np.clip(lat0[loc], -89, 89),
            "true_lon": np.clip(lon0[loc], -179.9, 179.9),
            "true_country": iso[loc_country][loc],
            "heading": (np.arange(n_samples) % 4) * 90,
            "split": "test",
            "image_path": None,
            "image_sha256": None,
        }
    )
    store = Store(path)
    meta = DatasetMeta(name="bench", kind="synthetic")
    for r in range(n_runs):
        skill = 0.3 + 0.5 * r / max(1, n_runs - 1)
        right = rng.random(n_samples) < skill
        guess = np.where(right, loc_country[loc], rng.integers(0, len(countries), n_samples))
        ok = rng.random(n_samples) > 0.05
        spread = np.where(right, 2.0, 0.5)
        plat = np.clip(
            lat0[np.minimum(guess, n_loc - 1)] * 0
            + countries["rep_lat"].to_numpy(float)[guess]
            + rng.normal(0, 1, n_samples) * spread,
            -89,
            89,
        )
        plon = np.clip(
            countries["rep_lon"].to_numpy(float)[guess] + rng.normal(0, 1, n_samples) * spread,
            -179.9,
            179.9,
        )
        table = pa.table(
            {
                "sample_id": samples["sample_id"],
                "raw_response": pa.array([None] * n_samples, pa.string()),
                "pred_country": pa.array(np.where(ok, iso[guess], None).tolist(), pa.string()),
                "pred_lat": pa.array(np.where(ok, plat, np.nan), pa.float64(), from_pandas=True),
                "pred_lon": pa.array(np.where(ok, plon, np.nan), pa.float64(), from_pandas=True),
                "coords_source": pa.array(np.where(ok, "model", None).tolist(), pa.string()),
                "status": pa.array(np.where(ok, "ok", "refused").tolist(), pa.string()),
                "latency_ms": pa.array(rng.gamma(3, 400, n_samples)),
                "input_tokens": pa.array(np.full(n_samples, 900, dtype=np.int64)),
                "output_tokens": pa.array(np.full(n_samples, 40, dtype=np.int64)),
                "cost_usd": pa.array(np.full(n_samples, 0.002)),
                "error": pa.array([None] * n_samples, pa.string()),
                "created_at": pa.array([None] * n_samples, pa.timestamp("us")),
            }
        ).select(list(PREDICTION_COLUMNS))
        run_meta = RunMeta(
            name=f"run{r:02d}",
            dataset="bench",
            model=f"model{r // 2}",
            prompt_strategy=("basic", "tips")[r % 2],
        )
        store.ingest_import(
            run_meta,
            table,
            dataset_meta=meta if r == 0 else None,
            samples=pa.Table.from_pandas(samples, preserve_index=False) if r == 0 else None,
        )
    return store


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def page_times(db: Path, cache: Path) -> dict[str, tuple[float, float]]:
    """AppTest: first visit and rerun of every page against ``db``."""
    from streamlit.testing.v1 import AppTest

    from pages._registry import PAGES

    os.environ["GEOSCOPE_DB"], os.environ["GEOSCOPE_CACHE"] = str(db), str(cache)
    out: dict[str, tuple[float, float]] = {}
    for page in PAGES:
        if page.url_path == "live":
            continue  # issue 5's page does not read the database
        at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=900)
        at.query_params["dataset"] = "bench"
        at.switch_page(page.file)
        cold = timed(at.run)
        warm = timed(at.run)
        if at.exception:
            raise SystemExit(f"{page.url_path} raised: {at.exception[0].value}")
        out[page.url_path] = (cold, warm)
    return out


def function_times(store: Store) -> dict[str, float]:
    """The functions behind each page, without streamlit (cold: nothing cached)."""
    from analysis.dashboard.data import (
        accuracy_curves,
        continent_intervals,
        country_stats,
        paired_outcomes,
    )
    from analysis.dashboard.filters import apply_filters
    from analysis.dashboard.leaderboard import leaderboard_frame, summarize_run
    from analysis.dashboard.state import ViewState
    from analysis.geo.countries import DRAWING_SIMPLIFY_DEG, world_polygons
    from analysis.metrics import add_continents, confusion_matrix, paired_comparison
    from analysis.viz.colors import run_colors
    from analysis.viz.deck import polygon_records
    from analysis.viz.prediction_map import prediction_map

    shapes = polygon_records(world_polygons(DRAWING_SIMPLIFY_DEG, shared_edges=True))
    runs = store.list_runs()
    names = runs["name"].tolist()
    times = {}
    times["leaderboard"] = timed(
        lambda: (
            leaderboard_frame(runs, {r: summarize_run(store.run_frame(r), r) for r in names}),
            accuracy_curves({r: store.run_frame(r) for r in names[:8]}),
        )
    )
    frame = add_continents(store.runs_frame(names[:3]))
    times["map"] = timed(
        lambda: prediction_map(
            apply_filters(frame, ViewState()), run_colors(names[:3]), shapes
        ).deck.to_json()
    )
    one = frame[frame["run"] == names[0]]
    times["countries"] = timed(
        lambda: (
            country_stats(one),
            confusion_matrix(one),
            continent_intervals({n: frame[frame["run"] == n] for n in names[:3]}),
        )
    )
    a, b = store.run_frame(names[0]), store.run_frame(names[1])
    times["compare"] = timed(lambda: (paired_comparison(a, b), paired_outcomes(a, b)))
    return times


def map_bytes(store: Store, run: str) -> tuple[int, int, str]:
    """Bytes of the map deck JSON for one run, with real outlines; and the note shown."""
    from analysis.geo.countries import DRAWING_SIMPLIFY_DEG, world_polygons
    from analysis.viz.colors import run_colors
    from analysis.viz.deck import deck_bytes, polygon_records
    from analysis.viz.prediction_map import prediction_map

    shapes = polygon_records(world_polygons(DRAWING_SIMPLIFY_DEG, shared_edges=True))
    frame = store.run_frame(run).assign(run=run)
    build = prediction_map(frame, run_colors([run]), shapes)
    agg = prediction_map(frame, run_colors([run]), shapes, aggregate=True)
    return deck_bytes(build.deck), deck_bytes(agg.deck), build.note


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--skip-apptest", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        small = build_db(root / "small.duckdb", args.small, args.runs)
        big = build_db(root / "big.duckdb", args.big, args.runs)
        print(
            f"built databases: {args.small:,} and {args.big:,} predictions, {args.runs} runs each "
            f"({time.perf_counter() - t0:.1f} s)"
        )

        print("\n1) functions behind each page (no streamlit, nothing cached)")
        function_times(small)  # warm-up: first imports (scipy, geopandas) are not page work
        fs, fb = function_times(small), function_times(big)
        for name in fs:
            ratio = fb[name] / fs[name]
            print(f"   {name:12s} small {fs[name]:7.3f} s   big {fb[name]:7.3f} s   {ratio:6.1f}x")

        if not args.skip_apptest:
            print("\n2) pages rendered by AppTest (first visit = cold caches, rerun = a click)")
            ps, pb = (
                page_times(root / "small.duckdb", root / "cache"),
                page_times(root / "big.duckdb", root / "cache"),
            )
            worst = 0.0
            for name in ps:
                (sc, sw), (bc, bw) = ps[name], pb[name]
                worst = max(worst, bw / sw)
                print(
                    f"   {name:12s} first visit {sc:6.2f} s -> {bc:6.2f} s ({bc / sc:6.1f}x)   "
                    f"rerun {sw:5.2f} s -> {bw:5.2f} s ({bw / sw:4.1f}x)"
                )
            verdict = "OK" if worst <= PAGE_RATIO_TARGET else "OVER TARGET"
            print(
                f"   worst rerun ratio {worst:.1f}x (target <= {PAGE_RATIO_TARGET:.0f}x): {verdict}"
            )

        per_run = args.big // args.runs
        print(f"\n3) map spec for one run of {per_run:,} predictions (real country outlines)")
        sampled, aggregated, note = map_bytes(big, "run00")
        print(
            f"   sampled map {sampled / 1e6:6.2f} MB, aggregated map {aggregated / 1e6:6.2f} MB "
            f"(target <= {MAP_BYTES_TARGET / 1e6:.0f} MB): "
            f"{'OK' if max(sampled, aggregated) <= MAP_BYTES_TARGET else 'OVER TARGET'}"
        )
        print(f"   page says: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
