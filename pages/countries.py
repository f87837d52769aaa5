"""Countries: accuracy per country (choropleth), confusions, and accuracy per continent with CIs."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analysis.dashboard import leaderboard as lbm
from analysis.dashboard.names import display_names
from analysis.dashboard.state import ViewState
from analysis.dashboard.text import count_noun, inert
from analysis.metrics.spec import MetricSpec
from analysis.viz.charts import confusion_heatmap, interval_figure
from analysis.viz.choropleth import (
    LABEL_PX,
    PRESENT_LABEL_PX,
    choropleth_deck,
    color_scale,
    legend_stops,
)
from analysis.viz.export import choropleth_figure, figure_html, fills_from_stats, map_png
from analysis.viz.theme import PRESENT_FONT_PX
from pages import _shared as sh
from pages import _ui as ui
from pages._shared import CountryTables

MATRIX_SIZES: tuple[int, ...] = (0, 10, 15, 20, 30, 40, 60)  # 0: every country in the data
PRESENT_MATRIX_TOP = 20  # presentation: labels >= 18 px need ~22 px per column


def _mapped_metrics() -> list[str]:
    """Metrics that can colour the map: shares, median error, GeoGuessr score."""
    specs = lbm.metric_specs()
    shares = [s.name for s in specs if s.unit == "share" and s.higher_is_better]
    others = [s.name for s in specs if s.name in ("median_km", "geoguessr_mean")]
    return shares + others


def _size_label(top: int) -> str:
    return "all countries" if top == 0 else f"top {top}"


def _controls(
    state: ViewState, runs: pd.DataFrame, present: bool, labels: dict[str, str]
) -> ViewState:
    mapped = _mapped_metrics()
    metric = state.metric if state.metric in mapped else mapped[0]
    datasets = ui.dataset_names(runs)
    if present:
        dataset = state.dataset if state.dataset in datasets else datasets[0]
        chosen = ui.default_runs(runs, state, dataset)
        top = state.matrix_top or PRESENT_MATRIX_TOP  # "all" would not fit 18 px labels
        return state.with_(dataset=dataset, runs=tuple(chosen), metric=metric, matrix_top=top)
    with st.sidebar:
        st.header("Filters")
        dataset = ui.pick_dataset(datasets, state, key="ct_dataset")
        chosen = ui.pick_runs(
            runs, state, dataset, key="ct_runs", labels=labels, label="Runs (the first is mapped)"
        )
        ui.widget_state("ct_metric", metric)
        metric = st.selectbox(
            "Mapped metric",
            mapped,
            key="ct_metric",
            format_func=lambda n: lbm.metric_specs([n])[0].label,
        )
        ui.widget_state("ct_level", state.level)
        level = st.radio(
            "Confusion level", ["country", "continent"], horizontal=True, key="ct_level"
        )
        sizes = sorted({*MATRIX_SIZES, state.matrix_top}, key=lambda v: (v == 0, v))
        ui.widget_state("ct_top", state.matrix_top)
        top = st.select_slider(
            "Countries in the matrix", sizes, key="ct_top", format_func=_size_label
        )
        ui.widget_state("ct_order", state.matrix_order)
        order = st.radio(
            "Matrix order",
            ["continent", "confusion", "frequency"],  # state.MATRIX_ORDERS
            horizontal=True,
            key="ct_order",
            help="continent: grouped by continent; confusion: countries mixed up with each "
            "other side by side; frequency: most images first.",
        )
    return state.with_(
        dataset=dataset,
        runs=tuple(chosen),
        metric=metric,
        level=level,
        matrix_top=int(top),
        matrix_order=order,
    )


@dataclass(frozen=True)
class _View:
    """What every section of the page needs: the state, the chosen metric and the labels."""

    state: ViewState
    runs: pd.DataFrame
    present: bool
    simulated: pd.Series  # the shown runs' is_simulated flags, in the order of state.runs
    tables: CountryTables
    spec: MetricSpec
    focus: str
    focus_label: str
    labels: dict[str, str]
    names: dict[str, str]

    @property
    def focus_simulated(self) -> bool:
        """Whether the focus run (the map's and the matrix's one run) is simulated."""
        return ui.runs_are_simulated(self.runs, (self.focus,))


def body() -> None:
    """Draw the page."""
    present = sh.presentation_mode()
    runs = sh.list_runs()
    st.title("Countries")
    if runs.empty:
        ui.empty_state()
        return
    labels = display_names(runs)
    state = _controls(sh.view_state(), runs, present, labels)
    if not state.runs:
        st.info("Choose at least one run in the sidebar.")
        sh.write_url(state)
        return
    simulated = ui.simulated_flags(runs, state.runs)
    ui.simulated_badge(simulated)
    ui.run_warnings(runs, state.runs)
    assert state.metric is not None
    focus = state.runs[0]
    view = _View(
        state=state,
        runs=runs,
        present=present,
        simulated=simulated,
        tables=sh.country_tables(
            state.runs, state.metric, state.level, state.matrix_top or None, state.matrix_order
        ),
        spec=lbm.metric_specs([state.metric])[0],
        focus=focus,
        focus_label=labels.get(focus, focus),
        labels=labels,
        names=sh.country_names(),
    )
    _choropleth(view)
    _matrix(view)
    _confusions(view)
    _continents(view)
    sh.write_url(state)


def _choropleth(view: _View) -> None:
    """The mapped metric per true country, its exports and the per-country table."""
    spec, stats, names, present = view.spec, view.tables.stats, view.names, view.present
    scale = color_scale(spec.label, spec.unit, spec.higher_is_better)
    st.subheader(f"{inert(spec.label)} per true country: {inert(view.focus_label)}")
    st.caption(
        f"{count_noun(len(stats), 'country', 'countries')} with images. Numbers on the larger "
        "countries are their image counts; hover any country for its value and count."
    )
    deck = choropleth_deck(
        stats.rename(columns={"value": "accuracy"}),
        sh.country_shapes(),
        value_label=spec.label,
        labels=sh.map_label_points(),
        scale=scale,
        label_px=PRESENT_LABEL_PX if present else LABEL_PX,
    )
    ui.deck_chart(deck, present, height=520 if not present else 700, key="ct_map")
    ui.legend(legend_stops(scale=scale), title=scale.title)
    shapes = sh.country_shapes()
    fills = fills_from_stats(stats.rename(columns={"value": "accuracy"}), scale=scale)
    title = f"{spec.label} per country: {view.focus_label}" + (
        " (SIMULATED data)" if view.focus_simulated else ""
    )
    tips = {
        iso: f"{names.get(iso, iso)}: {scale.format(v)}, {count_noun(int(n), 'image')}"
        for iso, v, n in zip(stats["iso3"], stats["value"], stats["n"], strict=True)
    }
    ui.map_exports(
        lambda: map_png(shapes, pd.DataFrame(), {}, title=title, fills=fills, scale=scale),
        lambda: figure_html(choropleth_figure(shapes, fills, tips, title=title, scale=scale)),
        "country-map",
        present,
    )
    shown_value = stats["value"] * 100.0 if spec.unit == "share" else stats["value"]
    table = stats.assign(country=stats["iso3"].map(lambda c: names.get(c, c)), value=shown_value)[
        ["country", "iso3", "n", "n_locations", "value"]
    ].rename(columns={"value": spec.name})
    fmt = {"share": "%.1f%%", "km": "%.0f km"}.get(spec.unit, "%.0f")
    with st.expander("Per-country table"):
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={spec.name: st.column_config.NumberColumn(spec.label, format=fmt)},
        )
        ui.csv_button(table, f"countries-{view.focus}", present)


def _matrix(view: _View) -> None:
    """The confusion matrix (every country or the top N), with its counts as CSV."""
    state, tables, present = view.state, view.tables, view.present
    n_rows = len(tables.matrix.index)
    what = "continents" if state.level == "continent" else "true countries"
    size = f"top {n_rows} {what}" if state.matrix_top else f"all {n_rows} {what}"
    fig = confusion_heatmap(
        tables.matrix,
        counts=tables.counts,
        names=view.names if state.level == "country" else None,
        title=f"Confusion matrix ({size}, by {state.matrix_order}): {view.focus_label}",
        font_px=PRESENT_FONT_PX if present else 13,
        plot_px=1300 if present else 800,
    )
    ui.show_chart(
        fig,
        f"confusion-{view.focus}",
        present,
        key="ct_confusion",
        simulated=view.focus_simulated,
        grow=False,
        wide=True,
    )
    ui.csv_button(tables.counts.reset_index(), f"confusion-counts-{view.focus}", present, key="cm")


def _confusions(view: _View) -> None:
    """The most frequent confusions, each a link to the map filtered to it."""
    st.subheader("Most frequent confusions")
    confusions, names = view.tables.confusions, view.names
    if confusions.empty:
        st.caption("No wrong country guesses.")
    ranked = zip(
        confusions["true"].astype(str),
        confusions["predicted"].astype(str),
        confusions["count"].astype(int),
        confusions["share"].astype(float),
        strict=True,
    )
    for rank, (true, predicted, count, share) in enumerate(ranked, start=1):
        link_label = (
            f"{rank:d}. {inert(names.get(true, true))} → {inert(names.get(predicted, predicted))}: "
            f"{count_noun(count, 'image')} ({share:.1%})"
        )
        st.page_link(
            "pages/map.py",
            label=link_label,
            icon=":material/travel_explore:",
            query_params=ViewState(
                dataset=view.state.dataset,
                runs=(view.focus,),
                true_countries=(true,),
                pred_country=predicted,
                present=view.present,
            ).to_params(),
        )
    ui.csv_button(confusions, f"confusions-{view.focus}", view.present)


def _continents(view: _View) -> None:
    """The metric per true continent with 95% CIs, one colour per run as on every page."""
    spec, labels, state = view.spec, view.labels, view.state
    st.subheader(f"{inert(spec.label)} per continent (95% CI)")
    intervals = view.tables.continents
    colors = sh.run_palette(view.runs, state.runs)
    fig = interval_figure(
        intervals.assign(
            run=intervals["group"], group=intervals["group"].map(lambda r: labels.get(r, r))
        ),
        group_col="group",
        title=f"{spec.label} by true continent",
        x_title=spec.label,
        percent=spec.unit == "share",
        colors={labels.get(r, r): c for r, c in colors.items()},
    )
    ui.show_chart(
        fig, "continents", view.present, key="ct_continents", simulated=view.simulated, wide=True
    )
    ui.csv_button(intervals, "continents", view.present, key="continents")


ui.guarded(body)
