"""A grid of benchmark runs: model presets x prompt strategies (x input modes) on one dataset.

LLMGeo's main table is such a grid (models as rows, prompt strategies as columns, country
accuracy in the cells). Each cell is an ordinary run with its default name
(``DATASET:PRESET:PROMPT:FORM``, plus ``:MODE`` for an input mode other than the image alone),
so a sweep resumes cell by cell, shares the response cache with
single runs, and its runs appear on every dashboard page like any other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from analysis.errors import GeoScopeError, InputError
from analysis.models.presets import ModelPreset, preset_status
from analysis.prompts import PROMPTS
from analysis.runner.config import RunConfig
from analysis.runner.service import RunSummary, run_benchmark


@dataclass(frozen=True)
class SweepCell:
    """One (preset, prompt strategy, input mode) of the grid and what became of it."""

    model: str
    prompt: str
    run: str
    state: str  # "done", "incomplete" (budget or failures left work), "skipped", "error"
    message: str = ""
    spend_usd: float = 0.0
    mode: str = "image"  # the input mode (analysis.prompts.modes.InputMode)


@dataclass(frozen=True)
class SweepResult:
    """Every cell in grid order, and the money spent by this execution."""

    cells: tuple[SweepCell, ...]
    spend_usd: float
    stopped_for_budget: bool = False
    skipped_models: dict[str, str] = field(default_factory=dict)  # preset -> why it cannot run
    stop_message: str | None = None  # a cell stopped at once (reported usage beyond limits)


def resolve_grid(
    presets: dict[str, ModelPreset], models: Sequence[str], prompts: Sequence[str]
) -> tuple[list[str], list[str]]:
    """Check the requested presets and prompt strategies; expand ``available`` and ``all``.

    ``available`` means every preset whose key is set (or needs none); ``all`` every registered
    prompt strategy. Unknown names are refused together, with what is known.
    """
    if list(models) == ["available"]:
        chosen = [name for name, preset in presets.items() if why_unavailable(preset) is None]
        if not chosen:
            raise InputError("no preset can run here: every one needs an API key that is not set")
    else:
        chosen = list(dict.fromkeys(models))
    strategies = PROMPTS.names() if list(prompts) == ["all"] else list(dict.fromkeys(prompts))
    problems = []
    unknown = [m for m in chosen if m not in presets]
    if unknown:
        problems.append(f"unknown presets {', '.join(unknown)} (known: {', '.join(presets)})")
    bad = [p for p in strategies if p not in PROMPTS]
    if bad:
        problems.append(
            f"unknown prompt strategies {', '.join(bad)} (known: {', '.join(PROMPTS.names())})"
        )
    if problems:
        raise InputError("sweep: " + "; ".join(problems))
    if not chosen or not strategies:
        raise InputError("sweep needs at least one preset and one prompt strategy")
    return chosen, strategies


def why_unavailable(preset: ModelPreset) -> str | None:
    """Return why ``preset`` cannot run here (key, package or files missing), None when it can."""
    status = preset_status(preset)
    return None if status.available else f"model preset {preset.name!r}: {status.reason}"


def run_sweep(
    configure: Callable[[str, str, str], RunConfig],
    presets: dict[str, ModelPreset],
    models: Sequence[str],
    prompts: Sequence[str],
    store: Any,
    settings: Any,
    *,
    max_cost_usd: float | None = None,
    progress: bool = False,
    on_cell: Callable[[int, int, str, str], None] | None = None,
    wait: bool = False,
    on_wait: Callable[[str], None] | None = None,
    modes: Sequence[str] = ("image",),
) -> SweepResult:
    """Run every (preset, prompt, mode) cell in turn; ``configure(preset, prompt, mode)`` builds
    its config.

    Each cell gets its own config so a preset's own defaults (concurrency, rate limit, timeout)
    apply to its cells.
    A preset whose key is missing is skipped (named in the result), a cell that fails with a
    user error is recorded and the sweep goes on; ``max_cost_usd`` caps what this call spends
    over all cells (free presets are not held back by it). A cell executed by another process
    at the same time is an error cell (``wait``: wait for it). A cell stopped for reported usage
    beyond its limits stops the sweep: the cells after it are skipped.
    """
    skipped = {m: why for m in models if (why := why_unavailable(presets[m])) is not None}
    cells: list[SweepCell] = []
    spent = 0.0
    stopped = False
    stop_message: str | None = None
    total = len(models) * len(prompts) * len(modes)
    grid = ((m, p, d) for m in models for p in prompts for d in modes)
    for i, (model, prompt, mode) in enumerate(grid, start=1):
        config = configure(model, prompt, mode)
        if stop_message is not None:
            cells.append(
                SweepCell(model, prompt, config.name, "skipped", "the sweep stopped", mode=mode)
            )
            continue
        if model in skipped:
            cells.append(
                SweepCell(model, prompt, config.name, "skipped", skipped[model], mode=mode)
            )
            continue
        # Only paid presets draw on the cap; once it is spent, a paid cell still resumes and
        # reports (a finished one stays "done") but asks nothing new.
        paid = presets[model].is_paid
        remaining = None if max_cost_usd is None or not paid else max(0.0, max_cost_usd - spent)
        if on_cell is not None:
            on_cell(i, total, model, prompt if mode == "image" else f"{prompt} ({mode})")
        try:
            summary: RunSummary = run_benchmark(
                config,
                store,
                settings,
                progress=progress,
                max_cost_usd=remaining,
                wait=wait,
                on_wait=on_wait,
            )
        except GeoScopeError as exc:
            cells.append(SweepCell(model, prompt, config.name, "error", str(exc), mode=mode))
            continue
        spent += summary.spend_usd
        failed = summary.statuses.get("api_error", 0)
        if summary.stop_message is not None:
            stop_message = summary.stop_message
            state, note = "incomplete", summary.stop_message
        elif summary.stopped_for_budget:
            stopped = True
            state, note = "incomplete", "budget reached: run the same command to continue"
        elif not summary.complete or failed:
            state, note = "incomplete", f"{failed} calls failed; run the sweep again to retry"
        else:
            state, note = "done", ""
        cells.append(
            SweepCell(model, prompt, summary.run, state, note, summary.spend_usd, mode=mode)
        )
    return SweepResult(tuple(cells), spent, stopped, skipped, stop_message)
