"""CLI: ``run/sweep --batch`` and ``--batch-file``, ``batch status|collect``, ``import-batch``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from analysis.config import Settings

# run options that are not part of what a run is (recorded options rebuild the run's config)
_NOT_RECORDED = frozenset(
    {"handler", "db", "batch", "batch_file", "batch_poll", "batch_failed", "dry_run", "json",
     "command", "wait", "no_progress", "metric", "max_cost"}
)  # fmt: skip
_PATH_OPTIONS = ("images_root", "neighbours")


def add_batch_options(parser: argparse.ArgumentParser) -> None:
    """Add --batch, --batch-file, --batch-failed and --batch-poll to a run-like command."""
    group = parser.add_argument_group("batch execution (provider batch APIs, about half price)")
    group.add_argument(
        "--batch",
        action="store_true",
        help="send pending samples through the provider's batch endpoint; run again to collect",
    )
    group.add_argument(
        "--batch-file",
        type=Path,
        metavar="OUT.jsonl",
        help="write the requests (OpenAI / vLLM run-batch format) without sending them",
    )
    group.add_argument(
        "--batch-failed",
        choices=["pending", "sync"],
        default="pending",
        help="failed or expired batch requests: stay pending as api_error (default) or are "
        "asked through the normal path now",
    )
    group.add_argument(
        "--batch-poll",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="keep polling every SECONDS until every batch finished (default 0: return at once)",
    )


def recorded_options(args: argparse.Namespace) -> dict[str, Any]:
    """Return the options of a run command as JSON (what ``batch collect RUN`` rebuilds from)."""
    options: dict[str, Any] = {}
    for key, value in vars(args).items():
        if key in _NOT_RECORDED or callable(value):
            continue
        if key in (*_PATH_OPTIONS, "models") and value is not None:
            value = Path(value).expanduser().resolve()  # `batch collect` may run elsewhere
        options[key] = str(value) if isinstance(value, Path) else value
    recorded: dict[str, Any] = json.loads(json.dumps(options, default=list))
    return recorded


def config_from_options(options: dict[str, Any], settings: Settings) -> Any:
    """Rebuild a run's RunConfig from its recorded options."""
    from analysis.commands.run import _config  # the one option -> config mapping (run, sweep)

    values = dict(options)
    for key in _PATH_OPTIONS:
        if values.get(key) is not None:
            values[key] = Path(values[key])
    if isinstance(values.get("heading"), list):
        values["heading"] = tuple(values["heading"])
    return _config(argparse.Namespace(**values), settings)


def _batch_options(args: argparse.Namespace, options: dict[str, Any], submit: bool = True) -> Any:
    from analysis.batch.cycle import BatchOptions

    return BatchOptions(
        submit=submit,
        on_failure=getattr(args, "batch_failed", "pending"),
        poll_s=getattr(args, "batch_poll", 0.0) or 0.0,
        max_cost_usd=getattr(args, "max_cost", None),
        options=options,
    )


def report_lines(report: Any) -> list[str]:
    """Return the lines that tell what one batch cycle did."""
    lines: list[str] = []
    for row in report.submitted:
        lines.append(f"submitted {row.provider} batch {row.local_id}: {row.n_requests} requests")
    collected = report.collected
    if collected.answered or collected.failed:
        lines.append(
            f"collected {len(collected.answered)} answers, {len(collected.failed)} failed requests"
        )
    for custom_id, why in list(collected.failed.items())[:5]:
        lines.append(f"  - {custom_id[:12]}…: {why}")
    ingested = report.ingested
    if ingested.completed:
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(ingested.statuses.items()))
        lines.append(
            f"stored {ingested.completed} predictions ({statuses}), priced at the batch price"
        )
    if report.fallback is not None and report.fallback.completed:
        lines.append(f"asked {report.fallback.calls} through the normal path")
    for sample_id, why in list(report.unreadable.items())[:5]:
        lines.append(f"  - {sample_id}: not sent ({why})")
    if report.over_budget:
        lines.append(f"{report.over_budget} requests left out: --max-cost reached")
    for row in report.waiting:
        lines.append(
            f"batch {row.batch_id or row.local_id}: {row.status}"
            + (f" ({row.detail})" if row.detail else "")
        )
    if report.waiting:
        lines.append(f"run the same command (or `batch collect {report.run}`) to collect them")
    return lines


def handle_batch_run(args: argparse.Namespace, config: Any, store: Any, settings: Any) -> int:
    """Run one run's batch cycle (--batch) or write its request file (--batch-file)."""
    import asyncio

    from analysis.batch.cycle import run_batch
    from analysis.batch.files import write_batch_file_async

    options = recorded_options(args)
    if args.batch_file is not None:
        written = asyncio.run(
            write_batch_file_async(
                config, store, settings, args.batch_file, _batch_options(args, options)
            )  # fmt: skip
        )
        print(
            f"wrote {written.n_requests} requests ({written.n_samples} samples) to "
            f"{written.path}; {written.cached} were already answered (stored now)"
        )
        print(f"bring the answers back with: python -m analysis import-batch '{written.run}' "
              "RESULTS.jsonl")  # fmt: skip
        return 0
    report = run_batch(config, store, settings, _batch_options(args, options), wait=args.wait)
    for line in report_lines(report) or [f"run {report.run}: nothing to submit or collect"]:
        print(line)
    return 0


def batch_sweep(
    args: argparse.Namespace, configure: Callable[..., Any], cells: Sequence[tuple[Any, ...]],
    store: Any, settings: Any,
) -> int:  # fmt: skip
    """Run the batch cycle of every (preset, prompt[, mode]) cell of a sweep."""
    from analysis.batch.cycle import run_batch

    if args.batch_file is not None:
        raise _input_error("sweep writes no --batch-file: use `run --batch-file` per cell")
    failed = 0
    for cell in cells:
        config = configure(*cell)
        options = {**recorded_options(args), "model": cell[0], "prompt": cell[1],
                   "run_name": None, **({"mode": cell[2]} if len(cell) > 2 else {})}  # fmt: skip
        try:
            report = run_batch(config, store, settings, _batch_options(args, options))
        except Exception as exc:  # noqa: BLE001 - one cell's failure must not stop the others
            failed += 1
            print(f"{config.name}: {exc}", file=sys.stderr)
            continue
        for line in report_lines(report) or ["nothing to do"]:
            print(f"{config.name}: {line}")
    return 1 if failed else 0


def _input_error(message: str) -> Exception:
    from analysis.errors import InputError

    return InputError(message)


def register(subparsers: Any) -> None:
    """Add ``batch status|collect`` and ``import-batch``."""
    batch = subparsers.add_parser("batch", help="provider batches of runs: status, collect")
    verbs = batch.add_subparsers(dest="batch_command", required=True)
    status = verbs.add_parser("status", help="list the batches of every run (or of RUN)")
    status.add_argument("run", nargs="?")
    status.add_argument("--json", action="store_true", help="print JSON lines")
    status.add_argument(
        "--no-poll", action="store_true", help="show what is stored, without asking providers"
    )
    status.set_defaults(handler=handle_status)
    collect = verbs.add_parser("collect", help="poll RUN's batches, ingest finished ones")
    collect.add_argument("run")
    collect.add_argument("--batch-failed", choices=["pending", "sync"], default="pending")
    collect.add_argument("--batch-poll", type=float, default=0.0, metavar="SECONDS")
    collect.set_defaults(handler=handle_collect)
    imp = subparsers.add_parser(
        "import-batch", help="ingest a batch results file (vLLM run-batch, OpenAI) into RUN"
    )
    imp.add_argument("run", help="the run whose --batch-file produced the requests")
    imp.add_argument("results", type=Path, help="results JSONL (one file, or several shards)")
    imp.add_argument("more", type=Path, nargs="*", help="further result shards")
    imp.add_argument("--batch-failed", choices=["pending", "sync"], default="pending")
    imp.set_defaults(handler=handle_import)


def _run_rows(args: argparse.Namespace) -> tuple[Settings, Any, list[Any]]:
    from analysis.errors import NotFoundError
    from analysis.store import Store
    from analysis.store.batches import run_batches

    settings = Settings.from_env(db=args.db)
    store = Store(settings.db_path)
    rows = run_batches(store, getattr(args, "run", None))
    if getattr(args, "run", None) and not rows:
        raise NotFoundError(f"run {args.run!r} has no batches (start them with run --batch)")
    return settings, store, rows


def _config_of(rows: list[Any], args: argparse.Namespace) -> tuple[Settings, Any]:
    options = rows[-1].options
    settings = Settings.from_env(db=args.db, models=options.get("models"))
    return settings, config_from_options(options, settings)


def handle_status(args: argparse.Namespace) -> int:
    """Print every batch of every run (or of one run) as stored."""
    _, store, rows = _run_rows(args)
    if not args.no_poll:
        rows = _polled(args, store, rows)
    for row in rows:
        if args.json:
            print(json.dumps({k: str(v) if v is not None else None
                              for k, v in vars(row).items() if k != "options"}))  # fmt: skip
        else:
            print(f"{row.run}  {row.provider:<9} {row.batch_id or row.local_id}  {row.status:<11} "
                  f"{row.n_requests:>6} requests  {row.detail or ''}")  # fmt: skip
    if not rows:
        print("no batches")
    return 0


def _polled(args: argparse.Namespace, store: Any, rows: list[Any]) -> list[Any]:
    """Return ``rows`` with the open batches' states asked from their providers."""
    from analysis.batch.cycle import refresh_states
    from analysis.errors import GeoScopeError

    fresh: list[Any] = []
    for run in dict.fromkeys(row.run for row in rows):
        mine = [row for row in rows if row.run == run]
        if not any(row.open and row.batch_id for row in mine):
            fresh += mine
            continue
        try:
            settings, config = _config_of(mine, args)
            fresh += refresh_states(config, store, settings)
        except GeoScopeError as exc:  # a missing key or an unreachable provider: say so
            print(f"{run}: could not ask the provider ({exc}); stored states shown",
                  file=sys.stderr)  # fmt: skip
            fresh += mine
    return fresh


def handle_collect(args: argparse.Namespace) -> int:
    """Poll one run's batches, collect and ingest the finished ones (submit nothing)."""
    from analysis.batch.cycle import run_batch

    _, store, rows = _run_rows(args)
    settings, config = _config_of(rows, args)
    options = _batch_options(args, rows[-1].options, submit=False)
    report = run_batch(config, store, settings, options)
    for line in report_lines(report) or ["nothing to collect"]:
        print(line)
    return 0


def handle_import(args: argparse.Namespace) -> int:
    """Ingest results files of a run's --batch-file requests."""
    import asyncio

    from analysis.batch.files import import_batch_async

    _, store, rows = _run_rows(args)
    settings, config = _config_of(rows, args)
    options = _batch_options(args, rows[-1].options, submit=False)
    for path in [args.results, *args.more]:
        report = asyncio.run(import_batch_async(config, store, settings, path, options))
        print(f"{path}: " + "; ".join(report_lines(report) or ["nothing new"]))
    return 0
