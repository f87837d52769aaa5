"""One fine-tuning job end to end: train, save, write the card, say how to benchmark it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.finetune.card import (
    build_card,
    follow_up_command,
    preset_name_for,
    preset_snippet,
    write_card,
    write_preset_file,
)
from analysis.finetune.config import FinetuneConfig
from analysis.finetune.data import TrainingData
from analysis.finetune.train import FinetuneResult, train


@dataclass(frozen=True)
class FinetuneOutcome:
    """The trained folder, its card, and the preset snippet + command to benchmark it."""

    result: FinetuneResult
    card_path: Path
    preset_path: Path  # the preset alone, ready for ``run --models``
    card: dict[str, Any]
    preset_name: str
    preset_toml: str
    follow_up: str
    evaluation_run: str | None = None  # the run name ``--evaluate`` benchmarks under


def finetune(
    config: FinetuneConfig,
    data: TrainingData,
    *,
    dataset: str | None = None,
    split: str | None = None,
    prompt: str | None = None,
    form: str | None = None,
    preset_name: str | None = None,
    evaluate: str | None = None,
    on_log: Callable[[dict[str, float]], None] | None = None,
) -> FinetuneOutcome:
    """Train ``config.base`` on ``data``, save it into ``config.out`` with its card.

    ``evaluate`` names the split the caller will benchmark on; the card then records the run
    name to use (``evaluation_run``).
    """
    result = train(config, data, on_log=on_log)
    name = preset_name or preset_name_for(config.out)
    card = build_card(
        config,
        data,
        result,
        dataset=dataset,
        split=split,
        prompt=prompt,
        form=form,
        preset_name=name,
        evaluate=evaluate,
    )
    path = write_card(config.out, card)
    presets = write_preset_file(config.out, card)
    return FinetuneOutcome(
        result=result,
        card_path=path,
        preset_path=presets,
        card=card,
        preset_name=name,
        preset_toml=str(card["preset_toml"]),
        follow_up=str(card["follow_up"]),
        evaluation_run=card.get("evaluation_run"),
    )


__all__ = ["FinetuneOutcome", "finetune", "follow_up_command", "preset_snippet"]
