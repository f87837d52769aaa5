"""Clue explorer plumbing: the cached per-run clue reading, and the clue list of one answer.

Reading the clues of a run's answers takes about a second per thousand answers, so it is cached
per run, keyed by the database path and the run's fingerprint (a rescored or extended run is
read again). ``clue_list`` draws one answer with its cited spans highlighted; the map's sample
detail uses it too.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.dashboard import data as dd
from analysis.dashboard.clue_judges import JudgedRun, judged_run
from analysis.dashboard.clues import (
    ClueNote,
    RunClues,
    answer_notes,
    highlight_html,
    notes_frame,
    run_clues,
)
from analysis.dashboard.text import inert_table
from analysis.store import Store
from analysis.store.clues import judgements_frame, judges_of_runs
from pages import _shared as sh

BOOTSTRAP_RESAMPLES = 1000


@st.cache_resource(show_spinner="Reading the clues in the answers…", max_entries=32, ttl=3600)
def _run_clues(path: str, run: str, fingerprint: str, n_resamples: int) -> RunClues:
    return run_clues(Store(path).run_frame(run, with_raw=True), run, n_resamples=n_resamples)


def _by_name(runs: pd.DataFrame) -> dict[str, dict[str, object]]:
    """The ``list_runs`` rows by run name (what ``run_fingerprint`` reads)."""
    return {str(r["name"]): r for r in runs.to_dict("records", into=dict[str, object]())}


def clues_of_runs(runs: pd.DataFrame, names: list[str] | tuple[str, ...]) -> list[RunClues]:
    """Return the clue reading of each named run (cached per run fingerprint), in order."""
    path = str(sh.settings().db_path)
    rows = _by_name(runs)
    return [
        _run_clues(path, name, dd.run_fingerprint(rows[name]), BOOTSTRAP_RESAMPLES)
        for name in names
        if name in rows
    ]


def judges_of(names: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """Return which judges read which of the named runs (``judges_of_runs``; not cached)."""
    return judges_of_runs(Store(str(sh.settings().db_path)), list(names))


@st.cache_resource(show_spinner="Reading the judge's clues…", max_entries=32, ttl=3600)
def _judged_run(
    path: str, run: str, judge: str, fingerprints: tuple[str, str], n_resamples: int
) -> JudgedRun | None:
    store = Store(path)
    frame = store.run_frame(run, with_raw=True)
    return judged_run(frame, run, judge, judgements_frame(store, run, judge), n_resamples)


def judged_runs(
    runs: pd.DataFrame, names: list[str] | tuple[str, ...], judges: pd.DataFrame, judge: str
) -> list[JudgedRun]:
    """Return the named runs ``judge`` read, in order, next to the rules' reading of them.

    Cached per run, judge, the run's fingerprint and its judgements' (``judges_of``), so a
    rescored run or a new judgement is read again.
    """
    path = str(sh.settings().db_path)
    rows = _by_name(runs)
    mine = judges[judges["judge"] == judge]
    prints = dict(zip(mine["run"].astype(str), mine["fingerprint"].astype(str), strict=True))
    out = []
    for run in names:
        if run not in rows or run not in prints:
            continue
        key = (dd.run_fingerprint(rows[run]), prints[run])
        reading = _judged_run(path, run, judge, key, BOOTSTRAP_RESAMPLES)
        if reading is not None:
            out.append(reading)
    return out


_NOTE_COLUMNS = {
    "#": st.column_config.NumberColumn(width="small"),
    "evidence": st.column_config.TextColumn(width="medium"),
    "claim": st.column_config.TextColumn(width="medium"),
    "verdict": st.column_config.TextColumn(width="medium"),
}


def answer_with_clues(
    text: str, notes: list[ClueNote], focus: str | None = None, static: bool = False
) -> None:
    """Draw an answer with its cited spans highlighted (escaped) and the numbered clue table.

    ``static``: only the clues that make a claim, in a static table (see ``_clue_table``).
    """
    st.html(highlight_html(text, notes, focus))
    if notes:
        _clue_table(notes, static)
    else:
        st.caption("No clue cited in this answer.")


def _clue_table(notes: list[ClueNote], static: bool) -> None:
    """The numbered clues of one answer: a grid of them all, or a static table of the claims.

    The static table (presentation mode, where it is in large type, and the live panel's
    narrow cards) holds only the clues that make a claim, with its verdict; the others are
    the marks in the answer.
    """
    if not static:
        st.dataframe(
            notes_frame(notes), hide_index=True, width="stretch", column_config=_NOTE_COLUMNS
        )
        return
    claims = [note for note in notes if note.claim]
    if claims:
        st.table(inert_table(notes_frame(claims)), hide_index=True)
    st.caption(f"Clues marked in the answer: {len(notes)}; making a claim: {len(claims)}.")


def clue_list(
    raw_response: object, true_country: object, true_lat: object, static: bool = False
) -> None:
    """Show the clues one answer cites, with their claims checked against the truth."""
    notes = answer_notes(raw_response, true_country, true_lat)
    if not notes:
        st.caption("Clues: none cited in this answer (rule-based reading, see the Clues page).")
        return
    st.caption("Clues cited (rule-based reading; claims checked against the truth):")
    _clue_table(notes, static)
