"""The image + description mode end to end with the tiny offline LLaVA (real transformers path)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.config import Settings
from analysis.models.presets import load_presets
from analysis.runner import RunConfig, run_benchmark
from analysis.store import Store
from analysis.store.descriptions import load_descriptions
from tests.support.datasets import ingest, make_samples


@pytest.mark.slow
def test_tiny_vlm_describes_then_answers_with_image_and_description(
    tmp_path: Path, tiny_llava: Path
) -> None:
    samples = make_samples(tmp_path / "images", 4)
    store = Store(tmp_path / "db.duckdb")
    ingest(store, "syn", samples)
    # two presets of one folder: a captioner (short, its own generation settings) and a locator
    (tmp_path / "models.toml").write_text(
        f"""
[models.tiny]
adapter = "hf_local"
model = "{tiny_llava}"
max_side = 64
params = {{ max_tokens = 10 }}

[models.tiny-captioner]
adapter = "hf_local"
model = "{tiny_llava}"
max_side = 64
params = {{ max_tokens = 40 }}
"""
    )
    presets = load_presets(tmp_path / "models.toml")
    settings = Settings(
        db_path=tmp_path / "db.duckdb", cache_dir=tmp_path / "cache",
        models_file=tmp_path / "models.toml",
    )  # fmt: skip
    config = RunConfig(
        dataset="syn", preset=presets["tiny"], prompt="must", mode="image+description",
        describer=presets["tiny-captioner"], concurrency=2, timeout_s=120,
    )  # fmt: skip
    summary = run_benchmark(config, store, settings, progress=False)
    assert summary.describe_calls == 4 and summary.described == 4 and summary.calls == 4
    params = json.loads(store.run_info(config.name)["params_json"])
    stored = load_descriptions(store, "syn", params["describer"]["key"], params["describe_hash"])
    assert sorted(stored) == [s.sample_id for s in samples]
    assert all(text.strip() for text in stored.values())
    frame = store.run_frame(config.name, with_raw=True)
    assert len(frame) == 4 and "api_error" not in set(frame["status"])
    # The locator read more tokens than the image and question alone: the description came too.
    plain = RunConfig(dataset="syn", preset=presets["tiny"], prompt="must", timeout_s=120)
    run_benchmark(plain, store, settings, progress=False)
    with_text = frame.set_index("sample_id")["input_tokens"]
    without = store.run_frame(plain.name, with_raw=True).set_index("sample_id")["input_tokens"]
    assert (with_text > without).all()
    again = run_benchmark(config, store, settings, progress=False)
    assert again.describe_calls == 0 and again.calls == 0 and again.complete
