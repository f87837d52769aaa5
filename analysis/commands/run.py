"""CLI: ``run`` (benchmark a model), ``export-finetune`` (training JSONL), ``models`` (presets)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from analysis.commands.batch import add_batch_options, handle_batch_run
from analysis.config import Settings


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(db=args.db, models=getattr(args, "models", None))


def _store(settings: Settings) -> Any:
    from analysis.store import Store

    return Store(settings.db_path)


def register(subparsers: Any) -> None:
    """Add the run, export-finetune and models commands."""
    run = subparsers.add_parser(
        "run",
        help="benchmark a model preset with a prompt strategy on a dataset (resumable)",
        description=(
            "Ask a model about every sample of a dataset. Re-running the same command resumes "
            "(done samples are skipped; failed ones retried); answers are cached under "
            "cache/responses, so asking twice costs nothing."
        ),
    )
    run.add_argument("--dataset", required=True, help="dataset name in the store")
    run.add_argument("--model", required=True, help="preset name from the models file")
    run.add_argument("--prompt", default="basic", help="prompt strategy (default: basic)")
    run.add_argument("--run", dest="run_name", help="run name (default: DATASET:MODEL:PROMPT:FORM)")
    run.add_argument(
        "--mode",
        default="image",
        choices=INPUT_MODES,
        help="what the model is given: the image (default), image+description, description "
        "(no pixels), describe-then-locate (two turns) or all-views (every heading of a "
        "location in one request, scored per location)",
    )
    add_run_options(run)
    run.set_defaults(handler=handle_run)

    export = subparsers.add_parser(
        "export-finetune",
        help="write a dataset split as chat-format JSONL (image + question + answer) for training",
    )
    export.add_argument("--dataset", required=True)
    export.add_argument(
        "--split", default="train", help="split to export (default train; 'all' for every sample)"
    )
    export.add_argument("--out", required=True, type=Path, help="output .jsonl file")
    export.add_argument(
        "--prompt", default="must", help="zero-shot prompt giving the question (default must)"
    )
    export.add_argument("--form", default="country", choices=["country", "coords"])
    export.add_argument("--images-root", type=Path)
    export.add_argument(
        "--image-mode",
        default="path",
        choices=["path", "data-url"],
        help="image as file path, or inline JPEG data URL without EXIF",
    )
    export.add_argument(
        "--max-side", type=int, default=1024, help="longest side for data-url images"
    )
    export.set_defaults(handler=handle_export_finetune)

    models = subparsers.add_parser(
        "models", help="list model presets and whether each can run here"
    )
    models.add_argument(
        "--models", help="model presets TOML (default: $GEOSCOPE_MODELS or models.toml)"
    )
    models.add_argument("--json", action="store_true", help="print JSON lines")
    models.set_defaults(handler=handle_models)


# the input modes (analysis.prompts.modes.InputMode), listed here so --help needs no import
INPUT_MODES = ("image", "image+description", "description", "describe-then-locate", "all-views")


def _headings(text: str) -> tuple[int, ...]:
    try:
        return tuple(sorted({int(part) for part in text.split(",") if part.strip()}))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected whole degrees separated by commas (e.g. 0,90), got {text!r}"
        ) from None


def add_run_options(run: argparse.ArgumentParser) -> None:
    """Add the options every benchmark run shares (``run`` and ``sweep``)."""
    run.add_argument("--form", default="country", choices=["country", "coords"])
    run.add_argument("--concurrency", type=int, help="requests in flight (default: preset or 8)")
    run.add_argument(
        "--rpm", type=float, help="requests per minute, 0 = no limit (default: preset or 0)"
    )
    run.add_argument("--timeout", type=float, help="seconds per request (default: preset or 60)")
    run.add_argument(
        "--retries", type=int, default=4, help="retries on 429/5xx/timeouts (default 4)"
    )
    run.add_argument(
        "--backoff",
        type=float,
        default=1.0,
        help="first retry delay in seconds, doubled each retry, jittered (default 1)",
    )
    run.add_argument("--limit", type=int, help="only the first N samples")
    run.add_argument("--sample", type=int, help="a stratified-by-country subset of N samples")
    run.add_argument("--seed", type=int, default=0, help="seed for --sample and shuffled prompts")
    run.add_argument("--split", help="only samples of this split (e.g. test)")
    run.add_argument(
        "--heading",
        type=_headings,
        help="only images taken at these headings, comma-separated degrees (e.g. 0 or 0,180)",
    )
    run.add_argument("--images-root", type=Path, help="folder that relative image paths are under")
    run.add_argument("--k", type=int, help="examples for k-shot prompts (default 5)")
    run.add_argument(
        "--examples-split", default="train", help="split holding static k-shot examples"
    )
    run.add_argument("--examples-dataset", help="dataset holding static k-shot examples")
    run.add_argument("--neighbours", type=Path, help="neighbour list CSV for dynamic k-shot")
    run.add_argument(
        "--describer",
        help="captioning preset writing the descriptions for the image+description and "
        "description modes (written once, stored, reused by every later run)",
    )
    run.add_argument(
        "--description-column",
        help="read descriptions from this column of the dataset's manifest CSV instead",
    )
    run.add_argument(
        "--no-cache", action="store_true", help="ignore and do not read cached answers"
    )
    run.add_argument(
        "--allow-leakage",
        action="store_true",
        help="score a fine-tuned model on samples sharing places or images with its training "
        "samples (recorded in the run, flagged on the leaderboard)",
    )
    run.add_argument(
        "--max-cost",
        type=float,
        help="cap in USD on what paid calls may spend; each call reserves its worst case first",
    )
    run.add_argument(
        "--max-answer-kb",
        type=int,
        help="keep at most this many KB of each answer (default: $GEOSCOPE_MAX_ANSWER_KB or 64)",
    )
    run.add_argument(
        "--wait",
        action="store_true",
        help="if another process is executing the same run, wait for it instead of exiting",
    )
    run.add_argument("--dry-run", action="store_true", help="print calls and estimated cost only")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    run.add_argument(
        "--models", help="model presets TOML (default: $GEOSCOPE_MODELS or models.toml)"
    )
    add_batch_options(run)


def _config(args: argparse.Namespace, settings: Settings) -> Any:
    from analysis.models.presets import get_preset
    from analysis.runner import RetryPolicy, RunConfig

    preset = get_preset(args.model, settings.models_file)
    return RunConfig(
        dataset=args.dataset,
        preset=preset,
        prompt=args.prompt,
        form=args.form,
        run_name=args.run_name,
        concurrency=args.concurrency or preset.concurrency or 8,
        rpm=args.rpm if args.rpm is not None else (preset.rpm or 0.0),
        timeout_s=args.timeout or preset.timeout_s or 60.0,
        retry=RetryPolicy(retries=args.retries, base_delay_s=args.backoff),
        limit=args.limit,
        sample=args.sample,
        seed=args.seed,
        split=args.split,
        headings=args.heading,
        images_root=args.images_root,
        k=args.k,
        examples_split=args.examples_split,
        examples_dataset=args.examples_dataset,
        neighbours_csv=args.neighbours,
        use_cache=not args.no_cache,
        allow_leakage=args.allow_leakage,
        mode=getattr(args, "mode", "image"),
        describer=get_preset(args.describer, settings.models_file) if args.describer else None,
        description_column=args.description_column,
        **({"max_answer_kb": args.max_answer_kb} if args.max_answer_kb is not None else {}),
    )


def _waiting(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def summary_lines(summary: Any) -> list[str]:
    """Return the lines that report one execution, in the order things happened."""
    lines: list[str] = []
    if summary.replayed:
        lines.append(f"recovered {summary.replayed} predictions from {summary.journal}")
    answered = {k: v for k, v in sorted(summary.statuses.items()) if k != "api_error"}
    if summary.attempted == 0:
        lines.append(
            f"run {summary.run}: nothing asked now; {summary.already_done} were done before"
        )
    else:
        shown = ", ".join(f"{k} {v}" for k, v in answered.items())
        text = f"run {summary.run}: {summary.answered} answered now"
        text += f" ({shown})" if shown else ""
        if summary.failed:
            text += f", {summary.failed} failed (api_error, retried by the next run)"
        lines.append(f"{text}; {summary.already_done} were done before")
    tail = (
        f"calls {summary.calls} (retries {summary.retries}), cache hits {summary.cache_hits}, "
        f"spent ${summary.spend_usd:.4f}"
    )
    if summary.answered:
        accuracy = summary.correct_country / summary.answered
        tail += f", country accuracy of the {summary.answered} answered now {accuracy:.3f}"
    lines.append(f"{tail}, {summary.elapsed_s:.1f} s")
    if getattr(summary, "described", 0) or getattr(summary, "describe_calls", 0):
        lines.append(
            f"descriptions written now: {summary.described} ({summary.describe_calls} describer "
            "calls; stored and reused by later runs)"
        )
    if summary.truncated:
        lines.append(
            f"{summary.truncated} answers were longer than the answer cap and were cut "
            "(noted in their rows; see --max-answer-kb)"
        )
    return lines


def handle_run(args: argparse.Namespace) -> int:
    """Run or resume a benchmark (or estimate it with --dry-run)."""
    from analysis.runner import estimate_run, run_benchmark

    settings = _settings(args)
    config = _config(args, settings)
    store = _store(settings)
    if (args.batch or args.batch_file) and not args.dry_run:
        if config.mode in ("image+description", "description", "describe-then-locate"):
            from analysis.errors import ConfigError

            # the batch path renders from the plan alone; descriptions come from the describe
            # phase of a direct run
            raise ConfigError(f"--batch does not support input mode {config.mode!r} yet; run it "
                              "without --batch")  # fmt: skip
        return handle_batch_run(args, config, store, settings)
    if args.dry_run:
        estimate = estimate_run(config, store, settings)
        price = config.preset
        print(
            f"run {estimate.run}: {estimate.selected} samples selected, {estimate.already_done} already done"
        )
        print(
            f"calls: {estimate.calls}  (cache hits: {estimate.cache_hits}, unreadable images: {estimate.unreadable_images})"
        )
        print(
            f"cost at most: ${estimate.cost_usd:.4f} at ${price.price_in_per_mtok:g}/"
            f"${price.price_out_per_mtok:g} per Mtok (<= {estimate.input_tokens} input tokens, "
            f"<= {estimate.max_output_tokens} output tokens; what --max-cost reserves)"
        )
        batch = price.at_batch_prices()
        batch_cost = batch.cost_usd(estimate.input_tokens, estimate.max_output_tokens) or 0.0
        print(
            f"with --batch at most: ${batch_cost:.4f} at ${batch.price_in_per_mtok:g}/"
            f"${batch.price_out_per_mtok:g} per Mtok (the preset's batch price)"
        )
        missing_key = price.api_key_env and not os.environ.get(price.api_key_env, "").strip()
        if missing_key and estimate.calls:
            print(
                f"warning: preset {price.name!r} needs an API key and {price.api_key_env} is "
                f"not set: the real run would fail; set it first",
                file=sys.stderr,
            )
        return 0
    summary = run_benchmark(
        config,
        store,
        settings,
        progress=not args.no_progress,
        max_cost_usd=args.max_cost,
        wait=args.wait,
        on_wait=_waiting,
    )
    for line in summary_lines(summary):
        print(line)
    if summary.stop_message:
        print(summary.stop_message, file=sys.stderr)
        return 1
    if summary.stopped_for_budget:
        print(
            f"stopped: --max-cost ${args.max_cost:g} reached (spent ${summary.spend_usd:.4f}, "
            "no further call fit under it); run the same command to continue",
            file=sys.stderr,
        )
    return 0


def handle_export_finetune(args: argparse.Namespace) -> int:
    """Write fine-tuning JSONL for one split of a dataset."""
    from analysis.finetune.export import export_finetune

    settings = _settings(args)
    result = export_finetune(
        _store(settings),
        args.dataset,
        args.out,
        split=None if args.split == "all" else args.split,
        prompt=args.prompt,
        form=args.form,
        images_root=args.images_root,
        image_mode=args.image_mode,
        max_side=args.max_side,
    )
    print(f"wrote {result.written} examples to {result.path}")
    for reason in result.skipped[:20]:
        print(f"  skipped {reason}", file=sys.stderr)
    if len(result.skipped) > 20:
        print(f"  ... and {len(result.skipped) - 20} more skipped", file=sys.stderr)
    return 0


def handle_models(args: argparse.Namespace) -> int:
    """List presets with adapter, model, prices and availability."""
    from analysis.models.presets import load_presets, preset_status

    settings = _settings(args)
    presets = load_presets(settings.models_file)
    rows: list[dict[str, Any]] = []
    for preset in presets.values():
        status = preset_status(preset)
        rows.append(
            {
                "name": preset.name,
                "adapter": preset.adapter,
                "model": preset.model,
                "price_in_per_mtok": preset.price_in_per_mtok,
                "price_out_per_mtok": preset.price_out_per_mtok,
                "available": status.available,
                "reason": status.reason,
                "note": status.note,
            }
        )
    if args.json:
        for row in rows:
            print(json.dumps(row))
        return 0
    print(f"presets from {settings.models_file}")
    width = max(len(r["name"]) for r in rows)
    for row in rows:
        state = "available" if row["available"] else f"unavailable: {row['reason']}"
        if row["note"]:
            state += f" ({row['note']})"
        price = f"${row['price_in_per_mtok']:g}/${row['price_out_per_mtok']:g} per Mtok"
        print(
            f"  {row['name']:<{width}}  {row['adapter']:<13} {row['model'][:40]:<40} {price:<24} {state}"
        )
    return 0
