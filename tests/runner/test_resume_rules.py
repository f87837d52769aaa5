"""Resuming a run is refused when it would mix experiments: other weights, split or headings."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import pytest

from analysis.config import Settings
from analysis.errors import ConfigError
from analysis.models.cache import response_key
from analysis.models.presets import ModelPreset
from analysis.runner import RetryPolicy, RunConfig, run_benchmark
from analysis.store import Store
from tests.support.datasets import ingest, make_samples
from tests.support.openai_server import OpenAIServer


def _rewrite(path: Path, text: str) -> None:
    before = path.stat().st_mtime_ns
    path.write_text(text)
    while path.stat().st_mtime_ns == before:  # coarse clocks: make the change visible
        time.sleep(0.01)
        os.utime(path)


def test_local_revision_follows_the_weights_and_ignores_hub_ids(tmp_path: Path) -> None:
    folder = tmp_path / "ft-model"
    folder.mkdir()
    (folder / "model.safetensors").write_text("weights v1")
    local = ModelPreset(name="ft", adapter="hf_local", model=str(folder))
    first = local.local_revision()
    assert first is not None and local.identity()["revision"] == first
    key = response_key(local, "prompt-hash", ["img"])
    _rewrite(folder / "model.safetensors", "weights v2, retrained")
    assert local.local_revision() != first
    assert response_key(local, "prompt-hash", ["img"]) != key  # no stale cached answers
    second = local.local_revision()
    (folder / ".geoscope-finetune").write_text("marker")  # hidden files are not weights
    assert local.local_revision() == second
    hub = ModelPreset(name="hub", adapter="hf_local", model="HuggingFaceTB/SmolVLM-256M-Instruct")
    assert hub.local_revision() is None and "revision" not in hub.identity()


def test_resume_refuses_other_weights_split_or_headings(
    tmp_path: Path, openai_server: OpenAIServer
) -> None:
    samples = make_samples(tmp_path / "images", 4)  # split "test"
    store = Store(tmp_path / "db.duckdb")
    ingest(store, "syn", samples)
    folder = tmp_path / "weights"
    folder.mkdir()
    (folder / "model.bin").write_text("v1")
    # an OpenAI-compatible server whose "model" is a local folder (as a local vLLM could be)
    preset = ModelPreset(name="m", adapter="openai_compat", model=str(folder),
                         base_url=openai_server.base_url)  # fmt: skip
    settings = Settings(db_path=tmp_path / "db.duckdb", cache_dir=tmp_path / "cache")
    config = RunConfig(dataset="syn", preset=preset, form="coords", concurrency=2,
                       timeout_s=5, retry=RetryPolicy(retries=0))  # fmt: skip
    run_benchmark(config, store, settings, progress=False)
    assert run_benchmark(config, store, settings, progress=False).attempted == 0  # resumes

    with pytest.raises(ConfigError, match=r"--split: stored None, now 'test'"):
        run_benchmark(replace(config, split="test"), store, settings, progress=False)
    with pytest.raises(ConfigError, match=r"--heading: stored None, now \[0\]"):
        run_benchmark(replace(config, headings=(0,)), store, settings, progress=False)

    calls = openai_server.calls
    _rewrite(folder / "model.bin", "v2 retrained")
    with pytest.raises(ConfigError, match="weights in the model folder"):
        run_benchmark(config, store, settings, progress=False)
    fresh = run_benchmark(replace(config, run_name="v2"), store, settings, progress=False)
    assert fresh.attempted == 4 and fresh.cache_hits == 0  # the new weights are really asked
    assert openai_server.calls == calls + 4
