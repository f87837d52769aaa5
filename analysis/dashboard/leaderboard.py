"""Leaderboard tables: per-run metrics with 95% CIs, formatting by unit, pivots, ranking.

Direction, unit, labels, formats and the table each metric belongs to (its ``group``) come from
``analysis.metrics.METRICS``; nothing here names a metric, so a newly registered one reaches every
table and the CSV export.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

import numpy as np
import pandas as pd

from analysis.dashboard.finetune_view import (
    LEAKAGE_MARK,
    evaluated_on,
    leakage_warning,
    run_params,
    trained_on,
)
from analysis.dashboard.names import display_names, with_prompt_fields
from analysis.dashboard.text import MISSING_CELL

RUN_COLUMNS: tuple[str, ...] = ("run", "dataset", "model", "prompt_strategy", "is_simulated")
# shown for a run field nobody recorded (an imported file names no prompt strategy)
NOT_RECORDED = "(none)"


@dataclass(frozen=True)
class RunSummary:
    """Metrics of one run with their bootstrap intervals and its total cost."""

    run: str
    metrics: Mapping[str, float]
    low: Mapping[str, float] = field(default_factory=dict)
    high: Mapping[str, float] = field(default_factory=dict)
    cost_usd: float | None = None
    n_resamples: int = 0


def summarize_run(
    frame: pd.DataFrame, run: str, n_resamples: int = 1000, seed: int = 0
) -> RunSummary:
    """Compute every metric of one run's evaluation frame with location-clustered 95% CIs."""
    from analysis.metrics import bootstrap_ci, compute_metrics

    metrics = {k: float(v) for k, v in compute_metrics(frame).items()}
    low: dict[str, float] = {}
    high: dict[str, float] = {}
    if n_resamples > 0 and len(frame):
        for name, ci in bootstrap_ci(frame, n_resamples=n_resamples, seed=seed).items():
            low[name], high[name] = float(ci.low), float(ci.high)
    cost = None
    if "cost_usd" in frame and frame["cost_usd"].notna().any():
        cost = float(frame["cost_usd"].sum(skipna=True))
    return RunSummary(run, metrics, low, high, cost, n_resamples)


def headline_metrics() -> tuple[str, ...]:
    """Return the metrics of the headline tables (group "headline"), in display order."""
    from analysis.metrics import group_metrics

    return group_metrics("headline")


def coverage_metrics() -> tuple[str, ...]:
    """Return the metrics of the coverage table (group "coverage"), in display order."""
    from analysis.metrics import group_metrics

    return group_metrics("coverage")


def metric_specs(names: Iterable[str] | None = None) -> list[Any]:
    """Return registered MetricSpecs (all, or those named, in the order given)."""
    from analysis.metrics import METRICS

    wanted = list(METRICS) if names is None else [n for n in names if n in METRICS]
    return [METRICS.get(n) for n in wanted]


def model_label(model: object) -> object:
    """Show a model stored as a local folder path by the folder's name.

    Local models (a fine-tuned folder, a downloaded checkpoint) are recorded by their absolute
    path, which would fill a table column; a Hugging Face id (``org/name``) is kept as it is.
    """
    if not isinstance(model, str):
        return model
    if re.match(r"^[A-Za-z]:[\\/]", model):  # a Windows path, read on any system
        return PureWindowsPath(model).name or model
    if model.startswith(("/", "~", "./", "../")):
        return PurePosixPath(model.rstrip("/")).name or model
    return model


def finetune_label(params_json: object) -> str | None:
    """Return "DATASET/SPLIT (method)" for a run of a fine-tuned model, None for any other run.

    The runner copies the fine-tuning card into the run's params (``finetune``), so training-free
    and fine-tuned runs of one base model can stand side by side, as in LLMGeo; several training
    sources read "a/train+a/extra (method)".
    """
    return trained_on(params_json)


def run_field(runs: pd.DataFrame, column: str) -> pd.Series:
    """Return a run column as shown to people (model paths by folder name, missing as "(none)")."""
    values = runs[column].map(model_label) if column == "model" else runs[column]
    return values.astype(object).where(values.notna(), NOT_RECORDED).astype(str)


def input_mode(params_json: object) -> tuple[str, str]:
    """Return a run's input mode and scoring unit ("image", or "location" for all-views)."""
    params = run_params(params_json)  # runs from before input modes were images, one by one
    return str(params.get("mode") or "image"), str(params.get("level") or "image")


def unit_parts(lb: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Split runs by scoring unit, images first: one CI axis never mixes their denominators."""
    units = lb["unit"] if "unit" in lb else pd.Series("image", index=lb.index)
    return [(u, lb[units == u]) for u in sorted(set(units), key=lambda u: (u != "image", u))]


def leaderboard_frame(runs: pd.DataFrame, summaries: Mapping[str, RunSummary]) -> pd.DataFrame:
    """Join run metadata (``Store.list_runs``) with summaries: one row per run.

    Columns: run metadata, ``cost_usd``, then for each metric ``<name>``, ``<name>__low``,
    ``<name>__high``.
    """
    # a count (n) has a bootstrap "interval" only by accident of resampling: never shown
    counts = {spec.name for spec in metric_specs() if spec.unit == "count"}
    runs = with_prompt_fields(runs)
    labels = display_names(runs) if "name" in runs else {}
    rows: list[dict[str, Any]] = []
    for meta in runs.to_dict("records"):
        name = str(meta.get("name", meta.get("run")))
        summary = summaries.get(name)
        if summary is None:
            continue
        row: dict[str, Any] = {c: meta.get(c) for c in RUN_COLUMNS if c != "run"}
        row["model"] = model_label(row.get("model"))
        row["fine_tuned_on"] = finetune_label(meta.get("params_json"))
        row["evaluated_on"] = evaluated_on(meta.get("dataset"), meta.get("params_json"))
        row["leakage_warning"] = leakage_warning(meta.get("params_json"))
        row["mode"], row["unit"] = input_mode(meta.get("params_json"))
        row["run"] = name
        row["label"] = labels.get(name, name)
        row["is_simulated"] = bool(meta.get("is_simulated") or False)
        row["cost_usd"] = summary.cost_usd
        for metric, value in summary.metrics.items():
            row[metric] = value
            if metric in summary.low and metric not in counts:
                row[f"{metric}__low"] = summary.low[metric]
                row[f"{metric}__high"] = summary.high.get(metric, math.nan)
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=[*RUN_COLUMNS, "cost_usd"])
    front = [c for c in RUN_COLUMNS if c in frame]
    return frame[front + [c for c in frame.columns if c not in front]]


def format_value(value: float | None, unit: str) -> str:
    """Format one metric value for people: shares as %, distances in km, counts with commas."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return MISSING_CELL
    if unit == "share":
        return f"{value:.1%}"
    if unit == "km":
        return f"{value:,.0f} km" if value >= 10 else f"{value:,.1f} km"
    if unit == "usd":
        return f"${value:,.2f}"
    return f"{value:,.0f}"


def format_interval(low: float, high: float, unit: str) -> str:
    """Format a CI as ``[low, high]`` in the metric's unit."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return ""
    if unit == "share":
        return f"[{low * 100:.1f}, {high * 100:.1f}]"
    return f"[{low:,.0f}, {high:,.0f}]"


def display_table(lb: pd.DataFrame, metrics: Sequence[str], with_ci: bool = True) -> pd.DataFrame:
    """Return a people-readable table: one text cell per metric, ``value [low, high]``."""
    specs = {s.name: s for s in metric_specs(metrics)}
    out = pd.DataFrame({"run": lb["run"]})
    for col in ("model", "prompt_strategy", "mode", "unit", "dataset"):
        if col in lb:
            out[col] = lb[col].astype(object).where(lb[col].notna(), NOT_RECORDED)
    if "fine_tuned_on" in lb and lb["fine_tuned_on"].notna().any():  # only when one run is
        out["fine-tuned on"] = (
            lb["fine_tuned_on"].astype(object).where(lb["fine_tuned_on"].notna(), MISSING_CELL)
        )
    out["evaluated on"] = _evaluated_cells(lb)
    out["data"] = np.where(lb["is_simulated"].astype(bool), "SIMULATED", "real")
    if "n" in lb:
        out["n"] = lb["n"].map(lambda v: format_value(v, "count"))
    for name, spec in specs.items():
        if name not in lb:
            continue
        cells = []
        nan = pd.Series(math.nan, index=lb.index)
        lows, highs = lb.get(f"{name}__low", nan), lb.get(f"{name}__high", nan)
        for v, lo, hi in zip(lb[name], lows, highs, strict=True):
            text = format_value(v, spec.unit)
            ci = format_interval(lo, hi, spec.unit) if with_ci else ""
            cells.append(f"{text} {ci}".strip())
        out[spec.label] = cells
    if "cost_usd" in lb:
        out["cost"] = lb["cost_usd"].map(lambda v: format_value(v, "usd"))
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class ColumnSpec:
    """How the dashboard shows one numeric column: title, printf format, tooltip."""

    title: str
    fmt: str
    help: str


def _evaluated_cells(lb: pd.DataFrame) -> list[str]:
    """Return "DATASET/SPLIT" per row, marked when the run overrode the leakage guard."""
    where = lb.get("evaluated_on", lb.get("dataset", pd.Series("", index=lb.index)))
    flags = lb.get("leakage_warning", pd.Series(None, index=lb.index))
    return [
        f"{w} {LEAKAGE_MARK}" if isinstance(f, str) and f else str(w)
        for w, f in zip(where, flags, strict=True)
    ]


def headline_frame(lb: pd.DataFrame, metrics: Sequence[str]) -> pd.DataFrame:
    """Return the compact headline table: run label, model, prompt, n and metric values.

    Values stay numbers (sortable in the table); shares become percentages (0-100) so that
    every page prints them with one decimal. Full run names are in the CSV and the CI table.
    """
    out = pd.DataFrame({"run": lb.get("label", lb["run"]).astype(str)})
    out["model"] = run_field(lb, "model") if "model" in lb else NOT_RECORDED
    out["prompt"] = run_field(lb, "prompt_strategy") if "prompt_strategy" in lb else NOT_RECORDED
    if "mode" in lb and set(lb["mode"]) != {"image"}:  # compact: only once another mode ran
        out["mode"], out["unit"] = lb["mode"].astype(str), lb["unit"].astype(str)
    evaluated = _evaluated_cells(lb)
    if len(set(evaluated)) > 1 or any(LEAKAGE_MARK in cell for cell in evaluated):
        out["evaluated on"] = evaluated  # compact: shown when splits differ or a run leaked
    if "n" in lb:
        out["n"] = lb["n"].astype(float)
    for spec in metric_specs(metrics):
        if spec.name in lb:
            values = lb[spec.name].astype(float)
            out[spec.name] = values * 100.0 if spec.unit == "share" else values
    return out.reset_index(drop=True)


def headline_columns(metrics: Sequence[str]) -> dict[str, ColumnSpec]:
    """Return the display spec of each headline column (short titles, units in the format)."""
    cols = {"n": ColumnSpec("n", "%d", "images scored")}
    for spec in metric_specs(metrics):
        cols[spec.name] = ColumnSpec(spec.short_label, spec.fmt, spec.label)
    return cols


# titles of the headline table's text columns (the numeric ones come from headline_columns)
HEADLINE_TEXT_TITLES = {"run": "Run", "model": "Model", "prompt": "Prompt"}


def headline_display(
    table: pd.DataFrame, columns: Mapping[str, ColumnSpec]
) -> tuple[pd.DataFrame, dict[str, Callable[[Any], str]]]:
    """Return a headline table under its short titles, and how to print each metric column.

    For a static table (presentation mode, ``text.inert_table``): metric columns stay numbers,
    so the table right-aligns them, and each prints in its spec's format ("32.8%", "1963 km").
    Text cells are left as they are: they hold untrusted names, which ``inert_table`` escapes.
    """
    out = table.rename(
        columns={
            name: columns[name].title if name in columns else HEADLINE_TEXT_TITLES.get(name, name)
            for name in table.columns
        }
    )
    formats = {
        spec.title: _printer(spec.fmt) for name, spec in columns.items() if name in table.columns
    }
    return out, formats


def _printer(fmt: str) -> Callable[[Any], str]:
    """Return a function that prints a value with the %-format `fmt`."""

    def show(value: Any) -> str:
        return str(fmt % value)

    return show


def export_frame(lb: pd.DataFrame) -> pd.DataFrame:
    """Return the leaderboard for CSV: full run names, labels, values and ``_ci95_low/high``.

    Interval columns exist only for metrics that have an interval (never ``n``).
    """
    out = lb.copy()
    out.columns = [
        c.replace("__low", "_ci95_low").replace("__high", "_ci95_high") for c in out.columns
    ]
    empty = [c for c in out.columns if c.endswith(("_ci95_low", "_ci95_high"))]
    empty = [c for c in empty if out[c].isna().all()]
    return out.drop(columns=empty)


def interval_rows(lb: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Return label, estimate, low, high, n, run rows of one metric (for a CI chart)."""
    nan = pd.Series(math.nan, index=lb.index)
    return pd.DataFrame(
        {
            "label": lb.get("label", lb["run"]).astype(str),
            "run": lb["run"].astype(str),
            "estimate": lb[metric].astype(float),
            "low": lb.get(f"{metric}__low", nan).astype(float),
            "high": lb.get(f"{metric}__high", nan).astype(float),
            "n": lb.get("n", nan),
            "unit": lb.get("unit", "image"),
        }
    ).reset_index(drop=True)


def rank_runs(
    lb: pd.DataFrame, metric: str, dataset_order: Sequence[str] | None = None
) -> pd.DataFrame:
    """Sort runs best-first on ``metric`` using its registered direction (NaN last).

    With ``dataset_order``, runs are ranked within each dataset (scores on different datasets
    are not comparable) and datasets follow that order.
    """
    (spec,) = metric_specs([metric]) or [None]
    if spec is None or metric not in lb:
        return lb
    ascending = spec.higher_is_better is False
    ranked = lb.sort_values(metric, ascending=ascending, na_position="last", kind="stable")
    if dataset_order is not None:
        position = {name: i for i, name in enumerate(dataset_order)}
        ranked = ranked.sort_values(
            "dataset",
            key=lambda col: col.map(lambda d: position.get(d, len(position))),
            kind="stable",
        )
    return ranked


def best_mask(lb: pd.DataFrame, metric: str) -> pd.Series:
    """Mark the best run(s) on ``metric`` by its registered direction."""
    (spec,) = metric_specs([metric]) or [None]
    if spec is None or spec.higher_is_better is None or metric not in lb or lb[metric].isna().all():
        return pd.Series(False, index=lb.index)
    target = lb[metric].max() if spec.higher_is_better else lb[metric].min()
    best: pd.Series[bool] = lb[metric] == target
    return best


def pivot(
    lb: pd.DataFrame, metric: str, index: str = "model", columns: str = "prompt_strategy"
) -> pd.DataFrame:
    """Models x prompt strategies table of one metric (mean when several runs share a cell)."""
    if lb.empty or metric not in lb:
        return pd.DataFrame()
    if "mode" in lb and set(lb["mode"]) != {"image"}:
        # each input mode is its own row: averaging a mode into another's cell would mix them
        shown = lb["mode"].where(lb["unit"] != "location", lb["mode"] + " (per location)")
        lb = lb.assign(**{index: lb[index].fillna(NOT_RECORDED).astype(str) + " · " + shown})
    table = lb.assign(
        **{index: lb[index].fillna(NOT_RECORDED), columns: lb[columns].fillna(NOT_RECORDED)}
    ).pivot_table(index=index, columns=columns, values=metric, aggfunc="mean")
    table.columns.name = None
    table.index.name = None
    return table


def format_difference(diff: float, unit: str) -> str:
    """Format a difference of two metric values, signed: shares in percentage points."""
    if unit == "share":
        return f"{diff * 100:+.1f} pts"
    return f"{diff:+,.0f}" + (" km" if unit == "km" else "")


def side_by_side(a: RunSummary, b: RunSummary) -> pd.DataFrame:
    """Every metric of two runs with their own CIs and the difference A - B, formatted."""
    rows = []
    for spec in metric_specs():
        if spec.name not in a.metrics or spec.name not in b.metrics:
            continue
        cells = {}
        for side, summary in (("A", a), ("B", b)):
            value = format_value(summary.metrics[spec.name], spec.unit)
            low = summary.low.get(spec.name, math.nan)
            high = summary.high.get(spec.name, math.nan)
            cells[side] = f"{value} {format_interval(low, high, spec.unit)}".strip()
        cells["A − B"] = format_difference(a.metrics[spec.name] - b.metrics[spec.name], spec.unit)
        rows.append({"metric": spec.label, **cells})
    return pd.DataFrame(rows, columns=["metric", "A", "B", "A − B"])
