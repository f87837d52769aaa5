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
    source.add_argument(
        "--dataset",
        action="append",
        help="dataset name in the store (repeat it to train on several datasets)",
    )
    source.add_argument(
        "--data",
        action="append",
        metavar="DATASET:SPLIT,...",
        help="train on these dataset/split pairs, e.g. mydata:train,mydata:extra",
    )
    source.add_argument(
        "--from-jsonl",
        type=Path,
        help="chat JSONL written by export-finetune (instead of the store)",
    )
    parser.add_argument(
        "--split",
        default="train",
        help="split(s) of each --dataset to train on, comma-separated (default train; "
        "LLMGeo's second regime: train,extra)",
    )
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
        help="after training, benchmark the model on this split (or DATASET:SPLIT) with the "
        "training prompt and form; the run lands in the store like any other",
    )
    parser.add_argument(
        "--allow-leakage",
        action="store_true",
        help="evaluate even when the split shares places or images with the training samples "
        "(recorded in the card and the run, flagged on the leaderboard)",
    )
    parser.add_argument(
        "--save-steps",
        type=int,
        default=100,
        help="checkpoint every N optimizer steps into OUT/.trainer (0: never); rerunning the "
        "same command resumes from the last checkpoint (default 100)",
    )
    parser.set_defaults(handler=handle_finetune)


def _check_zero_shot(name: str) -> None:
    from analysis.prompts import PROMPTS, get_prompt

    if get_prompt(name).needs_examples:  # RegistryError lists the known names
        zero_shot = [n for n in PROMPTS.names() if not get_prompt(n).needs_examples]
        raise ConfigError(
            f"--prompt {name} shows example images with answers; finetune trains on one image "
            f"per example: choose a zero-shot strategy ({', '.join(zero_shot)})"
        )


def _evaluation_target(args: argparse.Namespace, sources: list[Any]) -> tuple[str, str] | None:
    """Return (dataset, split) that --evaluate names, refusing one that was trained on."""
    if not args.evaluate:
        return None
    if not sources:
        raise ConfigError("--evaluate needs --dataset (the split to benchmark belongs to it)")
    dataset, sep, split = str(args.evaluate).rpartition(":")
    if not sep:
        datasets = sorted({source.dataset for source in sources})
        if len(datasets) > 1:
            raise ConfigError(
                f"--evaluate {args.evaluate}: training reads several datasets "
                f"({', '.join(datasets)}); name one as --evaluate DATASET:SPLIT"
            )
        dataset = datasets[0]
    if any((s.dataset, s.split) == (dataset, split) for s in sources):
        raise ConfigError(
            f"--evaluate {args.evaluate} is a split the model trains on; benchmark it on a "
            "split it never saw (e.g. --evaluate test)"
        )
    return dataset, split


def _check_leakage(
    store: Any, args: argparse.Namespace, data: Any, target: tuple[str, str]
) -> dict[str, Any]:
    """Compare the training samples with the --evaluate split; refuse overlap unless allowed."""
    from analysis.finetune.leakage import find_overlap, guard, keys_from_records

    dataset, split = target
    frame = store.dataset_samples(dataset)
    rows = frame[frame["split"] == split].to_dict("records")
    bases = [b for b in (args.images_root,) if b is not None]
    source = store.dataset_info(dataset).get("source")
    if source and Path(str(source)).is_dir():
        bases.append(Path(str(source)))
    overlap = find_overlap(data.samples, keys_from_records(rows, dataset, [*bases, Path.cwd()]))
    trained = data.source.removeprefix("store:")
    return guard(overlap, allow=args.allow_leakage, evaluated=f"{dataset}/{split}", trained=trained)


def _config(args: argparse.Namespace) -> Any:
    from analysis.finetune import FinetuneConfig

    return FinetuneConfig(
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
        save_steps=args.save_steps,
    )


def _quiet(*_: Any, **__: Any) -> None:
    """Print nothing (torchrun's other processes: rank 0 reports)."""


def handle_finetune(args: argparse.Namespace) -> int:
    """Fine-tune, save, and print the preset snippet plus the benchmark command."""
    from analysis.config import Settings
    from analysis.finetune import distributed
    from analysis.finetune.data import data_from_jsonl, require_split
    from analysis.finetune.job import finetune
    from analysis.finetune.lineage import parse_sources
    from analysis.finetune.progress import ProgressLine
    from analysis.finetune.sources import load_sources
    from analysis.finetune.train import check_out_dir

    say = print if distributed.is_main() else _quiet
    config = _config(args)
    sources = parse_sources(args.dataset, args.split, args.data)
    target = _evaluation_target(args, sources)
    if sources:
        _check_zero_shot(args.prompt)
    if (
        args.name is not None
        and not args.name.replace("-", "").replace("_", "").replace(".", "").isalnum()
    ):
        raise ConfigError(f"preset name {args.name!r}: use letters, digits, '.', '_' and '-'")
    if distributed.is_main():  # only rank 0 touches --out
        reuse_note = check_out_dir(config.out, config.overwrite)  # before minutes of loading
        if reuse_note:
            say(reuse_note)
    leakage = None
    if args.from_jsonl is not None:
        data = data_from_jsonl(args.from_jsonl, args.images_root, allow_missing=args.allow_missing)
        dataset, split, prompt, form = None, None, None, None
    else:
        from analysis.store import Store

        store = Store(Settings.from_env(db=args.db).db_path)
        if target is not None:  # refused now, not after the training it would follow
            require_split(store, target[0], target[1], f"--evaluate needs a split of {target[0]}.")
        data = load_sources(
            store,
            sources,
            prompt=args.prompt,
            form=args.form,
            images_root=args.images_root,
            allow_missing=args.allow_missing,
        )
        if target is not None:
            leakage = _check_leakage(store, args, data, target)
            if leakage["override"]:
                say(
                    f"warning: {leakage['overlapping_samples']} samples of "
                    f"{target[0]}/{target[1]} overlap the training samples (--allow-leakage); "
                    "the card and the run record it",
                    file=sys.stderr,
                )
        datasets = list(dict.fromkeys(s.dataset for s in sources))
        dataset = target[0] if target else datasets[0]
        split = "+".join(dict.fromkeys(s.split for s in sources))
        if len(datasets) > 1:
            split = "+".join(s.label() for s in sources)
        prompt, form = args.prompt, args.form
    say(f"training {config.base} on {len(data.examples)} examples from {data.source}")
    for reason in data.skipped:
        say(f"  skipped {reason}", file=sys.stderr)
    outcome = finetune(
        config,
        data,
        dataset=dataset,
        split=split,
        prompt=prompt,
        form=form,
        preset_name=args.name,
        evaluate=target[1] if target else None,
        leakage=leakage,
        on_log=ProgressLine(),
    )
    if not outcome.is_main:
        return 0  # rank 0 saves, reports and evaluates
    result = outcome.result
    loss = "n/a" if result.train_loss is None else f"{result.train_loss:.4f}"
    resumed = (
        f" (resumed from the checkpoint at step {result.resumed_from_step})"
        if result.resumed_from_step
        else ""
    )
    print(
        f"done: {result.steps} steps{resumed} in {result.seconds:.1f} s on {result.device} "
        f"({result.dtype}); mean train loss {loss}"
    )
    print(f"saved model, processor and card to {config.out} ({outcome.card_path.name})")
    print(f"\nIts preset ({outcome.preset_path}; copy it into models.toml if you like):\n")
    print(outcome.preset_toml)
    if target is None:
        print("Benchmark it on the test split:\n")
        print(f"  {outcome.follow_up}")
        return 0
    return _evaluate(args, outcome, target, str(prompt), str(form))


def _evaluate(
    args: argparse.Namespace, outcome: Any, target: tuple[str, str], prompt: str, form: str
) -> int:
    """Benchmark the trained folder on the --evaluate split under the card's run name."""
    from analysis.commands import run as run_commands

    run_name = str(outcome.evaluation_run)  # unique to this training: never resumes an old one
    dataset, split = target
    print(f"benchmarking {outcome.preset_name} on split {split!r} of {dataset} as run {run_name!r}")
    run_args = [
        "run", "--dataset", dataset, "--model", outcome.preset_name, "--run", run_name,
        "--models", str(outcome.preset_path), "--prompt", prompt, "--form", form,
        "--split", split, "--no-progress",
    ]  # fmt: skip
    if args.allow_leakage:
        run_args.append("--allow-leakage")
    # the run command's own parser and handler, not the CLI entry point: commands sit below cli
    parser = argparse.ArgumentParser(prog="python -m analysis")
    parser.add_argument("--db", default=None)
    run_commands.register(parser.add_subparsers(dest="command"))
    run_ns = parser.parse_args(([] if args.db is None else ["--db", str(args.db)]) + run_args)
    return int(run_ns.handler(run_ns) or 0)
