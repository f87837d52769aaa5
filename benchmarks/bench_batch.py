"""A sweep of N images x 3 prompt strategies with and without --batch: cost and HTTP requests.

Measures, in one process, against the local batch server (tests/support/batch_server.py: the
OpenAI chat-completions, files and batches endpoints), the same sweep two ways, each with its
own empty response cache:
  * synchronous: one chat-completion request per image and prompt;
  * --batch: request files uploaded, batches created, polled and their output downloaded.
It prints the HTTP requests each path made and what the answers cost at a priced preset's
prices (the server reports usage: prompt words + 85 tokens per image), then, for every paid
preset of models.toml, the dry run's worst-case cost of the same sweep at its price and at its
batch price.

Run: python benchmarks/bench_batch.py [--images 1000] [--prompts basic,must,tips]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.batch.cycle import BatchOptions, run_batch  # noqa: E402
from analysis.config import Settings  # noqa: E402
from analysis.models.cost import max_call_cost_usd  # noqa: E402
from analysis.models.presets import get_preset, load_presets  # noqa: E402
from analysis.prompts import get_prompt  # noqa: E402
from analysis.runner import RunConfig, run_benchmark  # noqa: E402
from analysis.store import Store  # noqa: E402
from tests.support.batch_server import BatchServer  # noqa: E402
from tests.support.datasets import ingest, make_samples  # noqa: E402

PRESET = """
[models.bench]
adapter = "openai_compat"
model = "bench-vlm"
base_url = "{base_url}"
batch_api = "openai"
price_in_per_mtok = 2.5
price_out_per_mtok = 10.0
batch_discount = 0.5
max_side = 512
params = {{ temperature = 0.0, max_tokens = 400 }}
"""


def _settings(folder: Path, models: Path, name: str) -> Settings:
    os.environ["GEOSCOPE_CACHE"] = str(folder / f"cache-{name}")  # an empty cache per path
    return Settings.from_env(db=folder / "db.duckdb", models=str(models))


def measure(folder: Path, n_images: int, prompts: list[str]) -> None:
    """Run the sweep both ways against the local server and print what each cost."""
    samples = make_samples(folder / "images", n_images)
    store = Store(folder / "db.duckdb")
    ingest(store, "bench", samples)
    with BatchServer() as server:
        models = folder / "models.toml"
        models.write_text(PRESET.format(base_url=server.base_url), encoding="utf-8")
        preset = get_preset("bench", models)
        figures: dict[str, tuple[int, float, float]] = {}
        settings = _settings(folder, models, "sync")
        started = time.perf_counter()
        for prompt in prompts:
            config = RunConfig(dataset="bench", preset=preset, prompt=prompt,
                               run_name=f"sync-{prompt}", concurrency=32)  # fmt: skip
            run_benchmark(config, store, settings, progress=False)
        cost = sum(store.run_frame(f"sync-{p}")["cost_usd"].sum() for p in prompts)
        figures["synchronous"] = (server.calls, cost, time.perf_counter() - started)

        settings = _settings(folder, models, "batch")
        started = time.perf_counter()
        http = 0
        for prompt in prompts:
            config = RunConfig(dataset="bench", preset=preset, prompt=prompt,
                               run_name=f"batch-{prompt}")  # fmt: skip
            http += run_batch(config, store, settings, BatchOptions(poll_s=0.01)).http_requests
        cost = sum(store.run_frame(f"batch-{p}")["cost_usd"].sum() for p in prompts)
        figures["--batch"] = (http, cost, time.perf_counter() - started)
    cells = n_images * len(prompts)
    print(f"sweep: {n_images} images x {len(prompts)} prompts = {cells} answers, measured")
    print(f"{'path':<12} {'HTTP requests':>14} {'cost USD':>10} {'wall s':>8}")
    for path, (requests, cost, wall_s) in figures.items():
        print(f"{path:<12} {requests:>14} {cost:>10.4f} {wall_s:>8.1f}")
    sync, batch = figures["synchronous"], figures["--batch"]
    print(f"ratio batch/sync: cost {batch[1] / sync[1]:.2f}, HTTP requests "
          f"{batch[0] / sync[0]:.4f}")  # fmt: skip


def presets_table(n_images: int, prompts: list[str]) -> None:
    """Print the dry run's worst case of the sweep at each paid preset's two prices."""
    chars = {p: len(get_prompt(p).template_text("country")) for p in prompts}
    print(f"\nworst case of {n_images} images x {len(prompts)} prompts (the dry run's figure):")
    print(f"{'preset':<28} {'sync USD':>10} {'--batch USD':>12}")
    for name, preset in load_presets(ROOT / "models.toml").items():
        if not preset.is_paid:
            continue
        sync = sum(max_call_cost_usd(preset, chars[p], 1) for p in prompts) * n_images
        batch_preset = preset.at_batch_prices()
        batch = sum(max_call_cost_usd(batch_preset, chars[p], 1) for p in prompts) * n_images
        print(f"{name:<28} {sync:>10.2f} {batch:>12.2f}")


def main() -> None:
    """Parse options, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--prompts", default="basic,must,tips")
    args = parser.parse_args()
    prompts = [p for p in args.prompts.split(",") if p]
    with tempfile.TemporaryDirectory() as tmp:
        measure(Path(tmp), args.images, prompts)
    presets_table(args.images, prompts)


if __name__ == "__main__":
    main()
