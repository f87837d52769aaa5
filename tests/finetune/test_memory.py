"""The memory estimate against figures worked out by hand, and the table in docs/finetune.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.errors import ConfigError
from analysis.finetune.memory import (
    default_shape,
    estimate_memory,
    estimate_memory_gb,
    memory_table_markdown,
)

GIB = 2**30
DOCS = Path(__file__).resolve().parents[2] / "docs" / "finetune.md"


def test_full_finetuning_of_a_7b_model_by_hand() -> None:
    estimate = estimate_memory(7.0, hidden=4096, layers=32, vocab=32_000)
    # 16 B/param: fp32 weights 28e9 + fp32 gradients 28e9 + AdamW moments 56e9
    assert (estimate.weights, estimate.gradients, estimate.optimizer) == (28e9, 28e9, 56e9)
    assert estimate.activations == 34 * 1024 * 4096 * 32  # 4,563,402,752 B at bf16
    assert estimate.logits == 8 * 1024 * 32_000  # fp32 logits + their gradient
    expected = (112e9 + 4_563_402_752 + 262_144_000) / GIB + 1.0  # + CUDA context
    assert estimate.total_gib == pytest.approx(expected) == pytest.approx(109.8023, abs=1e-4)
    ddp = estimate_memory(7.0, hidden=4096, layers=32, vocab=32_000, ddp=True)
    assert ddp.total_gib - estimate.total_gib == pytest.approx(28e9 / GIB)  # fp32 buckets


def test_lora_of_a_7b_model_by_hand() -> None:
    estimate = estimate_memory(7.0, lora=True, hidden=4096, layers=32, vocab=32_000)
    lora_params = 23 * 16 * 4096 * 32  # 48,234,496 LoRA parameters at r=16
    assert estimate.weights == 14e9 + 4 * lora_params  # bf16 frozen base + fp32 LoRA
    assert estimate.optimizer == 8 * lora_params
    assert estimate.total_gib == pytest.approx(19_597_298_688 / GIB + 1.0)
    fp32 = estimate_memory(7.0, lora=True, dtype="float32", hidden=4096, layers=32)
    assert fp32.activations == 2 * estimate.activations and fp32.weights > estimate.weights


def test_default_shape_and_short_form() -> None:
    assert default_shape(7.0) == (4211, 33)  # LLaMA-7B is 4096 x 32
    assert estimate_memory_gb(7.0) == pytest.approx(estimate_memory(7.0).total_gib)
    assert estimate_memory_gb(2.0, lora=True) < estimate_memory_gb(2.0) / 3
    assert estimate_memory_gb(2.0, batch=4) > estimate_memory_gb(2.0, batch=1)
    with pytest.raises(ConfigError, match="dtype"):
        estimate_memory(2.0, dtype="int8")
    with pytest.raises(ConfigError):
        estimate_memory(0.0)


def test_docs_show_the_computed_table() -> None:
    assert memory_table_markdown() in DOCS.read_text(encoding="utf-8")
