"""Fine-tuned runs beside their base model: where each run was evaluated, leakage flags, and
LLMGeo's before/after table (base vs fine-tuned per prompt strategy, with the paired gain).

Everything is read from ``Store.list_runs`` rows: the runner copies a fine-tuned model's card
into the run's params (``finetune``: base model, lineage, the leakage guard's record).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

LEAKAGE_MARK = "⚠ overlaps training"
TABLE_COLUMNS = (
    "dataset", "evaluated_on", "prompt_strategy", "form", "base_model", "finetuned_model",
    "trained_on", "n", "base_accuracy", "finetuned_accuracy", "gain", "gain_low", "gain_high",
    "mcnemar_p", "only_finetuned", "only_base", "finetuned_run", "base_run", "leakage",
)  # fmt: skip


def run_params(params_json: object) -> dict[str, Any]:
    """Return a run's stored params as a dict ({} when absent or unreadable)."""
    if isinstance(params_json, dict):
        return params_json
    if not isinstance(params_json, str) or not params_json:
        return {}
    try:
        value = json.loads(params_json)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _card(params: Mapping[str, Any]) -> dict[str, Any] | None:
    card = params.get("finetune")
    return card if isinstance(card, dict) else None


def evaluated_on(dataset: object, params_json: object) -> str:
    """Return "DATASET/SPLIT" a run scored ("DATASET/all" when no split was chosen)."""
    split = run_params(params_json).get("split")
    return f"{dataset}/{split}" if split else f"{dataset}/all"


def leakage_warning(params_json: object) -> str | None:
    """Return the warning for a run scored despite overlapping its model's training samples."""
    card = _card(run_params(params_json))
    record = card.get("leakage") if card else None
    if not isinstance(record, dict) or not record.get("override"):
        return None
    return (
        f"{LEAKAGE_MARK}: {record.get('overlapping_samples', '?')} of "
        f"{record.get('checked_samples', '?')} samples share a place or image with the training "
        "samples (run with --allow-leakage)"
    )


def leakage_warnings(runs: pd.DataFrame, names: Sequence[str]) -> list[str]:
    """Return one "run NAME: warning" line per named run scored despite leakage (any page)."""
    chosen = runs[runs["name"].isin(list(names))]
    lines = []
    for name, params in zip(chosen["name"], chosen["params_json"], strict=True):
        warning = leakage_warning(params)
        if warning:
            lines.append(f"run {name}: {warning}")
    return lines


def trained_on(params_json: object) -> str | None:
    """Return what a fine-tuned run's model learnt from ("syn/train+syn/extra (full)")."""
    card = _card(run_params(params_json))
    if card is None:
        return None
    lineage = card.get("lineage")
    sources = lineage.get("sources") if isinstance(lineage, dict) else None
    if isinstance(sources, list) and sources:
        where = "+".join(str(s.get("source")) for s in sources if isinstance(s, dict))
    else:
        where = "/".join(str(card[k]) for k in ("dataset", "split") if card.get(k))
    method = f" ({card['method']})" if card.get("method") else ""
    return (where or "a JSONL file") + method


def run_context(runs: pd.DataFrame) -> pd.DataFrame:
    """Return, per run (``name``), ``evaluated_on`` and ``leakage_warning`` for the leaderboard."""
    if runs.empty:
        return pd.DataFrame(columns=["run", "evaluated_on", "leakage_warning"])
    params = runs["params_json"] if "params_json" in runs else pd.Series(None, index=runs.index)
    return pd.DataFrame(
        {
            "run": runs["name"].astype(str).to_numpy(),
            "evaluated_on": [
                evaluated_on(d, p) for d, p in zip(runs["dataset"], params, strict=True)
            ],
            "leakage_warning": [leakage_warning(p) for p in params],
        }
    )


def _same_model(a: object, b: object) -> bool:
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    if a == b:
        return True

    def norm(x: str) -> str:
        return os.path.normpath(os.path.expanduser(x)).rstrip("/")

    return norm(a) == norm(b)


def pair_finetuned_runs(runs: pd.DataFrame) -> pd.DataFrame:
    """Pair each fine-tuned run with a run of its base model on the same data and prompt.

    Same dataset, split, prompt strategy and answer form; the base run is a run of the card's
    ``base_model`` that is not itself fine-tuned (the latest one when several qualify).
    Fine-tuned runs without such a run are kept with ``base_run`` None.
    """
    columns = ["finetuned_run", "base_run", "dataset", "evaluated_on", "prompt_strategy", "form",
               "base_model", "finetuned_model", "trained_on", "leakage"]  # fmt: skip
    if runs.empty or "params_json" not in runs:
        return pd.DataFrame(columns=columns)
    order = "started_at" if "started_at" in runs else "name"
    records = runs.sort_values(order, na_position="first", kind="stable").to_dict("records")
    for record in records:
        record["_params"] = run_params(record.get("params_json"))
        record["_where"] = evaluated_on(record.get("dataset"), record.get("params_json"))
    bases = [r for r in records if _card(r["_params"]) is None]
    rows = []
    for run in records:
        card = _card(run["_params"])
        if card is None:
            continue
        key = (run["_where"], run.get("prompt_strategy"), run["_params"].get("form"))
        matches = [
            b for b in bases
            if (b["_where"], b.get("prompt_strategy"), b["_params"].get("form")) == key
            and _same_model(b.get("model"), card.get("base_model"))
        ]  # fmt: skip
        rows.append(
            {
                "finetuned_run": str(run["name"]),
                "base_run": str(matches[-1]["name"]) if matches else None,
                "dataset": run.get("dataset"),
                "evaluated_on": run["_where"],
                "prompt_strategy": run.get("prompt_strategy"),
                "form": run["_params"].get("form"),
                "base_model": card.get("base_model"),
                "finetuned_model": run.get("model"),
                "trained_on": trained_on(run.get("params_json")),
                "leakage": leakage_warning(run.get("params_json")) is not None,
            }
        )
    return pd.DataFrame(rows, columns=columns)


def finetune_table(pairs: pd.DataFrame, compare: Callable[[str, str], Any]) -> pd.DataFrame:
    """Return base vs fine-tuned country accuracy per pair, with the paired gain and McNemar.

    ``compare(finetuned_run, base_run)`` returns ``analysis.metrics.PairedComparison`` (A is the
    fine-tuned run, so every difference is the gain over the base model).
    """
    rows = []
    for pair in pairs.to_dict("records"):
        row = {k: pair.get(k) for k in TABLE_COLUMNS if k in pair}
        row.update(
            n=0, base_accuracy=math.nan, finetuned_accuracy=math.nan, gain=math.nan,
            gain_low=math.nan, gain_high=math.nan, mcnemar_p=math.nan,
            only_finetuned=0, only_base=0,
        )  # fmt: skip
        if isinstance(pair.get("base_run"), str) and pair["base_run"]:  # None may read as NaN
            result = compare(str(pair["finetuned_run"]), str(pair["base_run"]))
            row.update(
                n=result.n,
                base_accuracy=result.accuracy_b,
                finetuned_accuracy=result.accuracy_a,
                gain=result.diff_accuracy.estimate,
                gain_low=result.diff_accuracy.low,
                gain_high=result.diff_accuracy.high,
                mcnemar_p=result.mcnemar_p,
                only_finetuned=result.only_a,
                only_base=result.only_b,
            )
        rows.append(row)
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


def _share(value: object) -> str:
    return "–" if not isinstance(value, float) or not math.isfinite(value) else f"{value:.1%}"


def display_finetune_table(table: pd.DataFrame) -> pd.DataFrame:
    """Return the before/after table as text cells for people (shares in %, gain in points)."""
    from analysis.dashboard.leaderboard import model_label

    out = pd.DataFrame(
        {
            "evaluated on": table["evaluated_on"],
            "prompt": table["prompt_strategy"]
            .astype(object)
            .where(table["prompt_strategy"].notna(), "(none)"),
            "base model": table["base_model"].map(model_label),
            "fine-tuned": table["finetuned_model"].map(model_label),
            "trained on": table["trained_on"],
            "n": table["n"].astype(int),
            "base": table["base_accuracy"].map(_share),
            "fine-tuned acc.": table["finetuned_accuracy"].map(_share),
        }
    )
    gains = []
    for gain, low, high in zip(table["gain"], table["gain_low"], table["gain_high"], strict=True):
        if not math.isfinite(gain):
            gains.append("no base run")
            continue
        gains.append(f"{gain * 100:+.1f} pts [{low * 100:+.1f}, {high * 100:+.1f}]")
    out["gain (95% CI)"] = gains
    out["McNemar p"] = [
        "–" if not math.isfinite(p) else ("<0.001" if p < 0.001 else f"{p:.3f}")
        for p in table["mcnemar_p"]
    ]
    out["leakage"] = ["⚠" if flag else "" for flag in table["leakage"]]
    return out


def leakage_notes(lb: pd.DataFrame) -> list[str]:
    """Return one "run NAME: warning" line per run scored despite leakage (leaderboard rows)."""
    if "leakage_warning" not in lb:
        return []
    return [
        f"run {run}: {warning}"
        for run, warning in zip(lb["run"], lb["leakage_warning"], strict=True)
        if isinstance(warning, str) and warning
    ]
