"""The clue explorer's data: per-run clue tables, heatmap matrices, the samples behind a cell.

The page (``pages/clues.py``) draws what these functions return. Model answers are untrusted:
``highlight_html`` is the only way one reaches HTML here, and it escapes every character of the
answer before wrapping the cited spans in ``<mark>``.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.clues import category, category_ids, check_claim, extract_clues
from analysis.clues.stats import clue_summary, clue_table, correct_array
from analysis.clues.types import Claim, Verdict
from analysis.viz.clues import clue_heatmap


@dataclass(frozen=True)
class HeatMetric:
    """One heatmap the page offers: which summary column, its words and its colour scale."""

    column: str
    title: str
    explanation: str
    diverging: bool  # centred on zero (a lift), else a 0..1 share
    higher_is_better: bool | None  # None: neither direction is good (how often a clue is cited)


HEAT_METRICS: dict[str, HeatMetric] = {
    "citation_rate": HeatMetric(
        "citation_rate",
        "Citation rate",
        "share of a run's answers that cite the category at least once",
        diverging=False,
        higher_is_better=None,
    ),
    "lift": HeatMetric(
        "lift",
        "Accuracy lift",
        "country accuracy of answers citing the category minus that of answers not citing it",
        diverging=True,
        higher_is_better=True,
    ),
    "contradiction_rate": HeatMetric(
        "contradiction_rate",
        "Contradiction rate",
        "share of checkable claims (driving side, script, language, hemisphere, a named "
        "landmark's country) that the true location contradicts",
        diverging=False,
        higher_is_better=False,
    ),
}
DEFAULT_HEAT_METRIC = "citation_rate"
VERDICT_WORDS: dict[str, str] = {
    Verdict.CONSISTENT.value: "consistent with the truth",
    Verdict.CONTRADICTED.value: "contradicted by the truth",
    Verdict.NOT_CHECKABLE.value: "not checkable",
}


def heat_metric(name: str | None) -> str:
    """Return ``name`` when it is a heatmap metric, else the default (a link may carry another)."""
    return name if name in HEAT_METRICS else DEFAULT_HEAT_METRIC


@dataclass(frozen=True)
class RunClues:
    """One run's answers (raw text kept), every clue found in them and the per-category summary."""

    run: str
    frame: pd.DataFrame
    table: pd.DataFrame
    summary: pd.DataFrame


def run_clues(
    frame: pd.DataFrame,
    run: str,
    n_resamples: int = 1000,
    seed: int = 0,
    clues: pd.DataFrame | None = None,
) -> RunClues:
    """Read the clues of one run's answers and summarise them per category.

    Args:
        frame: ``Store.run_frame(run, with_raw=True)``.
        n_resamples: bootstrap resamples for the intervals (>= 1).
        clues: the frame's ``clue_table`` when already read (index reset), to read it once.
    """
    frame = frame.reset_index(drop=True)
    table = clue_table(frame) if clues is None else clues
    summary = clue_summary(frame, n_resamples=n_resamples, seed=seed, by=(), clues=table)
    summary["run"] = run
    return RunClues(run, frame, table, summary)


# after the name of such a run wherever its row is drawn (the heatmap, and so its exports)
SILENT_MARK = "(cites no clue)"


def runs_citing_nothing(readings: Sequence[RunClues]) -> list[str]:
    """Return the runs none of whose answers cites a clue (bare coordinates, a country name).

    Their heatmap row reads 0% everywhere, which is true but says nothing about how the model
    reasoned: the page says so instead of letting the row speak.
    """
    return [reading.run for reading in readings if reading.table.empty]


def heat_matrix(summaries: Sequence[pd.DataFrame], metric: str) -> pd.DataFrame:
    """Return runs x categories of one summary column (every category, NaN where undefined).

    Rows follow the order of ``summaries``; columns are the taxonomy's category ids in order, so
    a category no run cites still gets its column.
    """
    column = HEAT_METRICS[heat_metric(metric)].column
    rows = {}
    for summary in summaries:
        if summary.empty:
            continue
        values = summary.set_index("category")[column].astype(float)
        rows[str(summary["run"].iloc[0])] = values.reindex(category_ids())
    return pd.DataFrame.from_dict(rows, orient="index", columns=category_ids())


def heat_hover(summaries: Sequence[pd.DataFrame], metric: str) -> pd.DataFrame:
    """Return runs x categories of hover lines: counts behind each cell and its interval."""
    name = heat_metric(metric)
    rows = {}
    for summary in summaries:
        if summary.empty:
            continue
        records = summary.to_dict("records", into=dict[str, object]())
        lines = [_hover_line(row, name) for row in records]
        rows[str(summary["run"].iloc[0])] = pd.Series(lines, index=summary["category"]).reindex(
            category_ids()
        )
    return pd.DataFrame.from_dict(rows, orient="index", columns=category_ids()).fillna("")


def category_labels() -> dict[str, str]:
    """Category id -> label, for a chart's columns (every category of the taxonomy)."""
    return {c: category(c).label for c in category_ids()}


def heat_figure(
    summaries: Sequence[pd.DataFrame],
    metric: str,
    row_labels: Mapping[str, str],
    title_suffix: str = "",
) -> go.Figure:
    """Draw the runs x categories heatmap of one figure (the Clues page's and the report's)."""
    spec = HEAT_METRICS[heat_metric(metric)]
    return clue_heatmap(
        heat_matrix(summaries, metric),
        title=f"{spec.title} by run and clue category{title_suffix}",
        column_labels=category_labels(),
        row_labels=row_labels,
        hover=heat_hover(summaries, metric),
        diverging=spec.diverging,
        higher_is_better=spec.higher_is_better,
        signed=spec.diverging,
    )


def _hover_line(row: Mapping[str, object], metric: str) -> str:
    n, cited = int(row["n"]), int(row["n_cited"])  # type: ignore[call-overload]
    if metric == "citation_rate":
        return f"cited by {cited:,} of {n:,} answers"
    if metric == "lift":
        lift = float(row["lift"])  # type: ignore[arg-type]
        if not np.isfinite(lift):
            return f"cited by {cited:,} of {n:,} answers: no lift without both groups"
        low, high = float(row["lift_low"]), float(row["lift_high"])  # type: ignore[arg-type]
        return (
            f"{lift:+.0%} [95% CI {low:+.0%}, {high:+.0%}]; accuracy {_pct(row['acc_cited'])} "
            f"when cited ({cited:,}) vs {_pct(row['acc_not_cited'])} when not ({n - cited:,})"
        )
    checkable, bad = int(row["n_checkable"]), int(row["n_contradicted"])  # type: ignore[call-overload]
    return f"{bad:,} of {checkable:,} checkable claims contradicted"


def _pct(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return "-" if not np.isfinite(number) else f"{number:.0%}"


def summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Return one run's per-category figures as display columns (numbers kept as numbers)."""
    columns = {
        "label": "category",
        "n_cited": "answers citing",
        "citation_rate": "citation rate",
        "acc_cited": "accuracy when cited",
        "acc_cited_low": "low",
        "acc_cited_high": "high",
        "acc_not_cited": "accuracy when not cited",
        "lift": "lift",
        "lift_low": "lift low",
        "lift_high": "lift high",
        "n_checkable": "checkable claims",
        "n_contradicted": "contradicted",
        "contradiction_rate": "contradiction rate",
    }
    return summary[list(columns)].rename(columns=columns).reset_index(drop=True)


@dataclass(frozen=True)
class ClueNote:
    """One clue of an answer, as the page lists it under the highlighted text."""

    number: int
    category: str
    label: str
    evidence: str
    start: int
    end: int
    claim: str  # "driving side: left", "" without a claim
    verdict: str  # VERDICT_WORDS value, "" without a claim


_CLAIM_WORDS = {"landmark": "landmark's country"}  # "landmark: FRA" would read as its name


def claim_text(kind: object, value: object) -> str:
    """A claim as the page prints it ("driving side: left"); "" without a claim."""
    if not isinstance(kind, str) or not kind:
        return ""
    return f"{_CLAIM_WORDS.get(kind, kind.replace('_', ' '))}: {value}"


def notes_from_table(rows: pd.DataFrame) -> list[ClueNote]:
    """Return the clues of one answer (``clue_table`` rows) as numbered notes, in text order."""
    ordered = rows.sort_values(["start", "end"], kind="stable")
    notes = []
    for number, row in enumerate(ordered.to_dict("records"), start=1):
        verdict = row.get("verdict")
        notes.append(
            ClueNote(
                number=number,
                category=str(row["category"]),
                label=category(str(row["category"])).label,
                evidence=str(row["evidence"]),
                start=int(row["start"]),
                end=int(row["end"]),
                claim=claim_text(row.get("claim_kind"), row.get("claim_value")),
                verdict=VERDICT_WORDS.get(verdict, "") if isinstance(verdict, str) else "",
            )
        )
    return notes


def answer_notes(text: object, true_country: object, true_lat: object) -> list[ClueNote]:
    """Read the clues of one answer and check their claims against the truth (map detail)."""
    if not isinstance(text, str) or not text:
        return []
    iso3 = true_country.strip().upper() or None if isinstance(true_country, str) else None
    try:
        lat: float | None = float(true_lat)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        lat = None
    if lat is not None and not np.isfinite(lat):
        lat = None
    records = []
    for clue in extract_clues(text):
        claim: Claim | None = clue.claim
        verdict = None if claim is None else check_claim(claim, iso3, lat).value
        records.append(
            {
                "category": clue.category,
                "evidence": clue.evidence,
                "start": clue.start,
                "end": clue.end,
                "claim_kind": None if claim is None else claim.kind,
                "claim_value": None if claim is None else claim.value,
                "verdict": verdict,
            }
        )
    if not records:
        return []
    return notes_from_table(pd.DataFrame.from_records(records))


def notes_frame(notes: Sequence[ClueNote]) -> pd.DataFrame:
    """Return notes as a plain table (shown as text cells, never as Markdown)."""
    return pd.DataFrame(
        {
            "#": [n.number for n in notes],
            "category": [n.label for n in notes],
            "evidence": [n.evidence for n in notes],
            "claim": [n.claim for n in notes],
            "verdict": [n.verdict for n in notes],
        }
    )


# marks: the selected category stands out, other categories' spans are shown more quietly
_MARK_STYLE = "background:#ffe066;color:inherit;padding:0 1px;border-radius:2px"
_OTHER_STYLE = "background:#e3e8ef;color:inherit;padding:0 1px;border-radius:2px"
_BAD_STYLE = "background:#ffb3b3;color:inherit;padding:0 1px;border-radius:2px"
# the answer box's class: presentation mode enlarges its text (pages/_ui.py's PRESENT_CSS)
ANSWER_CLASS = "geoscope-answer"
_BOX_STYLE = (
    "white-space:pre-wrap;overflow-wrap:anywhere;font-family:'Source Code Pro',monospace;"
    "font-size:0.85rem;line-height:1.5;background:#f7f8fa;border-radius:6px;padding:10px 12px;"
    "max-height:24rem;overflow-y:auto"
)


def highlight_html(
    text: str, notes: Sequence[ClueNote], focus: str | None = None, max_chars: int = 20_000
) -> str:
    """Return ``text`` as HTML with each note's span in ``<mark>``; every character escaped.

    The answer is untrusted: it is cut into pieces at the spans' ends and every piece goes
    through ``html.escape`` (quotes included), so a tag, entity or Markdown in it is shown as
    typed. Overlapping spans are merged for drawing. Spans of ``focus`` (a category id) are
    yellow, contradicted claims red, others grey; each mark's tooltip names its clues (also
    escaped). Text past ``max_chars`` is cut, with a note saying so.
    """
    shown = text[:max_chars]
    length = len(shown)
    spans = [
        (max(0, n.start), min(length, n.end), n)
        for n in notes
        if 0 <= n.start < n.end and n.start < length
    ]
    cuts = sorted({0, length, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    pieces: list[str] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        segment = html.escape(shown[a:b], quote=True)
        covering = [n for s, e, n in spans if s <= a and b <= e]
        if not covering:
            pieces.append(segment)
            continue
        if any(n.verdict == VERDICT_WORDS[Verdict.CONTRADICTED.value] for n in covering):
            style = _BAD_STYLE
        elif focus is not None and any(n.category == focus for n in covering):
            style = _MARK_STYLE
        else:
            style = _OTHER_STYLE
        tip = "; ".join(
            f"[{n.number}] {n.label}" + (f" ({n.claim}, {n.verdict})" if n.claim else "")
            for n in covering
        )
        pieces.append(
            f'<mark style="{style}" title="{html.escape(tip, quote=True)}">{segment}</mark>'
        )
    tail = ""
    if len(text) > max_chars:
        tail = f"\n… ({len(text) - max_chars:,} more characters not shown)"
    return f'<div class="{ANSWER_CLASS}" style="{_BOX_STYLE}">{"".join(pieces)}{html.escape(tail)}</div>'


@dataclass(frozen=True)
class CellSample:
    """One answer behind a heatmap cell: truth, guess, raw text and all of its clues."""

    sample_id: str
    image_path: str | None
    true_country: str | None
    true_lat: float
    pred_country: str | None
    status: str
    correct: bool
    raw_response: str
    notes: tuple[ClueNote, ...]


def cell_samples(
    clues: RunClues,
    category_id: str,
    samples: pd.DataFrame | None = None,
    outcome: str = "all",
    limit: int = 12,
) -> tuple[int, list[CellSample]]:
    """Return (how many answers cite ``category_id``, the first ``limit`` of them to show).

    ``outcome`` keeps "all", only "correct" or only "wrong" answers (country level). Answers
    with a contradicted claim in the category come first, then wrong answers, then by sample
    id, so the cases worth reading are on top.
    """
    frame, table = clues.frame, clues.table
    rows = sorted(set(table.loc[table["category"] == category_id, "row"].astype(int)))
    if not rows:
        return 0, []
    correct = correct_array(frame) == 1.0
    if outcome == "correct":
        rows = [r for r in rows if correct[r]]
    elif outcome == "wrong":
        rows = [r for r in rows if not correct[r]]
    mine = table[(table["category"] == category_id) & table["row"].isin(rows)]
    contradicted = set(mine.loc[mine["verdict"] == Verdict.CONTRADICTED.value, "row"].astype(int))
    ids = frame["sample_id"].astype(str)
    rows.sort(key=lambda r: (r not in contradicted, bool(correct[r]), ids.iloc[r]))
    paths = _image_paths(samples)
    out = []
    for r in rows[:limit]:
        record = frame.iloc[r]
        raw = record.get("raw_response")
        out.append(
            CellSample(
                sample_id=str(record["sample_id"]),
                image_path=paths.get(str(record["sample_id"])),
                true_country=_code(record.get("true_country")),
                true_lat=float(record.get("true_lat", np.nan)),
                pred_country=_code(record.get("pred_country")),
                status=str(record.get("status", "")),
                correct=bool(correct[r]),
                raw_response=raw if isinstance(raw, str) else "",
                notes=tuple(notes_from_table(table[table["row"] == r])),
            )
        )
    return len(rows), out


def _image_paths(samples: pd.DataFrame | None) -> dict[str, str]:
    if samples is None or samples.empty or "image_path" not in samples:
        return {}
    known = samples.dropna(subset=["image_path"])
    return dict(zip(known["sample_id"].astype(str), known["image_path"].astype(str), strict=True))


def _code(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
