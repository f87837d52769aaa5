"""``python -m analysis demo [--remove]``: load or remove the SIMULATED demo data."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    """Add the ``demo`` command."""
    parser = subparsers.add_parser(
        "demo",
        help="load (or --remove) the SIMULATED demo dataset and runs",
        description=(
            "Load a SIMULATED demo: random truth points in real countries, placeholder images "
            "and three fake models (sim-neighbour, sim-refuser, sim-faroff) x three prompt "
            "strategies. Everything is marked simulated; --remove deletes every simulated "
            "dataset and run and the demo images. Real data is never touched."
        ),
    )
    parser.add_argument("--remove", action="store_true", help="delete all simulated data")
    parser.add_argument("--locations", type=int, default=240, help="distinct places (default 240)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    """Load or remove the demo and print what changed."""
    from analysis.config import Settings
    from analysis.demo import load_demo, remove_demo
    from analysis.errors import InputError
    from analysis.store import Store

    settings = Settings.from_env(db=args.db)
    store = Store(settings.db_path)
    if args.remove:
        removed = remove_demo(store, settings.cache_dir)
        print(f"removed {removed} simulated datasets/runs from {settings.db_path}")
        return 0
    if not 10 <= args.locations <= 20000:
        raise InputError(f"--locations must be between 10 and 20000, got {args.locations}")
    result = load_demo(store, settings.cache_dir, n_locations=args.locations, seed=args.seed)
    print(
        f"loaded SIMULATED demo into {settings.db_path}: dataset {result.dataset!r} with "
        f"{result.n_samples} images, {len(result.runs)} runs, {result.n_predictions} predictions; "
        f"placeholder images in {result.image_dir}"
    )
    print("remove it with: python -m analysis demo --remove")
    return 0
