"""Compare two runs on the same images: paired differences, McNemar, 2x2 table, disagreements."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from analysis.dashboard import leaderboard as lbm
from analysis.dashboard.compare import slice_display
from analysis.dashboard.names import display_names
from analysis.dashboard.state import SLICE_BY, ViewState
from analysis.dashboard.text import inert, inert_table
from analysis.viz.charts import interval_figure, paired_table_figure
from analysis.viz.colors import ONLY_A_COLOR, ONLY_B_COLOR
from analysis.viz.export import figure_html, map_figure, map_png
from pages import _shared as sh
from pages import _ui as ui

SLICE_WORDS = {"true_country": "country", "true_continent": "continent", "heading": "heading"}


def _pair(names: list[str], a: str | None, b: str | None) -> tuple[str, str]:
    """Valid runs A and B of one dataset: two different runs whenever it has two."""
    run_a = a if a in names else names[0]
    others = [n for n in names if n != run_a] or names
    run_b = b if b in names and b != run_a else others[0]
    return run_a, run_b


def _controls(
    state: ViewState, runs: pd.DataFrame, present: bool, labels: dict[str, str]
) -> ViewState:
    datasets = ui.dataset_names(runs)
    if present:
        dataset = state.dataset if state.dataset in datasets else datasets[0]
        names = runs.loc[runs["dataset"] == dataset, "name"].astype(str).tolist()
        a, b = _pair(names, state.run_a, state.run_b)
        return state.with_(dataset=dataset, run_a=a, run_b=b)
    with st.sidebar:
        st.header("Runs")
        dataset = ui.pick_dataset(datasets, state, key="cmp_dataset")
        names = runs.loc[runs["dataset"] == dataset, "name"].astype(str).tolist()
        seeded = _pair(names, state.run_a, state.run_b)
        ui.widget_state("cmp_a", seeded[0])
        ui.widget_state("cmp_b", seeded[1])
        # another dataset picked: both old runs are gone; default to two different ones
        a_now = st.session_state["cmp_a"] if st.session_state["cmp_a"] in names else None
        b_now = st.session_state["cmp_b"] if st.session_state["cmp_b"] in names else None
        if a_now is None or b_now is None:
            st.session_state["cmp_a"], st.session_state["cmp_b"] = _pair(names, a_now, b_now)
        a = st.selectbox("Run A", names, key="cmp_a", format_func=lambda r: labels.get(r, r))
        b = st.selectbox("Run B", names, key="cmp_b", format_func=lambda r: labels.get(r, r))
        ui.widget_state("cmp_slice", state.slice_by)
        slice_by = st.radio(
            "Where they differ, by",
            SLICE_BY,
            key="cmp_slice",
            format_func=lambda v: inert(SLICE_WORDS.get(v, v)),
        )
    return state.with_(dataset=dataset, run_a=a, run_b=b, slice_by=slice_by)


def _where_they_differ(state: ViewState, names: tuple[str, str], present: bool) -> None:
    """Slices ranked by the paired difference, each a link to the map filtered to it."""
    word = SLICE_WORDS[state.slice_by]
    st.subheader(f"Where they differ most, by {word}")
    table = sh.slices(str(state.run_a), str(state.run_b), state.slice_by)
    if table.empty:
        st.info(f"No {word} has enough images in common (5) to compare.")  # trusted: SLICE_WORDS
        return
    st.caption(
        f"Country accuracy, {inert(names[0])} − {inert(names[1])}, per {word}, with paired "
        "95% intervals (bootstrap over locations); ranked by the size of the difference. "
        "'clear' = the interval excludes 0."
        + ("" if present else " Open a row on the map to see its guesses.")
    )
    shown = table.head(10 if present else 25).assign(
        label=lambda t: t["slice"].astype(str),
        estimate=lambda t: t["diff"],
        map=lambda t: [_map_link(state, v) for v in t["slice"]],
    )
    left, right = st.columns([2, 3])
    with left:
        fig = interval_figure(
            shown.head(10).iloc[::-1],
            title=f"{names[0]} − {names[1]}, by {word}",
            x_title="percentage points",
            zero_line=True,
        )
        ui.show_chart(fig, "slice-differences", present, key="cmp_slices")
    with right:
        if present:  # static, large type; the chart beside it holds the same intervals
            st.table(inert_table(*slice_display(shown, word)), hide_index=True)
        else:
            _slice_grid(shown)
        ui.csv_button(table, "slice-differences", present)


def _slice_grid(shown: pd.DataFrame) -> None:
    """The interactive slice table: each row opens the map filtered to its slice."""
    st.dataframe(
        shown[["slice", "n", "diff", "low", "high", "clear", "map"]],
        hide_index=True,
        width="stretch",
        column_config={
            "diff": st.column_config.NumberColumn("A − B", format="percent"),
            "low": st.column_config.NumberColumn("95% low", format="percent"),
            "high": st.column_config.NumberColumn("95% high", format="percent"),
            "map": st.column_config.LinkColumn("map", display_text="open map"),
        },
    )


def _map_link(state: ViewState, value: str | float) -> str:
    """A relative link to the failure map showing both runs on one slice (a heading: a number)."""
    field = {"true_country": "true_countries", "true_continent": "continents"}.get(
        state.slice_by, "headings"
    )
    view = ViewState(
        dataset=state.dataset,
        runs=(str(state.run_a), str(state.run_b)),
        lines="country" if field == "true_countries" else "all",
        line_country=str(value) if field == "true_countries" else None,
        true_countries=(str(value),) if field == "true_countries" else (),
        continents=(str(value),) if field == "continents" else (),
        headings=(int(value),) if field == "headings" else (),
    )
    return "map?" + urlencode(view.to_params(), doseq=True)


def _fmt_diff(ci: object, unit: str) -> tuple[str, str]:
    est, low, high = ci.estimate, ci.low, ci.high  # type: ignore[attr-defined]
    if unit == "share":
        return f"{est * 100:+.1f} pts", f"95% CI [{low * 100:+.1f}, {high * 100:+.1f}]"
    return f"{est:+,.0f} km", f"95% CI [{low:+,.0f}, {high:+,.0f}]"


def body() -> None:
    """Draw the page."""
    present = sh.presentation_mode()
    runs = sh.list_runs()
    st.title("Compare two runs")
    if runs.empty:
        ui.empty_state()
        return
    labels = display_names(runs)
    state = _controls(sh.view_state(), runs, present, labels)
    a, b = str(state.run_a), str(state.run_b)
    name_a, name_b = labels.get(a, a), labels.get(b, b)
    sh.write_url(state)
    if a == b:
        n_runs = int((runs["dataset"] == state.dataset).sum())
        st.info(
            f"Dataset {inert(repr(state.dataset))} has only one run ({inert(name_a)}); a comparison "
            "needs two runs of "
            "the same dataset (pick another dataset, or add a run)."
            if n_runs < 2
            else "Pick two different runs of the same dataset."
        )
        return
    simulated = ui.simulated_flags(runs, (a, b))  # a chart of the pair holds both runs
    ui.simulated_badge(simulated)
    ui.run_warnings(runs, (a, b))
    _paired_figures(a, b, (name_a, name_b), present, simulated)
    _where_they_differ(state, (name_a, name_b), present)
    _disagreements(a, b, (name_a, name_b), present)
    _every_metric(runs, a, b, present)


def _paired_figures(
    a: str, b: str, names: tuple[str, str], present: bool, simulated: pd.Series
) -> None:
    """Draw the paired differences (A - B) with their intervals and the 2x2 right/wrong table."""
    name_a, name_b = names
    result = sh.paired(a, b)
    st.caption(
        f"A = {inert(name_a)} ({inert(a)}), B = {inert(name_b)} ({inert(b)}): "
        f"{result.n:,} images in common"
        + (
            f"; left out: {result.dropped_a:,} only in A, {result.dropped_b:,} only in B"
            if result.dropped_a or result.dropped_b
            else ""
        )
        + ". Differences are A minus B, paired bootstrap over locations "
        f"({result.n_resamples:,} resamples)."
    )
    cols = st.columns(4)
    for col, (label, ci, unit) in zip(
        cols,
        (
            ("Country accuracy", result.diff_accuracy, "share"),
            ("Within 25 km", result.diff_acc_25km, "share"),
            ("Within 750 km", result.diff_acc_750km, "share"),
            ("Median error", result.diff_median_km, "km"),
        ),
        strict=True,
    ):
        value, interval = _fmt_diff(ci, unit)
        col.metric(f"{inert(label)}, A − B", inert(value), help=inert(f"{name_a} − {name_b}"))
        col.caption(inert(interval))
    st.metric(
        "McNemar exact p (country right/wrong)",
        f"{result.mcnemar_p:.3g}",
        help="Exact binomial test on the images exactly one run got right.",
    )
    rows = pd.DataFrame(
        {
            "label": ["Country accuracy", "Within 25 km", "Within 750 km"],
            "estimate": [
                c.estimate
                for c in (result.diff_accuracy, result.diff_acc_25km, result.diff_acc_750km)
            ],
            "low": [
                c.low for c in (result.diff_accuracy, result.diff_acc_25km, result.diff_acc_750km)
            ],
            "high": [
                c.high for c in (result.diff_accuracy, result.diff_acc_25km, result.diff_acc_750km)
            ],
        }
    )
    left, right = st.columns(2)
    with left:
        fig = interval_figure(
            rows,
            title=f"{name_a} − {name_b} (95% CI)",
            x_title="percentage points",
            zero_line=True,
        )
        ui.show_chart(fig, "paired-differences", present, key="cmp_diff", simulated=simulated)
    with right:
        counts = [[result.both_right, result.only_a], [result.only_b, result.both_wrong]]
        fig = paired_table_figure(counts, (name_a, name_b))
        ui.show_chart(fig, "paired-table", present, key="cmp_table", simulated=simulated)


def _disagreements(a: str, b: str, names: tuple[str, str], present: bool) -> None:
    """Map the images exactly one of the two runs placed in the right country."""
    name_a, name_b = names
    st.subheader("Where they disagree")
    view = sh.compare_view(a, b)
    shown = view.shown
    st.caption(
        f"{int((view.outcomes['outcome'] == 'only_a').sum()):,} images only A got right, "
        f"{int((view.outcomes['outcome'] == 'only_b').sum()):,} only B."
    )
    if view.note:
        st.info(inert(view.note), icon=":material/filter_alt:")
    ui.deck_chart(view.deck, present, height=480 if not present else 650, key="cmp_map")
    ui.legend([(f"only {name_a} right", ONLY_A_COLOR), (f"only {name_b} right", ONLY_B_COLOR)])
    shapes = sh.country_shapes()
    points = shown.assign(
        run=shown["outcome"].map({"only_a": name_a, "only_b": name_b}),
        pred_lat=shown["true_lat"],
        pred_lon=shown["true_lon"],
        distance_km=0.0,
    )
    colors = {name_a: ONLY_A_COLOR, name_b: ONLY_B_COLOR}
    ui.map_exports(
        lambda: map_png(shapes, points, colors, title=f"Only one right: {name_a} vs {name_b}"),
        lambda: figure_html(
            map_figure(shapes, points, colors, title=f"Only one right: {name_a} vs {name_b}")
        ),
        "disagreements",
        present,
    )
    ui.csv_button(view.outcomes, "paired-outcomes", present)


def _every_metric(runs: pd.DataFrame, a: str, b: str, present: bool) -> None:
    """Show every metric of both runs side by side (each with its own, unpaired interval)."""
    st.subheader("Every metric")
    summaries = sh.run_summaries(runs[runs["name"].isin([a, b])])
    table = lbm.side_by_side(summaries[a], summaries[b])
    st.caption(
        "Per-run intervals (unpaired); the paired intervals for the main metrics are above. "
        "Each run's figures here use all its images."
    )
    if present:
        st.table(inert_table(table, right=("A", "B", "A − B")), hide_index=True)
    else:
        st.dataframe(table, hide_index=True, width="stretch")


ui.guarded(body)
