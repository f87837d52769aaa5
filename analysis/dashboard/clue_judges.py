"""The Clues page read by a judge model, and where the judge and the rules agree.

A judge reads the answers it was given, often a capped share of a run. Both readings are
therefore taken on those same answers: the judge's figures (``judge``), the rules' figures
(``rules``) and, per category, how often the two say an answer cites it (``agreement``). A
gap between the two heatmaps is then a difference of readers, not of samples.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.clues import category_ids
from analysis.clues.judge import agreement
from analysis.clues.judged import judge_clue_table, judged_answers_frame
from analysis.clues.stats import clue_summary
from analysis.dashboard.clues import RunClues, category_labels, run_clues
from analysis.dashboard.text import count_noun
from analysis.viz.clues import clue_heatmap

RULES = "rules"  # the reader of every answer; a judge's name otherwise


@dataclass(frozen=True)
class JudgedRun:
    """One run as one judge read it, next to the rules' reading of the same answers."""

    run: str
    judge: str
    n_answers: int  # the run's answers
    judge_reading: RunClues  # only the answers the judge read as they are now
    rules_reading: RunClues  # the rules on those same answers
    agreement: pd.DataFrame  # analysis.clues.judge.agreement: one row per category
    n_failed: int = 0  # judgements stored with an error (no JSON list in the reply ...)
    n_stale: int = 0  # judgements of an answer's older text (rescored, re-created run)

    @property
    def n_judged(self) -> int:
        """How many of the run's answers the judge's figures rest on."""
        return len(self.judge_reading.frame)


def judged_run(
    frame: pd.DataFrame,
    run: str,
    judge: str,
    judgements: pd.DataFrame,
    n_resamples: int = 1000,
    seed: int = 0,
) -> JudgedRun | None:
    """Read one run as ``judge`` did; None when the judge read none of its answers as they are.

    Args:
        frame: ``Store.run_frame(run, with_raw=True)``.
        judgements: ``analysis.store.clues.judgements_frame(store, run, judge)``.
    """
    judged = judged_answers_frame(frame.reset_index(drop=True), judgements)
    if judged.empty:
        return None
    ours = judgements[judgements["sample_id"].astype(str).isin(frame["sample_id"].astype(str))]
    n_failed = int(ours["error"].notna().sum()) if "error" in ours else 0
    table = judge_clue_table(judged)
    answers = judged.drop(columns="judge_clues")
    summary = clue_summary(answers, n_resamples=n_resamples, seed=seed, by=(), clues=table)
    summary["run"] = run
    rules = run_clues(answers, run, n_resamples=n_resamples, seed=seed)
    ids = answers["sample_id"].astype(str).tolist()
    return JudgedRun(
        run=run,
        judge=judge,
        n_answers=len(frame),
        judge_reading=RunClues(run, answers, table, summary),
        rules_reading=rules,
        agreement=agreement(_cited_by_sample(rules.table, ids), _cited_by_sample(table, ids)),
        n_failed=n_failed,
        n_stale=len(ours) - n_failed - len(judged),
    )


def _cited_by_sample(table: pd.DataFrame, ids: list[str]) -> dict[str, set[str]]:
    """Sample id -> the categories a clue table (``row`` = position in ``ids``) says it cites."""
    cited: dict[str, set[str]] = {sample: set() for sample in ids}
    for row, cat in zip(table["row"], table["category"], strict=True):
        cited[ids[int(row)]].add(str(cat))
    return cited


def agreement_figure(
    judged: Sequence[JudgedRun], judge: str, row_labels: Mapping[str, str]
) -> go.Figure:
    """Draw runs x categories of agreement, with the four counts behind each cell on hover."""
    return clue_heatmap(
        agreement_matrix(judged),
        title=f"Agreement of the rules and the judge {judge}, by run and clue category",
        column_labels=category_labels(),
        row_labels=row_labels,
        hover=agreement_hover(judged),
        higher_is_better=True,
    )


def agreement_matrix(judged: Sequence[JudgedRun]) -> pd.DataFrame:
    """Return runs x categories of agreement (NaN where neither reader cites the category)."""
    rows = {
        j.run: j.agreement.set_index("category")["agreement"].astype(float).reindex(category_ids())
        for j in judged
    }
    return pd.DataFrame.from_dict(rows, orient="index", columns=category_ids())


def agreement_hover(judged: Sequence[JudgedRun]) -> pd.DataFrame:
    """Return runs x categories of hover lines: the counts behind each agreement."""
    rows = {}
    for j in judged:
        table = j.agreement.set_index("category").reindex(category_ids())
        counts = table[["both", "rule_only", "judge_only", "neither"]].fillna(0).astype(int)
        rows[j.run] = [
            f"both {both:,} · rules only {rules:,} · judge only {judge:,} · neither "
            f"{neither:,} (of {j.n_judged:,} answers)"
            for both, rules, judge, neither in counts.itertuples(index=False)
        ]
    return pd.DataFrame.from_dict(rows, orient="index", columns=category_ids())


def judged_share(judged: JudgedRun) -> str:
    """Say what a run's judge figures rest on: "601 of 901 answers (3 judgements failed)"."""
    left_out = []
    if judged.n_failed:
        left_out.append(f"{count_noun(judged.n_failed, 'judgement')} failed")
    if judged.n_stale:
        verb = "was" if judged.n_stale == 1 else "were"
        left_out.append(f"{count_noun(judged.n_stale, 'judgement')} {verb} of an older text")
    extra = f" ({', '.join(left_out)})" if left_out else ""
    return f"{judged.n_judged:,} of {judged.n_answers:,} answers{extra}"


def overall_agreement(judged: JudgedRun) -> float:
    """Agreement over every category at once: shared citations / citations by either reader."""
    table = judged.agreement
    union = float(table["both"].sum() + table["rule_only"].sum() + table["judge_only"].sum())
    return float(table["both"].sum()) / union if union else float(np.nan)
