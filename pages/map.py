"""Failure map: where each run guessed, how far off, and the detail of any one image."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from analysis.config import PROJECT_ROOT
from analysis.dashboard.data import image_file
from analysis.dashboard.filters import ERROR_STOPS_KM, snap_error_range
from analysis.dashboard.state import OUTCOMES, STATUS_VALUES, ViewState
from analysis.viz.colors import TRUTH_COLOR
from analysis.viz.export import figure_html, map_figure, map_png
from analysis.viz.prediction_map import MAX_POINTS, error_legend
from analysis.dashboard.text import count_noun, inert
from pages import _shared as sh
from pages import _ui as ui


def _sidebar(state: ViewState, runs: pd.DataFrame) -> tuple[ViewState, bool]:
    """Draw the filter controls; return the new state and whether to aggregate."""
    datasets = ui.dataset_names(runs)
    with st.sidebar:
        st.header("Filters")
        dataset = ui.pick_dataset(datasets, state, key="map_dataset")
        chosen = ui.pick_runs(runs, state, dataset, key="map_runs", label="Runs")
        opts = sh.filter_options(chosen)
        names_of = sh.country_names()
        country_fmt = lambda c: f"{names_of.get(c, c)} ({c})"  # noqa: E731
        countries = _multi(
            "True country", opts["true_country"], state.true_countries, "map_country", country_fmt
        )
        pred_opts = ["(any)", *map(str, opts["pred_country"])]
        ui.widget_state(
            "map_pred", state.pred_country if state.pred_country in pred_opts else "(any)"
        )
        pred = st.selectbox(
            "Predicted country",
            pred_opts,
            key="map_pred",
            format_func=lambda c: c if c == "(any)" else country_fmt(c),
        )
        continents = _multi("Continent", opts["true_continent"], state.continents, "map_continent")
        statuses = _multi("Status", list(STATUS_VALUES), state.statuses, "map_status")
        ui.widget_state("map_outcome", state.outcome)
        outcome = st.radio("Country guess", OUTCOMES, key="map_outcome", horizontal=True)
        low, high = snap_error_range(state.err_min_km, state.err_max_km)
        # value= (not a seeded session value) tells streamlit this is a two-handle range slider
        picked = st.select_slider(
            "Error range (km)",
            ERROR_STOPS_KM,
            value=(low, high),
            key="map_err",
            format_func=lambda v: f"{v:,}",
        )
        # a range slider returns a pair; guard against a lone value (seen from AppTest reruns)
        err = tuple(picked) if isinstance(picked, tuple | list) else (ERROR_STOPS_KM[0], picked)
        headings = _multi("Heading", opts["heading"], state.headings, "map_heading")
        new = state.with_(
            dataset=dataset,
            runs=tuple(chosen),
            true_countries=tuple(countries),
            pred_country=None if pred == "(any)" else pred,
            continents=tuple(continents),
            statuses=tuple(statuses),
            outcome=outcome,
            err_min_km=None if err[0] == ERROR_STOPS_KM[0] else float(err[0]),
            err_max_km=None if err[1] == ERROR_STOPS_KM[-1] else float(err[1]),
            headings=tuple(int(h) for h in headings),
        )
        n_chosen = int(runs.loc[runs["name"].isin(chosen), "n_predictions"].sum())
        aggregate = (
            n_chosen > MAX_POINTS
            and st.radio(
                f"More than {MAX_POINTS:,} predictions",
                ["sample", "aggregate"],
                key="map_large",
                horizontal=True,
                help="Sample whole images at random, or bin every point into cells.",
            )
            == "aggregate"
        )
    return new, aggregate


def _multi(
    label: str, options: list[Any], wanted: tuple[Any, ...], key: str, fmt: Any = str
) -> list[Any]:
    ui.widget_state(key, [v for v in wanted if v in options])
    st.session_state[key] = [v for v in st.session_state[key] if v in options]
    return list(st.multiselect(label, options, key=key, format_func=fmt))


def _present_state(state: ViewState, runs: pd.DataFrame) -> ViewState:
    datasets = ui.dataset_names(runs)
    dataset = state.dataset if state.dataset in datasets else datasets[0]
    return state.with_(dataset=dataset, runs=tuple(ui.default_runs(runs, state, dataset)))


def _on_pick() -> None:
    """A click on the map: translate the picked object's row index into a sample id."""
    event = st.session_state.get("map_chart")
    ids = st.session_state.get("_map_ids")
    selection = ui.as_mapping(
        getattr(event, "selection", None) or ui.as_mapping(event).get("selection")
    )
    for objects in ui.as_mapping(selection.get("objects")).values():
        for obj in objects or []:
            index = obj.get("i") if isinstance(obj, dict) else None
            if index is not None and ids is not None and 0 <= int(index) < len(ids):
                st.session_state["selected_sample"] = str(ids[int(index)])
                return


def _on_row() -> None:
    """A click on a row of the worst-failures table."""
    event = st.session_state.get("failures")
    ids = st.session_state.get("_failure_ids")
    selection = ui.as_mapping(
        getattr(event, "selection", None) or ui.as_mapping(event).get("selection")
    )
    rows = list(selection.get("rows") or [])
    if rows and ids is not None and 0 <= rows[0] < len(ids):
        st.session_state["selected_sample"] = str(ids[rows[0]])


def _detail(dataset: str, sample_id: str, present: bool) -> None:
    """Show one image, its truth and every run's guess with the raw text."""
    samples = sh.dataset_samples(dataset)
    rows = samples[samples["sample_id"] == sample_id]
    guesses = sh.sample_predictions(dataset, sample_id)
    st.subheader("Selected image")
    st.text(sample_id)
    if rows.empty:
        st.info("That image is not in this dataset.")
        return
    truth = rows.iloc[0]
    image_path = truth.get("image_path")
    found = image_file(image_path, PROJECT_ROOT)
    if found is not None:
        st.image(str(found), width="stretch")
    elif isinstance(image_path, str) and image_path:
        st.caption(f"Image file not on this machine: {inert(image_path)}")
    else:
        st.caption("No image file stored for this sample.")
    name = sh.country_names().get(str(truth["true_country"]), "?")
    st.text(
        f"Truth: {name} ({truth['true_country']}) at {truth['true_lat']:.4f}, "
        f"{truth['true_lon']:.4f}; heading {truth.get('heading')}"
    )
    table = guesses[["run", "status", "pred_country", "distance_km", "coords_source"]]
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={"distance_km": st.column_config.NumberColumn("error (km)", format="%.0f")},
    )
    for row in guesses.itertuples(index=False):
        label = f"{inert(row.run)}: raw response"
        with st.expander(label, expanded=not present and len(guesses) <= 3):
            st.code(
                "" if row.raw_response is None else str(row.raw_response),
                language=None,
                wrap_lines=True,
            )
            if isinstance(row.error, str) and row.error:
                st.text(f"error: {row.error}")


def body() -> None:
    """Draw the page."""
    present = sh.presentation_mode()
    state = sh.view_state()
    runs = sh.list_runs()
    st.title("Failure map")
    if runs.empty:
        ui.empty_state()
        return
    if present:
        state, aggregate = _present_state(state, runs), False
    else:
        state, aggregate = _sidebar(state, runs)
    assert state.dataset is not None
    if not state.runs:
        st.info("Choose at least one run in the sidebar.")
        sh.write_url(state)
        return
    ui.simulated_badge(ui.runs_are_simulated(runs, state.runs))
    colors = sh.run_palette(runs, state.dataset, state.runs)
    selected = st.session_state.get("selected_sample", state.sample)
    view = sh.map_view(state, aggregate)
    build = view.build
    if selected is not None and not build.drawn.empty:
        build = sh.with_highlight(build, state.runs, selected)
    st.caption(
        f"{view.n_filtered:,} predictions match the filters "
        f"({count_noun(view.n_images, 'image')}, {count_noun(len(state.runs), 'run')})."
    )
    if build.note:
        st.info(inert(build.note), icon=":material/filter_alt:")
    st.session_state["_map_ids"] = (
        build.drawn["sample_id"].to_numpy() if not build.drawn.empty else None
    )
    st.pydeck_chart(
        build.deck,
        key="map_chart",
        on_select=_on_pick,
        selection_mode="single-object",
        height=560 if not present else 720,
    )
    ui.legend(
        [("truth", TRUTH_COLOR), *colors.items(), *[(f"error {k}", c) for k, c in error_legend()]]
    )
    shapes, rows = sh.country_shapes(), view.export_rows
    title = "GeoScope failure map" + (
        " (SIMULATED data)" if ui.runs_are_simulated(runs, state.runs) else ""
    )
    ui.map_exports(
        lambda: map_png(shapes, rows, colors, title=title),
        lambda: figure_html(map_figure(shapes, rows, colors, title=title)),
        "failure-map",
        present,
    )
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Worst failures")
        worst = view.worst
        st.session_state["_failure_ids"] = worst["sample_id"].to_numpy()
        st.dataframe(
            worst,
            hide_index=True,
            width="stretch",
            height=420,
            key="failures",
            on_select=_on_row,
            selection_mode="single-row",
            column_config={
                "distance_km": st.column_config.NumberColumn("error (km)", format="%.0f")
            },
        )
        ui.csv_button(worst, "worst-failures", present)
    with right:
        if selected is not None:
            _detail(state.dataset, selected, present)
        else:
            st.caption(
                "Click a point on the map or a row of the table to see the image, the "
                "truth and every run's raw answer."
            )
    sh.write_url(state.with_(sample=selected))


ui.guarded(body)
