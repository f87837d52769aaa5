"""Leaderboard: every run's metrics with 95% CIs, a models x prompts table, accuracy curves."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.dashboard import leaderboard as lbm
from analysis.viz.charts import accuracy_curve_figure, interval_figure, pivot_heatmap
from analysis.viz.colors import run_colors
from analysis.dashboard.text import count_noun, inert
from pages import _shared as sh
from pages import _ui as ui

MAX_CURVES = 8


def _filters(runs: pd.DataFrame, present: bool) -> pd.DataFrame:
    """Dataset / model / prompt strategy filters; an empty filter means "all", so new runs show."""
    if present:
        return runs
    with st.sidebar:
        st.header("Filters")
        out = runs
        for col, label in (
            ("dataset", "Dataset"),
            ("model", "Model"),
            ("prompt_strategy", "Prompt strategy"),
        ):
            values = sorted(lbm.run_field(runs, col).unique())
            chosen = st.multiselect(inert(label), values, key=f"lb_{col}", placeholder="All")
            if chosen:
                out = out[lbm.run_field(out, col).isin(chosen)]
    return out


def body() -> None:
    """Draw the page."""
    present = sh.presentation_mode()
    state = sh.view_state()
    st.title("Leaderboard")
    runs = sh.list_runs()
    if runs.empty:
        ui.empty_state()
        return
    shown = _filters(runs, present)
    if shown.empty:
        st.info("No run matches the filters.")
        return
    ui.simulated_badge(bool(shown["is_simulated"].fillna(False).astype(bool).any()))
    summaries = sh.run_summaries(shown)
    lb = lbm.leaderboard_frame(shown, summaries)
    specs = lbm.metric_specs()
    rankable = [s.name for s in specs if s.higher_is_better is not None and s.name in lb]
    default_metric = state.metric if state.metric in rankable else rankable[0]
    if present:
        metric = default_metric
    else:
        ui.widget_state("lb_metric", default_metric)
        metric = st.selectbox(
            "Rank by",
            rankable,
            key="lb_metric",
            format_func=lambda n: f"{lbm.metric_specs([n])[0].label}",
        )
    spec = lbm.metric_specs([metric])[0]
    lb = lbm.rank_runs(lb, metric, ui.dataset_names(shown))
    st.caption(
        f"{count_noun(len(lb), 'run')}, ranked within each dataset by {inert(spec.label)} "
        f"({'higher' if spec.higher_is_better else 'lower'} is better). Brackets: 95% interval "
        "from a bootstrap over locations (images of one place are resampled together). "
        "Accuracy counts unknown, refused and failed answers as wrong; answered-only figures "
        "stand beside coverage."
    )
    st.subheader("Headline metrics")
    headline = lbm.display_table(lb, lbm.HEADLINE_METRICS)
    st.dataframe(headline, hide_index=True, width="stretch")
    ui.csv_button(lb, "leaderboard", present)
    with st.expander("Coverage and answered-only figures", expanded=present is False):
        coverage = lbm.display_table(lb, lbm.COVERAGE_METRICS)
        st.dataframe(coverage, hide_index=True, width="stretch")
    colors = run_colors(runs["name"].astype(str).tolist())
    top = lb.head(20)
    if f"{metric}__low" in top:
        rows = pd.DataFrame(
            {
                "label": top["run"],
                "estimate": top[metric],
                "low": top[f"{metric}__low"],
                "high": top[f"{metric}__high"],
                "n": top.get("n", pd.Series(dtype=float)),
            }
        )
        fig = interval_figure(
            rows,
            title=f"{spec.label} with 95% CI",
            x_title=spec.label,
            percent=spec.unit == "share",
        )
        ui.show_chart(
            fig,
            f"leaderboard-{metric}",
            present,
            key="lb_forest",
            simulated=top["is_simulated"],
        )

    st.subheader("Models x prompt strategies")
    datasets = ui.dataset_names(shown)
    pivot_ds = state.dataset if state.dataset in datasets else datasets[0]
    if not present and len(datasets) > 1:
        ui.widget_state("lb_pivot_ds", pivot_ds)
        pivot_ds = st.selectbox("Dataset for the table", datasets, key="lb_pivot_ds")
    table = lbm.pivot(lb[lb["dataset"].astype(str) == pivot_ds], metric)
    if not table.empty:
        fig = pivot_heatmap(
            table,
            title=f"{spec.label} on {pivot_ds}",
            higher_is_better=bool(spec.higher_is_better),
            percent=spec.unit == "share",
        )
        ui.show_chart(
            fig,
            f"pivot-{metric}",
            present,
            key="lb_pivot",
            simulated=lb.loc[lb["dataset"].astype(str) == pivot_ds, "is_simulated"],
        )
        ui.csv_button(table.reset_index(names="model"), f"pivot-{metric}", present, key="pivot")

    st.subheader("Accuracy within distance")
    curve_runs = lb["run"].astype(str).tolist()[:MAX_CURVES]
    curves = sh.accuracy_curves(curve_runs)
    if len(lb) > MAX_CURVES:
        st.caption(f"The {MAX_CURVES} best runs by {inert(spec.label)}; filter to see others.")
    fig = accuracy_curve_figure(curves, colors)
    ui.show_chart(
        fig,
        "accuracy-vs-distance",
        present,
        key="lb_curves",
        simulated=lb.head(MAX_CURVES)["is_simulated"],
    )
    sh.write_url(state.with_(metric=metric, dataset=pivot_ds))


ui.guarded(body)
