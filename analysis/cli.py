"""Command-line interface: ``python -m analysis <command> --help``.

Each command family lives in its own module under ``analysis/commands`` and exposes
``register(subparsers)``; adding a command is one file plus one line in ``COMMAND_MODULES``.
Command modules must import heavy packages inside their handlers, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from analysis.errors import GeoScopeError

COMMAND_MODULES: tuple[str, ...] = (
    "analysis.commands.core",  # import, metrics, runs, datasets, compare, export, import-dataset
    "analysis.commands.relink",  # relink (image paths of a dataset)
    "analysis.commands.alias",  # alias (a run's display name)
    "analysis.commands.parse",  # parse, rescore
    "analysis.commands.run",  # run, export-finetune, models
    "analysis.commands.sweep",  # sweep (presets x prompt strategies)
    "analysis.commands.demo",  # demo
    "analysis.commands.report",  # report (static offline HTML + PNG figures)
    "analysis.commands.collect",  # collect streetview / mapillary
    "analysis.commands.finetune",  # finetune
    "analysis.commands.finetune_table",  # finetune-table (base vs fine-tuned)
    "analysis.commands.clues",  # clues (--jsonl, --run)
    "analysis.commands.batch",  # batch status|collect, import-batch (run --batch: run.py)
)


def build_parser() -> argparse.ArgumentParser:
    """Build the top-level parser with every available command registered."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="GeoScope: benchmark multimodal LLMs on image geolocation.",
    )
    parser.add_argument(
        "--db", help="DuckDB file (default: $GEOSCOPE_DB or cache/geoscope.duckdb)", default=None
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # that command family is not installed yet
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return the process exit code (0 ok, 1 user error, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        result = handler(args)
    except GeoScopeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        for problem in getattr(exc, "problems", [])[:50]:
            if problem != str(exc):  # a lone problem is often the message itself
                print(f"  - {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 141  # the reader (head, less) closed the pipe: stop quietly, as Unix tools do
    return int(result or 0)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # captured or replaced stdout: nothing to do
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)
