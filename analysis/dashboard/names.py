"""Short, readable, unique display names for runs (tables, legends, titles, exports).

A run's full name is an identifier (``gpt-4o-2024-08-06-dynamic_kshot_shuffled-coords-v3``); on a
slide it should read ``gpt-4o · dynamic 5-shot shuffled · coords``. The label is built from the
run's model, prompt strategy and answer form, unless the user set an alias: the ``display_name``
key of the run's ``params_json`` (no schema change; ``python -m analysis alias RUN "Label"``).
Labels are unique among the runs passed in: two runs never share one (collisions get the part of
the run name that tells them apart, then a number). Full names stay on hover and in CSV files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

DISPLAY_NAME_KEY = "display_name"
MAX_LABEL_CHARS = 48
SEP = " · "

_STRATEGY_WORDS: dict[str, str] = {
    "basic": "basic",
    "must": "must",
    "tips": "tips",
    "static_kshot": "static k-shot",
    "dynamic_kshot": "dynamic k-shot",
    "static_kshot_shuffled": "static k-shot shuffled",
    "dynamic_kshot_shuffled": "dynamic k-shot shuffled",
}
# control characters and line breaks would break a one-line legend or table cell
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def clean_alias(text: object) -> str | None:
    """Return an alias as one trimmed line (at most ``MAX_LABEL_CHARS``), None when empty."""
    if not isinstance(text, str):
        return None
    line = " ".join(_CONTROL.sub(" ", text).split())
    return line[:MAX_LABEL_CHARS] or None


def alias_of(params_json: object) -> str | None:
    """Return the alias stored in a run's ``params_json`` (None when absent or unreadable)."""
    if not isinstance(params_json, str) or DISPLAY_NAME_KEY not in params_json:
        return None
    try:
        params = json.loads(params_json)
    except ValueError:
        return None
    return clean_alias(params.get(DISPLAY_NAME_KEY)) if isinstance(params, dict) else None


def with_alias(params_json: object, alias: str | None) -> str:
    """Return ``params_json`` with the alias set (or removed when ``alias`` is empty/None)."""
    try:
        params = json.loads(params_json) if isinstance(params_json, str) and params_json else {}
    except ValueError:
        params = {}
    if not isinstance(params, dict):
        params = {}
    cleaned = clean_alias(alias)
    if cleaned is None:
        params.pop(DISPLAY_NAME_KEY, None)
    else:
        params[DISPLAY_NAME_KEY] = cleaned
    return json.dumps(params, sort_keys=True)


def _form_of(params_json: object) -> str | None:
    if not isinstance(params_json, str) or '"form"' not in params_json:
        return None
    try:
        params = json.loads(params_json)
    except ValueError:
        return None
    form = params.get("form") if isinstance(params, dict) else None
    return str(form) if form else None


def _short_model(model: object) -> str | None:
    """Drop a provider or folder prefix: ``openai/gpt-4o`` -> ``gpt-4o``."""
    if not isinstance(model, str) or not model.strip():
        return None
    return model.strip().rstrip("/").rsplit("/", 1)[-1] or None


def _truncate(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def base_label(run: Mapping[str, Any]) -> str:
    """Return a run's label before disambiguation: its alias, else model · strategy · form.

    ``run`` is a ``Store.list_runs`` row (name, model, prompt_strategy, params_json); a run with
    no model falls back to its name.
    """
    alias = alias_of(run.get("params_json"))
    if alias:
        return alias
    model = _short_model(run.get("model"))
    name = str(run.get("name"))
    if model is None:
        return _truncate(name)
    strategy = run.get("prompt_strategy")
    parts = [model]
    if isinstance(strategy, str) and strategy.strip():
        parts.append(_STRATEGY_WORDS.get(strategy, strategy.replace("_", " ")))
    form = _form_of(run.get("params_json"))
    if form and form != "country":  # country answers are the LLMGeo default: say only the odd one
        parts.append(form)
    return _truncate(SEP.join(parts))


def _distinguishing_tail(name: str, others: Sequence[str]) -> str:
    """Return the shortest end of ``name`` (whole ``-``/``_`` parts) that no other name ends with."""
    pieces = re.split(r"(?<=[-_. ])", name)
    for start in range(len(pieces) - 1, -1, -1):
        tail = "".join(pieces[start:])
        if not any(o.endswith(tail) for o in others):
            return tail.strip("-_. ") or name
    return name


# shown as the prompt of a run whose adapter reads no prompt (retrieval, GeoCLIP): the runner
# still records its default strategy, which would read as if "basic" had been asked
NO_PROMPT = "no prompt"


def uses_prompt(adapter: object) -> bool:
    """Return False for adapters that answer without a prompt (declared ``structured``).

    Decided from the adapter's declared capabilities, never from its name; an unknown adapter
    (an imported file, a removed plugin) is assumed to have been prompted.
    """
    if not isinstance(adapter, str) or not adapter:
        return True
    from analysis.models import MODELS

    try:
        return not MODELS.get(adapter).CAPABILITIES.structured
    except Exception:  # noqa: BLE001 - unregistered or not importable here: keep the record
        return True


def with_prompt_fields(runs: pd.DataFrame) -> pd.DataFrame:
    """Return ``list_runs`` rows with the prompt strategy blanked for prompt-less adapters."""
    if "adapter" not in runs or runs.empty:
        return runs
    prompted = runs["adapter"].map(uses_prompt).astype(bool)
    if prompted.all():
        return runs
    out = runs.copy()
    out["prompt_strategy"] = out["prompt_strategy"].astype(object).where(prompted, NO_PROMPT)
    return out


def display_names(runs: pd.DataFrame) -> dict[str, str]:
    """Return run name -> unique display label for every row of a ``list_runs`` frame.

    Order-independent: the same runs give the same labels whatever order the frame is in.
    A run whose adapter reads no prompt is labelled "no prompt" (``with_prompt_fields``), so
    every page and export names it alike.
    """
    if runs.empty:
        return {}
    runs = with_prompt_fields(runs)
    records = sorted(runs.to_dict("records", into=dict[str, Any]()), key=lambda r: str(r["name"]))
    labels = {str(r["name"]): base_label(r) for r in records}
    by_label: dict[str, list[str]] = {}
    for name, label in labels.items():
        by_label.setdefault(label, []).append(name)
    for label, names in by_label.items():
        if len(names) < 2:
            continue
        for name in names:
            tail = _distinguishing_tail(name, [n for n in names if n != name])
            labels[name] = f"{label} ({_truncate(tail, 24)})"
    # last resort (a tail truncated away, or a label equal to another's disambiguated one)
    seen: set[str] = set()
    for name in sorted(labels):
        label, k = labels[name], 2
        while label in seen:
            label = f"{labels[name]} #{k}"
            k += 1
        labels[name] = label
        seen.add(label)
    return labels


def label_for(labels: Mapping[str, str], run: str) -> str:
    """Return the display label of ``run``, or the run name itself when it has none."""
    return labels.get(run, run)


def with_display_column(
    frame: pd.DataFrame, labels: Mapping[str, str], column: str = "run", new: str = "label"
) -> pd.DataFrame:
    """Return ``frame`` with a ``new`` column of labels placed before ``column`` (kept)."""
    if column not in frame:
        return frame
    out = frame.copy()
    out.insert(
        list(out.columns).index(column), new, out[column].map(lambda r: label_for(labels, str(r)))
    )
    return out


def set_alias(store: Any, run: str, alias: str | None) -> str | None:
    """Store (or with None/"" remove) a run's alias in its params_json; return what was stored.

    ``store`` is an ``analysis.store.Store``; NotFoundError when the run does not exist.
    """
    info = store.run_info(run)
    store.set_run_params(run, with_alias(info.get("params_json"), alias))
    return clean_alias(alias)
