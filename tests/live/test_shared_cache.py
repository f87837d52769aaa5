"""The live panel and benchmark runs share one response cache: an answer is paid for once.

Real photos from ../shared/data/photos, a real local OpenAI-compatible server, the real runner
and the real live path (presets -> adapter pool -> orchestrator). The dataset is stored without
image hashes (as a manifest without them imports), the harder case for matching keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from analysis.config import Settings
from analysis.live.bind import AdapterPool, build_calls, live_prompt
from analysis.live.cache import LiveCache
from analysis.live.intake import LiveConfig, prepare_image
from analysis.live.orchestrator import run_live
from analysis.live.results import CallState, LiveResult
from analysis.models.presets import ModelPreset, load_presets
from analysis.runner import RetryPolicy, RunConfig, RunSummary, run_benchmark
from analysis.store import DatasetMeta, Store
from tests.support.fixtures import openai_server  # noqa: F401 - pytest fixture
from tests.support.openai_server import OpenAIServer, Reply
from tests.support.presets import write_presets

PHOTOS = ("DSCN0010.jpg", "DSCN0021.jpg")


@pytest.fixture
def pool() -> Iterator[AdapterPool]:
    adapters = AdapterPool()
    yield adapters
    adapters.close()


def _store_photo(store: Store, dataset: str, path: Path) -> None:
    frame = pd.DataFrame(
        {
            "sample_id": [path.stem],
            "true_lat": [43.47],
            "true_lon": [11.89],
            "true_country": ["ITA"],
            "split": ["test"],
            "image_path": [str(path)],  # read in place; no image_sha256 stored
        }
    )
    store.ingest_samples(DatasetMeta(name=dataset, kind="photos"), frame)


def _benchmark(store: Store, dataset: str, preset: ModelPreset, settings: Settings) -> RunSummary:
    config = RunConfig(
        dataset=dataset, preset=preset, prompt="basic", form="coords", concurrency=1,
        timeout_s=20, retry=RetryPolicy(retries=0),
    )  # fmt: skip
    return run_benchmark(config, store, settings, progress=False)


def _live(path: Path, preset: ModelPreset, settings: Settings, pool: AdapterPool) -> LiveResult:
    image = prepare_image(path.read_bytes(), path.name, LiveConfig())
    prompt = live_prompt("basic", "coords", image.original_sha256)
    calls = build_calls([preset], prompt, pool=pool)
    cache = LiveCache(settings.cache_dir)
    [result] = run_live(image.data, image.original_sha256, calls, timeout_s=20, cache=cache)
    return result


def test_live_reuses_a_benchmark_answer_and_a_benchmark_reuses_a_live_one(
    openai_server: OpenAIServer,  # noqa: F811
    pool: AdapterPool,
    shared_data: Path,
    tmp_path: Path,
) -> None:
    openai_server.default = Reply.answer('Tuscany.\n{"country": "Italy", "lat": 43.5, "lon": 11.9}')
    preset = load_presets(write_presets(tmp_path / "models.toml", openai_server.base_url))[
        "local-free"
    ]
    settings = Settings(db_path=tmp_path / "db.duckdb", cache_dir=tmp_path / "cache")
    store = Store(settings.db_path)
    first, second = (shared_data / "photos" / "exif_gps" / name for name in PHOTOS)

    # benchmark first, then the same photo, preset and prompt live: no call, the same answer
    _store_photo(store, "first", first)
    summary = _benchmark(store, "first", preset, settings)
    assert (summary.calls, summary.answered) == (1, 1) and openai_server.calls == 1
    live = _live(first, preset, settings, pool)
    assert live.state == CallState.CACHED and openai_server.calls == 1
    stored = store.run_frame("first:local-free:basic:coords", with_raw=True)
    assert live.raw_text == stored["raw_response"].iloc[0]
    assert (live.country_iso3, live.lat, live.lon) == ("ITA", 43.5, 11.9)

    # live first, then a benchmark of the same photo: answered from the cache
    live = _live(second, preset, settings, pool)
    assert live.state == CallState.DONE and openai_server.calls == 2
    _store_photo(store, "second", second)
    summary = _benchmark(store, "second", preset, settings)
    assert (summary.calls, summary.cache_hits, summary.answered) == (0, 1, 1)
    assert openai_server.calls == 2
    stored = store.run_frame("second:local-free:basic:coords", with_raw=True)
    assert stored["raw_response"].iloc[0] == live.raw_text
    # the photo reached the server only as a resized JPEG without EXIF, from either path
    assert openai_server.images_with_metadata == 0
