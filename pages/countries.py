"""Countries: accuracy per country (choropleth), confusions, and accuracy per continent with CIs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.dashboard import leaderboard as lbm
from analysis.dashboard.state import ViewState
from analysis.dashboard.text import inert
from analysis.viz.charts import confusion_heatmap, interval_figure
from analysis.viz.choropleth import choropleth_deck, legend_stops
from analysis.viz.export import choropleth_figure, figure_html, fills_from_stats, map_png
from pages import _shared as sh
from pages import _ui as ui

FULL_ALPHA_N = 20  # countries with fewer images are drawn faded


def _controls(state: ViewState, runs: pd.DataFrame, present: bool) -> tuple[ViewState, str, int]:
    share_metrics = [s.name for s in lbm.metric_specs() if s.unit == "share" and s.higher_is_better]
    metric = state.metric if state.metric in share_metrics else share_metrics[0]
    datasets = ui.dataset_names(runs)
    if present:
        dataset = state.dataset if state.dataset in datasets else datasets[0]
        chosen = ui.default_runs(runs, state, dataset)
        return state.with_(dataset=dataset, runs=tuple(chosen), metric=metric), "country", 15
    with st.sidebar:
        st.header("Filters")
        dataset = ui.pick_dataset(datasets, state, key="ct_dataset")
        chosen = ui.pick_runs(
            runs, state, dataset, key="ct_runs", label="Runs (the first is mapped)"
        )
        ui.widget_state("ct_metric", metric)
        metric = st.selectbox(
            "Mapped metric",
            share_metrics,
            key="ct_metric",
            format_func=lambda n: lbm.metric_specs([n])[0].label,
        )
        level = st.radio(
            "Confusion level", ["country", "continent"], horizontal=True, key="ct_level"
        )
        top_n = st.slider("Countries in the matrix", 5, 40, 15, key="ct_top")
    return state.with_(dataset=dataset, runs=tuple(chosen), metric=metric), level, top_n


def body() -> None:
    """Draw the page."""
    present = sh.presentation_mode()
    runs = sh.list_runs()
    st.title("Countries")
    if runs.empty:
        ui.empty_state()
        return
    state, level, top_n = _controls(sh.view_state(), runs, present)
    if not state.runs:
        st.info("Choose at least one run in the sidebar.")
        sh.write_url(state)
        return
    simulated = ui.runs_are_simulated(runs, state.runs)
    ui.simulated_badge(simulated)
    assert state.metric is not None
    spec = lbm.metric_specs([state.metric])[0]
    focus = state.runs[0]
    tables = sh.country_tables(state.runs, state.metric, level, top_n)
    names = sh.country_names()
    st.subheader(f"{inert(spec.label)} per true country: {inert(focus)}")
    stats = tables.stats
    st.caption(
        f"Countries with fewer than {FULL_ALPHA_N} images are faded; the number on each "
        "country is its image count. Hover for values."
    )
    deck = choropleth_deck(
        stats.rename(columns={"value": "accuracy"}),
        sh.country_shapes(),
        value_label=spec.label,
        full_alpha_n=FULL_ALPHA_N,
        labels=sh.country_points(),
    )
    st.pydeck_chart(deck, height=520 if not present else 700, key="ct_map")
    ui.legend([(f"{spec.label} {label}", rgb) for label, rgb in legend_stops()])
    shapes = sh.country_shapes()
    fills = fills_from_stats(stats.rename(columns={"value": "accuracy"}), full_alpha_n=FULL_ALPHA_N)
    title = f"{spec.label} per country, {focus}" + (" (SIMULATED data)" if simulated else "")
    tips = {
        iso: f"{names.get(iso, iso)}: {v:.0%}, n = {n}"
        for iso, v, n in zip(stats["iso3"], stats["value"], stats["n"], strict=True)
    }
    ui.map_exports(
        lambda: map_png(shapes, pd.DataFrame(), {}, title=title, fills=fills),
        lambda: figure_html(choropleth_figure(shapes, fills, tips, title=title)),
        "country-map",
        present,
    )
    table = stats.assign(country=stats["iso3"].map(lambda c: names.get(c, c)))[
        ["country", "iso3", "n", "n_locations", "value"]
    ].rename(columns={"value": state.metric})
    with st.expander("Per-country table"):
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={
                state.metric: st.column_config.NumberColumn(spec.label, format="percent")
            },
        )
        ui.csv_button(table, f"countries-{focus}", present)

    left, right = st.columns([3, 2])
    with left:
        fig = confusion_heatmap(tables.matrix, title=f"Confusion matrix ({level}), {focus}")
        ui.show_chart(fig, f"confusion-{focus}", present, key="ct_confusion", simulated=simulated)
    with right:
        st.subheader("Most frequent confusions")
        confusions = tables.confusions
        if confusions.empty:
            st.caption("No wrong country guesses.")
        for rank, row in enumerate(confusions.itertuples(index=False), start=1):
            true_name = names.get(row.true, row.true)
            pred_name = names.get(row.predicted, row.predicted)
            link_label = (
                f"{rank:d}. {inert(true_name)} → {inert(pred_name)}: "
                f"{row.count:,} images ({row.share:.0%})"
            )
            st.page_link(
                "pages/map.py",
                label=link_label,
                icon=":material/travel_explore:",
                query_params=ViewState(
                    dataset=state.dataset,
                    runs=(focus,),
                    true_countries=(row.true,),
                    pred_country=row.predicted,
                ).to_params(),
            )
        ui.csv_button(confusions, f"confusions-{focus}", present)

    st.subheader(f"{inert(spec.label)} per continent (95% CI)")
    intervals = tables.continents
    colors = sh.run_palette(runs, state.dataset, state.runs)
    fig = interval_figure(
        intervals,
        group_col="group",
        title=f"{spec.label} by true continent",
        x_title=spec.label,
        colors=colors,
    )
    ui.show_chart(fig, "continents", present, key="ct_continents", simulated=simulated)
    ui.csv_button(intervals, "continents", present, key="continents")
    sh.write_url(state)


ui.guarded(body)
