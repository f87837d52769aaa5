"""Clue explorer: which clues each run's answers cite, and whether citing them goes with success."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.clues import category, category_ids
from analysis.config import PROJECT_ROOT
from analysis.dashboard.clue_judges import (
    RULES,
    JudgedRun,
    agreement_figure,
    judged_share,
    overall_agreement,
)
from analysis.dashboard.clues import (
    HEAT_METRICS,
    SILENT_MARK,
    CellSample,
    RunClues,
    cell_samples,
    heat_figure,
    heat_metric,
    runs_citing_nothing,
    summary_table,
)
from analysis.dashboard.false_claims import false_claims, false_claims_display
from analysis.dashboard.gallery import thumbnail
from analysis.dashboard.names import display_names
from analysis.dashboard.state import OUTCOMES, ViewState
from analysis.dashboard.text import inert, inert_table
from pages import _clues_cache as cc
from pages import _shared as sh
from pages import _ui as ui

SHOWN = 12  # answers listed under a cell: each is a thumbnail plus a highlighted text
METRIC_KEYS = ("citation_rate", "lift", "contradiction_rate")  # HEAT_METRICS keys
METRIC_WORDS = {
    "citation_rate": "Citation rate",
    "lift": "Accuracy lift",
    "contradiction_rate": "Contradiction rate",
}
OUTCOME_WORDS = {"all": "all", "correct": "right country", "wrong": "wrong country"}
HOW_TO_READ = (
    "Clues are read from each answer's text by rules (docs/clues.md): what a model *says* it "
    "saw, not what the photo shows. A lift says that citing a category goes with being right "
    "more often; it does not say that the clue caused it. Hover a cell for its counts and 95% "
    "location-clustered bootstrap interval."
)


def _readers(judges: pd.DataFrame) -> list[str]:
    """The readers offered for the chosen runs: the rules, then each judge that read one."""
    return [RULES, *sorted(set(judges["judge"].astype(str)))]


def _reader_word(reader: str) -> str:
    """A reader's name in the selectbox (its options are plain text: nothing to escape)."""
    return "the rules (every answer)" if reader == RULES else f"the judge {reader}"


def _sidebar(
    state: ViewState, runs: pd.DataFrame, labels: dict[str, str]
) -> tuple[ViewState, pd.DataFrame]:
    """Draw the controls; return the new state and the judges of the chosen runs."""
    with st.sidebar:
        st.header("Clues")
        dataset = ui.pick_dataset(ui.dataset_names(runs), state, key="clu_dataset")
        chosen = ui.pick_runs(runs, state, dataset, key="clu_runs", labels=labels)
        ui.widget_state("clu_metric", heat_metric(state.metric))
        metric = st.radio(
            "Heatmap",
            METRIC_KEYS,
            key="clu_metric",
            format_func=lambda v: METRIC_WORDS.get(v, "?"),
        )
        judges = cc.judges_of(chosen)
        readers = _readers(judges)
        judge = None
        if len(readers) > 1:  # a judge read some of these runs (python -m analysis clues --judge)
            ui.widget_state("clu_judge", state.judge if state.judge in readers else RULES)
            if st.session_state["clu_judge"] not in readers:
                st.session_state["clu_judge"] = RULES
            reader = st.selectbox(
                "Clues read by", readers, key="clu_judge", format_func=_reader_word
            )
            judge = None if reader == RULES else str(reader)
    return state.with_(dataset=dataset, runs=tuple(chosen), metric=metric, judge=judge), judges


def _present_state(state: ViewState, runs: pd.DataFrame) -> tuple[ViewState, pd.DataFrame]:
    """Presentation mode has no sidebar: take the link's dataset, runs and reader, or defaults.

    Returns the state and the judges of the chosen runs.
    """
    datasets = ui.dataset_names(runs)
    dataset = state.dataset if state.dataset in datasets else datasets[0]
    chosen = ui.default_runs(runs, state, dataset)
    judges = cc.judges_of(chosen)
    judge = state.judge if state.judge in _readers(judges)[1:] else None
    metric = heat_metric(state.metric)
    return state.with_(dataset=dataset, runs=tuple(chosen), metric=metric, judge=judge), judges


def _heatmap(
    readings: list[RunClues], state: ViewState, labels: dict[str, str], runs: pd.DataFrame
) -> None:
    """Draw the runs x categories heatmap of the chosen figure."""
    metric = heat_metric(state.metric)
    spec = HEAT_METRICS[metric]
    summaries = [r.summary for r in readings]
    silent = runs_citing_nothing(readings)
    # the row of a run that cites nothing says so in the chart itself, so an exported slide
    # cannot pass its 0% off as a finding about the model's reasoning
    rows = {run: f"{labels.get(run, run)} {SILENT_MARK}" if run in silent else labels.get(run, run)
            for run in (r.run for r in readings)}  # fmt: skip
    reader = "" if state.judge is None else f", as the judge {state.judge} read them"
    fig = heat_figure(summaries, metric, rows, reader)
    flags = runs.set_index("name").reindex(list(rows))["is_simulated"].fillna(False)
    ui.show_chart(fig, f"clues-{metric}", state.present, key="clu_heat", simulated=flags, wide=True)
    st.caption(
        f"{inert(spec.title)}: {inert(spec.explanation)}. Blank cells: not defined (nothing cited or "
        "nothing checkable)."
    )
    if silent:
        names = ", ".join(labels.get(run, run) for run in silent)
        st.info(
            f"{inert(names)}: no answer cites any clue, so the row says nothing about how the "
            "model reasoned (its answers hold no reasoning text, e.g. bare coordinates or a "
            "country name).",
            icon=":material/info:",
        )


def _judge_notes(judged: list[JudgedRun], state: ViewState, labels: dict[str, str]) -> None:
    """Say what the judge's figures rest on, and which chosen runs it never read."""
    missing = [labels.get(run, run) for run in state.runs if run not in {j.run for j in judged}]
    read = "; ".join(f"{labels.get(j.run, j.run)}: {judged_share(j)}" for j in judged)
    if read:
        st.caption(
            inert(
                f"Clues as the judge {state.judge} listed them, on the answers it read as they "
                f"are now ({read}). Claims it wrote are read by the rules' claim patterns "
                "and checked against the truth."
            )
        )
    if missing:
        st.info(
            inert(
                f"No judgement by {state.judge} of these runs' answers as they are now: "
                f"{', '.join(missing)} (python -m analysis clues --run NAME --judge JUDGE "
                "adds them)."
            ),
            icon=":material/info:",
        )


def _agreement(
    judged: list[JudgedRun], state: ViewState, labels: dict[str, str], runs: pd.DataFrame
) -> None:
    """Draw how often the rules and the judge agree that an answer cites each category."""
    st.subheader("Where the judge and the rules agree")
    fig = agreement_figure(
        judged, str(state.judge), {j.run: labels.get(j.run, j.run) for j in judged}
    )
    flags = runs.set_index("name").reindex([j.run for j in judged])["is_simulated"].fillna(False)
    ui.show_chart(
        fig, "clues-agreement", state.present, key="clu_agree", simulated=flags, wide=True
    )
    overall = "; ".join(f"{labels.get(j.run, j.run)} {overall_agreement(j):.0%}" for j in judged)
    st.caption(
        inert(
            "Agreement: answers both readers say cite the category, out of those either says "
            "does (blank: neither cites it), on the answers the judge read. Over all "
            f"categories: {overall}. Hover a cell for the counts."
        )
    )


def _false_claims(readings: list[RunClues], labels: dict[str, str], present: bool) -> None:
    """List each run's most frequent false claims: what misleads it, about where."""
    st.subheader("False claims, most frequent first")
    frame = false_claims(readings, sh.country_names())
    if frame.empty:
        st.caption("No answer of these runs makes a claim that its true location contradicts.")
        return
    st.caption(
        "Per run, the checkable claims (driving side, script, language, hemisphere, a named "
        "landmark's country) that the true location contradicts: in how many answers, of those "
        "where the claim could be checked, about which true countries, and what was guessed."
    )
    shown = false_claims_display(frame, labels)
    if present:
        st.table(inert_table(shown, right=("contradicted",)), hide_index=True)
    else:  # the two lists of countries share what the other columns leave of the page
        countries = st.column_config.TextColumn(width=280)
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            column_config={"true country": countries, "guessed": countries},
        )


def _cell_controls(
    state: ViewState, labels: dict[str, str], present: bool, readings: list[RunClues]
) -> tuple[str, str, str]:
    """Choose the cell (run, category) and which answers to list; return them."""
    runs = [r.run for r in readings]
    cats = category_ids()
    run = state.run_a if state.run_a in runs else runs[0]
    cat = state.clue if state.clue in cats else cats[0]
    outcome = state.outcome if state.outcome in OUTCOMES else "all"
    if present:
        return run, cat, outcome
    ui.widget_state("clu_run", run)
    ui.widget_state("clu_cat", cat)
    ui.widget_state("clu_outcome", outcome)
    if st.session_state["clu_run"] not in runs:
        st.session_state["clu_run"] = run
    left, middle, right = st.columns([3, 2, 3])
    with left:
        run = st.selectbox("Run", runs, key="clu_run", format_func=lambda r: labels.get(r, r))
    with middle:
        cat = st.selectbox(
            "Clue category", cats, key="clu_cat", format_func=lambda c: category(c).label
        )
    with right:
        outcome = st.radio(
            "Answers",
            OUTCOMES,
            key="clu_outcome",
            horizontal=True,
            format_func=lambda v: OUTCOME_WORDS.get(v, "?"),
        )
    return str(run), str(cat), str(outcome)


def _answer(sample: CellSample, focus: str, names: dict[str, str], present: bool) -> None:
    """One answer: thumbnail, truth, guess, and the raw text with its cited spans marked."""
    left, right = st.columns([1, 3])
    with left:
        thumb = thumbnail(sample.image_path, PROJECT_ROOT, sh.settings().cache_dir)
        if thumb.path is not None:
            st.image(str(thumb.path), width="stretch")
        else:
            st.caption(inert(thumb.note.capitalize()))
    with right:
        truth = sample.true_country or "?"
        guess = sample.pred_country or sample.status
        verdict = "right" if sample.correct else "wrong"
        st.text(
            f"{sample.sample_id}: truth {names.get(truth, truth)} ({truth}); "
            f"guess {names.get(guess, guess)} ({guess}), {verdict}"
        )
        cc.answer_with_clues(sample.raw_response, list(sample.notes), focus, present)


def body() -> None:
    """Draw the page."""
    present = sh.presentation_mode()
    state = sh.view_state().with_(present=present)
    runs = sh.list_runs()
    st.title("Clues")
    if runs.empty:
        ui.empty_state()
        return
    labels = display_names(runs)
    state, judges = _present_state(state, runs) if present else _sidebar(state, runs, labels)
    if not state.runs or state.dataset is None:
        sh.write_url(state)
        st.info("Choose at least one run in the sidebar.")
        return
    dataset = state.dataset  # narrowed here; the state is replaced below
    ui.simulated_badge(ui.simulated_flags(runs, state.runs))
    ui.run_warnings(runs, state.runs)
    st.caption(HOW_TO_READ)
    if state.judge is None:
        readings = cc.clues_of_runs(runs, state.runs)
        judged: list[JudgedRun] = []
    else:
        judged = cc.judged_runs(runs, state.runs, judges, state.judge)
        readings = [j.judge_reading for j in judged]
        _judge_notes(judged, state, labels)
    if not readings:
        sh.write_url(state)
        return
    _heatmap(readings, state, labels, runs)
    if judged:
        _agreement(judged, state, labels, runs)
    _false_claims(readings, labels, present)

    st.subheader("The answers behind a cell")
    run, cat, outcome = _cell_controls(state, labels, present, readings)
    state = state.with_(run_a=run, clue=cat, outcome=outcome)
    sh.write_url(state)
    reading = next(r for r in readings if r.run == run)
    with st.expander("Every category for this run, with 95% intervals"):
        st.dataframe(summary_table(reading.summary), hide_index=True, width="stretch")
    total, shown = cell_samples(reading, cat, sh.dataset_samples(dataset), outcome, SHOWN)
    label = category(cat).label
    if not total:
        st.info(
            f"No answer of this run cites {inert(label)} ({OUTCOME_WORDS[outcome]})."
        )  # trusted: outcome words are ours
        return
    marks = (
        "Marks: yellow = this category, grey = other categories, red = a claim the true "
        "location contradicts."
    )
    if state.judge is not None:
        marks += " The judge's evidence is marked where the answer quotes it word for word."
    st.caption(
        f"Answers citing {inert(label)}: {total:,}; showing {len(shown)} "
        f"(contradicted claims first, then wrong answers). {marks}"
    )
    names = sh.country_names()
    for sample in shown:
        with st.container(border=True):
            _answer(sample, cat, names, present)


ui.guarded(body)
