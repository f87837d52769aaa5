"""The report's "why" section: the clues each run's answers cite, and the false ones they state.

The same readings as the Clues page (``analysis.dashboard.clues``): the rule-based clue
reader, the heatmaps of citation rate and accuracy lift, and the most frequent false claims.
Runs whose answers cite no clue (coordinates only, as most baselines give) are named, not
charted as rows of zeros.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from analysis.clues.stats import clue_table
from analysis.dashboard.clues import HEAT_METRICS, SILENT_MARK, RunClues, heat_figure, run_clues
from analysis.dashboard.false_claims import false_claims, false_claims_display
from analysis.report.figures import BOOTSTRAP_RESAMPLES, Figure, Section
from analysis.store import Store

CHARTED = ("citation_rate", "lift")  # HEAT_METRICS keys drawn in the report


def _heatmap(readings: Sequence[RunClues], metric: str, labels: Mapping[str, str]) -> Figure:
    spec = HEAT_METRICS[metric]
    rows = {r.run: labels.get(r.run, r.run) for r in readings}
    fig = heat_figure([r.summary for r in readings], metric, rows)
    return Figure(f"clues-{metric}", spec.title, fig, caption=f"{spec.title}: {spec.explanation}.")


def clue_section(
    store: Store, runs: Sequence[str], labels: Mapping[str, str], names: Mapping[str, str]
) -> Section:
    """Read the clues of each run's answers; chart those that cite any, list their false claims."""
    frames = {run: store.run_frame(run, with_raw=True).reset_index(drop=True) for run in runs}
    tables = {run: clue_table(frame) for run, frame in frames.items()}
    # a run without reasoning (coordinates only) is named, never bootstrapped: it can be large
    silent = {run for run, table in tables.items() if table.empty}
    citing = [
        run_clues(frames[run], run, n_resamples=BOOTSTRAP_RESAMPLES, clues=tables[run])
        for run in runs
        if run not in silent
    ]
    intro = (
        "Clues are read from each answer's text by rules (docs/clues.md): what a model says it "
        "saw, not what the photo shows. A lift says that citing a category goes with being "
        "right more often; it does not say that the clue caused it."
    )
    if silent:
        quiet = ", ".join(labels.get(run, run) for run in runs if run in silent)
        intro += f" {SILENT_MARK.strip('()').capitalize()}: {quiet} (no reasoning in the answers)."
    section = Section("Why: the clues the answers cite", intro)
    if not citing:
        return section
    section.figures = [_heatmap(citing, metric, labels) for metric in CHARTED]
    claims = false_claims(citing, names)
    if not claims.empty:
        section.tables.append(
            ("False claims, most frequent first", false_claims_display(claims, labels))
        )
    return section
