"""``alias RUN [LABEL]``: set (or with ``--clear`` remove) the short name a run shows everywhere."""

from __future__ import annotations

import argparse
from typing import Any


def _cmd_alias(args: argparse.Namespace) -> int:
    from analysis.config import Settings
    from analysis.dashboard.names import alias_of, clean_alias, display_names, set_alias
    from analysis.errors import InputError
    from analysis.store import Store

    store = Store(Settings.from_env(db=args.db).db_path)
    label = None if args.clear else clean_alias(args.label)
    if label is None and not args.clear:
        raise InputError("give a LABEL (or --clear to remove the alias)")
    set_alias(store, args.run, label)  # NotFoundError names the known runs
    shown = display_names(store.list_runs()).get(args.run, args.run)
    stored = alias_of(store.run_info(args.run).get("params_json"))
    if stored is None:
        print(f"run {args.run!r}: alias removed; shown as {shown!r}")
    else:
        suffix = "" if shown == stored else f" (shown as {shown!r}: another run has that label)"
        print(f"run {args.run!r}: alias {stored!r}{suffix}")
    return 0


def register(subparsers: Any) -> None:
    """Add the alias command to the CLI."""
    p = subparsers.add_parser(
        "alias",
        help="set the short display name of a run (tables, legends, titles, exports)",
        description=(
            "Store LABEL as the run's display name (params_json key display_name). Without an "
            "alias a run is shown as model · prompt strategy · form. Full run names stay on "
            "hover and in CSV files."
        ),
    )
    p.add_argument("run", metavar="RUN", help="run name")
    p.add_argument("label", metavar="LABEL", nargs="?", help="the short name, e.g. 'GPT-4o basic'")
    p.add_argument("--clear", action="store_true", help="remove the alias")
    p.set_defaults(handler=_cmd_alias)
