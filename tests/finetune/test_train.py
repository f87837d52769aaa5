"""Training really learns: the loss falls on a repeated batch and the saved weights change."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.finetune import FinetuneConfig
from analysis.finetune.data import TrainExample, TrainingData
from analysis.finetune.train import train


def _data(tmp_path: Path) -> TrainingData:
    from PIL import Image

    examples = []
    for index, answer in enumerate(['{"country": "Japan"}', '{"country": "Kenya"}']):
        Image.new("RGB", (48, 40), (220 * index, 90, 40)).save(tmp_path / f"{index}.png")
        turns = (
            {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "Where?"}]},
        )
        examples.append(TrainExample(f"s{index}", turns, (f"{index}.png",), answer))
    return TrainingData(tuple(examples), "test", (), tmp_path)


def _weights(folder: Path) -> dict[str, object]:
    from safetensors.torch import load_file

    return dict(load_file(folder / "model.safetensors"))


@pytest.mark.slow
def test_overfit_lowers_loss_and_changes_only_unfrozen_weights(
    tmp_path: Path, tiny_llava: Path
) -> None:
    import torch

    config = FinetuneConfig(
        base=str(tiny_llava),
        out=tmp_path / "out",
        max_steps=25,
        learning_rate=5e-3,
        batch_size=2,
        grad_accum=1,
        max_side=32,
        freeze_vision=True,
    )
    result = train(config, _data(tmp_path))
    losses = [entry["loss"] for entry in result.loss_history]
    assert result.steps == 25 and len(losses) == 25
    assert losses[-1] < 0.5 * losses[0]  # random init memorises two short answers
    before, after = _weights(tiny_llava), _weights(tmp_path / "out")
    assert before.keys() == after.keys()
    changed = {k for k in before if not torch.equal(before[k], after[k])}
    assert any("language_model" in k for k in changed)
    assert any("multi_modal_projector" in k for k in changed)
    assert not any("vision_tower" in k for k in changed)  # --freeze-vision held
    assert 0 < result.trainable_params < result.total_params


@pytest.mark.slow
def test_lora_is_merged_into_plain_weights(tmp_path: Path, tiny_llava: Path) -> None:
    import torch

    config = FinetuneConfig(
        base=str(tiny_llava),
        out=tmp_path / "lora",
        max_steps=4,
        learning_rate=1e-2,
        batch_size=2,
        grad_accum=1,
        max_side=32,
        lora=True,
        lora_r=4,
        lora_alpha=8,
        lora_dropout=0.0,
    )
    result = train(config, _data(tmp_path))
    before, after = _weights(tiny_llava), _weights(tmp_path / "lora")
    assert before.keys() == after.keys()  # merged: no lora_A / lora_B tensors left behind
    changed = {k for k in before if not torch.equal(before[k], after[k])}
    assert changed and all("language_model" in k and "proj" in k for k in changed)
    assert result.trainable_params < result.total_params / 5
