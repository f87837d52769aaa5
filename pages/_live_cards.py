"""Drawing of the Live page's results: one card per model, the map with truth and consensus.

Split from ``pages/live.py`` (which reads the widgets and runs the calls) to keep each module
small; like every page module it draws only, through ``analysis.live`` for anything computed.
"""

from __future__ import annotations

import streamlit as st

from analysis.dashboard.clues import answer_notes
from analysis.dashboard.text import inert
from analysis.geo.countries import country_of
from analysis.live import CallState, LiveResult, LiveRound, consensus_point
from analysis.live.livemap import CONSENSUS_COLOR, live_map, preset_colors
from analysis.types import LatLon
from analysis.viz.colors import TRUTH_COLOR
from pages import _clues_cache as cc
from pages import _shared as sh
from pages import _ui as ui

STATE_ICONS = {
    CallState.DONE: ":material/check_circle:",
    CallState.CACHED: ":material/cached:",
    CallState.FAILED: ":material/error:",
    CallState.TIMED_OUT: ":material/timer_off:",
    CallState.SKIPPED_BUDGET: ":material/money_off:",
    CallState.UNAVAILABLE: ":material/key_off:",
}


# -- cards ----------------------------------------------------------------------------------
def _fmt_coords(result: LiveResult) -> str:
    if result.lat is None or result.lon is None:
        return "no coordinates"
    origin = " (country's point)" if result.coords_source == "country_point" else ""
    return f"{result.lat:.4f}, {result.lon:.4f}{origin}"


def card(result: LiveResult, names: dict[str, str], truth: LatLon | None = None) -> None:
    """Draw one model's result card (answer, score, usage, and its reasoning with its clues)."""
    with st.container(border=True):
        # preset and model names, provider errors and answers are untrusted: inert() them
        st.markdown(f"**{inert(result.preset)}** {STATE_ICONS.get(result.state, '')}")
        st.caption(f"model {inert(result.model)} - {inert(result.state.value.replace('_', ' '))}")
        if result.state in (CallState.FAILED, CallState.TIMED_OUT):
            st.error(inert(result.message))
        elif result.state in (CallState.SKIPPED_BUDGET, CallState.UNAVAILABLE):
            st.warning(inert(result.message))
        else:
            country = result.country_iso3
            label = (
                f"{inert(names.get(country, country))} ({inert(country)})"
                if country
                else "no country"
            )
            if result.status == "ok":
                st.markdown(f"**{label}**")
            else:  # unknown, refused, unreadable: say so and why
                st.markdown(f"{label} - {inert(result.status.value.replace('_', ' '))}")
                st.caption(inert(result.message))
            st.text(f"coordinates: {_fmt_coords(result)}")
            if result.distance_km is not None:
                st.text(f"error: {result.distance_km:,.0f} km - {result.points or 0:,.0f} points")
            elif result.points is not None:
                st.text("error: no location given - 0 points")
        parts = []
        if result.latency_ms is not None:
            parts.append(f"{result.latency_ms / 1000:.1f} s")
        if result.input_tokens is not None or result.output_tokens is not None:
            parts.append(
                f"tokens {result.input_tokens or 0:,} in / {result.output_tokens or 0:,} out"
            )
        if result.cost_usd is not None and result.cost_usd >= 0:  # never a negative price
            cached = " (cached, not charged again)" if result.state == CallState.CACHED else ""
            parts.append(f"${result.cost_usd:.4f}{cached}")
        if parts:
            st.caption(" - ".join(parts))
        if result.raw_text:
            with st.expander("Reasoning, with the clues it cites"):
                _reasoning(result.raw_text, truth)


def _reasoning(text: str, truth: LatLon | None) -> None:
    """The model's own words, every character escaped, its clues marked and their claims
    checked against the truth when there is one (the Clues page's reading)."""
    iso3 = None if truth is None else country_of(truth.lat, truth.lon)
    notes = answer_notes(text, iso3, None if truth is None else truth.lat)
    cc.answer_with_clues(text, notes, static=True)  # a card is narrow: the claims alone


def waiting(preset: str) -> None:
    """Draw the placeholder card of a model still being asked."""
    with st.container(border=True):
        st.markdown(f"**{inert(preset)}** :material/hourglass_top:")
        st.caption("waiting for the answer...")


def show(live_round: LiveRound) -> None:
    """Draw the cards of a round already answered (no new calls)."""
    names = sh.country_names()
    columns = st.columns(max(1, min(len(live_round.results), 4)))
    for index, result in enumerate(live_round.results):
        with columns[index % len(columns)]:
            card(result, names, live_round.truth)


def result_map(live_round: LiveRound) -> None:
    """Draw the round's map, its legend and the consensus caption."""
    consensus = consensus_point(live_round.results, live_round.truth)
    colors = preset_colors([r.preset for r in live_round.results])
    deck = live_map(live_round.results, live_round.truth, consensus, sh.country_shapes(), colors)
    st.pydeck_chart(deck, height=460, key="live_map")
    items = [(r.preset, colors[r.preset]) for r in live_round.results if r.has_location]
    if consensus is not None:
        items.append(("consensus (geometric median)", CONSENSUS_COLOR))
    if live_round.truth is not None:
        items.append(("truth", TRUTH_COLOR))
    ui.legend(items)
    if consensus is None:
        st.caption("No model gave a location: no consensus point.")
    else:
        off = (
            ""
            if consensus.distance_km is None
            else f", {consensus.distance_km:,.0f} km from the truth"
        )
        st.caption(
            f"Consensus of {consensus.n_guesses:,} guesses: {consensus.lat:.4f}, "
            f"{consensus.lon:.4f}"
            f"{off}. It is the point with the least total distance to the guesses (non-answers "
            "ignored), so one outlier cannot drag it far."
        )
