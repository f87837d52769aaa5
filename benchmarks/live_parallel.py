"""Live panel speed: parallel calls vs one after the other, and a cache hit vs a call.

Runs the real path (presets -> openai client -> local OpenAI-compatible server that answers after
a fixed latency) and prints ratios measured in this run. Usage::

    python -m benchmarks.live_parallel [--models 4] [--latency 0.3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from analysis.live.bind import AdapterPool, build_calls, live_prompt
from analysis.live.cache import LiveCache
from analysis.live.intake import LiveConfig, prepare_image
from analysis.live.orchestrator import run_live
from analysis.models.presets import load_presets
from tests.support.openai_server import OpenAIServer, Reply

ANSWER = 'Looks Mediterranean.\n{"country": "Italy", "lat": 43.5, "lon": 11.9}'


def _presets_file(path: Path, base_url: str, n: int) -> Path:
    tables = [
        f'[models.m{i}]\nadapter = "openai_compat"\nmodel = "bench-{i}"\nbase_url = "{base_url}"\n'
        for i in range(n)
    ]
    path.write_text("\n".join(tables), encoding="utf-8")
    return path


def main() -> None:
    """Measure and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", type=int, default=4)
    parser.add_argument("--latency", type=float, default=0.3, help="server latency per call (s)")
    args = parser.parse_args()
    photo = Path(__file__).resolve().parents[2] / "shared/data/photos/exif_gps/DSCN0010.jpg"
    with tempfile.TemporaryDirectory() as tmp, OpenAIServer(default=Reply.answer(ANSWER)) as server:
        server.latency_s = args.latency
        presets = list(
            load_presets(_presets_file(Path(tmp) / "m.toml", server.base_url, args.models)).values()
        )
        image = prepare_image(photo.read_bytes(), photo.name, LiveConfig())
        prompt = live_prompt("basic", "coords", image.model_sha256)
        pool = AdapterPool()
        try:
            list(
                run_live(
                    image.model_bytes, image.model_sha256, build_calls(presets, prompt, pool=pool)
                )
            )
            started = time.perf_counter()
            for preset in presets:  # one after the other
                list(
                    run_live(
                        image.model_bytes,
                        image.model_sha256,
                        build_calls([preset], prompt, pool=pool),
                    )
                )
            sequential = time.perf_counter() - started
            started = time.perf_counter()
            list(
                run_live(
                    image.model_bytes, image.model_sha256, build_calls(presets, prompt, pool=pool)
                )
            )
            parallel = time.perf_counter() - started
            cache = LiveCache(Path(tmp) / "cache")
            list(
                run_live(
                    image.model_bytes,
                    image.model_sha256,
                    build_calls(presets, prompt, pool=pool),
                    cache=cache,
                )
            )
            calls_before = server.calls
            started = time.perf_counter()
            list(
                run_live(
                    image.model_bytes,
                    image.model_sha256,
                    build_calls(presets, prompt, pool=pool),
                    cache=cache,
                )
            )
            cached = time.perf_counter() - started
            assert server.calls == calls_before
        finally:
            pool.close()
    print(f"{args.models} models, server latency {args.latency:.2f} s per call")
    print(
        f"one after the other: {sequential:.3f} s; in parallel: {parallel:.3f} s; "
        f"speed-up x{sequential / parallel:.1f} (ideal x{args.models})"
    )
    print(
        f"cache hit for all {args.models}: {cached * 1000:.1f} ms, "
        f"x{parallel / cached:.0f} faster than calling, 0 requests"
    )


if __name__ == "__main__":
    main()
