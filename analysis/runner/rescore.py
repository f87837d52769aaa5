"""Re-parse the stored raw replies of a run with the current parser; no model is called.

Only rows whose reading changes are rewritten, in one transaction (``Store.add_predictions``
replaces rows by sample id), so a rescore interrupted half-way leaves the run as it was. Which
rows change is decided by ``analysis.parsing.rescore``. Runs of adapters that answer with
structured predictions rather than text (``Capabilities.structured``) are refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from analysis.errors import InputError
from analysis.models import MODELS
from analysis.parsing.rescore import opt, rescore_rows
from analysis.store import Store


@dataclass(frozen=True)
class RescoreReport:
    """What a rescore found and changed."""

    run: str
    n_rows: int
    n_reparsed: int
    n_changed: int
    n_skipped_api_error: int
    n_skipped_no_raw: int
    written: bool
    transitions: Mapping[tuple[str, str], int] = field(default_factory=dict)  # (old, new) status
    dry_run: bool = False

    def summary(self) -> str:
        """Return a few human-readable lines."""
        # Keyed on dry_run, not written: a real rescore with nothing to change rewrote 0.
        verb = "would rewrite" if self.dry_run else "rewrote"
        lines = [
            (
                f"run {self.run!r}: {self.n_rows} predictions, {self.n_reparsed} re-parsed, "
                f"{verb} {self.n_changed}; kept {self.n_skipped_api_error} api_error and "
                f"{self.n_skipped_no_raw} without a raw reply"
            )
        ]
        for (old, new), count in sorted(self.transitions.items(), key=lambda kv: -kv[1]):
            lines.append(f"  {old} -> {new}: {count}")
        return "\n".join(lines)


def _structured(adapter: Any) -> bool:
    """Return True when ``adapter`` names a registered adapter answering without text."""
    return (
        isinstance(adapter, str)
        and adapter in MODELS
        and MODELS.get(adapter).CAPABILITIES.structured
    )


def rescore_run(store: Store, run: str, *, dry_run: bool = False) -> RescoreReport:
    """Re-parse every stored raw reply of ``run`` and rewrite the predictions that change."""
    info = store.run_info(run)  # NotFoundError for an unknown run
    adapter = opt(info.get("adapter"))
    if _structured(adapter):
        raise InputError(
            f"run {run!r} was made by the {adapter!r} adapter, which answers with structured "
            "predictions, not text: there is nothing to re-parse"
        )
    frame = store.run_frame(run, with_raw=True)
    rows = frame.to_dict("records", into=dict[str, Any]())
    changed, counts, transitions = rescore_rows(rows)
    if changed and not dry_run:
        store.add_predictions(run, changed)
    return RescoreReport(
        run=run,
        n_rows=len(rows),
        n_reparsed=counts["reparsed"],
        n_changed=len(changed),
        n_skipped_api_error=counts["api_error"],
        n_skipped_no_raw=counts["no_raw"],
        written=bool(changed) and not dry_run,
        transitions=dict(transitions),
        dry_run=dry_run,
    )
