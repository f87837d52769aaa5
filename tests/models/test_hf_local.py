"""hf_local adapter with a tiny random LLaVA built offline: the real transformers path."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from analysis.errors import ModelUnavailableError
from analysis.images import image_sha256
from analysis.models import create_adapter
from analysis.models.base import ImageInput, ModelResponse
from analysis.models.common import single_turn
from analysis.models.hf_local import HFLocalAdapter
from analysis.models.presets import ModelPreset, preset_status


def _images(shared_data: Path, n: int) -> list[ImageInput]:
    files = sorted((shared_data / "photos" / "osv5m").glob("*.jpg"))[:n]
    return [ImageInput(f.read_bytes(), image_sha256(f.read_bytes()), f.name) for f in files]


@pytest.mark.slow
def test_batched_generation_on_cpu(tiny_llava: Path, shared_data: Path) -> None:
    preset = ModelPreset(
        name="tiny",
        adapter="hf_local",
        model=str(tiny_llava),
        max_side=64,
        params={"max_tokens": 6},
        options={"batch_size": 4, "batch_wait_ms": 200},
    )
    adapter = create_adapter(preset)
    images = _images(shared_data, 4)

    async def go() -> list[ModelResponse]:
        await adapter.start()
        turns = single_turn("Where was this photo taken?", system="Answer with JSON.")
        results = await asyncio.gather(*(adapter.complete(turns, [image]) for image in images))
        await adapter.aclose()
        return results

    responses = asyncio.run(go())
    assert len(responses) == 4
    assert isinstance(adapter, HFLocalAdapter)
    assert adapter.device == "cpu"
    assert adapter.batches_run == 1  # four concurrent calls, one generate()
    for response in responses:
        assert isinstance(response.text, str)
        assert 0 < (response.output_tokens or 0) <= 6
        assert (response.input_tokens or 0) > 10  # chat template + image tokens
        assert response.raw is not None and response.raw["batch_size"] == 4
    assert adapter.cost_usd(100, 10) == 0.0


def test_missing_folder_is_unavailable(tmp_path: Path) -> None:
    preset = ModelPreset(name="gone", adapter="hf_local", model=str(tmp_path / "no-such-model"))
    status = preset_status(preset)
    assert not status.available and "not found" in status.reason
    with pytest.raises(ModelUnavailableError, match="not found"):
        create_adapter(preset)
