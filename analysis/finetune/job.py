"""One fine-tuning job end to end: train, save, write the card, say how to benchmark it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis.finetune import distributed
from analysis.finetune.card import (
    PRESET_FILE,
    build_card,
    follow_up_command,
    preset_name_for,
    preset_snippet,
    write_card,
    write_preset_file,
)
from analysis.finetune.checkpoints import job_fingerprint
from analysis.finetune.config import CARD_NAME, FinetuneConfig
from analysis.finetune.data import TrainingData
from analysis.finetune.lineage import SampleKey, lineage, write_samples
from analysis.finetune.sources import training_keys
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
    is_main: bool = True  # False in torchrun's other processes: they wrote nothing


def _source_counts(data: TrainingData, keys: Sequence[SampleKey]) -> list[tuple[str, int]]:
    if not data.samples:
        return [(data.source, len(keys))]
    counts = Counter("/".join(filter(None, (k.dataset, k.split))) for k in keys)
    return list(counts.items())


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
    leakage: dict[str, Any] | None = None,
    on_log: Callable[[dict[str, float]], None] | None = None,
) -> FinetuneOutcome:
    """Train ``config.base`` on ``data``, save it into ``config.out`` with its card.

    ``evaluate`` names the split the caller will benchmark on; the card then records the run
    name to use (``evaluation_run``) and ``leakage``, the guard's finding for that split. A
    rerun of an interrupted job resumes from its last checkpoint. Under torchrun every process
    trains and only rank 0 writes; the training time (and so the run name) is rank 0's.
    """
    keys = training_keys(data)
    trained = lineage(_source_counts(data, keys), keys)
    fingerprint = job_fingerprint(
        config.base, config.hyperparameters(), str(trained["samples_sha256"]), data.prompt_hash()
    )
    result = train(config, data, on_log=on_log, fingerprint=fingerprint)
    created_at = distributed.share(datetime.now(UTC).isoformat(timespec="seconds"))
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
        lineage=trained,
        leakage=leakage,
        created_at=created_at,
    )
    main = distributed.is_main()
    if main:
        write_samples(config.out, keys)
        path = write_card(config.out, card)
        presets = write_preset_file(config.out, card)
    else:
        path, presets = config.out / CARD_NAME, config.out / PRESET_FILE
    return FinetuneOutcome(
        result=result,
        card_path=path,
        preset_path=presets,
        card=card,
        preset_name=name,
        preset_toml=str(card["preset_toml"]),
        follow_up=str(card["follow_up"]),
        evaluation_run=card.get("evaluation_run"),
        is_main=main,
    )


__all__ = ["FinetuneOutcome", "finetune", "follow_up_command", "preset_snippet"]
