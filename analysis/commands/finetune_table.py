"""CLI: ``finetune-table`` (LLMGeo's before/after table: base vs fine-tuned per prompt strategy).

Heavy modules (pandas, the store, metrics) are imported inside the handler so ``--help`` is fast.
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from analysis.errors import InputError


def register(subparsers: Any) -> None:
    """Add the finetune-table command."""
    parser = subparsers.add_parser(
        "finetune-table",
        help="fine-tuned runs beside their base model's run: accuracy, paired gain, McNemar",
        description=(
            "Pair every run of a fine-tuned model with a run of its base model (from the model's "
            "card) on the same dataset split, prompt strategy and form, and print both country "
            "accuracies, the gain with a 95% paired bootstrap interval (locations resampled) "
            "and McNemar's exact p-value."
        ),
    )
    parser.add_argument("--dataset", help="only runs of this dataset")
    parser.add_argument("--json", action="store_true", help="print JSON records instead")
    parser.add_argument(
        "--resamples", type=int, default=1000, help="bootstrap resamples for the interval (1000)"
    )
    parser.set_defaults(handler=handle_finetune_table)


def _json_value(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def handle_finetune_table(args: argparse.Namespace) -> int:
    """Print the base vs fine-tuned table."""
    from analysis.config import Settings
    from analysis.dashboard.finetune_view import (
        display_finetune_table,
        finetune_table,
        pair_finetuned_runs,
    )
    from analysis.metrics import paired_comparison
    from analysis.store import Store

    if args.resamples < 1:
        raise InputError(f"--resamples must be >= 1, got {args.resamples}")
    store = Store(Settings.from_env(db=args.db).db_path)
    pairs = pair_finetuned_runs(store.list_runs(args.dataset))

    def compare(finetuned: str, base: str) -> Any:
        return paired_comparison(
            store.run_frame(finetuned), store.run_frame(base), n_resamples=args.resamples
        )

    table = finetune_table(pairs, compare)
    if args.json:
        records = [{k: _json_value(v) for k, v in row.items()} for row in table.to_dict("records")]
        print(json.dumps(records, indent=2, ensure_ascii=False))
        return 0
    if table.empty:
        print("no run of a fine-tuned model in the store (python -m analysis finetune --evaluate)")
        return 0
    print(display_finetune_table(table).to_string(index=False))
    return 0
