"""The card saved beside a fine-tuned model (``geoscope_finetune.json``) and its preset snippet.

The card records what the weights were trained on and how, so a benchmark run of the model can
be traced back to its training split. It holds no secrets: no environment, no tokens, no keys.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis.finetune.config import CARD_NAME, FinetuneConfig
from analysis.finetune.data import TrainingData
from analysis.finetune.train import FinetuneResult

CARD_VERSION = 2  # 2: lineage, leakage, resumed_from_step, accelerate + peft versions


def preset_name_for(out: Path) -> str:
    """Return a models.toml-safe preset name derived from the output folder's name."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", out.resolve().name).strip("-._")
    return f"ft-{name}" if name else "ft-model"


def preset_snippet(name: str, out: Path, max_side: int, description: str = "") -> str:
    """Return a ``[models.NAME]`` table for models.toml that loads ``out`` with hf_local."""
    path = json.dumps(str(out.resolve()))  # a JSON string is a valid TOML basic string
    lines = [
        f'[models."{name}"]',
        'adapter = "hf_local"',
        f"model = {path}",
        f"max_side = {int(max_side)}",
        "params = { max_tokens = 300 }",
    ]
    if description:
        lines.append(f"description = {json.dumps(description)}")
    return "\n".join(lines) + "\n"


PRESET_FILE = "geoscope_models.toml"  # the preset, ready for --models, beside the weights


def follow_up_command(
    dataset: str, name: str, prompt: str, form: str, models: str = "models.toml"
) -> str:
    """Return the command that benchmarks the fine-tuned preset on the test split."""
    return (
        f"python -m analysis run --dataset {dataset} --model {name} --models {models} "
        f"--prompt {prompt} --form {form} --split test"
    )


def evaluation_run_name(dataset: str, preset: str, prompt: str, form: str, created_at: str) -> str:
    """Return the run name ``--evaluate`` uses: the default name + ``@`` + the training's UTC time.

    Unique per training, so retraining into the same folder never resumes (and never reuses the
    answers of) the evaluation of the previous weights.
    """
    stamp = datetime.fromisoformat(created_at).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{dataset}:{preset}:{prompt}:{form}@{stamp}"


def write_preset_file(out: Path, card: dict[str, Any]) -> Path:
    """Write the card's preset as ``out/geoscope_models.toml`` (usable as ``--models``)."""
    path = out / PRESET_FILE
    header = f"# GeoScope preset for the model fine-tuned into this folder ({out.resolve()})\n"
    path.write_text(header + str(card["preset_toml"]), encoding="utf-8")
    return path


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


def build_card(
    config: FinetuneConfig,
    data: TrainingData,
    result: FinetuneResult,
    *,
    dataset: str | None,
    split: str | None,
    prompt: str | None,
    form: str | None,
    preset_name: str,
    evaluate: str | None = None,
    lineage: dict[str, Any] | None = None,
    leakage: dict[str, Any] | None = None,
    created_at: str | None = None,
) -> dict[str, Any]:
    """Return the card as a JSON-able dict (with ``evaluation_run`` when ``evaluate`` is set).

    ``lineage``: the sources with their sample counts and the sample list's hash; ``leakage``:
    what the guard found between the training samples and the ``evaluate`` split.
    """
    import torch
    import transformers

    trained_on = data.source.removeprefix("store:") if dataset else data.source
    description = f"{config.base} fine-tuned on {trained_on}"
    texts = data.prompt_texts()
    created_at = created_at or datetime.now(UTC).isoformat(timespec="seconds")
    card: dict[str, Any] = {
        "card_version": CARD_VERSION,
        "created_at": created_at,
        "base_model": config.base,
        "dataset": dataset,
        "split": split,
        "source": data.source,
        "n_samples": result.n_examples,
        "skipped_samples": list(data.skipped),
        "lineage": lineage,
        "training_samples_sha256": (lineage or {}).get("samples_sha256"),
        "prompt": {
            "strategy": prompt,
            "form": form,
            "hash": data.prompt_hash(),
            "n_distinct": len(texts),
            "text": texts[0] if texts else "",
        },
        "method": "lora-merged" if config.lora else "full",
        "hyperparameters": config.hyperparameters(),
        "trainer": "transformers.Trainer",
        "device": result.device,
        "dtype": result.dtype,
        "trainable_params": result.trainable_params,
        "total_params": result.total_params,
        "steps": result.steps,
        "train_loss": result.train_loss,
        "loss_history": [dict(entry) for entry in result.loss_history],
        "train_seconds": round(result.seconds, 3),  # this process's share, when resumed
        "resumed_from_step": result.resumed_from_step,
        "versions": {
            "python": sys.version.split()[0],
            "torch": str(torch.__version__),
            "transformers": str(transformers.__version__),
            "accelerate": _version("accelerate"),
            "peft": _version("peft"),
        },
        "preset_name": preset_name,
        "preset_toml": preset_snippet(preset_name, config.out, config.max_side, description),
        "follow_up": follow_up_command(
            dataset or "DATASET",
            preset_name,
            prompt or "basic",
            form or "coords",
            models=str(config.out.resolve() / PRESET_FILE),
        ),
    }
    if evaluate is not None:
        card["evaluation_split"] = evaluate
        card["leakage"] = leakage
        card["evaluation_run"] = evaluation_run_name(
            dataset or "DATASET", preset_name, prompt or "basic", form or "coords", created_at
        )
    return card


def write_card(out: Path, card: dict[str, Any]) -> Path:
    """Write the card as indented JSON into ``out`` and return its path."""
    path = out / CARD_NAME
    path.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
