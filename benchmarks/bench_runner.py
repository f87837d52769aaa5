"""Runner throughput against a local OpenAI-compatible server with 200 ms latency per request.

Measures, in one process and one run:
  * a plain sequential loop of chat-completion calls (the baseline, requests per second);
  * the runner at concurrency 1, 8 and 32 (full path: prompt, image encoding without EXIF,
    HTTP, parsing, cache, journal, DuckDB), as a ratio to the baseline;
  * the same 1000 requests run again as a new run: it must make zero calls (response cache).
Target: ratio >= 0.8 x concurrency (>= 25x at 32) and zero repeated calls.

To stay under ~2 minutes, concurrency 1 and 8 run on subsets (a sequential 1000 x 0.2 s would
take 200 s by construction); concurrency 32 and the cache check use all 1000 requests.

Run: python benchmarks/bench_runner.py [--requests 1000] [--latency 0.2]
"""

from __future__ import annotations

import argparse
import base64
import io
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.config import Settings  # noqa: E402
from analysis.models.presets import ModelPreset  # noqa: E402
from analysis.runner import RetryPolicy, RunConfig, run_benchmark  # noqa: E402
from analysis.store import DatasetMeta, Store  # noqa: E402
from tests.support.openai_server import RemoteServer  # noqa: E402


def make_dataset(folder: Path, store: Store, n: int) -> None:
    """Write n distinct small JPEGs (seeded noise) and ingest them as dataset 'bench'."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    paths = []
    for index in range(n):
        pixels = rng.integers(0, 256, size=(48, 64, 3), dtype=np.uint8)
        path = folder / f"b{index:05d}.jpg"
        Image.fromarray(pixels).save(path, "JPEG", quality=85)
        paths.append(str(path))
    frame = pd.DataFrame(
        {
            "sample_id": [f"b{i:05d}" for i in range(n)],
            "true_lat": [48.85] * n,
            "true_lon": [2.35] * n,
            "true_country": ["FRA"] * n,
            "split": ["test"] * n,
            "image_path": paths,
        }
    )
    store.ingest_samples(DatasetMeta(name="bench", kind="synthetic"), frame)


def sequential_baseline(server: RemoteServer, image: bytes, n: int) -> float:
    """Return requests/second of a plain loop of blocking openai calls."""
    import openai

    client = openai.OpenAI(base_url=server.base_url, api_key="x", max_retries=0)
    url = "data:image/jpeg;base64," + base64.b64encode(image).decode()
    started = time.perf_counter()
    for _ in range(n):
        client.chat.completions.create(
            model="bench",
            messages=[
                {
                    "role": "user",
                    "content": [
                        {"type": "image_url", "image_url": {"url": url}},
                        {"type": "text", "text": "Where was this photo taken?"},
                    ],
                }
            ],
        )
    elapsed = time.perf_counter() - started
    client.close()
    return n / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.2)
    args = parser.parse_args()
    n = args.requests
    subsets = {1: min(n, 40), 8: min(n, 320), 32: n}

    # The server runs in its own process, like a real endpoint: its image checks and JSON work
    # must not compete with the client for this process's GIL.
    with (
        tempfile.TemporaryDirectory(prefix="geoscope-bench-") as tmp_name,
        RemoteServer(
            latency_s=args.latency, text='{"country": "France", "lat": 48.85, "lon": 2.35}'
        ) as server,
    ):
        tmp = Path(tmp_name)
        store = Store(tmp / "bench.duckdb")
        t0 = time.perf_counter()
        make_dataset(tmp / "images", store, n)
        print(
            f"dataset: {n} images in {time.perf_counter() - t0:.1f} s; server latency {args.latency * 1000:.0f} ms"
        )
        buffer = io.BytesIO()
        Image.new("RGB", (64, 48), (90, 120, 60)).save(buffer, "JPEG")
        baseline_n = 25
        baseline = sequential_baseline(server, buffer.getvalue(), baseline_n)
        print(
            f"sequential loop: {baseline:.2f} req/s over {baseline_n} requests (ideal {1 / args.latency:.2f})"
        )
        preset = ModelPreset(
            name="bench",
            adapter="openai_compat",
            model="bench",
            base_url=server.base_url,
            max_side=256,
        )
        print(
            f"{'concurrency':>11} {'requests':>8} {'seconds':>8} {'req/s':>8} {'x loop':>7} {'target':>7}  calls"
        )
        ok = True
        for concurrency, count in subsets.items():
            settings = Settings(
                db_path=tmp / "bench.duckdb",
                cache_dir=tmp / f"cache-c{concurrency}",
                models_file=tmp / "none.toml",
            )
            config = RunConfig(
                dataset="bench",
                preset=preset,
                prompt="basic",
                concurrency=concurrency,
                limit=count,
                run_name=f"c{concurrency}",
                timeout_s=30,
                retry=RetryPolicy(retries=2, base_delay_s=0.05),
            )
            calls_before = server.stats()["calls"]
            started = time.perf_counter()
            summary = run_benchmark(config, store, settings, progress=False)
            elapsed = time.perf_counter() - started
            rate = summary.attempted / elapsed
            ratio = rate / baseline
            target = 0.8 * concurrency
            ok &= ratio >= target and summary.statuses == {"ok": count}
            print(
                f"{concurrency:>11} {count:>8} {elapsed:>8.2f} {rate:>8.2f} {ratio:>6.1f}x {target:>6.1f}x  "
                f"{server.stats()['calls'] - calls_before}"
            )
        # Same 1000 questions as a new run on the warm cache of the concurrency-32 run.
        settings = Settings(
            db_path=tmp / "bench.duckdb", cache_dir=tmp / "cache-c32", models_file=tmp / "none.toml"
        )
        calls_before = server.stats()["calls"]
        started = time.perf_counter()
        again = run_benchmark(
            RunConfig(
                dataset="bench",
                preset=preset,
                prompt="basic",
                concurrency=32,
                limit=n,
                run_name="c32-again",
            ),
            store,
            settings,
            progress=False,
        )
        repeated = server.stats()["calls"] - calls_before
        ok &= repeated == 0 and again.cache_hits == n
        print(
            f"second run of {n}: {repeated} calls, {again.cache_hits} cache hits, "
            f"{time.perf_counter() - started:.2f} s"
        )
        leaked = server.stats()["images_with_metadata"]
        ok &= leaked == 0
        print(f"images with EXIF received by the server: {leaked}")
        print("PASS" if ok else "FAIL: below target")
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
