"""Leaderboard: every run's metrics with 95% CIs, a models x prompts table, accuracy curves."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.dashboard import finetune_view as ftv
from analysis.dashboard import leaderboard as lbm
from analysis.dashboard.names import with_prompt_fields
from analysis.dashboard.state import ViewState
from analysis.dashboard.text import count_noun, inert, inert_table
from analysis.viz.charts import accuracy_curve_figure, interval_figure, pivot_heatmap
from pages import _shared as sh
from pages import _ui as ui

MAX_CURVES = 8


def _filters(
    runs: pd.DataFrame, present: bool, state: ViewState
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Dataset / model / prompt strategy filters; an empty filter means "all", so new runs show.

    The dataset filter travels in the URL (``datasets``), so a copied link shows the same runs.
    """
    runs = with_prompt_fields(runs)  # retrieval baselines: "no prompt", not "basic"
    datasets = ui.dataset_names(runs)
    wanted = tuple(d for d in state.lb_datasets if d in datasets)
    if present:
        return (runs[runs["dataset"].astype(str).isin(wanted)] if wanted else runs), wanted
    with st.sidebar:
        st.header("Filters")
        ui.widget_state("lb_dataset", list(wanted))
        chosen_ds = st.multiselect("Dataset", datasets, key="lb_dataset", placeholder="All")
        out = runs[runs["dataset"].astype(str).isin(chosen_ds)] if chosen_ds else runs
        for col, label in (("model", "Model"), ("prompt_strategy", "Prompt strategy")):
            values = sorted(lbm.run_field(runs, col).unique())
            chosen = st.multiselect(inert(label), values, key=f"lb_{col}", placeholder="All")
            if chosen:
                out = out[lbm.run_field(out, col).isin(chosen)]
    return out, tuple(chosen_ds)


def _headline(part: pd.DataFrame, present: bool) -> None:
    """Draw one dataset's compact headline table (values only; intervals are charted below).

    Presentation mode draws it as a static HTML table: the interactive grid paints its text on
    a canvas at a fixed small size that the presentation style cannot enlarge.
    """
    table = lbm.headline_frame(part, lbm.headline_metrics())
    if table["n"].nunique() <= 1:  # one n per dataset: said in the subheader instead
        table = table.drop(columns="n")
    columns = lbm.headline_columns(lbm.headline_metrics())
    if present:
        st.table(inert_table(*lbm.headline_display(table, columns)), hide_index=True)
        return
    config = {
        name: st.column_config.NumberColumn(spec.title, format=spec.fmt, help=spec.help)
        for name, spec in columns.items()
        if name in table
    }
    titles = lbm.HEADLINE_TEXT_TITLES
    config["run"] = st.column_config.TextColumn(
        titles["run"], help="Full names in the CSV", pinned=True
    )
    config["model"] = st.column_config.TextColumn(titles["model"])
    config["prompt"] = st.column_config.TextColumn(titles["prompt"])
    st.dataframe(table, hide_index=True, width="stretch", column_config=config)


def _finetune_section(runs: pd.DataFrame) -> None:
    """Base vs fine-tuned per prompt strategy, shown only when a run is of a fine-tuned model."""
    pairs = ftv.pair_finetuned_runs(runs)
    if pairs.empty:
        return
    st.subheader("Fine-tuned vs base model")
    table = ftv.display_finetune_table(ftv.finetune_table(pairs, sh.paired))
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(
        "Country accuracy of each fine-tuned run and of its base model's run on the same split, "
        "prompt strategy and form; gain with a 95% paired bootstrap interval over locations; "
        "McNemar's exact test on the images only one of the two got right."
    )


def body() -> None:
    """Draw the page."""
    present = sh.presentation_mode()
    state = sh.view_state()
    st.title("Leaderboard")
    runs = sh.list_runs()
    if runs.empty:
        ui.empty_state()
        return
    shown, chosen_datasets = _filters(runs, present, state)
    if shown.empty:
        st.info("No run matches the filters.")
        sh.write_url(state.with_(lb_datasets=chosen_datasets))
        return
    ui.simulated_badge(shown["is_simulated"].fillna(False).astype(bool))
    summaries = sh.run_summaries(shown)
    lb = lbm.leaderboard_frame(shown, summaries)
    for note in ftv.leakage_notes(lb):  # scored on places the model trained on
        st.warning(inert(note))
    metric = _rank_metric(lb, state, present)
    spec = lbm.metric_specs([metric])[0]
    datasets = ui.dataset_names(shown)
    lb = lbm.rank_runs(lb, metric, datasets)
    st.caption(
        f"{count_noun(len(lb), 'run')}, ranked within each dataset by {inert(spec.label)} "
        f"({'higher' if spec.higher_is_better else 'lower'} is better). Scores on different "
        "datasets are not comparable, so each dataset has its own table and interval chart. "
        "Intervals: 95% bootstrap over locations (images of one place are resampled "
        "together). Accuracy counts unknown, refused and failed answers as wrong."
    )
    _dataset_sections(lb, datasets, metric, present)
    pivot_ds = _pivot_section(lb, datasets, metric, state, present)
    _finetune_section(shown)
    _curves_section(lb, runs, metric, present)
    if not present:
        ui.report_button(lb["run"].astype(str).tolist(), key="lb_report")
    sh.write_url(state.with_(metric=metric, dataset=pivot_ds, lb_datasets=chosen_datasets))


def _rank_metric(lb: pd.DataFrame, state: ViewState, present: bool) -> str:
    """Return the metric runs are ranked by (a select box, or the link's choice when presenting)."""
    specs = lbm.metric_specs()
    rankable = [s.name for s in specs if s.higher_is_better is not None and s.name in lb]
    default_metric = (
        state.metric if state.metric is not None and state.metric in rankable else rankable[0]
    )
    if present:
        return default_metric
    ui.widget_state("lb_metric", default_metric)
    return str(
        st.selectbox(
            "Rank by",
            rankable,
            key="lb_metric",
            format_func=lambda n: f"{lbm.metric_specs([n])[0].label}",
        )
    )


def _dataset_sections(lb: pd.DataFrame, datasets: list[str], metric: str, present: bool) -> None:
    """Draw one headline table and one interval chart per dataset (and per unit), then exports."""
    spec = lbm.metric_specs([metric])[0]
    # image-level and location-level (all-views) runs: separate tables and CI axes per dataset
    sections = [
        (ds, unit, part)
        for ds in datasets
        for unit, part in lbm.unit_parts(lb[lb["dataset"].astype(str) == ds])
    ]
    for ds, unit, part in sections:
        dataset = ds if unit == "image" else f"{ds}, per location"
        if part.empty:
            continue
        n_values = list(part["n"].dropna().unique()) if "n" in part else []
        # one n for all runs: said once here; runs scored on different subsets: see column n
        n_text = f", {count_noun(int(n_values[0]), unit)}" if len(n_values) == 1 else ""
        fake = " (SIMULATED data)" if part["is_simulated"].astype(bool).all() else ""
        st.subheader(f"{inert(dataset)}{n_text}{fake}")
        _headline(part, present)
        if f"{metric}__low" in part:
            rows = lbm.interval_rows(part, metric)
            fig = interval_figure(
                rows,
                title=f"{spec.label} with 95% CI on {dataset}{n_text}",
                x_title=spec.label,
                percent=spec.unit == "share",
            )
            ui.show_chart(
                fig,
                f"leaderboard-{metric}-{dataset}",
                present,
                key=f"lb_forest_{dataset}",
                simulated=part["is_simulated"],
                wide=True,
            )
    ui.csv_button(lbm.export_frame(lb), "leaderboard", present)
    with st.expander("Every headline metric with its 95% interval", expanded=False):
        st.dataframe(
            lbm.display_table(lb, lbm.headline_metrics()), hide_index=True, width="stretch"
        )
    with st.expander("Coverage and answered-only figures", expanded=False):
        coverage = lbm.display_table(lb, lbm.coverage_metrics())
        st.dataframe(coverage, hide_index=True, width="stretch")


def _pivot_section(
    lb: pd.DataFrame, datasets: list[str], metric: str, state: ViewState, present: bool
) -> str:
    """Draw the models x prompt strategies table of one dataset; return that dataset."""
    spec = lbm.metric_specs([metric])[0]
    st.subheader("Models x prompt strategies")
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
            wide=True,
        )
        ui.csv_button(table.reset_index(names="model"), f"pivot-{metric}", present, key="pivot")
    return str(pivot_ds)


def _curves_section(lb: pd.DataFrame, runs: pd.DataFrame, metric: str, present: bool) -> None:
    """Draw accuracy within distance for the best runs."""
    spec = lbm.metric_specs([metric])[0]
    st.subheader("Accuracy within distance")
    curve_runs = lb["run"].astype(str).tolist()[:MAX_CURVES]
    curves = sh.accuracy_curves(curve_runs)
    labels = dict(zip(lb["run"].astype(str), lb["label"].astype(str), strict=True))
    if len(lb) > MAX_CURVES:
        st.caption(
            f"The {MAX_CURVES} best runs by {inert(spec.label)}; filter to see others."
        )  # trusted: a constant
    colors = sh.run_palette(runs, curve_runs)  # as on the map and every other page
    fig = accuracy_curve_figure(
        curves.assign(run=curves["run"].map(lambda r: labels.get(str(r), str(r)))),
        {labels.get(r, r): c for r, c in colors.items()},
    )
    ui.show_chart(
        fig,
        "accuracy-vs-distance",
        present,
        key="lb_curves",
        simulated=lb.head(MAX_CURVES)["is_simulated"],
        wide=True,
    )


ui.guarded(body)
