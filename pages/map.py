"""Failure map: where each run guessed, how far off, and the detail of any one image."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from analysis.config import PROJECT_ROOT
from analysis.dashboard.data import image_file
from analysis.dashboard.failures import failure_display
from analysis.dashboard.filters import ERROR_STOPS_KM, WHOLE_WORLD, parse_box, snap_error_range
from analysis.dashboard.gallery import fmt_heading
from analysis.dashboard.names import display_names, with_display_column
from analysis.dashboard.state import (
    LARGE_MODES,
    LINE_MODES,
    OUTCOMES,
    STATUS_VALUES,
    WORST_N_RANGE,
    ViewState,
)
from analysis.dashboard.text import count_noun, inert, inert_table
from analysis.viz.colors import TRUTH_COLOR
from analysis.viz.export import figure_html, map_figure, map_png
from analysis.viz.prediction_map import MAX_POINTS, error_legend
from pages import _shared as sh
from pages import _ui as ui
from pages._clues_cache import clue_list

LINE_LABELS = {
    "worst": "worst N",
    "country": "one country",
    "selection": "selected image",
    "all": "all",
}


def _sidebar(state: ViewState, runs: pd.DataFrame, labels: dict[str, str]) -> ViewState:
    """Draw the filter controls; return the new state."""
    datasets = ui.dataset_names(runs)
    with st.sidebar:
        st.header("Filters")
        dataset = ui.pick_dataset(datasets, state, key="map_dataset")
        chosen = ui.pick_runs(runs, state, dataset, key="map_runs", labels=labels)
        opts = sh.filter_options(chosen)
        names_of = sh.country_names()
        country_fmt = lambda c: f"{names_of.get(c, c)} ({c})"  # noqa: E731
        countries = _multi(
            "True country", opts["true_country"], state.true_countries, "map_country", country_fmt
        )
        pred = _choice(
            "Predicted country",
            ["(any)", *map(str, opts["pred_country"])],
            state.pred_country,
            "map_pred",
            country_fmt,
        )
        continents = _multi("Continent", opts["true_continent"], state.continents, "map_continent")
        statuses = _multi("Status", list(STATUS_VALUES), state.statuses, "map_status")
        ui.widget_state("map_outcome", state.outcome)
        outcome = st.radio("Country guess", OUTCOMES, key="map_outcome", horizontal=True)
        err = _error_range(state)
        headings = _multi("Heading", opts["heading"], state.headings, "map_heading")
        box = _area(state)
        st.header("Error lines")
        ui.widget_state("map_lines", state.lines)
        lines = st.radio(
            "Lines for",
            LINE_MODES,
            key="map_lines",
            format_func=lambda v: inert(LINE_LABELS.get(v, v)),
            horizontal=True,
            help="A slide reads 20 clear lines, not 250: draw lines for the worst N guesses, one "
            "true country, the selected image, or every guess. Points are always all drawn.",
        )
        ui.widget_state("map_worst_n", state.worst_n)
        worst_n = int(
            st.number_input(
                "N", *WORST_N_RANGE, key="map_worst_n", step=5, disabled=lines != "worst"
            )
        )
        line_country = _choice(
            "Country",
            ["(none)", *map(str, opts["true_country"])],
            state.line_country,
            "map_line_country",
            country_fmt,
            disabled=lines != "country",
        )
        n_chosen = int(runs.loc[runs["name"].isin(chosen), "n_predictions"].sum())
        ui.widget_state("map_large", state.large)
        large = state.large
        if n_chosen > MAX_POINTS:
            large = st.radio(
                f"More than {MAX_POINTS:,} predictions",
                LARGE_MODES,
                key="map_large",
                horizontal=True,
                help="Sample whole images at random, or bin every point.",
            )
    return state.with_(
        dataset=dataset, runs=tuple(chosen), true_countries=tuple(countries), pred_country=pred,
        continents=tuple(continents), statuses=tuple(statuses), outcome=outcome,
        err_min_km=None if err[0] == ERROR_STOPS_KM[0] else float(err[0]),
        err_max_km=None if err[1] == ERROR_STOPS_KM[-1] else float(err[1]),
        headings=tuple(int(h) for h in headings), lines=lines, worst_n=worst_n,
        line_country=line_country, large=large, box=box,
    )  # fmt: skip


def _area(state: ViewState) -> str | None:
    """Draw the area box (the map's box selection): latitude and longitude ranges in degrees."""
    box = parse_box(state.box) or WHOLE_WORLD
    with st.expander("Area (a box on the map)", expanded=box != WHOLE_WORLD):
        south, north = st.slider(
            "Latitude (°)", -90, 90, value=(int(box.south), int(box.north)), key="map_box_lat"
        )
        west, east = st.slider(
            "Longitude (°)", -180, 180, value=(int(box.west), int(box.east)), key="map_box_lon",
            help="Keeps images whose true location lies in the box; the table and the lines "
            "follow. A link keeps the box.",
        )  # fmt: skip
    picked = parse_box(f"{south},{north},{west},{east}")
    return None if picked is None else picked.to_param()


def _error_range(state: ViewState) -> tuple[int, int]:
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
    if isinstance(picked, tuple | list):
        return picked[0], picked[1]
    return ERROR_STOPS_KM[0], picked


def _multi(
    label: str, options: list[Any], wanted: tuple[Any, ...], key: str, fmt: Any = str
) -> list[Any]:
    ui.widget_state(key, [v for v in wanted if v in options])
    st.session_state[key] = [v for v in st.session_state[key] if v in options]
    return list(st.multiselect(label, options, key=key, format_func=fmt))


def _choice(
    label: str, options: list[str], wanted: str | None, key: str, fmt: Any, disabled: bool = False
) -> str | None:
    """A selectbox whose first option means "none"; returns None for it."""
    ui.widget_state(key, wanted if wanted in options else options[0])
    if st.session_state[key] not in options:
        st.session_state[key] = options[0]
    picked = st.selectbox(
        label,
        options,
        key=key,
        disabled=disabled,
        format_func=lambda c: c if c == options[0] else fmt(c),
    )
    return None if picked == options[0] else picked


def _present_state(state: ViewState, runs: pd.DataFrame) -> ViewState:
    datasets = ui.dataset_names(runs)
    dataset = state.dataset if state.dataset in datasets else datasets[0]
    return state.with_(dataset=dataset, runs=tuple(ui.default_runs(runs, state, dataset)))


def _chart_key() -> str:
    # a new key after each pick: streamlit greys every unselected object while a selection is
    # active ("clicking dims the map"); a fresh chart has none, and the ring marks the pick
    return f"map_chart_{st.session_state.get('_map_picks', 0)}"


def _on_pick() -> None:
    """A click on the map: translate the picked object's row index into a sample id."""
    event = st.session_state.get(_chart_key())
    ids = st.session_state.get("_map_ids")
    selection = ui.as_mapping(
        getattr(event, "selection", None) or ui.as_mapping(event).get("selection")
    )
    for objects in ui.as_mapping(selection.get("objects")).values():
        for obj in objects or []:
            index = obj.get("i") if isinstance(obj, dict) else None
            if index is not None and ids is not None and 0 <= int(index) < len(ids):
                st.session_state["selected_sample"] = str(ids[int(index)])
                st.session_state["_map_picks"] = st.session_state.get("_map_picks", 0) + 1
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


def _raw_text(row: Any) -> None:
    """Show one run's raw reply verbatim, or say that none was stored."""
    if isinstance(row.raw_response, str) and row.raw_response:
        st.code(row.raw_response, language=None, wrap_lines=True)
    else:
        st.caption("No raw text stored for this run (imported predictions carry none).")
    if isinstance(row.error, str) and row.error:
        st.text(f"error: {row.error}")


def _detail(state: ViewState, sample_id: str, labels: dict[str, str], present: bool) -> None:
    """Show one image, its truth and each selected run's guess with the raw text."""
    assert state.dataset is not None
    samples = sh.dataset_samples(state.dataset)
    rows = samples[samples["sample_id"] == sample_id]
    guesses = sh.sample_predictions(state.dataset, sample_id)
    guesses = guesses[guesses["run"].isin(state.runs)]  # only the runs chosen in the filter
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
    heading = fmt_heading(truth.get("heading"))
    st.text(
        f"Truth: {name} ({truth['true_country']}) at {truth['true_lat']:.4f}, "
        f"{truth['true_lon']:.4f}" + (f"; heading {heading}" if heading else "")
    )
    if guesses.empty:
        st.caption("None of the selected runs answered for this image.")
        return
    table = with_display_column(
        guesses[["run", "distance_km", "pred_country", "status", "coords_source"]], labels
    )
    if present:
        st.table(inert_table(*failure_display(table, rows=len(table))), hide_index=True)
    else:
        st.dataframe(table, hide_index=True, width="stretch", column_config=_columns())
    for row in guesses.itertuples(index=False):
        run = str(row.run)
        with st.expander(
            f"{inert(labels.get(run, run))}: raw response",
            expanded=not present and len(guesses) <= 3,
        ):
            _raw_text(row)
            clue_list(row.raw_response, truth["true_country"], truth["true_lat"], present)


def _columns() -> dict[str, Any]:
    return {
        "distance_km": st.column_config.NumberColumn("error (km)", format="%.0f", width="small"),
        "label": st.column_config.TextColumn("run", width="medium"),
        "run": st.column_config.TextColumn("full run name", width="small"),
        "sample_id": st.column_config.TextColumn("sample", width="small"),
    }


def _worst_table(worst: pd.DataFrame, labels: dict[str, str], present: bool) -> None:
    """The linked table: error first, short labels, the full run name last (and in the CSV)."""
    st.subheader("Worst failures")
    table = with_display_column(worst, labels)
    if present:  # large type for the room; an image opens from its point on the map
        st.table(inert_table(*failure_display(table)), hide_index=True)
        return
    st.session_state["_failure_ids"] = worst["sample_id"].to_numpy()
    first = ["distance_km", "label", "true_country", "pred_country", "status", "heading"]
    table = table[[c for c in first if c in table] + [c for c in table if c not in first]]
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=420,
        key="failures",
        on_select=_on_row,
        selection_mode="single-row",
        column_config=_columns(),
    )
    ui.csv_button(worst, "worst-failures", present)


def _selected(state: ViewState) -> str | None:
    """The selected image: a link's ``sample`` wins when it changed, else the last click."""
    if state.sample != st.session_state.get("_map_url_sample"):
        st.session_state["_map_url_sample"] = state.sample
        st.session_state["selected_sample"] = state.sample
    selected: str | None = st.session_state.get("selected_sample", state.sample)  # only ids
    return selected


def _draw_map(state: ViewState, view: Any, colors: dict[str, Any], labels: dict[str, str]) -> Any:
    build = view.build
    if build.note:
        st.info(inert(build.note), icon=":material/filter_alt:")
    st.session_state["_map_ids"] = (
        build.drawn["sample_id"].to_numpy() if not build.drawn.empty else None
    )
    ui.deck_chart(
        build.deck,
        state.present,
        key=_chart_key(),
        on_select=_on_pick,
        selection_mode="single-object",
        height=760 if state.present else 620,
    )
    ui.legend(
        [
            ("truth", TRUTH_COLOR),
            *[(labels.get(r, r), c) for r, c in colors.items()],
            *[(f"error {k}", c) for k, c in error_legend()],
        ]
    )


def body() -> None:
    """Draw the page."""
    present = sh.presentation_mode()
    state = sh.view_state().with_(present=present)
    runs = sh.list_runs()
    st.title("Failure map")
    if runs.empty:
        ui.empty_state()
        return
    labels = display_names(runs)
    state = _present_state(state, runs) if present else _sidebar(state, runs, labels)
    assert state.dataset is not None
    if not state.runs:
        st.info("Choose at least one run in the sidebar.")
        sh.write_url(state)
        return
    ui.simulated_badge(ui.simulated_flags(runs, state.runs))
    ui.run_warnings(runs, state.runs)
    colors = sh.run_palette(runs, state.runs)
    selected = _selected(state)
    view = sh.map_view(state, state.large == "aggregate")
    if selected is not None and not view.build.drawn.empty:
        view = _with_selection(view, state, selected)
    st.caption(
        f"{view.n_filtered:,} predictions match the filters "
        f"({count_noun(view.n_images, 'image')}, {count_noun(len(state.runs), 'run')}); "
        f"error lines: {inert(_lines_caption(state))}."
    )
    _draw_map(state, view, colors, labels)
    _exports(state, runs, view, colors, labels)
    left, right = st.columns([3, 2])
    with left:
        _worst_table(view.worst, labels, present)
    with right:
        if selected is not None:
            _detail(state, selected, labels, present)
        else:
            st.caption(
                "Click a point on the map"
                + ("" if present else " or a row of the table")
                + " to see the image, the truth and every run's raw answer."
            )
    sh.write_url(state.with_(sample=selected))


def _with_selection(view: Any, state: ViewState, selected: str) -> Any:
    from dataclasses import replace

    return replace(view, build=sh.with_highlight(view.build, state.runs, selected))


def _lines_caption(state: ViewState) -> str:
    if state.lines == "worst":
        return f"the {state.worst_n} largest errors"
    if state.lines == "country":
        return f"true country {state.line_country}" if state.line_country else "pick a country"
    return "the selected image" if state.lines == "selection" else "every guess"


def _exports(
    state: ViewState, runs: pd.DataFrame, view: Any, colors: dict[str, Any], labels: Any
) -> None:
    shapes, rows = sh.country_shapes(), view.export_rows
    title = "GeoScope failure map" + (
        " (SIMULATED data)" if ui.runs_are_simulated(runs, state.runs) else ""
    )
    named = {labels.get(r, r): c for r, c in colors.items()}
    rows = rows.assign(run=rows["run"].map(lambda r: labels.get(r, r))) if len(rows) else rows
    ui.map_exports(
        lambda: map_png(shapes, rows, named, title=title),
        lambda: figure_html(map_figure(shapes, rows, named, title=title)),
        "failure-map",
        state.present,
    )


ui.guarded(body)
