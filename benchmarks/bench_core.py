"""Benchmark the core path on 1,000,000 predictions; every time is a ratio to a raw DuckDB scan.

Run: ``python benchmarks/bench_core.py [--rows 1000000] [--resamples 1000]``.
Prints, measured in the same run on the same file:
  1. DuckDB reading the CSV raw (count + sums over read_csv), the yardstick (and, for scale,
     DuckDB copying the file into a database file with no checks at all);
  2. ``import`` into a fresh store, and its ratio to (1)            target <= 3x;
  3. metrics of the run (run_frame + compute_metrics + bootstrap_ci + breakdowns by country,
     continent, heading + confusion matrix), and its ratio to (1) target <= 10x;
  4. peak resident memory of this process                           target < 2 GB.
The file is synthetic but shaped like a real benchmark: ~250k locations x 4 headings, true
country ISO3 from the location, pred_country as ISO3 text, coordinates around real countries.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.geo.countries import countries_frame
from analysis.importers import ImportOptions, import_predictions
from analysis.store import Store

IMPORT_TARGET_RATIO = 3.0
METRICS_TARGET_RATIO = 10.0
RSS_TARGET_MB = 2048.0


def make_csv(path: Path, n_rows: int, seed: int = 0) -> None:
    """Write a realistic prediction CSV with ``n_rows`` rows (4 headings per location)."""
    rng = np.random.default_rng(seed)
    countries = countries_frame()[["iso3", "rep_lat", "rep_lon"]].dropna().reset_index(drop=True)
    n_loc = max(1, n_rows // 4)
    loc_country = rng.integers(0, len(countries), n_loc)
    lat = np.clip(countries["rep_lat"].to_numpy()[loc_country] + rng.normal(0, 1.5, n_loc), -89, 89)
    lon = (
        countries["rep_lon"].to_numpy()[loc_country] + rng.normal(0, 1.5, n_loc) + 180
    ) % 360 - 180
    heading = np.tile(np.array([0, 90, 180, 270]), n_loc)[:n_rows]
    loc = np.repeat(np.arange(n_loc), 4)[:n_rows]
    right = rng.random(n_rows) < 0.6  # the model names the right country 60% of the time
    pred_country_idx = np.where(right, loc_country[loc], rng.integers(0, len(countries), n_rows))
    pred_lat = np.clip(
        countries["rep_lat"].to_numpy()[pred_country_idx] + rng.normal(0, 3, n_rows), -89, 89
    )
    pred_lon = (
        countries["rep_lon"].to_numpy()[pred_country_idx] + rng.normal(0, 3, n_rows) + 180
    ) % 360 - 180
    iso3 = countries["iso3"].to_numpy()
    loc_ids = np.char.add("loc", loc.astype(str))
    table = pa.table({
        "sample_id": np.char.add(np.char.add(loc_ids, "_h"), heading.astype(str)),
        "location_id": loc_ids,
        "heading": heading,
        "true_lat": np.round(lat[loc], 6),
        "true_lon": np.round(lon[loc], 6),
        "true_country": iso3[loc_country[loc]],
        "pred_lat": np.round(pred_lat, 5),
        "pred_lon": np.round(pred_lon, 5),
        "pred_country": iso3[pred_country_idx],
    })  # fmt: skip
    pacsv.write_csv(table, path)


def raw_scan_s(path: Path) -> float:
    """Time DuckDB reading the whole CSV (types sniffed, every numeric column summed)."""
    import duckdb

    con = duckdb.connect(":memory:")
    start = time.perf_counter()
    con.execute(
        "SELECT count(*), sum(true_lat), sum(true_lon), sum(pred_lat), sum(pred_lon), "
        "count(DISTINCT pred_country) FROM read_csv(?)",
        [str(path)],
    ).fetchall()
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def write_floor_s(path: Path, db_path: Path) -> float:
    """Time DuckDB copying the CSV into one table of a new database file (no checks at all)."""
    import duckdb

    start = time.perf_counter()
    con = duckdb.connect(str(db_path))
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [str(path)])
    con.close()
    return time.perf_counter() - start


def metrics_s(store: Store, run: str, resamples: int) -> tuple[float, float]:
    """Time everything the metrics page needs for one run; return (total, run_frame alone)."""
    from analysis.metrics import bootstrap_ci, breakdown, compute_metrics, confusion_matrix, prepare

    start = time.perf_counter()
    frame = store.run_frame(run)
    loaded = time.perf_counter() - start
    data = prepare(frame)  # prepared once, as a page would, for every call below
    compute_metrics(data)
    bootstrap_ci(data, n_resamples=resamples)
    for by in ("true_country", "true_continent", "heading"):
        breakdown(data, by)
    confusion_matrix(data)
    return time.perf_counter() - start, loaded


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--resamples", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="geoscope-bench-") as tmp:
        csv_path = Path(tmp) / "predictions.csv"
        t0 = time.perf_counter()
        make_csv(csv_path, args.rows)
        size_mb = csv_path.stat().st_size / 1e6
        print(
            f"generated {args.rows:,} rows ({size_mb:.0f} MB) in {time.perf_counter() - t0:.1f} s"
        )
        raw_scan_s(csv_path)  # warm the page cache so both sides read from memory
        raw = min(raw_scan_s(csv_path) for _ in range(3))
        print(f"(1) DuckDB raw read of the CSV:       {raw:6.2f} s")

        floor = write_floor_s(csv_path, Path(tmp) / "floor.duckdb")
        print(f"    for scale, DuckDB copying it into a database file: {floor:6.2f} s = "
              f"{floor / raw:4.1f}x raw (no validation, one table)")  # fmt: skip
        store = Store(Path(tmp) / "bench.duckdb")
        store.migrate()
        start = time.perf_counter()
        report = import_predictions(store, csv_path, ImportOptions(run="bench", dataset="bench"))
        imported = time.perf_counter() - start
        assert report.n_predictions == args.rows, report
        ratio = imported / raw
        verdict = "ok" if ratio <= IMPORT_TARGET_RATIO else "OVER TARGET"
        print(f"(2) import into a fresh store:        {imported:6.2f} s = {ratio:4.1f}x raw "
              f"(target <= {IMPORT_TARGET_RATIO:g}x: {verdict})")  # fmt: skip

        spent, loaded = metrics_s(store, "bench", args.resamples)
        ratio = spent / raw
        verdict = "ok" if ratio <= METRICS_TARGET_RATIO else "OVER TARGET"
        print(f"(3) metrics + {args.resamples} bootstrap + 3 breakdowns + confusion: "
              f"{spent:6.2f} s = {ratio:4.1f}x raw (target <= {METRICS_TARGET_RATIO:g}x: {verdict})")  # fmt: skip
        print(
            f"    of which loading the run (Store.run_frame): {loaded:5.2f} s = {loaded / raw:4.1f}x raw"
        )

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    verdict = "ok" if peak_mb < RSS_TARGET_MB else "OVER TARGET"
    print(f"(4) peak RSS: {peak_mb:,.0f} MB (target < {RSS_TARGET_MB:,.0f} MB: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
