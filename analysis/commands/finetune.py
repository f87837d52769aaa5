"""CLI: ``finetune`` (train an open vision-language model on a dataset split, save it for hf_local).

Heavy packages (torch, transformers, peft) load inside the handler, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from analysis.errors import ConfigError


def register(subparsers: Any) -> None:
    """Add the finetune command."""
    parser = subparsers.add_parser(
        "finetune",
        help="fine-tune an open vision-language model on a dataset split (saved for hf_local)",
        description=(
            "Train an image-text-to-text model (a local folder or a Hugging Face id) to answer "
            "the benchmark prompt with each training sample's true answer, using the "
            "transformers Trainer; the loss covers the answer tokens only. Saves model, "
            "processor and a card (geoscope_finetune.json) into --out and prints the "
            "models.toml preset that benchmarks it."
        ),
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--dataset", help="dataset name in the store")
    source.add_argument(
        "--from-jsonl",
        type=Path,
        help="chat JSONL written by export-finetune (instead of the store)",
    )
    parser.add_argument("--split", default="train", help="split to train on (default train)")
    parser.add_argument("--base", required=True, help="base model: a local folder or an HF id")
    parser.add_argument("--out", required=True, type=Path, help="output folder (must be empty)")
    parser.add_argument("--overwrite", action="store_true", help="replace a non-empty --out")
    parser.add_argument(
        "--prompt", default="basic", help="zero-shot prompt strategy (default basic)"
    )
    parser.add_argument("--form", default="coords", choices=["country", "coords"])
    parser.add_argument("--images-root", type=Path, help="folder relative image paths are under")
    parser.add_argument(
        "--allow-missing", action="store_true", help="train without samples whose image is missing"
    )
    parser.add_argument("--epochs", type=float, default=1.0, help="passes over the data (1)")
    parser.add_argument("--max-steps", type=int, help="optimizer steps (overrides --epochs)")
    parser.add_argument("--lr", type=float, default=2e-5, help="learning rate (2e-5)")
    parser.add_argument("--batch-size", type=int, default=1, help="examples per step per device")
    parser.add_argument("--grad-accum", type=int, default=8, help="gradient accumulation (8)")
    parser.add_argument("--warmup-ratio", type=float, default=0.0)
    parser.add_argument("--weight-decay", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--max-side", type=int, default=512, help="longest image side in pixels (512)"
    )
    parser.add_argument(
        "--freeze-vision", action="store_true", help="do not train the vision encoder"
    )
    parser.add_argument("--lora", action="store_true", help="train LoRA adapters, then merge")
    parser.add_argument("--lora-r", type=int, default=16)
    parser.add_argument("--lora-alpha", type=int, default=32)
    parser.add_argument("--lora-dropout", type=float, default=0.05)
    parser.add_argument("--gradient-checkpointing", action="store_true")
    parser.add_argument("--device", default="auto", help="auto | cpu | cuda[:N]")
    parser.add_argument("--name", help="preset name to print (default ft-<out folder name>)")
    parser.add_argument(
        "--evaluate",
        metavar="SPLIT",
        help="after training, benchmark the model on this split of --dataset (e.g. test) with "
        "the training prompt and form; the run lands in the store like any other",
    )
    parser.set_defaults(handler=handle_finetune)


def _print_log(entry: dict[str, float]) -> None:
    print(f"step {int(entry['step'])}  epoch {entry['epoch']:.2f}  loss {entry['loss']:.4f}")


def _check_zero_shot(name: str) -> None:
    from analysis.prompts import PROMPTS, get_prompt

    if get_prompt(name).needs_examples:  # RegistryError lists the known names
        zero_shot = [n for n in PROMPTS.names() if not get_prompt(n).needs_examples]
        raise ConfigError(
            f"--prompt {name} shows example images with answers; finetune trains on one image "
            f"per example: choose a zero-shot strategy ({', '.join(zero_shot)})"
        )


def handle_finetune(args: argparse.Namespace) -> int:
    """Fine-tune, save, and print the preset snippet plus the benchmark command."""
    from analysis.config import Settings
    from analysis.finetune import FinetuneConfig
    from analysis.finetune.data import data_from_jsonl, examples_from_store, require_split
    from analysis.finetune.job import finetune
    from analysis.finetune.train import check_out_dir

    config = FinetuneConfig(
        base=args.base,
        out=args.out,
        epochs=args.epochs,
        max_steps=args.max_steps,
        learning_rate=args.lr,
        batch_size=args.batch_size,
        grad_accum=args.grad_accum,
        seed=args.seed,
        max_side=args.max_side,
        warmup_ratio=args.warmup_ratio,
        weight_decay=args.weight_decay,
        freeze_vision=args.freeze_vision,
        lora=args.lora,
        lora_r=args.lora_r,
        lora_alpha=args.lora_alpha,
        lora_dropout=args.lora_dropout,
        gradient_checkpointing=args.gradient_checkpointing,
        device=args.device,
        overwrite=args.overwrite,
    )
    if args.evaluate and args.dataset is None:
        raise ConfigError("--evaluate needs --dataset (the split to benchmark belongs to it)")
    if args.evaluate and args.evaluate == args.split:
        raise ConfigError(
            f"--evaluate {args.evaluate} is the split the model trains on; benchmark it on a "
            "split it never saw (e.g. --evaluate test)"
        )
    if args.dataset is not None:
        _check_zero_shot(args.prompt)
    reuse_note = check_out_dir(config.out, config.overwrite)  # before minutes of loading
    if reuse_note:
        print(reuse_note)
    if args.from_jsonl is not None:
        data = data_from_jsonl(args.from_jsonl, args.images_root, allow_missing=args.allow_missing)
        dataset, split, prompt, form = None, None, None, None
    else:
        from analysis.store import Store

        store = Store(Settings.from_env(db=args.db).db_path)
        if args.evaluate:  # refused now, not after the training it would follow
            require_split(
                store, args.dataset, args.evaluate, f"--evaluate needs a split of {args.dataset}."
            )
        data = examples_from_store(
            store,
            args.dataset,
            args.split,
            prompt=args.prompt,
            form=args.form,
            images_root=args.images_root,
            allow_missing=args.allow_missing,
        )
        dataset, split, prompt, form = args.dataset, args.split, args.prompt, args.form
    if (
        args.name is not None
        and not args.name.replace("-", "").replace("_", "").replace(".", "").isalnum()
    ):
        raise ConfigError(f"preset name {args.name!r}: use letters, digits, '.', '_' and '-'")
    print(f"training {config.base} on {len(data.examples)} examples from {data.source}")
    for reason in data.skipped:
        print(f"  skipped {reason}", file=sys.stderr)
    outcome = finetune(
        config,
        data,
        dataset=dataset,
        split=split,
        prompt=prompt,
        form=form,
        preset_name=args.name,
        evaluate=args.evaluate or None,
        on_log=_print_log,
    )
    result = outcome.result
    loss = "n/a" if result.train_loss is None else f"{result.train_loss:.4f}"
    print(
        f"done: {result.steps} steps in {result.seconds:.1f} s on {result.device} "
        f"({result.dtype}); mean train loss {loss}"
    )
    print(f"saved model, processor and card to {config.out} ({outcome.card_path.name})")
    print(f"\nIts preset ({outcome.preset_path}; copy it into models.toml if you like):\n")
    print(outcome.preset_toml)
    if not args.evaluate:
        print("Benchmark it on the test split:\n")
        print(f"  {outcome.follow_up}")
        return 0
    from analysis.commands import run as run_commands

    run_name = str(outcome.evaluation_run)  # unique to this training: never resumes an old one
    print(
        f"benchmarking {outcome.preset_name} on split {args.evaluate!r} of {args.dataset} "
        f"as run {run_name!r}"
    )
    run_args = [
        "run", "--dataset", str(args.dataset), "--model", outcome.preset_name, "--run", run_name,
        "--models", str(outcome.preset_path), "--prompt", str(prompt), "--form", str(form),
        "--split", args.evaluate, "--no-progress",
    ]  # fmt: skip
    # the run command's own parser and handler, not the CLI entry point: commands sit below cli
    parser = argparse.ArgumentParser(prog="python -m analysis")
    parser.add_argument("--db", default=None)
    run_commands.register(parser.add_subparsers(dest="command"))
    run_ns = parser.parse_args(([] if args.db is None else ["--db", str(args.db)]) + run_args)
    return int(run_ns.handler(run_ns) or 0)
