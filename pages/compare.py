"""Compare two runs on the same images: paired differences, McNemar, 2x2 table, disagreements."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.dashboard import leaderboard as lbm
from analysis.dashboard.state import ViewState
from analysis.viz.charts import interval_figure, paired_table_figure
from analysis.dashboard.text import inert
from analysis.viz.colors import ONLY_A_COLOR, ONLY_B_COLOR
from analysis.viz.export import figure_html, map_figure, map_png
from pages import _shared as sh
from pages import _ui as ui


def _controls(state: ViewState, runs: pd.DataFrame, present: bool) -> ViewState:
    datasets = ui.dataset_names(runs)
    if present:
        dataset = state.dataset if state.dataset in datasets else datasets[0]
        names = runs.loc[runs["dataset"] == dataset, "name"].astype(str).tolist()
        a = state.run_a if state.run_a in names else names[0]
        b = state.run_b if state.run_b in names else names[min(1, len(names) - 1)]
        return state.with_(dataset=dataset, run_a=a, run_b=b)
    with st.sidebar:
        st.header("Runs")
        dataset = ui.pick_dataset(datasets, state, key="cmp_dataset")
        names = runs.loc[runs["dataset"] == dataset, "name"].astype(str).tolist()
        ui.widget_state("cmp_a", state.run_a if state.run_a in names else names[0])
        ui.widget_state(
            "cmp_b", state.run_b if state.run_b in names else names[min(1, len(names) - 1)]
        )
        for key in ("cmp_a", "cmp_b"):
            if st.session_state[key] not in names:
                st.session_state[key] = names[0]
        a = st.selectbox("Run A", names, key="cmp_a")
        b = st.selectbox("Run B", names, key="cmp_b")
    return state.with_(dataset=dataset, run_a=a, run_b=b)


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
    state = _controls(sh.view_state(), runs, present)
    a, b = str(state.run_a), str(state.run_b)
    sh.write_url(state)
    if a == b:
        n_runs = int((runs["dataset"] == state.dataset).sum())
        st.info(
            f"Dataset {inert(repr(state.dataset))} has only one run ({inert(a)}); a comparison "
            "needs two runs of "
            "the same dataset (pick another dataset, or add a run)."
            if n_runs < 2
            else "Pick two different runs of the same dataset."
        )
        return
    simulated = ui.runs_are_simulated(runs, (a, b))
    ui.simulated_badge(simulated)
    result = sh.paired(a, b)
    st.caption(
        f"A = {inert(a)}, B = {inert(b)}: {result.n:,} images in common"
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
        col.metric(f"{inert(label)}, A − B", inert(value), help=inert(interval))
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
            rows, title="Difference A − B (95% CI)", x_title="percentage points", zero_line=True
        )
        ui.show_chart(fig, "paired-differences", present, key="cmp_diff", simulated=simulated)
    with right:
        counts = [[result.both_right, result.only_a], [result.only_b, result.both_wrong]]
        fig = paired_table_figure(counts, ("A", "B"))
        ui.show_chart(fig, "paired-table", present, key="cmp_table", simulated=simulated)

    st.subheader("Where they disagree")
    view = sh.compare_view(a, b)
    shown = view.shown
    st.caption(
        f"{int((view.outcomes['outcome'] == 'only_a').sum()):,} images only A got right, "
        f"{int((view.outcomes['outcome'] == 'only_b').sum()):,} only B."
    )
    if view.note:
        st.info(inert(view.note), icon=":material/filter_alt:")
    st.pydeck_chart(view.deck, height=480 if not present else 650, key="cmp_map")
    ui.legend([(f"only A right ({a})", ONLY_A_COLOR), (f"only B right ({b})", ONLY_B_COLOR)])
    shapes = sh.country_shapes()
    points = shown.assign(
        run=shown["outcome"].map({"only_a": a, "only_b": b}),
        pred_lat=shown["true_lat"],
        pred_lon=shown["true_lon"],
        distance_km=0.0,
    )
    colors = {a: ONLY_A_COLOR, b: ONLY_B_COLOR}
    ui.map_exports(
        lambda: map_png(shapes, points, colors, title=f"Only one right: {a} vs {b}"),
        lambda: figure_html(
            map_figure(shapes, points, colors, title=f"Only one right: {a} vs {b}")
        ),
        "disagreements",
        present,
    )
    ui.csv_button(view.outcomes, "paired-outcomes", present)

    st.subheader("Every metric")
    summaries = sh.run_summaries(runs[runs["name"].isin([a, b])])
    table = lbm.side_by_side(summaries[a], summaries[b])
    st.caption(
        "Per-run intervals (unpaired); the paired intervals for the main metrics are above. "
        "Each run's figures here use all its images."
    )
    st.dataframe(table, hide_index=True, width="stretch")


ui.guarded(body)
