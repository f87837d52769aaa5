"""Fine-tune an image-text-to-text model with the transformers ``Trainer`` and save it.

torch, transformers and peft are imported inside functions only.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.errors import ConfigError, ModelUnavailableError
from analysis.finetune import distributed
from analysis.finetune.checkpoints import (
    Checkpoint,
    check_resumable,
    history_from_state,
    last_checkpoint,
    write_fingerprint,
)
from analysis.finetune.config import CARD_NAME, OUT_MARKER, FinetuneConfig
from analysis.finetune.data import TrainExample, TrainingData, load_training_image

VISION_MARKERS = ("vision_tower", "vision_model", "visual", "image_encoder", "vision_encoder")
LORA_TARGETS = frozenset(
    {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"}
)


@dataclass(frozen=True)
class FinetuneResult:
    """What a finished job produced: where, how many steps, and the loss curve."""

    out: Path
    n_examples: int
    steps: int
    loss_history: tuple[dict[str, float], ...]  # {"step", "epoch", "loss"} per logged step
    train_loss: float | None
    seconds: float
    device: str
    dtype: str
    trainable_params: int
    total_params: int
    resumed_from_step: int | None = None  # the checkpoint this run continued, if any
    extra: dict[str, Any] = field(default_factory=dict)


WORK_DIR = ".trainer"  # the Trainer's output_dir inside --out: checkpoints until the job ends
# What a job of ours that died before saving leaves behind: safe to reuse without --overwrite.
LEFTOVERS = frozenset({OUT_MARKER, WORK_DIR})


def _only_leftovers(out: Path) -> bool:
    names = {child.name for child in out.iterdir()}
    return bool(names) and names <= LEFTOVERS and OUT_MARKER in names


def check_out_dir(out: Path, overwrite: bool) -> str | None:
    """Raise ConfigError when ``out`` cannot receive a new model; return a note when reused.

    A non-empty folder needs ``overwrite``, and even then only a folder this command made (its
    marker or card is there) is replaced: a mistyped ``--out`` never deletes someone's files.
    A folder holding only our marker and training leftovers (no card: an earlier job of ours
    failed before saving) is reused without ``overwrite``.
    """
    if out.exists() and not out.is_dir():
        raise ConfigError(f"output path {out} exists and is not a folder")
    if not out.is_dir() or not any(out.iterdir()):
        return None
    if _only_leftovers(out):
        checkpoint = last_checkpoint(out / WORK_DIR)
        if checkpoint is not None and not overwrite:
            return f"resuming the job in {out} from its checkpoint at step {checkpoint.step}"
        return f"reusing {out}: it holds only the leftovers of an earlier finetune that failed"
    if not overwrite:
        raise ConfigError(
            f"output folder {out} is not empty; choose another --out or pass --overwrite"
        )
    if not ((out / OUT_MARKER).exists() or (out / CARD_NAME).exists()):
        raise ConfigError(
            f"output folder {out} is not empty and was not made by `python -m analysis "
            "finetune` (no fine-tuning card in it): --overwrite only replaces an earlier "
            "fine-tuning output; choose another --out"
        )
    return None


def prepare_out_dir(out: Path, overwrite: bool, fingerprint: dict[str, Any] | None = None) -> None:
    """Check ``out`` (see ``check_out_dir``), empty it if allowed, and mark it as ours.

    Checkpoints an interrupted run of the same job left (same ``fingerprint``) are kept, so
    training resumes from them; ``overwrite`` starts over instead.
    """
    check_out_dir(out, overwrite)
    work = out / WORK_DIR
    if out.is_dir() and any(out.iterdir()):
        if not overwrite and _only_leftovers(out) and last_checkpoint(work) is not None:
            if fingerprint is not None:
                check_resumable(work, fingerprint)
            return
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / OUT_MARKER).write_text("written by python -m analysis finetune\n", encoding="utf-8")
    if fingerprint is not None:
        write_fingerprint(work, fingerprint)


def _clean_failed(out: Path, was_new: bool) -> None:
    # Best effort: a new folder goes entirely; a reused one keeps only our marker, so the
    # corrected command runs without --overwrite. Checkpoints are kept: the rerun resumes.
    if last_checkpoint(out / WORK_DIR) is not None:
        return
    if was_new:
        shutil.rmtree(out, ignore_errors=True)
    else:
        shutil.rmtree(out / WORK_DIR, ignore_errors=True)


def _looks_like_path(source: str) -> bool:
    return source.startswith((".", "/", "~")) or source.count("/") > 1


def load_base(base: str, dtype: str = "float32") -> tuple[Any, Any]:
    """Load (model, processor) from a folder or the HF cache; typed errors on failure."""
    import torch
    from transformers import AutoModelForImageTextToText, AutoProcessor

    path = Path(os.path.expanduser(base))
    if path.exists():
        source, local_only = str(path), True
    elif _looks_like_path(base):
        raise ModelUnavailableError(f"base model folder {base} not found")
    else:
        source, local_only = base, os.environ.get("HF_HUB_OFFLINE") == "1"
    try:
        processor: Any = AutoProcessor.from_pretrained(source, local_files_only=local_only)
        model: Any = AutoModelForImageTextToText.from_pretrained(
            source, dtype=getattr(torch, dtype), local_files_only=local_only
        )
    except ValueError as exc:
        raise ModelUnavailableError(
            f"{base!r} cannot be fine-tuned here: it is not an image-text-to-text model "
            f"that AutoModelForImageTextToText can load ({str(exc).splitlines()[0]})"
        ) from None
    except OSError as exc:
        raise ModelUnavailableError(
            f"cannot load base model {base!r}: {str(exc).splitlines()[0]}"
        ) from None
    if not callable(getattr(processor, "apply_chat_template", None)) or not getattr(
        processor, "chat_template", None
    ):
        raise ModelUnavailableError(
            f"{base!r} has no chat template in its processor; GeoScope needs one to build prompts"
        )
    return model, processor


def freeze_vision_tower(model: Any) -> int:
    """Stop gradients to the vision encoder's weights; return how many tensors were frozen."""
    frozen = 0
    for name, parameter in model.named_parameters():
        if any(marker in name for marker in VISION_MARKERS):
            parameter.requires_grad_(False)
            frozen += 1
    if frozen == 0:
        raise ConfigError("--freeze-vision: no vision-tower weights found in this model")
    return frozen


def add_lora(model: Any, config: FinetuneConfig) -> Any:
    """Wrap the language model's attention and MLP projections with LoRA adapters (peft)."""
    try:
        from peft import LoraConfig, get_peft_model
    except ImportError:
        raise ConfigError("--lora needs the peft package (pip install peft)") from None
    import torch

    targets = [
        name
        for name, module in model.named_modules()
        if isinstance(module, torch.nn.Linear)
        and name.rsplit(".", 1)[-1] in LORA_TARGETS
        and not any(marker in name for marker in VISION_MARKERS)
    ]
    if not targets:
        raise ConfigError("--lora: no attention/MLP projections found in the language model")
    lora = LoraConfig(
        r=config.lora_r,
        lora_alpha=config.lora_alpha,
        lora_dropout=config.lora_dropout,
        target_modules=targets,
        bias="none",
    )
    return get_peft_model(model, lora)


class _ExampleDataset:
    """Map-style dataset: index -> (example, images loaded at the training max side)."""

    def __init__(self, data: TrainingData, max_side: int) -> None:
        self.examples = data.examples
        self.base = data.image_base
        self.max_side = max_side

    def __len__(self) -> int:
        return len(self.examples)

    def __getitem__(self, index: int) -> tuple[TrainExample, list[Any]]:
        example = self.examples[index]
        return example, [load_training_image(s, self.max_side, self.base) for s in example.images]


def _device_and_dtype(config: FinetuneConfig) -> tuple[str, str]:
    import torch

    cuda = torch.cuda.is_available()
    if config.device.startswith("cuda") and not cuda:
        raise ConfigError(f"device {config.device!r} asked for, but CUDA is not available")
    device = ("cuda" if cuda else "cpu") if config.device == "auto" else config.device
    dtype = (
        "bfloat16" if device.startswith("cuda") and torch.cuda.is_bf16_supported() else "float32"
    )
    return device, dtype


def _count(model: Any) -> tuple[int, int]:
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return trainable, sum(p.numel() for p in model.parameters())


def train(
    config: FinetuneConfig,
    data: TrainingData,
    *,
    on_log: Callable[[dict[str, float]], None] | None = None,
    fingerprint: dict[str, Any] | None = None,
) -> FinetuneResult:
    """Fine-tune ``config.base`` on ``data`` and save model + processor into ``config.out``.

    Resumes from the last checkpoint an interrupted run of the same job (``fingerprint``) left
    in ``config.out``. Under torchrun only rank 0 touches the folder; every rank trains.
    """
    if not data.examples:
        raise ConfigError("no training examples")
    device, dtype = _device_and_dtype(config)  # before the folder exists: nothing to clean
    distributed.init_group(device)
    was_new = not config.out.exists()
    if distributed.is_main():
        prepare_out_dir(config.out, config.overwrite, fingerprint)
    distributed.barrier()  # the other ranks look for checkpoints once rank 0 settled the folder
    checkpoint = last_checkpoint(config.out / WORK_DIR)
    try:
        return _train_into(config, data, device, dtype, on_log, checkpoint)
    except BaseException:
        if distributed.is_main():
            _clean_failed(config.out, was_new)
        raise


def _train_into(
    config: FinetuneConfig,
    data: TrainingData,
    device: str,
    dtype: str,
    on_log: Callable[[dict[str, float]], None] | None,
    checkpoint: Checkpoint | None,
) -> FinetuneResult:
    from transformers import (
        PrinterCallback,
        Trainer,
        TrainerCallback,
        TrainingArguments,
        set_seed,
    )

    from analysis.finetune.collate import VisionChatCollator

    set_seed(config.seed)
    # Full fine-tuning keeps float32 master weights (bf16 autocast on GPU): AdamW updates are
    # lost in bf16 rounding. LoRA freezes the base, so its weights can stay in bf16.
    model, processor = load_base(config.base, dtype if config.lora else "float32")
    if config.freeze_vision:
        freeze_vision_tower(model)
    if config.lora:
        model = add_lora(model, config)
    if config.gradient_checkpointing:
        model.gradient_checkpointing_enable()
        model.config.use_cache = False
    trainable, total = _count(model)
    start_step = checkpoint.step if checkpoint is not None else 0

    class _Recorder(TrainerCallback):  # type: ignore[misc]  # transformers is not followed (Any)
        def on_log(self, args: Any, state: Any, control: Any, logs: Any = None, **_: Any) -> None:
            if logs and "loss" in logs and on_log is not None and distributed.is_main():
                on_log(
                    {
                        "step": float(state.global_step),
                        "total": float(state.max_steps),
                        "epoch": float(state.epoch or 0.0),
                        "loss": float(logs["loss"]),
                        "seconds": time.perf_counter() - started,
                        "start_step": float(start_step),
                    }
                )

    work = config.out / WORK_DIR  # Trainer wants an output_dir
    arguments = TrainingArguments(
        output_dir=str(work),
        num_train_epochs=config.epochs,
        max_steps=config.max_steps if config.max_steps is not None else -1,
        learning_rate=config.learning_rate,
        per_device_train_batch_size=config.batch_size,
        gradient_accumulation_steps=config.grad_accum,
        warmup_steps=config.warmup_ratio,  # transformers 5: a float in [0, 1) is a ratio
        weight_decay=config.weight_decay,
        seed=config.seed,
        data_seed=config.seed,
        bf16=dtype == "bfloat16",
        use_cpu=device == "cpu",
        logging_steps=1,
        logging_strategy="steps",
        # checkpoints on a schedule; the two newest are kept (one may be cut short by a kill)
        save_strategy="steps" if config.save_steps else "no",
        save_steps=config.save_steps or 500,
        save_total_limit=2,
        report_to="none",
        remove_unused_columns=False,  # the collator needs the raw (example, images) pairs
        dataloader_pin_memory=False,
        dataloader_num_workers=0,
        disable_tqdm=True,
    )
    trainer = Trainer(
        model=model,
        args=arguments,
        train_dataset=_ExampleDataset(data, config.max_side),
        data_collator=VisionChatCollator(processor),
        callbacks=[_Recorder()],
    )
    trainer.remove_callback(PrinterCallback)  # our on_log reports steps; no raw dict printing
    started = time.perf_counter()
    resume = str(checkpoint.path) if checkpoint is not None else None
    output = trainer.train(resume_from_checkpoint=resume)
    seconds = time.perf_counter() - started
    distributed.barrier()  # every rank has written its part of the last checkpoint
    if distributed.is_main():
        final: Any = trainer.model
        if config.lora:
            final = final.merge_and_unload()  # plain weights: hf_local loads them with no peft
        final.config.use_cache = True
        final.save_pretrained(config.out)
        processor.save_pretrained(config.out)
        shutil.rmtree(work, ignore_errors=True)
    return FinetuneResult(
        out=config.out,
        n_examples=len(data.examples),
        steps=int(trainer.state.global_step),
        # from the Trainer's state, which checkpoints carry: a resumed job reports every step
        loss_history=tuple(history_from_state(trainer.state.log_history)),
        train_loss=float(output.training_loss) if output.training_loss is not None else None,
        seconds=seconds,
        device=device,
        dtype=dtype,
        trainable_params=trainable,
        total_params=total,
        resumed_from_step=checkpoint.step if checkpoint is not None else None,
    )
