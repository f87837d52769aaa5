"""``python -m analysis report --runs A,B --out DIR``: a static, offline HTML report with PNGs."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    """Add the ``report`` command."""
    parser = subparsers.add_parser(
        "report",
        help="write a static offline report (index.html + figures/*.png) for some runs",
        description=(
            "Write DIR/index.html (opens from disk with no network; plotly.js is written "
            "beside it) with the leaderboard and its 95% intervals, the failure map of the "
            "worst guesses, the per-country map with its colour scale, the confusion matrix "
            "of every country of the first run and, with two runs, their comparison; plus "
            "one PNG per figure in DIR/figures/ (charts need a local Chrome/Chromium)."
        ),
    )
    parser.add_argument("--runs", required=True, help="comma-separated run names (first: focus)")
    parser.add_argument("--out", required=True, help="output folder (created)")
    parser.add_argument("--no-png", action="store_true", help="skip the PNG files")
    parser.set_defaults(handler=run_report)


def run_report(args: argparse.Namespace) -> int:
    """Build the report and say where it is."""
    from analysis.config import Settings
    from analysis.report import build_report
    from analysis.store import Store

    runs = [r.strip() for r in str(args.runs).split(",") if r.strip()]
    store = Store(Settings.from_env(db=args.db).db_path)
    result = build_report(store, runs, args.out, png=not args.no_png)
    print(f"wrote {result.index} and {len(result.pngs)} PNG file(s)")
    for problem in result.problems:
        print(f"note: {problem}")
    return 0
