"""Settings of one fine-tuning job (frozen; validated on creation)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from analysis.errors import ConfigError

CARD_NAME = "geoscope_finetune.json"  # the card beside the weights (read by runs of the folder)
# Written first into a new output folder: marks it as ours, so --overwrite may delete it later
# even when an earlier job died before writing its card.
OUT_MARKER = ".geoscope-finetune"


@dataclass(frozen=True)
class FinetuneConfig:
    """Hyperparameters and paths of one fine-tuning job.

    Args:
        base: a local model folder or a Hugging Face id (image-text-to-text model).
        out: folder receiving the fine-tuned model, processor and card.
        epochs: passes over the training examples (ignored when ``max_steps`` is set).
        max_steps: optimizer steps to run, overriding ``epochs``; None = epochs decide.
        learning_rate: peak AdamW learning rate (linear decay, no warm-up by default).
        batch_size: examples per forward pass; ``grad_accum`` passes make one optimizer step.
        max_side: longest image side in pixels, the same the benchmark preset will use.
        freeze_vision: keep the vision tower's weights fixed (train projector + language model).
        lora: train low-rank adapters (peft) and merge them into the saved weights.
        device: "auto" (CUDA when present), "cpu" or "cuda".
        save_steps: optimizer steps between checkpoints in ``out/.trainer`` (0: none); rerunning
            the same command resumes from the last one.
    """

    base: str
    out: Path
    epochs: float = 1.0
    max_steps: int | None = None
    learning_rate: float = 2e-5
    batch_size: int = 1
    grad_accum: int = 8
    seed: int = 0
    max_side: int = 512
    warmup_ratio: float = 0.0
    weight_decay: float = 0.0
    freeze_vision: bool = False
    lora: bool = False
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.05
    gradient_checkpointing: bool = False
    device: str = "auto"
    overwrite: bool = False
    save_steps: int = 100  # checkpoint every N optimizer steps (0: none); a rerun resumes

    def __post_init__(self) -> None:
        if self.epochs <= 0:
            raise ConfigError(f"epochs must be > 0, got {self.epochs}")
        if self.max_steps is not None and self.max_steps < 1:
            raise ConfigError(f"max steps must be >= 1, got {self.max_steps}")
        if not 0 < self.learning_rate < 1:
            raise ConfigError(f"learning rate must be in (0, 1), got {self.learning_rate}")
        for name in ("batch_size", "grad_accum", "lora_r", "lora_alpha"):
            if getattr(self, name) < 1:
                raise ConfigError(
                    f"{name.replace('_', ' ')} must be >= 1, got {getattr(self, name)}"
                )
        if self.save_steps < 0:
            raise ConfigError(f"save steps must be >= 0 (0: no checkpoints), got {self.save_steps}")
        if self.max_side < 16:
            raise ConfigError(f"max side must be >= 16 pixels, got {self.max_side}")
        if not 0 <= self.warmup_ratio < 1 or not 0 <= self.lora_dropout < 1:
            raise ConfigError("warmup ratio and LoRA dropout must be in [0, 1)")
        if self.device not in ("auto", "cpu") and not self.device.startswith("cuda"):
            raise ConfigError(f"device must be auto, cpu or cuda[:N], got {self.device!r}")

    def hyperparameters(self) -> dict[str, Any]:
        """Return the settings that shape the weights (for the card), paths left out."""
        values = asdict(self)
        for key in ("base", "out", "overwrite", "device", "save_steps"):
            values.pop(key)
        if not self.lora:
            for key in ("lora_r", "lora_alpha", "lora_dropout"):
                values.pop(key)
        return values
