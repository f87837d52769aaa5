"""Failure gallery: the worst (or best) images as thumbnails, every selected run's guess on each."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from analysis.config import PROJECT_ROOT
from analysis.dashboard.gallery import fmt_heading, fmt_km, gallery_cards, thumbnail
from analysis.dashboard.names import display_names
from analysis.dashboard.state import GALLERY_N_RANGE, GALLERY_SORTS, OUTCOMES, ViewState
from analysis.dashboard.text import count_noun, inert
from pages import _shared as sh
from pages import _ui as ui

COLUMNS = 4
SORT_WORDS = {"worst": "largest error first", "best": "smallest error first"}


def _sidebar(state: ViewState, runs: pd.DataFrame, labels: dict[str, str]) -> ViewState:
    """Draw the controls; return the new state."""
    with st.sidebar:
        st.header("Gallery")
        dataset = ui.pick_dataset(ui.dataset_names(runs), state, key="gal_dataset")
        names = runs.loc[runs["dataset"] == dataset, "name"].astype(str).tolist()
        ui.widget_state("gal_runs", ui.default_runs(runs, state, dataset))
        st.session_state["gal_runs"] = [r for r in st.session_state["gal_runs"] if r in names]
        chosen = st.multiselect(
            "Runs", names, key="gal_runs", format_func=lambda r: labels.get(r, r)
        )
        opts = sh.filter_options(chosen)
        names_of = sh.country_names()
        countries = _multi(
            "True country",
            opts["true_country"],
            state.true_countries,
            "gal_country",
            lambda c: f"{names_of.get(c, c)} ({c})",
        )
        continents = _multi("Continent", opts["true_continent"], state.continents, "gal_continent")
        ui.widget_state("gal_outcome", state.outcome)
        outcome = st.radio("Country guess", OUTCOMES, key="gal_outcome", horizontal=True)
        ui.widget_state("gal_sort", state.sort)
        sort = st.radio(
            "Order",
            GALLERY_SORTS,
            key="gal_sort",
            format_func=lambda v: inert(SORT_WORDS.get(v, v)),
        )
        ui.widget_state("gal_n", state.gallery_n)
        n = st.number_input("Images", *GALLERY_N_RANGE, key="gal_n", step=COLUMNS)
    return state.with_(
        dataset=dataset,
        runs=tuple(chosen),
        true_countries=tuple(countries),
        continents=tuple(continents),
        outcome=outcome,
        sort=sort,
        gallery_n=int(n),
    )


def _multi(
    label: str, options: list[Any], wanted: tuple[Any, ...], key: str, fmt: Any = str
) -> list[Any]:
    ui.widget_state(key, [v for v in wanted if v in options])
    st.session_state[key] = [v for v in st.session_state[key] if v in options]
    return list(st.multiselect(label, options, key=key, format_func=fmt))


def _card(card: Any, state: ViewState, labels: dict[str, str]) -> None:
    """One image: thumbnail (or why none), truth, each run's guess, a link to its detail."""
    thumb = thumbnail(card.image_path, PROJECT_ROOT, sh.settings().cache_dir)
    if thumb.path is not None:
        st.image(str(thumb.path), width="stretch")
    else:
        st.caption(inert(thumb.note.capitalize()))
    name = sh.country_names().get(str(card.true_country), "?")
    heading = fmt_heading(card.heading)
    st.text(f"Truth: {name} ({card.true_country})" + (f", {heading}" if heading else ""))
    for run, pred, distance, status in card.guesses:
        guess = pred if isinstance(pred, str) and pred else status
        st.text(f"{labels.get(run, run)}: {guess}, {fmt_km(distance)}")
    st.page_link(
        "pages/map.py",
        label="Details on the map",
        icon=":material/open_in_new:",
        query_params=state.with_(sample=str(card.sample_id), present=False).to_params(),
        help=inert(card.sample_id),
    )


def body() -> None:
    """Draw the page."""
    present = sh.presentation_mode()
    state = sh.view_state().with_(present=present)
    runs = sh.list_runs()
    st.title("Failure gallery")
    if runs.empty:
        ui.empty_state()
        return
    labels = display_names(runs)
    if present:
        dataset = state.dataset if state.dataset in ui.dataset_names(runs) else None
        dataset = dataset or ui.dataset_names(runs)[0]
        state = state.with_(dataset=dataset, runs=tuple(ui.default_runs(runs, state, dataset)))
    else:
        state = _sidebar(state, runs, labels)
    sh.write_url(state)
    if not state.runs or state.dataset is None:
        st.info("Choose at least one run in the sidebar.")
        return
    ui.simulated_badge(ui.simulated_flags(runs, state.runs))
    ui.run_warnings(runs, state.runs)
    cards = gallery_cards(
        sh.runs_frame(state.runs), state, sh.dataset_samples(state.dataset), k=state.gallery_n
    )
    st.caption(
        f"{count_noun(len(cards), 'image')}, {SORT_WORDS[state.sort]} (the largest error over "
        "the selected runs; images no run placed come last)."
        + ("" if present else " Filters: sidebar.")
    )
    if cards.empty:
        st.info("No image matches the filters.")
        return
    for start in range(0, len(cards), COLUMNS):
        for col, card in zip(
            st.columns(COLUMNS), cards.iloc[start : start + COLUMNS].itertuples(), strict=False
        ):
            with col, st.container(border=True):
                _card(card, state, labels)


ui.guarded(body)
