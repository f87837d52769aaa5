"""CLI: ``sweep`` (presets x prompt strategies on one dataset: the grid of LLMGeo's main table)."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from analysis.commands.run import INPUT_MODES, _settings, _store, add_run_options

if TYPE_CHECKING:
    import pandas as pd


def register(subparsers: Any) -> None:
    """Add the sweep command."""
    p = subparsers.add_parser(
        "sweep",
        help="run several presets x prompt strategies on a dataset and print the grid",
        description=(
            "Run every combination of --model and --prompt on one dataset, one resumable run "
            "per cell (named DATASET:PRESET:PROMPT:FORM, as `run` names them), then print the "
            "presets x prompt strategies table of a metric. Presets whose key is not set are "
            "skipped and named; re-running the same command resumes and asks nothing twice."
        ),
        epilog=(
            "examples:\n"
            "  python -m analysis sweep --dataset llmgeo-test --model gpt-4o,gemini-flash "
            "--prompt basic,must,tips --dry-run\n"
            "  python -m analysis sweep --dataset llmgeo-test --model available --prompt all "
            "--form coords --metric median_km --max-cost 20"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--dataset", required=True, help="dataset name in the store")
    p.add_argument(
        "--model",
        required=True,
        help="comma-separated preset names, or 'available' (every preset whose key is set)",
    )
    p.add_argument(
        "--prompt",
        default="basic,must,tips",
        help="comma-separated prompt strategies, or 'all' (default basic,must,tips)",
    )
    p.add_argument(
        "--mode",
        default="image",
        help="comma-separated input modes, a third axis of the grid (default image; known: "
        f"{', '.join(INPUT_MODES)}, or 'all')",
    )
    p.add_argument(
        "--metric",
        default="country_accuracy",
        help="metric in the table (default country_accuracy)",
    )
    p.add_argument("--json", action="store_true", help="print the result as one JSON object")
    add_run_options(p)
    p.set_defaults(handler=handle_sweep)


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _modes(args: argparse.Namespace) -> list[str]:
    """Return the sweep's input modes, refusing unknown ones and missing describers up front."""
    from analysis.errors import InputError

    names = list(INPUT_MODES) if _names(args.mode) == ["all"] else _names(args.mode)
    modes = list(dict.fromkeys(names)) or ["image"]
    unknown = [m for m in modes if m not in INPUT_MODES]
    if unknown:
        raise InputError(
            f"unknown input modes {', '.join(unknown)} (known: {', '.join(INPUT_MODES)})"
        )
    described = [m for m in modes if m in ("image+description", "description")]
    if described and not (args.describer or args.description_column):
        raise InputError(
            f"input modes {', '.join(described)} need descriptions: pass --describer PRESET or "
            "--description-column COLUMN"
        )
    return modes


def mode_label(mode: str) -> str:
    """Return an input mode with its unit: all-views runs are scored per location."""
    return f"{mode} (per location)" if mode == "all-views" else mode


def sweep_table(store: Any, cells: Sequence[Any], metric: str) -> pd.DataFrame:
    """Return (preset, mode) x prompt strategies of ``metric`` per cell's run (NaN: none).

    The values are ``analysis.metrics.compute_metrics`` of each run, as every other page shows.
    Rows are indexed by (preset, input mode label): a location-level mode is its own row, so
    its share of locations never sits in one cell with a share of images.
    """
    # lazy: pandas and the metrics load only when a sweep prints its table, not for --help
    import pandas as pd

    from analysis.metrics import compute_metrics

    rows = list(dict.fromkeys((c.model, mode_label(getattr(c, "mode", "image"))) for c in cells))
    prompts = list(dict.fromkeys(c.prompt for c in cells))
    index = pd.MultiIndex.from_tuples(rows, names=["preset", "mode"])
    table = pd.DataFrame(math.nan, index=index, columns=prompts, dtype=float)
    for cell in cells:
        if not cell.run or not store.has_run(cell.run):
            continue
        frame = store.run_frame(cell.run)
        if frame.empty:
            continue
        row = (cell.model, mode_label(getattr(cell, "mode", "image")))
        table.loc[row, cell.prompt] = float(compute_metrics(frame).get(metric, math.nan))
    return table


def _table_text(table: Any, unit: str) -> str:
    from analysis.commands.text import aligned_table
    from analysis.dashboard.leaderboard import format_value

    # the mode column appears once a mode other than the image alone is in the grid
    modes = {mode for _, mode in table.index} != {"image"}
    headers = ["preset", "mode \\ prompt"] if modes else ["preset \\ prompt"]
    rows = [
        [str(model), *([str(mode)] if modes else [])]
        + [format_value(None if math.isnan(v) else v, unit) for v in values]
        for (model, mode), values in zip(table.index, table.to_numpy(), strict=True)
    ]
    return aligned_table([*headers, *map(str, table.columns)], rows)


def handle_sweep(args: argparse.Namespace) -> int:
    """Run (or estimate) the grid and print its table."""
    from analysis.commands.run import _config
    from analysis.errors import ConfigError, InputError
    from analysis.metrics import METRICS
    from analysis.models.presets import load_presets, resolve_models_file
    from analysis.runner.sweep import resolve_grid, run_sweep, why_unavailable

    if args.metric not in METRICS:
        raise InputError(f"unknown metric {args.metric!r} (known: {', '.join(METRICS.names())})")
    settings = _settings(args)
    store = _store(settings)
    presets = load_presets(resolve_models_file(settings.models_file))
    models, prompts = resolve_grid(presets, _names(args.model), _names(args.prompt))
    modes = _modes(args)
    if not store.has_dataset(args.dataset):
        known = ", ".join(store.list_datasets()["name"]) or "none"
        raise InputError(f"no dataset named {args.dataset!r}; known datasets: {known}")
    blocked = {m: why for m in models if (why := why_unavailable(presets[m])) is not None}
    if len(blocked) == len(models) and not args.dry_run:
        raise ConfigError(
            "no preset of this sweep can run here: " + "; ".join(blocked.values()),
        )

    def configure(model: str, prompt: str, mode: str = "image") -> Any:
        cell = {**vars(args), "model": model, "prompt": prompt, "run_name": None, "mode": mode}
        return _config(argparse.Namespace(**cell), settings)

    if (args.batch or args.batch_file) and not args.dry_run:
        from analysis.commands.batch import batch_sweep

        cells = [(m, p) for m in models if m not in blocked for p in prompts]
        return batch_sweep(args, configure, cells, store, settings)
    if args.dry_run:
        return _dry_run(configure, presets, models, prompts, store, settings, args.json, modes)

    def announce(i: int, total: int, model: str, prompt: str) -> None:
        print(f"[{i}/{total}] {model} x {prompt}", file=sys.stderr)

    def waiting(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    result = run_sweep(
        configure, presets, models, prompts, store, settings,
        max_cost_usd=args.max_cost, progress=not args.no_progress, on_cell=announce,
        wait=args.wait, on_wait=waiting, modes=modes,
    )  # fmt: skip
    spec = METRICS.get(args.metric)
    table = sweep_table(store, result.cells, args.metric)
    if args.json:
        out = {
            "dataset": args.dataset, "form": args.form, "metric": args.metric,
            "spend_usd": result.spend_usd, "stopped_for_budget": result.stopped_for_budget,
            "stop_message": result.stop_message,
            "cells": [{"model": c.model, "prompt": c.prompt, "mode": c.mode, "run": c.run,
                       "state": c.state, "message": c.message, "spend_usd": c.spend_usd,
                       "unit": "location" if c.mode == "all-views" else "image",
                       args.metric: None if math.isnan(
                           # the table is all float (NaN: no run); astype tells mypy
                           v := table[c.prompt].astype(float).loc[(c.model, mode_label(c.mode))])
                       else float(v)} for c in result.cells],
        }  # fmt: skip
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(f"{spec.label} on {args.dataset} ({args.form} form); spent ${result.spend_usd:.4f}")
        print(_table_text(table, spec.unit))
    for model, why in result.skipped_models.items():
        print(f"skipped {model}: {why}", file=sys.stderr)
    for cell in result.cells:
        if cell.state in ("error", "incomplete"):
            where = f"{cell.model} x {cell.prompt}" + (
                "" if cell.mode == "image" else f" x {cell.mode}"
            )
            print(f"{cell.state}: {where}: {cell.message}", file=sys.stderr)
    if result.stopped_for_budget:
        print(f"stopped: --max-cost ${args.max_cost:g} (for this command) reached; run the same "
              "command to continue", file=sys.stderr)  # fmt: skip
    if result.stop_message:
        print(f"sweep stopped: {result.stop_message}", file=sys.stderr)
    # exit 1 when a cell could not run, left failed calls or stopped the sweep; a budget stop
    # is not a failure
    failed = [c for c in result.cells
              if c.state == "error" or (c.state == "incomplete" and "failed" in c.message)]  # fmt: skip
    return 1 if failed or result.stop_message else 0


def _dry_run(
    configure: Any,
    presets: Any,
    models: list[str],
    prompts: list[str],
    store: Any,
    settings: Any,
    as_json: bool,
    modes: Sequence[str] = ("image",),
) -> int:
    from analysis.errors import GeoScopeError
    from analysis.runner import estimate_run
    from analysis.runner.sweep import why_unavailable

    cells: list[dict[str, Any]] = []
    for model in models:
        why = why_unavailable(presets[model])
        for prompt, mode in ((p, d) for p in prompts for d in modes):
            cell: dict[str, Any] = {"model": model, "prompt": prompt, "key_missing": why}
            if mode != "image":
                cell["mode"] = mode
            try:
                estimate = estimate_run(configure(model, prompt, mode), store, settings)
            except GeoScopeError as exc:  # this cell cannot run as configured: say so, go on
                cell["error"] = str(exc)
            else:
                batch = presets[model].at_batch_prices()  # the preset's --batch price
                batch_cost = batch.cost_usd(estimate.input_tokens, estimate.max_output_tokens)
                cell.update(calls=estimate.calls, cached=estimate.cache_hits,
                            unreadable_images=estimate.unreadable_images,
                            cost_usd=estimate.cost_usd,
                            batch_cost_usd=batch_cost or 0.0)  # fmt: skip
            cells.append(cell)
    ok = [c for c in cells if "error" not in c]
    total_calls = sum(int(c["calls"]) for c in ok)
    total_cost = sum(float(c["cost_usd"]) for c in ok)
    total_batch = sum(float(c["batch_cost_usd"]) for c in ok)
    if as_json:
        print(json.dumps({"cells": cells, "calls": total_calls, "cost_usd": total_cost,
                          "batch_cost_usd": total_batch}))  # fmt: skip
    else:
        print(f"{'preset':<24}{'prompt':<24}{'calls':>8}{'cached':>8}{'unreadable':>12}"
              f"{'est. cost':>12}{'with --batch':>14}")  # fmt: skip
        for c in cells:
            shown = c["prompt"] + (f" ({c['mode']})" if "mode" in c else "")
            head = f"{c['model']:<24}{shown:<24}"
            if "error" in c:
                print(f"{head}error: {c['error']}")
                continue
            note = "  (key not set: would be skipped)" if c["key_missing"] else ""
            print(f"{head}{c['calls']:>8}{c['cached']:>8}{c['unreadable_images']:>12}"
                  f"{'$' + format(c['cost_usd'], '.4f'):>12}"
                  f"{'$' + format(c['batch_cost_usd'], '.4f'):>14}{note}")  # fmt: skip
        print(f"total: {total_calls} calls, estimated ${total_cost:.4f} "
              f"(${total_batch:.4f} with --batch)")  # fmt: skip
    return 1 if len(ok) < len(cells) else 0
