"""``relink DATASET [--root DIR]``: re-point a dataset's image paths at where the images are."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

_SHOWN = 10


def _cmd_relink(args: argparse.Namespace) -> int:
    from analysis.config import Settings
    from analysis.datasets.relink import relink_dataset
    from analysis.store import Store

    store = Store(Settings.from_env(db=args.db).db_path)
    root = Path(args.root) if args.root else None
    report = relink_dataset(store, args.dataset, root, dry_run=args.dry_run)
    verb = "would re-point" if args.dry_run else "re-pointed"
    print(
        f"dataset {report.dataset!r}: {report.n_images} images; {report.n_in_place} already in "
        f"place, {verb} {report.n_relinked} under {report.root}, {len(report.missing)} not found"
    )
    for path in report.missing[:_SHOWN]:
        print(f"  - not found: {path}", file=sys.stderr)
    if len(report.missing) > _SHOWN:
        print(f"  - and {len(report.missing) - _SHOWN} more", file=sys.stderr)
    if report.missing and not args.root:
        print(
            "pass --root DIR: the folder the images (or their folders) are in now", file=sys.stderr
        )
    return 0


def register(subparsers: Any) -> None:
    """Add the relink command to the CLI."""
    p = subparsers.add_parser(
        "relink",
        help="re-point a dataset's image paths at where the images are now",
        description=(
            "Find each image of DATASET that is not where its stored path says under DIR (by "
            "default the folder of the manifest it was imported from), by the longest tail of "
            "its stored path that exists there; a recorded sha256 must match. Found paths are "
            "stored absolute, so every command finds them from any folder."
        ),
    )
    p.add_argument("dataset", metavar="DATASET", help="dataset name")
    p.add_argument("--root", metavar="DIR", help="folder holding the images now")
    p.add_argument("--dry-run", action="store_true", help="report only, change nothing")
    p.set_defaults(handler=_cmd_relink)
